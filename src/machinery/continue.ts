// List continue tokens in k8s.io/apiserver's format (pkg/storage/continue.go): unpadded base64url
// of {"v":"meta.k8s.io/v1","rv":<int64>,"start":"<key relative to the list prefix>"}.
// Decoding reproduces upstream's errors, which quote Go's base64 and encoding/json messages, so
// both decoders below follow Go rather than Node.
import { badRequest } from './errors.js';
import { goQuote } from './selectors.js';

const TOKEN_VERSION = 'meta.k8s.io/v1';

const ERR_GENERIC = 'continue key is not valid';
const ERR_INVALID_START_RV = `${ERR_GENERIC}: incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`;
const ERR_EMPTY_START_KEY = `${ERR_GENERIC}: encoded start key empty (version ${TOKEN_VERSION})`;
const ERR_UNRECOGNIZED_VERSION = `${ERR_GENERIC}: server does not recognize this encoded version`;

/** encoding/json's string encoding: HTML-sensitive characters and U+2028/9 are escaped too. */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Encodes a continue token. `startKey` is the storage key to resume from (the last returned key
 * + '\u0000'); upstream stores it relative to the list's key prefix, so pass that prefix here and
 * the same prefix to decodeContinue. Without a prefix the key is stored as given.
 */
export function encodeContinue(rv: number, startKey: string, keyPrefix = ''): string {
  if (!Number.isInteger(rv)) throw new TypeError(`continue token resourceVersion must be an integer, got ${rv}`);
  if (keyPrefix && !startKey.startsWith(keyPrefix)) {
    throw new Error(`unable to encode next field: the key and key prefix do not match ${keyPrefix} ${startKey}`);
  }
  const start = startKey.slice(keyPrefix.length);
  const json = `{"v":"${TOKEN_VERSION}","rv":${rv},"start":${goJsonString(start)}}`;
  return Buffer.from(json, 'utf8').toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// base64.RawURLEncoding.DecodeString: no padding, '\r' and '\n' skipped, any other byte outside
// the alphabet (including '=') fails at its byte offset.

const B64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeBase64RawUrl(src: Uint8Array): Uint8Array {
  const corrupt = (offset: number) => new Error(`illegal base64 data at input byte ${offset}`);
  const out: number[] = [];
  let si = 0;
  for (;;) {
    const quantum = [0, 0, 0, 0];
    let dlen = 4;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        if (j === 1) throw corrupt(si - j);
        dlen = j;
        break;
      }
      const c = src[si++];
      const v = B64_URL.indexOf(String.fromCharCode(c));
      if (c < 0x80 && v >= 0) {
        quantum[j] = v;
      } else if (c === 0x0a || c === 0x0d) {
        j--;
      } else {
        throw corrupt(si - 1);
      }
    }
    const val = (quantum[0] << 18) | (quantum[1] << 12) | (quantum[2] << 6) | quantum[3];
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (dlen < 4) return Uint8Array.from(out);
  }
}

// ---------------------------------------------------------------------------------------------
// A JSON reader with encoding/json's syntax errors ("invalid character 'x' looking for beginning
// of value", "unexpected end of JSON input", ...). It keeps object members in input order so
// duplicate and case-variant keys resolve like Go's decoder (last assignment wins).

type JsonValue =
  | { kind: 'object'; members: [string, JsonValue][] }
  | { kind: 'array' }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'bool' }
  | { kind: 'null' };

/** encoding/json's quoteChar: the offending byte, read as a Latin-1 rune, in single quotes. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

function readJson(b: Uint8Array): JsonValue {
  let pos = 0;
  const fail = (context: string): never => {
    if (pos >= b.length) throw new Error('unexpected end of JSON input');
    throw new Error(`invalid character ${quoteChar(b[pos])} ${context}`);
  };
  const skipSpace = () => {
    while (pos < b.length && (b[pos] === 0x20 || b[pos] === 0x09 || b[pos] === 0x0a || b[pos] === 0x0d)) pos++;
  };
  const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
  const isHex = (c: number | undefined) =>
    c !== undefined && (isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));

  const readLiteral = (word: string): void => {
    for (let i = 1; i < word.length; i++) {
      pos++;
      if (b[pos] !== word.charCodeAt(i)) fail(`in literal ${word} (expecting '${word[i]}')`);
    }
    pos++;
  };

  const readNumber = (): JsonValue => {
    const start = pos;
    if (b[pos] === 0x2d) {
      pos++;
      if (!isDigit(b[pos])) fail('in numeric literal');
    }
    if (b[pos] === 0x30) pos++;
    else while (isDigit(b[pos])) pos++;
    if (b[pos] === 0x2e) {
      pos++;
      if (!isDigit(b[pos])) fail('after decimal point in numeric literal');
      while (isDigit(b[pos])) pos++;
    }
    if (b[pos] === 0x65 || b[pos] === 0x45) {
      pos++;
      if (b[pos] === 0x2b || b[pos] === 0x2d) pos++;
      if (!isDigit(b[pos])) fail('in exponent of numeric literal');
      while (isDigit(b[pos])) pos++;
    }
    return { kind: 'number', text: Buffer.from(b.subarray(start, pos)).toString('latin1') };
  };

  const readString = (): string => {
    const start = ++pos;
    for (;;) {
      const c = b[pos];
      if (c === undefined) fail('in string literal');
      if (c === 0x22) break;
      if (c === 0x5c) {
        pos++;
        const e = b[pos];
        if (e === 0x75) {
          for (let i = 0; i < 4; i++) {
            pos++;
            if (!isHex(b[pos])) fail('in \\u hexadecimal character escape');
          }
          pos++;
        } else if (e !== undefined && 'bfnrt\\/"'.includes(String.fromCharCode(e))) {
          pos++;
        } else {
          fail('in string escape code');
        }
      } else if (c < 0x20) {
        fail('in string literal');
      } else {
        pos++;
      }
    }
    const raw = Buffer.from(b.subarray(start, pos)).toString('utf8');
    pos++;
    return JSON.parse(`"${raw}"`) as string;
  };

  const readValue = (): JsonValue => {
    skipSpace();
    const c = b[pos];
    if (c === 0x7b) return readObject();
    if (c === 0x5b) return readArray();
    if (c === 0x22) return { kind: 'string', value: readString() };
    if (c === 0x2d || isDigit(c)) return readNumber();
    if (c === 0x74 || c === 0x66) {
      readLiteral(c === 0x74 ? 'true' : 'false');
      return { kind: 'bool' };
    }
    if (c === 0x6e) {
      readLiteral('null');
      return { kind: 'null' };
    }
    return fail('looking for beginning of value');
  };

  const readObject = (): JsonValue => {
    pos++;
    const members: [string, JsonValue][] = [];
    skipSpace();
    if (b[pos] === 0x7d) {
      pos++;
      return { kind: 'object', members };
    }
    for (;;) {
      skipSpace();
      if (b[pos] !== 0x22) fail('looking for beginning of object key string');
      const key = readString();
      skipSpace();
      if (b[pos] !== 0x3a) fail('after object key');
      pos++;
      members.push([key, readValue()]);
      skipSpace();
      if (b[pos] === 0x2c) {
        pos++;
        continue;
      }
      if (b[pos] === 0x7d) {
        pos++;
        return { kind: 'object', members };
      }
      fail('after object key:value pair');
    }
  };

  const readArray = (): JsonValue => {
    pos++;
    skipSpace();
    if (b[pos] === 0x5d) {
      pos++;
      return { kind: 'array' };
    }
    for (;;) {
      readValue();
      skipSpace();
      if (b[pos] === 0x2c) {
        pos++;
        continue;
      }
      if (b[pos] === 0x5d) {
        pos++;
        return { kind: 'array' };
      }
      fail('after array element');
    }
  };

  const root = readValue();
  skipSpace();
  if (pos < b.length) fail('after top-level value');
  return root;
}

interface ContinueToken {
  v: string;
  rv: bigint;
  start: string;
}

/** json.Unmarshal into upstream's continueToken struct, with its UnmarshalTypeError texts. */
function unmarshalToken(root: JsonValue): ContinueToken {
  const token: ContinueToken = { v: '', rv: 0n, start: '' };
  if (root.kind === 'null') return token;
  if (root.kind !== 'object') {
    throw new Error(`json: cannot unmarshal ${root.kind} into Go value of type storage.continueToken`);
  }
  const fields = ['v', 'rv', 'start'] as const;
  let firstError: string | undefined;
  const typeError = (what: string, field: string, goType: string) =>
    (firstError ??= `json: cannot unmarshal ${what} into Go struct field continueToken.${field} of type ${goType}`);
  for (const [key, val] of root.members) {
    // encoding/json matches struct fields case-insensitively when there is no exact match.
    const field = fields.find((f) => f === key) ?? fields.find((f) => f === key.toLowerCase());
    if (!field || val.kind === 'null') continue;
    if (field === 'rv') {
      if (val.kind !== 'number') typeError(val.kind, 'rv', 'int64');
      else {
        const n = /^-?[0-9]+$/.test(val.text) ? BigInt(val.text) : undefined;
        if (n === undefined || n < -(1n << 63n) || n >= 1n << 63n) typeError(`number ${val.text}`, 'rv', 'int64');
        else token.rv = n;
      }
    } else if (val.kind !== 'string') {
      typeError(val.kind, field, 'string');
    } else {
      token[field] = val.value;
    }
  }
  if (firstError) throw new Error(firstError);
  return token;
}

/** path.Clean for a rooted path. */
function cleanRooted(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

export interface DecodedContinue {
  /** Snapshot revision of the first page; negative means "continue at the latest revision". */
  rv: number;
  /** Absolute storage key to resume from (keyPrefix + the token's relative start key). */
  startKey: string;
}

/**
 * Decodes a continue token as storage.DecodeContinue does. Every failure is a 400 BadRequest
 * `invalid continue token: continue key is not valid...`, as the list path returns it.
 */
export function decodeContinue(token: string, keyPrefix: string): DecodedContinue {
  const invalid = (detail: string) => badRequest(`invalid continue token: ${detail}`);
  let parsed: ContinueToken;
  try {
    parsed = unmarshalToken(readJson(decodeBase64RawUrl(Buffer.from(token, 'utf8'))));
  } catch (e) {
    throw invalid(`${ERR_GENERIC}: ${(e as Error).message}`);
  }
  if (parsed.v !== TOKEN_VERSION) throw invalid(`${ERR_UNRECOGNIZED_VERSION} ${parsed.v}`);
  if (parsed.rv === 0n) throw invalid(ERR_INVALID_START_RV);
  if (parsed.start.length === 0) throw invalid(ERR_EMPTY_START_KEY);
  // A token must not reach outside the list's prefix: the start key has to be already clean.
  const key = parsed.start.startsWith('/') ? parsed.start : `/${parsed.start}`;
  const cleaned = cleanRooted(key);
  if (cleaned !== key) throw invalid(`${ERR_GENERIC}: ${parsed.start}`);
  return { rv: Number(parsed.rv), startKey: keyPrefix + cleaned.slice(1) };
}
