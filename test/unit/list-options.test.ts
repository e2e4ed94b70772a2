import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeContinue } from '../../src/machinery/continue.js';
import { isStatusError } from '../../src/machinery/errors.js';
import {
  allValues,
  firstValue,
  parseGoInt64,
  parseGoUint64,
  parseListOptions,
  queryBool,
  queryInt,
  requestTimeoutMs,
  type ListRequestContext,
  type QueryValues,
} from '../../src/machinery/query.js';

const LIST: ListRequestContext = { watch: false };
const PREFIX = '/registry/images.image.openshift.io/';
const q = (s: string) => new URLSearchParams(s);

function assertStatus(fn: () => unknown, code: number, reason: string, message: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStatusError(e), `expected a StatusError, got ${String(e)}`);
    assert.equal(e.message, message);
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    return true;
  });
}
const assertBadRequest = (fn: () => unknown, message: string) => assertStatus(fn, 400, 'BadRequest', message);
const assertInvalid = (fn: () => unknown, detail: string) =>
  assertStatus(fn, 422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${detail}`);

test('firstValue / allValues read URLSearchParams and parsed-query objects alike', () => {
  const inputs: QueryValues[] = [q('dryRun=All&dryRun=X&limit=5'), { dryRun: ['All', 'X'], limit: '5' }];
  for (const input of inputs) {
    assert.deepEqual(allValues(input, 'dryRun'), ['All', 'X']);
    assert.equal(firstValue(input, 'dryRun'), 'All');
    assert.deepEqual(allValues(input, 'limit'), ['5']);
    assert.equal(firstValue(input, 'missing'), undefined);
    assert.deepEqual(allValues(input, 'missing'), []);
  }
  assert.equal(firstValue({ constructor: undefined }, 'toString'), undefined);
  assert.equal(firstValue(q('watch'), 'watch'), '');
});

test('queryBool: only 0 and false (any case) are false; present-but-empty is true', () => {
  const cases: [string | undefined, boolean | undefined][] = [
    [undefined, undefined],
    ['', true],
    ['true', true],
    ['1', true],
    ['yes', true],
    ['no', true],
    ['0', false],
    ['false', false],
    ['FALSE', false],
    ['False', false],
    ['00', true],
  ];
  for (const [v, want] of cases) assert.equal(queryBool(v), want, String(v));
});

test('parseGoInt64 / parseGoUint64: Go strconv results and errors', () => {
  assert.equal(parseGoInt64('42'), 42n);
  assert.equal(parseGoInt64('+42'), 42n);
  assert.equal(parseGoInt64('-42'), -42n);
  assert.equal(parseGoInt64('007'), 7n);
  assert.equal(parseGoInt64('9223372036854775807'), 9223372036854775807n);
  assert.equal(parseGoInt64('-9223372036854775808'), -9223372036854775808n);
  assert.equal(parseGoUint64('18446744073709551615'), 18446744073709551615n);
  const errors: [() => unknown, string][] = [
    [() => parseGoInt64(''), 'strconv.ParseInt: parsing "": invalid syntax'],
    [() => parseGoInt64('abc'), 'strconv.ParseInt: parsing "abc": invalid syntax'],
    [() => parseGoInt64('+'), 'strconv.ParseInt: parsing "+": invalid syntax'],
    [() => parseGoInt64('1_000'), 'strconv.ParseInt: parsing "1_000": invalid syntax'],
    [() => parseGoInt64(' 1'), 'strconv.ParseInt: parsing " 1": invalid syntax'],
    [() => parseGoInt64('0x10'), 'strconv.ParseInt: parsing "0x10": invalid syntax'],
    [() => parseGoInt64('9223372036854775808'), 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
    [() => parseGoInt64('-9223372036854775809'), 'strconv.ParseInt: parsing "-9223372036854775809": value out of range'],
    // Overflow is detected before the bad character that follows it.
    [() => parseGoInt64('99999999999999999999x'), 'strconv.ParseInt: parsing "99999999999999999999x": value out of range'],
    [() => parseGoInt64('a"b'), 'strconv.ParseInt: parsing "a\\"b": invalid syntax'],
    [() => parseGoUint64('-1'), 'strconv.ParseUint: parsing "-1": invalid syntax'],
    [() => parseGoUint64('abc'), 'strconv.ParseUint: parsing "abc": invalid syntax'],
    [() => parseGoUint64('18446744073709551616'), 'strconv.ParseUint: parsing "18446744073709551616": value out of range'],
  ];
  for (const [fn, message] of errors) assert.throws(fn, { message });
});

test('queryInt: absent → undefined, bad → 400 with the strconv text', () => {
  assert.equal(queryInt('limit', undefined), undefined);
  assert.equal(queryInt('limit', '500'), 500);
  assert.equal(queryInt('gracePeriodSeconds', '-1'), -1);
  assertBadRequest(() => queryInt('limit', 'abc'), 'strconv.ParseInt: parsing "abc": invalid syntax');
  assertBadRequest(() => queryInt('limit', ''), 'strconv.ParseInt: parsing "": invalid syntax');
});

test('requestTimeoutMs: timeout only shortens the default; bad values are 400', () => {
  assert.equal(requestTimeoutMs(undefined, 60000), 60000);
  assert.equal(requestTimeoutMs('', 60000), 60000);
  assert.equal(requestTimeoutMs('32s', 60000), 32000);
  assert.equal(requestTimeoutMs('1m0s', 60000), 60000);
  assert.equal(requestTimeoutMs('5m', 60000), 60000);
  assert.equal(requestTimeoutMs('0s', 60000), 60000);
  assert.equal(requestTimeoutMs('-5s', 60000), 60000);
  assert.equal(requestTimeoutMs('250ms', 60000), 250);
  assertBadRequest(
    () => requestTimeoutMs('abc', 60000),
    'invalid timeout specified in the request URL - time: invalid duration "abc"',
  );
  assertBadRequest(
    () => requestTimeoutMs('30', 60000),
    'invalid timeout specified in the request URL - time: missing unit in duration "30"',
  );
});

test('parseListOptions: defaults for a plain list', () => {
  const o = parseListOptions(q(''), LIST);
  assert.equal(o.labelSelector.empty, true);
  assert.equal(o.fieldSelector.empty, true);
  assert.equal(o.limit, 0);
  assert.equal(o.continue, '');
  assert.equal(o.resourceVersion, '');
  assert.equal(o.resourceVersionMatch, '');
  assert.equal(o.watch, false);
  assert.equal(o.allowWatchBookmarks, false);
  assert.equal('sendInitialEvents' in o, false);
  assert.equal('timeoutSeconds' in o, false);
  assert.equal('continueToken' in o, false);
});

test('parseListOptions: decodes every parameter, first value wins', () => {
  const o = parseListOptions(
    q(
      'labelSelector=app%3Dx&labelSelector=ignored&fieldSelector=metadata.name%3Da&limit=500&limit=1' +
        '&resourceVersion=10&resourceVersionMatch=NotOlderThan&timeoutSeconds=300&allowWatchBookmarks=1',
    ),
    LIST,
  );
  assert.equal(o.labelSelector.toString(), 'app=x');
  assert.equal(o.fieldSelector.exactMatch('metadata.name'), 'a');
  assert.equal(o.limit, 500);
  assert.equal(o.resourceVersion, '10');
  assert.equal(o.resourceVersionMatch, 'NotOlderThan');
  assert.equal(o.timeoutSeconds, 300);
  assert.equal(o.allowWatchBookmarks, true);
  assert.equal(o.watch, false);
});

test('parseListOptions: list validation errors (422, upstream texts and order)', () => {
  const cases: [string, string][] = [
    ['resourceVersionMatch=NotOlderThan', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'],
    [
      'resourceVersionMatch=X&resourceVersion=1',
      'resourceVersionMatch: Unsupported value: "X": supported values: "Exact", "NotOlderThan", ""',
    ],
    [
      'resourceVersionMatch=Exact&resourceVersion=0',
      'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ],
    ['sendInitialEvents=true', 'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list'],
    ['sendInitialEvents=false', 'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list'],
    [
      'resourceVersionMatch=Exact&resourceVersion=5&continue=abc',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
    ],
    [
      'resourceVersionMatch=exact&continue=abc&sendInitialEvents=1',
      '[resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, ' +
        'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided, ' +
        'resourceVersionMatch: Unsupported value: "exact": supported values: "Exact", "NotOlderThan", "", ' +
        'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list]',
    ],
  ];
  for (const [query, detail] of cases) assertInvalid(() => parseListOptions(q(query), LIST), detail);
  for (const ok of ['resourceVersion=0&resourceVersionMatch=NotOlderThan', 'resourceVersion=7&resourceVersionMatch=Exact']) {
    parseListOptions(q(ok), LIST);
  }
});

test('parseListOptions: the 422 carries causes with field paths', () => {
  assert.throws(
    () => parseListOptions(q('resourceVersionMatch=Exact&resourceVersion=0'), LIST),
    (e: unknown) => {
      assert.ok(isStatusError(e));
      assert.deepEqual(e.status.details, {
        name: '',
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: [
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
            field: 'resourceVersionMatch',
          },
        ],
      });
      return true;
    },
  );
});

test('parseListOptions: WatchList defaulting for watches from "now"', () => {
  for (const rv of ['', '&resourceVersion=0']) {
    const o = parseListOptions(q(`watch=true${rv}`), LIST);
    assert.equal(o.watch, true);
    assert.equal(o.sendInitialEvents, true);
    assert.equal(o.resourceVersionMatch, 'NotOlderThan');
  }
  const fromRv = parseListOptions(q('watch=1&resourceVersion=42&allowWatchBookmarks=true&timeoutSeconds=540'), LIST);
  assert.equal('sendInitialEvents' in fromRv, false);
  assert.equal(fromRv.resourceVersionMatch, '');
  assert.equal(fromRv.allowWatchBookmarks, true);
  assert.equal(fromRv.timeoutSeconds, 540);
  const explicit = parseListOptions(q('watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan'), LIST);
  assert.equal(explicit.sendInitialEvents, false);
  const streaming = parseListOptions(
    q('watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=5&allowWatchBookmarks=true'),
    LIST,
  );
  assert.equal(streaming.sendInitialEvents, true);
});

test('parseListOptions: watch validation errors (422)', () => {
  const cases: [string, string][] = [
    [
      'watch=true&sendInitialEvents=true',
      'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    ],
    [
      'watch=true&resourceVersion=5&resourceVersionMatch=NotOlderThan',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    ],
    [
      'watch=true&sendInitialEvents=true&resourceVersionMatch=Exact',
      '[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, ' +
        'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
    ],
    [
      'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&continue=123',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
    ],
    // Defaulting sets the match for a watch from "now", so a stray continue trips the same rule.
    ['watch=true&continue=123', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided'],
  ];
  for (const [query, detail] of cases) assertInvalid(() => parseListOptions(q(query), LIST), detail);
});

test('parseListOptions: legacy /watch/ path forces a watch but validates like kube (by the watch parameter)', () => {
  const o = parseListOptions(q('resourceVersion=3'), { watch: true });
  assert.equal(o.watch, true);
  assert.equal('sendInitialEvents' in o, false);
  assertInvalid(
    () => parseListOptions(q('sendInitialEvents=true'), { watch: true }),
    'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
  );
  // continue is meaningless for watches: no token decoding, no resourceVersion conflict.
  assert.equal(parseListOptions(q('continue=%%%&resourceVersion=9'), { watch: true, keyPrefix: PREFIX }).continueToken, undefined);
});

test('parseListOptions: decoding errors are 400 and come before validation', () => {
  const cases: [string, string][] = [
    ['limit=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['limit=', 'strconv.ParseInt: parsing "": invalid syntax'],
    ['timeoutSeconds=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    // timeoutSeconds is converted before limit, numbers before selectors, labels before fields.
    ['limit=x&timeoutSeconds=y', 'strconv.ParseInt: parsing "y": invalid syntax'],
    ['labelSelector=a%20b&limit=x', 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['labelSelector=a%20b&fieldSelector=bad', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['fieldSelector=bad&resourceVersionMatch=X', "invalid selector: 'bad'; can't understand 'bad'"],
    ['labelSelector=x%3D-a&sendInitialEvents=1', `unable to parse requirement: values[0][x]: Invalid value: "-a": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`],
  ];
  for (const [query, message] of cases) assertBadRequest(() => parseListOptions(q(query), LIST), message);
});

test('parseListOptions: field selector fields are checked after validation', () => {
  const ctx: ListRequestContext = { watch: false, fieldSelectors: { allowed: ['spec.dockerImageRepository'] } };
  assert.equal(parseListOptions(q('fieldSelector=spec.dockerImageRepository%3Dx'), ctx).fieldSelector.exactMatch('spec.dockerImageRepository'), 'x');
  assertBadRequest(
    () => parseListOptions(q('fieldSelector=spec.foo%3Dx'), ctx),
    '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
  assertInvalid(
    () => parseListOptions(q('fieldSelector=spec.foo%3Dx&sendInitialEvents=1'), ctx),
    'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
  );
  assertBadRequest(
    () => parseListOptions(q('fieldSelector=metadata.namespace%3Dx'), { watch: false, fieldSelectors: { allowed: [], crd: true } }),
    'field label not supported: metadata.namespace',
  );
});

test('parseListOptions: continue tokens and resourceVersion (storage checks, 400)', () => {
  const token = encodeContinue(77, `${PREFIX}ns/b\u0000`, PREFIX);
  const o = parseListOptions(q(`limit=2&continue=${token}`), { watch: false, keyPrefix: PREFIX });
  assert.deepEqual(o.continueToken, { rv: 77, startKey: `${PREFIX}ns/b\u0000` });
  assert.equal(o.continue, token);
  assert.deepEqual(parseListOptions(q(`continue=${token}&resourceVersion=0`), { watch: false, keyPrefix: PREFIX }).continueToken, {
    rv: 77,
    startKey: `${PREFIX}ns/b\u0000`,
  });
  // Without a key prefix the token is left for the caller to decode.
  assert.equal(parseListOptions(q(`continue=${token}`), LIST).continueToken, undefined);

  assertBadRequest(
    () => parseListOptions(q(`continue=${token}&resourceVersion=5`), { watch: false, keyPrefix: PREFIX }),
    'specifying resource version is not allowed when using continue',
  );
  assertBadRequest(
    () => parseListOptions(q(`continue=${token}&resourceVersion=abc`), LIST),
    'specifying resource version is not allowed when using continue',
  );
  // The token is decoded before the resourceVersion conflict is looked at.
  assertBadRequest(
    () => parseListOptions(q('continue=abc!&resourceVersion=5'), { watch: false, keyPrefix: PREFIX }),
    'invalid continue token: continue key is not valid: illegal base64 data at input byte 3',
  );
  // Validation (422) comes before any storage check.
  assertInvalid(
    () => parseListOptions(q('continue=abc!&resourceVersion=5&resourceVersionMatch=Exact'), { watch: false, keyPrefix: PREFIX }),
    'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
  );
});

test('parseListOptions: non-numeric resourceVersion is a 400', () => {
  for (const ctx of [LIST, { watch: true }]) {
    assertBadRequest(
      () => parseListOptions(q('resourceVersion=abc'), ctx),
      'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
    );
  }
  assertBadRequest(
    () => parseListOptions(q('watch=1&resourceVersion=-1'), LIST),
    'invalid resource version: resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax',
  );
  assert.equal(parseListOptions(q('resourceVersion=18446744073709551615'), LIST).resourceVersion, '18446744073709551615');
});
