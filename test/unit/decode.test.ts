import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBody, decodeJSON, decodeYAML, DecodeError, goQuote, yamlDuplicatesMessage } from '../../src/machinery/decode.js';

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a DecodeError');
}

// --- JSON: values and duplicates ---------------------------------------------------------------------

test('decodeJSON parses values like JSON.parse', () => {
  const text = '{"a":[1,-2.5,3e2,true,false,null,"x\\n\\u00e9\\ud83d\\ude00"],"b":{},"c":[]}';
  assert.deepEqual(decodeJSON(text), { value: JSON.parse(text), duplicates: [] });
  assert.deepEqual(decodeJSON(' \t\r\n"s" ').value, 's');
});

test('decodeJSON reports duplicate keys as kube paths at any depth and keeps the last value', () => {
  const text =
    '{"metadata":{"name":"a","labels":{"x":"1"},"name":"b"},' +
    '"spec":{"tags":[{"name":"t0"},{"name":"t1","from":{"kind":"K","kind":"L"},"name":"t2"}]},' +
    '"metadata":{"name":"c"}}';
  const { value, duplicates } = decodeJSON(text);
  assert.deepEqual(duplicates, ['metadata.name', 'spec.tags[1].from.kind', 'spec.tags[1].name', 'metadata']);
  assert.deepEqual(value, {
    metadata: { name: 'c' },
    spec: { tags: [{ name: 't0' }, { name: 't2', from: { kind: 'L' } }] },
  });
});

test('decodeJSON reports a key repeated several times once, and paths inside arrays and root arrays', () => {
  assert.deepEqual(decodeJSON('{"a":1,"a":2,"a":3}'), { value: { a: 3 }, duplicates: ['a'] });
  assert.deepEqual(decodeJSON('[{"x":1},[{"y":1,"y":2}]]').duplicates, ['[1][0].y']);
  assert.deepEqual(decodeJSON('{"items":[[], {"k.with.dots":1,"k.with.dots":2}]}').duplicates, ['items[1].k.with.dots']);
  assert.deepEqual(decodeJSON('{"Name":1,"name":2}').duplicates, [], 'keys are case-sensitive');
});

test('decodeJSON keeps __proto__ and constructor as ordinary own keys', () => {
  const { value, duplicates } = decodeJSON('{"__proto__":{"polluted":true},"constructor":"x","labels":{"constructor":"y"}}');
  const obj = value as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(obj), Object.prototype);
  assert.ok(Object.hasOwn(obj, '__proto__'));
  assert.deepEqual(Object.keys(obj), ['__proto__', 'constructor', 'labels']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(obj, '__proto__')?.value, { polluted: true });
  assert.equal((obj as { polluted?: unknown }).polluted, undefined);
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  assert.equal(obj.constructor, 'x');
  assert.deepEqual(duplicates, []);
  assert.deepEqual(decodeJSON('{"__proto__":1,"__proto__":2}').duplicates, ['__proto__']);
});

test('decodeJSON rejects integers it cannot hold exactly instead of rounding them', () => {
  assert.equal(decodeJSON('9007199254740991').value, 9007199254740991);
  assert.equal(decodeJSON('-9007199254740991').value, -9007199254740991);
  for (const n of ['9007199254740992', '9007199254740993', '-9007199254740993', '12345678901234567890']) {
    const err = decodeError(() => decodeJSON(`{"spec":{"n":${n}}}`));
    assert.equal(err.kind, 'value');
    assert.equal(err.message, `json: cannot unmarshal number ${n} into Go value of type int64`);
  }
  const float = decodeError(() => decodeJSON('[1e400]'));
  assert.equal(float.message, 'json: cannot unmarshal number 1e400 into Go value of type float64');
  // Floats may be inexact (Go rounds them too); only integer literals must stay exact.
  assert.equal(decodeJSON('12345678901234567890.5').value, 12345678901234567890.5);
  assert.equal(decodeJSON('1e300').value, 1e300);
  assert.ok(Object.is(decodeJSON('-0').value, 0), '-0 is int64 0');
});

test('decodeJSON reports a syntax error anywhere before a number it cannot hold', () => {
  const err = decodeError(() => decodeJSON('[9007199254740993, x]'));
  assert.equal(err.kind, 'syntax');
  assert.equal(err.message, "invalid character 'x' looking for beginning of value");
});

test('decodeJSON words malformed input like encoding/json', () => {
  const cases: [string, string][] = [
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
    ['{"a":1', 'unexpected end of JSON input'],
    ['"abc', 'unexpected end of JSON input'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
    ['{"a":}', "invalid character '}' looking for beginning of value"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', 'invalid character \'"\' after object key:value pair'],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a":1}x', "invalid character 'x' after top-level value"],
    ['01', "invalid character '1' after top-level value"],
    ['-', "invalid character ' ' in numeric literal"],
    ['-a', "invalid character 'a' in numeric literal"],
    ['1.', "invalid character ' ' after decimal point in numeric literal"],
    ['1.e5', "invalid character 'e' after decimal point in numeric literal"],
    ['1e', "invalid character ' ' in exponent of numeric literal"],
    ['1e+x', "invalid character 'x' in exponent of numeric literal"],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['trUe', "invalid character 'U' in literal true (expecting 'u')"],
    ['nul', "invalid character ' ' in literal null (expecting 'l')"],
    ['falsy', "invalid character 'y' in literal false (expecting 'e')"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ['"a\u0001"', "invalid character '\\x01' in string literal"],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['"\\', "invalid character ' ' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"\\u12', "invalid character ' ' in \\u hexadecimal character escape"],
    ['é', "invalid character 'Ã' looking for beginning of value"],
    ['\ufeff{}', "invalid character 'ï' looking for beginning of value"],
    ['{"a":NaN}', "invalid character 'N' looking for beginning of value"],
  ];
  for (const [text, message] of cases) {
    const err = decodeError(() => decodeJSON(text));
    assert.equal(err.message, message, JSON.stringify(text));
    assert.equal(err.kind, 'syntax');
  }
});

test('decodeJSON allows 10000 levels of nesting and no more, like encoding/json', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.doesNotThrow(() => decodeJSON(deep(10000)));
  assert.equal(decodeError(() => decodeJSON(deep(10001))).message, "invalid character '[' exceeded max depth");
});

test('decodeJSON replaces unpaired surrogate escapes with U+FFFD as Go does', () => {
  assert.equal(decodeJSON('"\\ud800x\\udc00"').value, '\ufffdx\ufffd');
  assert.equal(decodeJSON('"\\ud83d\\ude00"').value, '😀');
});

// --- YAML --------------------------------------------------------------------------------------------

test('decodeYAML resolves scalars like go-yaml v2', () => {
  const text = [
    'yes1: yes',
    'on1: On',
    'y1: y',
    'no1: NO',
    'off1: off',
    'bool: True',
    'quoted: "yes"',
    'single: \'on\'',
    'octal: 0777',
    'octal2: 0o17',
    'hex: 0x1F',
    'bin: 0b101',
    'under: 1_000',
    'notOctal: 089',
    'sexagesimal: 1:20',
    'date: 2001-12-14',
    'float: 1.5',
    'exp: 1e3',
    'dot: .5',
    'neg: -12',
    'plus: +7',
    'tilde: ~',
    'empty:',
    'nullWord: Null',
    'str: hello world',
    'block: |',
    '  line',
    'tagged: !!int "42"',
    'taggedStr: !!str 42',
    'taggedFloat: !!float 3',
    'custom: !thing 12',
    'binary: !!binary aGVsbG8=',
  ].join('\n');
  assert.deepEqual(decodeYAML(text).value, {
    binary: 'hello',
    block: 'line\n',
    bool: true,
    bin: 5,
    custom: '12',
    date: '2001-12-14',
    dot: 0.5,
    empty: null,
    exp: 1000,
    float: 1.5,
    hex: 31,
    neg: -12,
    no1: false,
    notOctal: 89,
    nullWord: null,
    octal: 511,
    octal2: 15,
    off1: false,
    on1: true,
    plus: 7,
    quoted: 'yes',
    sexagesimal: '1:20',
    single: 'on',
    str: 'hello world',
    tagged: 42,
    taggedFloat: 3,
    taggedStr: '42',
    tilde: null,
    under: 1000,
    y1: true,
    yes1: true,
  });
});

test('decodeYAML sorts keys as the YAML to JSON conversion does and stringifies non-string keys', () => {
  const { value } = decodeYAML('zeta: 1\nalpha: 2\n10: ten\ntrue: t\n1.5: f\nnested:\n  b: 1\n  a: 2\n');
  // JavaScript lists integer-like keys ("10") first whatever the insertion order; the rest come sorted.
  assert.deepEqual(Object.keys(value as object), ['10', '1.5', 'alpha', 'nested', 'true', 'zeta']);
  assert.deepEqual(Object.keys((value as { nested: object }).nested), ['a', 'b']);
  assert.deepEqual(decodeYAML('9007199254740993: exact').value, { '9007199254740993': 'exact' });
});

test('decodeYAML reports duplicate keys with the lines kube-apiserver reports', () => {
  // kube's test/integration/apiserver/field_validation_test.go invalidBodyYAML and its expected lines.
  const body = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: test-deployment
  labels:
    app: nginx
spec:
  unknown1: val1
  unknownDupe: valDupe
  unknownDupe: valDupe2
  paused: true
  paused: false
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        unknownNested: val1
        imagePullPolicy: Always
        imagePullPolicy: Never`;
  const { value, duplicates } = decodeYAML(body);
  assert.deepEqual(duplicates, [
    'line 10: key "unknownDupe" already set in map',
    'line 12: key "paused" already set in map',
    'line 26: key "imagePullPolicy" already set in map',
  ]);
  const spec = (value as { spec: Record<string, unknown> }).spec;
  assert.equal(spec.unknownDupe, 'valDupe2');
  assert.equal(spec.paused, false);
});

test('decodeYAML reports nested duplicates before the key that holds them, and renders keys like %#v', () => {
  const { value, duplicates } = decodeYAML('a: 1\nb:\n  c: 1\n  c: 2\na:\n  reference: x\nyes: 1\ntrue: 2\n"7": s\n7: i\n');
  assert.deepEqual(duplicates, [
    'line 4: key "c" already set in map',
    'line 6: key "a" already set in map',
    'line 8: key true already set in map',
  ]);
  assert.deepEqual(value, { '7': 'i', a: { reference: 'x' }, b: { c: 2 }, true: 2 });
  assert.deepEqual(decodeYAML('list:\n- name: a\n  name: b\n').duplicates, ['line 3: key "name" already set in map']);
  assert.equal(goQuote('k"\n'), '"k\\"\\n"');
});

test('decodeYAML applies merge keys in go-yaml v2 order', () => {
  const text = 'base: &b\n  p: 1\n  q: 2\nother: &o\n  q: 9\n  r: 9\nd:\n  <<: [*b, *o]\n  q: 3\n';
  const { value, duplicates } = decodeYAML(text);
  assert.deepEqual((value as { d: unknown }).d, { p: 1, q: 3, r: 9 });
  // go-yaml v2 strict mode counts keys set by a merge and then set again as duplicates.
  assert.deepEqual(duplicates, ['line 3: key "q" already set in map', 'line 9: key "q" already set in map']);
  assert.equal(decodeError(() => decodeYAML('a: &a 1\nb:\n  <<: *a\n')).message, 'error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value');
});

test('decodeYAML resolves each alias to the latest anchor of that name before it', () => {
  assert.deepEqual(decodeYAML('a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: [&x 3]\nf: *x\n').value, {
    a: 1,
    b: 1,
    c: 2,
    d: 2,
    e: [3],
    f: 3,
  });
  const many = ['base: &b {k: v}', 'items:', ...Array.from({ length: 3000 }, (_, i) => `- {i: ${i}, <<: *b, ref: *b}`)];
  const items = (decodeYAML(many.join('\n')).value as { items: unknown[] }).items;
  assert.equal(items.length, 3000);
  assert.deepEqual(items[2999], { i: 2999, k: 'v', ref: { k: 'v' } });
});

test('decodeYAML decodes only the first document and treats empty input as null', () => {
  assert.deepEqual(decodeYAML('a: 1\n---\nb: 2\n').value, { a: 1 });
  assert.deepEqual(decodeYAML('---\na: 1\n').value, { a: 1 });
  assert.deepEqual(decodeYAML('').value, null);
  assert.deepEqual(decodeYAML('# only a comment\n').value, null);
});

test('decodeYAML keeps __proto__ as an own key', () => {
  const { value } = decodeYAML('__proto__:\n  polluted: true\nconstructor: x\n');
  const obj = value as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(obj), Object.prototype);
  assert.ok(Object.hasOwn(obj, '__proto__'));
  assert.equal((obj as { polluted?: unknown }).polluted, undefined);
  assert.equal(obj.constructor, 'x');
});

test('decodeYAML errors carry the sigs.k8s.io/yaml prefix', () => {
  const cases: [string, string][] = [
    ['a: b: c', 'error converting YAML to JSON: yaml: line 1: nested mappings are not allowed in compact mappings'],
    ['a: *nope', "error converting YAML to JSON: yaml: unknown anchor 'nope' referenced"],
    ['a: &a [*a]', "error converting YAML to JSON: yaml: anchor 'a' value contains itself"],
    ['a: !!int abc', 'error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!int'],
    ['a: !!binary "%%%"', 'error converting YAML to JSON: yaml: !!binary value contains invalid base64 data'],
  ];
  for (const [text, message] of cases) {
    const err = decodeError(() => decodeYAML(text));
    assert.equal(err.message, message, text);
    assert.equal(err.kind, 'syntax');
  }
  const nan = decodeError(() => decodeYAML('a: .nan'));
  assert.equal(nan.message, 'error converting YAML to JSON: json: unsupported value: NaN');
  assert.equal(nan.kind, 'value');
  assert.equal(decodeError(() => decodeYAML('a: -.inf')).message, 'error converting YAML to JSON: json: unsupported value: -Inf');
  const big = decodeError(() => decodeYAML('a: 9007199254740993'));
  assert.equal(big.message, 'json: cannot unmarshal number 9007199254740993 into Go value of type int64');
  // Go's ParseFloat fails on overflow and go-yaml keeps the text.
  assert.deepEqual(decodeYAML('a: 1e400').value, { a: '1e400' });
});

test('decodeYAML stops documents that expand aliases without bound', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++) {
    const prev = `*a${i - 1}`;
    lines.push(`a${i}: &a${i} [${Array(10).fill(prev).join(', ')}]`);
  }
  const err = decodeError(() => decodeYAML(lines.join('\n')));
  assert.equal(err.message, 'error converting YAML to JSON: yaml: document contains excessive aliasing');
});

test('yamlDuplicatesMessage builds the strict-mode text kube-apiserver sends', () => {
  assert.equal(
    yamlDuplicatesMessage(['line 10: key "a" already set in map', 'line 12: key "b" already set in map']),
    'error converting YAML to JSON: yaml: unmarshal errors:\n  line 10: key "a" already set in map\n  line 12: key "b" already set in map',
  );
});

test('decodeBody dispatches on the media type', () => {
  assert.deepEqual(decodeBody('{"a":"yes"}', 'application/json').value, { a: 'yes' });
  assert.deepEqual(decodeBody('a: yes', 'application/yaml').value, { a: true });
  assert.deepEqual(decodeBody('{"a": 1, "a": 2}', 'application/yaml').duplicates, ['line 1: key "a" already set in map']);
});
