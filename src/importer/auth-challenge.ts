// WWW-Authenticate challenges (distribution registry/client/auth/challenge): one challenge per header value,
// `<scheme> key="value", key=token, ...`; schemes compared lower-cased.

export interface AuthChallenge {
  scheme: string;
  parameters: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** Parses each header value into a challenge; values without a scheme are skipped. */
export function parseChallenges(headers: string | string[] | undefined): AuthChallenge[] {
  const values = headers === undefined ? [] : Array.isArray(headers) ? headers : [headers];
  const out: AuthChallenge[] = [];
  for (const value of values) {
    const challenge = parseOne(value);
    if (challenge) out.push(challenge);
  }
  return out;
}

function parseOne(text: string): AuthChallenge | undefined {
  let rest = text.trimStart();
  const scheme = TOKEN.exec(rest)?.[0];
  if (!scheme) return undefined;
  rest = rest.slice(scheme.length);
  const parameters: Record<string, string> = {};
  for (;;) {
    rest = rest.replace(/^[\s,]+/, '');
    const key = TOKEN.exec(rest)?.[0];
    if (!key) break;
    rest = rest.slice(key.length).trimStart();
    if (!rest.startsWith('=')) break;
    rest = rest.slice(1).trimStart();
    let value: string;
    if (rest.startsWith('"')) {
      let i = 1;
      value = '';
      while (i < rest.length && rest[i] !== '"') {
        if (rest[i] === '\\' && i + 1 < rest.length) i++;
        value += rest[i++];
      }
      rest = rest.slice(i + 1);
    } else {
      value = TOKEN.exec(rest)?.[0] ?? '';
      rest = rest.slice(value.length);
    }
    parameters[key.toLowerCase()] = value;
  }
  return { scheme: scheme.toLowerCase(), parameters };
}
