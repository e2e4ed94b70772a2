import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../src/machinery/errors.js';
import {
  applyJSONPatch,
  jsonPatchDecodeError,
  jsonPatchUnknownFieldMessage,
  jsonPatchUnknownFields,
  MAX_JSON_PATCH_OPERATIONS,
} from '../../src/machinery/patch/json-patch.js';

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a StatusError');
}

const REJECTED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server rejected our request due to an error in our request',
  reason: 'Invalid',
  details: {},
  code: 422,
};

function assertRejected(doc: unknown, ops: unknown) {
  assert.deepEqual(statusOf(() => applyJSONPatch(doc, ops)).status, REJECTED, JSON.stringify(ops));
}

// RFC 6902 Appendix A examples that succeed.
const RFC_6902_EXAMPLES: [unknown, unknown[], unknown][] = [
  [{ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
  [{ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
  [{ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
  [{ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
  [{ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
  [
    { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  ],
  [{ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
  [
    { baz: 'qux', foo: ['a', 2, 'c'] },
    [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ],
    { baz: 'qux', foo: ['a', 2, 'c'] },
  ],
  [{ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
  [{ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
  [{ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
  [{ 'a/b': 1 }, [{ op: 'copy', from: '/a~1b', path: '/c' }], { 'a/b': 1, c: 1 }],
];

test('applyJSONPatch applies the RFC 6902 examples', () => {
  for (const [doc, ops, expected] of RFC_6902_EXAMPLES) {
    assert.deepEqual(applyJSONPatch(doc, ops), expected, JSON.stringify(ops));
  }
});

test('applyJSONPatch leaves the document and the patch untouched', () => {
  const doc = { metadata: { labels: { a: '1' } }, spec: { tags: [{ name: 'x' }] } };
  const ops = [
    { op: 'add', path: '/metadata/labels/b', value: { nested: true } },
    { op: 'remove', path: '/spec/tags/0' },
  ];
  const before = structuredClone({ doc, ops });
  const result = applyJSONPatch(doc, ops) as { metadata: { labels: { b: { nested: boolean } } } };
  assert.deepEqual({ doc, ops }, before);
  assert.deepEqual(result, { metadata: { labels: { a: '1', b: { nested: true } } }, spec: { tags: [] } });
  result.metadata.labels.b.nested = false;
  assert.equal(ops[0].value?.nested, true);
});

test('applyJSONPatch answers 422 Invalid with kube\'s fixed message for any failing operation', () => {
  const doc = { metadata: { name: 'a' }, spec: { tags: ['x', 'y'] } };
  const failing: unknown[][] = [
    [{ op: 'remove', path: '/spec/missing' }],
    [{ op: 'add', path: '/missing/child', value: 1 }],
    [{ op: 'replace', path: '/spec/tags/5', value: 1 }],
    [{ op: 'add', path: '/spec/tags/3', value: 1 }],
    [{ op: 'add', path: '/spec/tags/x', value: 1 }],
    [{ op: 'remove', path: '/spec/tags/-3' }],
    [{ op: 'test', path: '/metadata/name', value: 'b' }],
    [{ op: 'test', path: '/metadata/name' }],
    [{ op: 'test', path: '/metadata/missing', value: 'b' }],
    [{ op: 'frobnicate', path: '/a' }],
    [{ path: '/a', value: 1 }],
    [{ op: 5, path: '/a' }],
    [null],
    [{ op: 'add', value: 1 }],
    [{ op: 'add', path: 5, value: 1 }],
    [{ op: 'move', path: '/b' }],
    [{ op: 'move', from: '/metadata/missing', path: '/b' }],
    [{ op: 'copy', from: '/spec/tags/9', path: '/b' }],
    [{ op: 'add', path: '', value: {} }],
    [{ op: 'remove', path: '' }],
    [{ op: 'replace', path: '', value: 'scalar' }],
    [{ op: 'add', path: '/metadata/name/deeper', value: 1 }],
    [{ op: 'add', path: '/__proto__/polluted', value: true }],
    [
      { op: 'add', path: '/ok', value: 1 },
      { op: 'remove', path: '/nope' },
    ],
  ];
  for (const ops of failing) assertRejected(doc, ops);
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
});

test('applyJSONPatch follows evanphx/json-patch v4 where it is laxer than RFC 6902', () => {
  const doc = { metadata: { labels: { a: '1' } }, spec: { tags: ['x', 'y', 'z'] } };
  // Negative indices count from the end.
  assert.deepEqual(applyJSONPatch(doc, [{ op: 'replace', path: '/spec/tags/-1', value: 'Z' }]), {
    ...doc,
    spec: { tags: ['x', 'y', 'Z'] },
  });
  assert.deepEqual(applyJSONPatch(doc, [{ op: 'remove', path: '/spec/tags/-3' }]), { ...doc, spec: { tags: ['y', 'z'] } });
  assert.deepEqual(applyJSONPatch(doc, [{ op: 'add', path: '/spec/tags/-1', value: 'w' }]), {
    ...doc,
    spec: { tags: ['x', 'y', 'z', 'w'] },
  });
  // `replace` of a missing object member adds it.
  assert.deepEqual(applyJSONPatch(doc, [{ op: 'replace', path: '/metadata/labels/b', value: '2' }]), {
    ...doc,
    metadata: { labels: { a: '1', b: '2' } },
  });
  // A missing `value` is null.
  assert.deepEqual(applyJSONPatch({ a: 1 }, [{ op: 'add', path: '/b' }]), { a: 1, b: null });
  // `test` of a missing or null member passes for a null or missing value.
  assert.deepEqual(applyJSONPatch({ a: null }, [{ op: 'test', path: '/a', value: null }, { op: 'test', path: '/b' }]), { a: null });
  // `copy` from a missing object member copies null.
  assert.deepEqual(applyJSONPatch({ a: 1 }, [{ op: 'copy', from: '/nope', path: '/b' }]), { a: 1, b: null });
  // `replace` at the root swaps the whole document.
  assert.deepEqual(applyJSONPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  assert.deepEqual(applyJSONPatch({ a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }]), { a: 1 });
});

test('applyJSONPatch handles keys named like Object.prototype members as plain keys', () => {
  const doc = JSON.parse('{"metadata":{"labels":{}}}');
  const result = applyJSONPatch(doc, [
    { op: 'add', path: '/metadata/labels/constructor', value: 'x' },
    { op: 'add', path: '/metadata/labels/toString', value: 'y' },
  ]) as { metadata: { labels: Record<string, unknown> } };
  assert.deepEqual(Object.keys(result.metadata.labels), ['constructor', 'toString']);
  assert.equal(result.metadata.labels.constructor, 'x');
  // Inherited members do not exist for remove.
  assertRejected(doc, [{ op: 'remove', path: '/metadata/labels/toString' }]);
});

test('applyJSONPatch rejects a patch document that is not a list of operations with DecodePatch\'s 400', () => {
  const cases: [unknown, string][] = [
    [{ op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['add', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    [7, 'json: cannot unmarshal number into Go value of type jsonpatch.Patch'],
    [true, 'json: cannot unmarshal bool into Go value of type jsonpatch.Patch'],
    [[{ op: 'add', path: '/a', value: 1 }, 1], 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
    [[['nested']], 'json: cannot unmarshal array into Go value of type jsonpatch.Operation'],
  ];
  for (const [ops, message] of cases) {
    const err = statusOf(() => applyJSONPatch({}, ops));
    assert.deepEqual(err.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'BadRequest',
      code: 400,
    });
  }
  // A JSON null decodes to an empty patch upstream.
  assert.deepEqual(applyJSONPatch({ a: 1 }, null), { a: 1 });
});

test('applyJSONPatch allows 10000 operations and answers 413 above', () => {
  const ops = (n: number) => Array.from({ length: n }, () => ({ op: 'test', path: '/a', value: 1 }));
  assert.equal(MAX_JSON_PATCH_OPERATIONS, 10000);
  assert.deepEqual(applyJSONPatch({ a: 1 }, ops(10000)), { a: 1 });
  const err = statusOf(() => applyJSONPatch({ a: 1 }, ops(10001)));
  assert.equal(err.code, 413);
  assert.equal(err.reason, 'RequestEntityTooLarge');
  assert.equal(err.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  // The document shape is checked before the count.
  assert.equal(statusOf(() => applyJSONPatch({}, [...ops(10001), 5])).code, 400);
});

test('applyJSONPatch limits the bytes copy operations add, like JSONPatchMaxCopyBytes', () => {
  const big = 'x'.repeat(1024 * 1024);
  const copy = (to: string) => ({ op: 'copy', from: '/big', path: to });
  assert.doesNotThrow(() => applyJSONPatch({ big }, [copy('/c1'), copy('/c2')]));
  assertRejected({ big }, [copy('/c1'), copy('/c2'), copy('/c3')]);
});

test('jsonPatchUnknownFields finds unknown operation keys and kube words them as json patch strict errors', () => {
  const ops = [
    { op: 'add', path: '/a', valu: 1 },
    { op: 'remove', path: '/b' },
    { Op: 'test', path: '/c', value: 1, 'we"ird': 1 },
  ];
  const unknown = jsonPatchUnknownFields(ops);
  assert.deepEqual(unknown, ['[0].valu', '[2].Op', '[2].we"ird']);
  assert.deepEqual(unknown.map(jsonPatchUnknownFieldMessage), [
    'json patch unknown field "[0].valu"',
    'json patch unknown field "[2].Op"',
    'json patch unknown field "[2].we\\"ird"',
  ]);
  assert.deepEqual(jsonPatchUnknownFields({ op: 'add' }), []);
  assert.deepEqual(jsonPatchUnknownFields([null, 1, { op: 'add', path: '/a', from: '', value: 1 }]), []);
});

test('jsonPatchDecodeError gives the 400 kube sends when the patch does not decode into []jsonPatchOp', () => {
  const cases: [unknown, string][] = [
    [{ op: 'add' }, 'json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
    ['x', 'json: cannot unmarshal string into Go value of type []handlers.jsonPatchOp'],
    [[1], 'json: cannot unmarshal number into Go value of type handlers.jsonPatchOp'],
    [[{ op: 'add', path: 5 }], 'json: cannot unmarshal number into Go struct field jsonPatchOp.path of type string'],
    [[{ op: true }], 'json: cannot unmarshal bool into Go struct field jsonPatchOp.op of type string'],
    [[{ op: 'copy', from: {} }], 'json: cannot unmarshal object into Go struct field jsonPatchOp.from of type string'],
  ];
  for (const [ops, message] of cases) {
    const err = jsonPatchDecodeError(ops);
    assert.ok(err);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    assert.equal(err.message, `error decoding patch: ${message}`);
  }
  assert.equal(jsonPatchDecodeError(null), undefined);
  assert.equal(jsonPatchDecodeError([null, { op: 'add', path: '/a', from: null, value: { any: 1 }, extra: 1 }]), undefined);
});
