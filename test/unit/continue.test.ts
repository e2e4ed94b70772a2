import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../src/machinery/errors.js';
import { decodeContinue, encodeContinue } from '../../src/machinery/continue.js';

const PREFIX = '/registry/images.image.openshift.io/';
const b64 = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

function assertInvalidToken(token: string, detail: string, prefix = PREFIX) {
  assert.throws(
    () => decodeContinue(token, prefix),
    (e: unknown) => {
      assert.ok(isStatusError(e), `expected a StatusError, got ${String(e)}`);
      assert.equal(e.code, 400);
      assert.equal(e.reason, 'BadRequest');
      assert.equal(e.message, `invalid continue token: continue key is not valid${detail}`);
      return true;
    },
    token,
  );
}

test('encodeContinue produces the upstream token byte for byte', () => {
  // The token kube-apiserver returns for rv 1234 after "default/beta" (apiserver-semantics.md §7.1).
  const upstream = 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzNCwic3RhcnQiOiJkZWZhdWx0L2JldGFcdTAwMDAifQ';
  assert.equal(encodeContinue(1234, 'default/beta\u0000'), upstream);
  assert.equal(encodeContinue(1234, `${PREFIX}default/beta\u0000`, PREFIX), upstream);
  assert.equal(
    Buffer.from(encodeContinue(-1, 'a<b>&c'), 'base64url').toString(),
    '{"v":"meta.k8s.io/v1","rv":-1,"start":"a\\u003cb\\u003e\\u0026c"}',
  );
  assert.doesNotMatch(encodeContinue(5, 'a?b'), /[=+/]/);
});

test('encodeContinue rejects keys outside the prefix and non-integer revisions', () => {
  assert.throws(() => encodeContinue(1, '/other/x', PREFIX), {
    message: `unable to encode next field: the key and key prefix do not match ${PREFIX} /other/x`,
  });
  assert.throws(() => encodeContinue(1.5, 'x'), TypeError);
});

test('decodeContinue round-trips and resolves the start key under the prefix', () => {
  const cases: [number, string][] = [
    [1234, `${PREFIX}default/beta\u0000`],
    [-1, `${PREFIX}ns/name\u0000`],
    [9007199254740991, `${PREFIX}x`],
  ];
  for (const [rv, key] of cases) {
    assert.deepEqual(decodeContinue(encodeContinue(rv, key, PREFIX), PREFIX), { rv, startKey: key });
  }
  // Upstream's start is relative: the same token continues under another list's prefix.
  assert.deepEqual(decodeContinue(encodeContinue(7, 'b\u0000'), '/registry/other/'), { rv: 7, startKey: '/registry/other/b\u0000' });
  // A leading slash is accepted and dropped.
  assert.deepEqual(decodeContinue(b64('{"v":"meta.k8s.io/v1","rv":3,"start":"/ns/a"}'), PREFIX), { rv: 3, startKey: `${PREFIX}ns/a` });
});

test('decodeContinue follows encoding/json: case-insensitive keys, last wins, unknown keys and null ignored', () => {
  assert.deepEqual(decodeContinue(b64('{"V":"meta.k8s.io/v1","RV":-1,"Start":"a","extra":[1,{"x":null}]}'), PREFIX), {
    rv: -1,
    startKey: `${PREFIX}a`,
  });
  assert.deepEqual(decodeContinue(b64('{"v":"meta.k8s.io/v1","rv":1,"RV":2,"start":"a","start":null}'), PREFIX), {
    rv: 2,
    startKey: `${PREFIX}a`,
  });
  // Go's decoder skips CR and LF anywhere in the base64 text (but not spaces).
  assertInvalidToken(` ${b64('{}')}`, ': illegal base64 data at input byte 0');
  assert.deepEqual(decodeContinue(`\n${b64(' {"v":"meta.k8s.io/v1","rv":1,"start":"\\u0061\\/b"} ')}\r\n`, PREFIX), {
    rv: 1,
    startKey: `${PREFIX}a/b`,
  });
});

test('decodeContinue: upstream error variants', () => {
  const cases: [string, string][] = [
    [b64('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'), ': incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
    [b64('{"v":"meta.k8s.io/v1","start":"a"}'), ': incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
    [b64('{"v":"meta.k8s.io/v1","rv":5,"start":""}'), ': encoded start key empty (version meta.k8s.io/v1)'],
    [b64('{"v":"meta.k8s.io/v1","rv":5}'), ': encoded start key empty (version meta.k8s.io/v1)'],
    [b64('{"v":"v2","rv":5,"start":"a"}'), ': server does not recognize this encoded version v2'],
    [b64('{}'), ': server does not recognize this encoded version '],
    [b64('null'), ': server does not recognize this encoded version '],
    // Start keys that path.Clean would change could reach outside the list's prefix.
    [b64('{"v":"meta.k8s.io/v1","rv":5,"start":"../other"}'), ': ../other'],
    [b64('{"v":"meta.k8s.io/v1","rv":5,"start":"a/../../b"}'), ': a/../../b'],
    [b64('{"v":"meta.k8s.io/v1","rv":5,"start":".."}'), ': ..'],
    [b64('{"v":"meta.k8s.io/v1","rv":5,"start":"a//b"}'), ': a//b'],
    [b64('{"v":"meta.k8s.io/v1","rv":5,"start":"a/./b"}'), ': a/./b'],
    [b64('{"v":"meta.k8s.io/v1","rv":5,"start":"ns/"}'), ': ns/'],
  ];
  for (const [token, detail] of cases) assertInvalidToken(token, detail);
});

test('decodeContinue: base64 errors (Go RawURLEncoding)', () => {
  const cases: [string, string][] = [
    ['abc!', ': illegal base64 data at input byte 3'],
    ['a', ': illegal base64 data at input byte 0'],
    ['abcde', ': illegal base64 data at input byte 4'],
    ['ab==', ': illegal base64 data at input byte 2'],
    ['ab+/', ': illegal base64 data at input byte 2'],
    ['abcé', ': illegal base64 data at input byte 3'],
  ];
  for (const [token, detail] of cases) assertInvalidToken(token, detail);
});

test('decodeContinue: JSON errors carry encoding/json text', () => {
  const cases: [string, string][] = [
    ['', ': unexpected end of JSON input'],
    ['xyz', ": invalid character 'x' looking for beginning of value"],
    ['{"v":1,', ': unexpected end of JSON input'],
    ['{"v" 1}', ": invalid character '1' after object key"],
    ['{"v":1 "rv":2}', `: invalid character '"' after object key:value pair`],
    ['{v:1}', ": invalid character 'v' looking for beginning of object key string"],
    ['[1 2]', ": invalid character '2' after array element"],
    ['{} x', ": invalid character 'x' after top-level value"],
    ['01', ": invalid character '1' after top-level value"],
    ['-x', ": invalid character 'x' in numeric literal"],
    ['1.x', ": invalid character 'x' after decimal point in numeric literal"],
    ['1ex', ": invalid character 'x' in exponent of numeric literal"],
    ['tru', ': unexpected end of JSON input'],
    ['trux', ": invalid character 'x' in literal true (expecting 'e')"],
    ['nul1', ": invalid character '1' in literal null (expecting 'l')"],
    ['"a\\x"', ": invalid character 'x' in string escape code"],
    ['"\\u12g4"', ": invalid character 'g' in \\u hexadecimal character escape"],
    ['"a\nb"', ": invalid character '\\n' in string literal"],
    ["'a'", ": invalid character '\\'' looking for beginning of value"],
    ['\u00c3', ": invalid character 'Ã' looking for beginning of value"],
    ['[1]', ': json: cannot unmarshal array into Go value of type storage.continueToken'],
    ['"x"', ': json: cannot unmarshal string into Go value of type storage.continueToken'],
    ['{"rv":"1"}', ': json: cannot unmarshal string into Go struct field continueToken.rv of type int64'],
    ['{"rv":1.5}', ': json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64'],
    ['{"rv":1e3}', ': json: cannot unmarshal number 1e3 into Go struct field continueToken.rv of type int64'],
    [
      '{"rv":9223372036854775808}',
      ': json: cannot unmarshal number 9223372036854775808 into Go struct field continueToken.rv of type int64',
    ],
    ['{"v":5}', ': json: cannot unmarshal number into Go struct field continueToken.v of type string'],
    ['{"start":true}', ': json: cannot unmarshal bool into Go struct field continueToken.start of type string'],
    // The first type error is reported, after the whole document was read.
    ['{"start":{},"v":[]}', ': json: cannot unmarshal object into Go struct field continueToken.start of type string'],
  ];
  for (const [json, detail] of cases) {
    const token = json === '\u00c3' ? Buffer.from([0xc3]).toString('base64url') : b64(json);
    assertInvalidToken(token, detail);
  }
});
