// --token-auth-file: static bearer tokens, kube-apiserver's CSV format
// `token,user,uid[,"group1,group2"]` (k8s.io/apiserver pkg/authentication/token/tokenfile).
import type { TokenCheck } from './token-authenticator.js';
import type { UserInfo } from './user.js';

/** Parses the file's text; `path` only names it in errors. Empty tokens are skipped, the last duplicate wins. */
export function parseTokenFile(text: string, path: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const record of parseCSV(text)) {
    if (record.length < 3) {
      throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    if (record[0] === '') continue;
    tokens.set(record[0], { name: record[1], ...(record[2] ? { uid: record[2] } : {}), groups: record.length >= 4 ? record[3].split(',') : [] });
  }
  return tokens;
}

export function tokenFileCheck(tokens: ReadonlyMap<string, UserInfo>): TokenCheck {
  return async (token) => {
    const user = tokens.get(token);
    return user ? { user } : {};
  };
}

/** encoding/csv as the token file reader uses it: quoted fields with "" escapes, blank lines skipped. */
function parseCSV(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endRecord = () => {
    if (fieldStarted || record.length > 0) {
      record.push(field);
      records.push(record);
    }
    record = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      endRecord();
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new Error('token file: extraneous or missing " in quoted-field');
  endRecord();
  return records;
}
