// Strategic merge patch, table-driven after k8s.io/apimachinery pkg/util/strategicpatch/patch_test.go:
// the MergeItem test type as a JSON Schema, every directive, orderings and upstream's errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { StatusError } from '../../src/machinery/errors.js';
import {
  applyStrategicMergePatch,
  formatGoValue,
  strategicMergeWithRemainder,
} from '../../src/machinery/patch/strategic-merge-patch.js';

const ref = { $ref: '#' };
const mergingList = (extra: Record<string, unknown> = {}) => ({
  type: 'array',
  items: ref,
  'x-kubernetes-patch-strategy': 'merge',
  'x-kubernetes-patch-merge-key': 'name',
  ...extra,
});

/** upstream's MergeItem / RetainKeysMergeItem, as the schemas under schemas/ are written. */
const MERGE_ITEM = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    value: { type: 'string' },
    other: { type: 'string' },
    mergingList: mergingList(),
    nonMergingList: { type: 'array', items: ref },
    mergingIntList: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' },
    nonMergingIntList: { type: 'array', items: { type: 'integer' } },
    simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
    labels: { type: 'object', patternProperties: { '^(.*)$': { type: 'string' } } },
    replacingItem: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-patch-strategy': 'replace' },
    retainKeysMap: {
      type: 'object',
      'x-kubernetes-patch-strategy': 'retainKeys',
      properties: {
        name: { type: 'string' },
        value: { type: 'string' },
        other: { type: 'string' },
        simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
        mergingIntList: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' },
      },
    },
    retainKeysMergingList: mergingList({ 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
    // TypeBox's shape for an optional nullable list: the markers beside an anyOf.
    nullableMergingList: {
      anyOf: [{ type: 'array', items: ref }, { type: 'null' }],
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
    },
    badStrategyList: mergingList({ 'x-kubernetes-patch-strategy': 'merge,replace' }),
  },
};

interface Case {
  name: string;
  original: Record<string, unknown>;
  patch: unknown;
  result: unknown;
}

const cases: Case[] = [
  // ---- maps
  { name: 'nil original', original: {}, patch: { name: '1', value: '1' }, result: { name: '1', value: '1' } },
  { name: 'nil patch', original: { name: '1' }, patch: null, result: { name: '1' } },
  { name: 'add field to map', original: { name: '1' }, patch: { value: '1' }, result: { name: '1', value: '1' } },
  { name: 'add field and delete field', original: { name: '1' }, patch: { name: null, value: '1' }, result: { value: '1' } },
  { name: 'null for an absent field is ignored', original: { name: '1' }, patch: { other: null }, result: { name: '1' } },
  {
    name: 'delete field from nested map',
    original: { simpleMap: { key1: '1', key2: '1' } },
    patch: { simpleMap: { key2: null } },
    result: { simpleMap: { key1: '1' } },
  },
  {
    name: 'map keys matched by patternProperties merge',
    original: { labels: { a: '1', b: '2' } },
    patch: { labels: { a: null, c: '3' } },
    result: { labels: { b: '2', c: '3' } },
  },
  {
    name: '$patch: delete empties a nested map',
    original: { simpleMap: { key1: '1', key2: '1' } },
    patch: { simpleMap: { $patch: 'delete' } },
    result: { simpleMap: {} },
  },
  { name: '$patch: replace at the top', original: { name: '1', value: '1' }, patch: { $patch: 'replace' }, result: {} },
  {
    name: 'add key and replace all keys',
    original: { name: '1', value: '1' },
    patch: { other: 'a', $patch: 'replace' },
    result: { other: 'a' },
  },
  {
    name: '$patch: merge is an unknown map directive (500)',
    original: { simpleMap: { a: 'b' } },
    patch: { simpleMap: { $patch: 'merge' } },
    result: { code: 500, message: 'unknown patch type: merge in map: map[$patch:merge]' },
  },
  {
    name: 'a replace-strategy map is replaced wholesale',
    original: { replacingItem: { a: 1, b: { c: 2 } } },
    patch: { replacingItem: { b: { d: 3 } } },
    result: { replacingItem: { b: { d: 3 } } },
  },
  {
    name: 'a new map keeps no nulls',
    original: {},
    patch: { simpleMap: { a: null, b: 'x' } },
    result: { simpleMap: { b: 'x' } },
  },
  {
    name: 'a new value loses its $patch maps, and one that is a $patch map is not added',
    original: {},
    patch: { mergingList: [{ name: '1', $patch: 'delete' }, { name: '2' }], simpleMap: { $patch: 'replace', a: 'b' } },
    result: { mergingList: [{ name: '2' }] },
  },
  {
    name: 'a value of another type replaces',
    original: { simpleMap: { a: 'b' } },
    patch: { simpleMap: 'x' },
    result: { simpleMap: 'x' },
  },
  {
    name: 'undeclared fields merge as plain maps and replace as plain lists',
    original: { unknownMap: { a: 1, b: 2 }, unknownList: [{ name: 'x' }] },
    patch: { unknownMap: { b: null, c: 3 }, unknownList: [{ name: 'y' }] },
    result: { unknownMap: { a: 1, c: 3 }, unknownList: [{ name: 'y' }] },
  },

  // ---- lists without a merge strategy
  {
    name: 'replace list of scalars',
    original: { nonMergingIntList: [1, 2] },
    patch: { nonMergingIntList: [2, 3] },
    result: { nonMergingIntList: [2, 3] },
  },
  {
    name: 'replace list of maps',
    original: { nonMergingList: [{ name: '1', value: 'a' }] },
    patch: { nonMergingList: [{ name: '2' }] },
    result: { nonMergingList: [{ name: '2' }] },
  },

  // ---- merging lists of scalars
  {
    name: 'unique scalars when merging lists',
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: [2, 3] },
    result: { mergingIntList: [1, 2, 3] },
  },
  {
    name: 'preserve the order from the patch in a merging int list',
    original: { mergingIntList: [1, 2, 3] },
    patch: { mergingIntList: [3, 1] },
    result: { mergingIntList: [2, 3, 1] },
  },
  {
    name: 'a new scalar goes before the server-only ones without $setElementOrder',
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: [3] },
    result: { mergingIntList: [3, 1, 2] },
  },
  {
    name: '$deleteFromPrimitiveList deletes every copy',
    original: { mergingIntList: [1, 2, 3, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'add and delete items in lists of scalars',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: '$deleteFromPrimitiveList of an absent list adds nothing',
    original: { name: 'a' },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [1] },
    result: { name: 'a' },
  },
  {
    name: '$setElementOrder with an item missing from the int list',
    original: { mergingIntList: [1, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 2, 1] },
    result: { mergingIntList: [3, 1] },
  },

  // ---- merging lists of maps
  {
    name: 'merge lists of maps with $setElementOrder',
    original: { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
      mergingList: [{ name: '4', value: '4' }, { name: '3', value: '3' }],
    },
    result: {
      mergingList: [
        { name: '4', value: '4' },
        { name: '1', other: 'a' },
        { name: '2', value: '2', other: 'b' },
        { name: '3', value: '3' },
      ],
    },
  },
  {
    name: 'add field to map in merging list',
    original: { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }], mergingList: [{ name: '1', value: '1' }] },
    result: { mergingList: [{ name: '1', other: 'a', value: '1' }, { name: '2', value: '2', other: 'b' }] },
  },
  {
    name: 'a new item goes first without $setElementOrder',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ name: '3' }] },
    result: { mergingList: [{ name: '3' }, { name: '1' }, { name: '2' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list',
    original: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
    patch: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }] },
    result: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', value: 'b', other: 'x' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list 2',
    original: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
    patch: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] },
    result: { mergingList: [{ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }] },
  },
  {
    name: '$setElementOrder with an item missing from the list',
    original: { mergingList: [{ name: '1' }, { name: '3' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: '3' }, { name: '2' }, { name: '1' }],
      mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }],
    },
    result: { mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] },
  },
  {
    name: '$setElementOrder alone reorders',
    original: { mergingList: [{ name: '1' }, { name: '2' }, { name: '3' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '3' }, { name: '1' }, { name: '2' }] },
    result: { mergingList: [{ name: '3' }, { name: '1' }, { name: '2' }] },
  },
  {
    name: 'nested merging lists merge by key too',
    original: { mergingList: [{ name: '1', mergingList: [{ name: 'a', value: 'x' }] }] },
    patch: { mergingList: [{ name: '1', mergingList: [{ name: 'a', other: 'y' }] }] },
    result: { mergingList: [{ name: '1', mergingList: [{ name: 'a', value: 'x', other: 'y' }] }] },
  },
  {
    name: 'a nullable (anyOf) merging list merges by key',
    original: { nullableMergingList: [{ name: '1', value: 'a' }, { name: '2' }] },
    patch: { nullableMergingList: [{ name: '1', other: 'b' }] },
    result: { nullableMergingList: [{ name: '1', value: 'a', other: 'b' }, { name: '2' }] },
  },
  {
    name: '$patch: delete removes an item',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ name: '1', $patch: 'delete' }] },
    result: { mergingList: [{ name: '2' }] },
  },
  {
    name: '$patch: delete removes every item with the key',
    original: { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }] },
    patch: { mergingList: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] },
    result: { mergingList: [{ name: '2', value: 'a' }] },
  },
  {
    name: 'delete all items from merging list with $patch: replace',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ $patch: 'replace' }] },
    result: { mergingList: [] },
  },
  {
    name: '$patch: replace keeps the other items of the patch list',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ name: '3', value: 'c' }, { $patch: 'replace' }] },
    result: { mergingList: [{ name: '3', value: 'c' }] },
  },
  { name: 'merge empty merging lists', original: { mergingList: [] }, patch: { mergingList: [] }, result: { mergingList: [] } },

  // ---- $retainKeys
  {
    name: '$retainKeys drops unlisted keys of the original',
    original: { retainKeysMap: { name: 'foo', value: 'a', other: 'b' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'c' } },
    result: { retainKeysMap: { name: 'foo', value: 'c' } },
  },
  {
    name: 'retainKeys map can change a field when no retainKeys directive present',
    original: { retainKeysMap: { name: 'foo', value: 'a' } },
    patch: { retainKeysMap: { value: 'b' } },
    result: { retainKeysMap: { name: 'foo', value: 'b' } },
  },
  {
    name: '$retainKeys in the items of a merging list',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'b' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', $retainKeys: ['name', 'other'], other: 'c' }] },
    result: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', other: 'c' }] },
  },
  {
    name: '$retainKeys ignores deletions and directives when checking the patch',
    original: { retainKeysMap: { name: 'foo', value: 'a', mergingIntList: [1, 2] } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'mergingIntList'], value: null, '$deleteFromPrimitiveList/mergingIntList': [1] } },
    result: { retainKeysMap: { name: 'foo', mergingIntList: [2] } },
  },

  // ---- errors: codes and texts as kube-apiserver answers them
  {
    name: 'missing merge key',
    original: { mergingList: [{ name: '1', value: 'a' }] },
    patch: { mergingList: [{ value: 'b' }] },
    result: { code: 500, message: 'map: map[value:b] does not contain declared merge key: name' },
  },
  {
    name: '$patch: delete without the merge key',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ $patch: 'delete', value: 'b' }] },
    result: { code: 500, message: 'map: map[$patch:delete value:b] does not contain declared merge key: name' },
  },
  {
    name: '$patch: merge in a list',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ name: '1', $patch: 'merge' }] },
    result: { code: 500, message: 'merging lists cannot yet be specified in the patch' },
  },
  {
    name: 'an unknown $patch in a list item',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ name: '1', $patch: 7 }] },
    result: { code: 500, message: 'unknown patch type: %!s(int64=7) in map: map[$patch:7 name:1]' },
  },
  {
    name: 'lists of lists are not supported',
    original: { mergingIntList: [] },
    patch: { mergingIntList: [[1]] },
    result: { code: 422, message: 'the server rejected our request due to an error in our request' },
  },
  {
    name: 'list element types must match',
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: ['x'] },
    result: { code: 500, message: 'list element types are not identical: [[1 2] [x]]' },
  },
  {
    name: 'a deletion list on a list of maps without merge key',
    original: { nonMergingList: [{ name: '1' }] },
    patch: { '$deleteFromPrimitiveList/nonMergingList': [{ name: '1' }] },
    result: { code: 500, message: 'cannot merge lists without merge key for struct' },
  },
  {
    name: '$deleteFromPrimitiveList without a field',
    original: { mergingIntList: [1] },
    patch: { $deleteFromPrimitiveList: [1] },
    result: { code: 400, message: 'invalid patch format of primitive list' },
  },
  {
    name: '$setElementOrder without a field',
    original: { mergingIntList: [1] },
    patch: { $setElementOrder: [1] },
    result: { code: 400, message: 'invalid patch format of setElementOrder list' },
  },
  {
    name: '$setElementOrder that is not a list',
    original: { mergingIntList: [1] },
    patch: { '$setElementOrder/mergingIntList': 'x' },
    result: { code: 500, message: 'expected a []interface {}, but received a string' },
  },
  {
    name: '$setElementOrder for a field that is not a list',
    original: { name: 'x' },
    patch: { '$setElementOrder/name': ['x'] },
    result: { code: 500, message: 'expected a []interface {}, but received a string' },
  },
  {
    name: 'patch list out of $setElementOrder order',
    original: { mergingList: [{ name: '1' }, { name: '3' }, { name: '2' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }, { name: '3' }],
      mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }],
    },
    result: {
      code: 500,
      message:
        'The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn\'t match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n',
    },
  },
  {
    name: '$retainKeys that is not a list',
    original: { retainKeysMap: { name: 'foo' } },
    patch: { retainKeysMap: { $retainKeys: 'name' } },
    result: { code: 400, message: 'invalid patch format of retainKeys' },
  },
  {
    name: 'patch content outside $retainKeys',
    original: { retainKeysMap: { name: 'foo' } },
    patch: { retainKeysMap: { $retainKeys: ['name'], value: 'a' } },
    result: { code: 400, message: 'invalid patch format of retainKeys' },
  },
  {
    name: 'an unexpected patch strategy',
    original: { badStrategyList: [{ name: '1' }] },
    patch: { badStrategyList: [{ name: '2' }] },
    result: { code: 500, message: 'unexpected patch strategy: [merge replace]' },
  },
];

describe('applyStrategicMergePatch', () => {
  for (const c of cases) {
    test(c.name, () => {
      const original = structuredClone(c.original);
      const patch = structuredClone(c.patch);
      const expected = c.result as { code?: number; message?: string };
      if (typeof expected.code === 'number' && Object.keys(expected).length === 2 && 'message' in expected) {
        assert.throws(
          () => applyStrategicMergePatch(original, patch, MERGE_ITEM),
          (err: unknown) => {
            assert.ok(err instanceof StatusError);
            assert.equal(err.code, expected.code);
            assert.equal(err.message, expected.message);
            return true;
          },
        );
      } else {
        assert.deepEqual(applyStrategicMergePatch(original, patch, MERGE_ITEM), c.result);
      }
      // Neither input is touched, whatever happened.
      assert.deepEqual(original, c.original);
      assert.deepEqual(patch, c.patch);
    });
  }
});

describe('long lists', () => {
  // Beyond 20 items Go's stable sort switches from insertion sort to merging sorted blocks.
  const names = Array.from({ length: 45 }, (_, i) => `n${String(i).padStart(2, '0')}`);

  test('$setElementOrder orders a list of 45 maps, server-only items woven in by their old positions', () => {
    const original = { mergingList: names.map((name) => ({ name })) };
    const listed = [...names].reverse().filter((_, i) => i % 3 !== 0);
    const out = applyStrategicMergePatch(
      original,
      { '$setElementOrder/mergingList': listed.map((name) => ({ name })), mergingList: [{ name: listed[5], value: 'x' }] },
      MERGE_ITEM,
    ) as { mergingList: { name: string; value?: string }[] };
    const serverOnly = names.filter((n) => !listed.includes(n));
    assert.equal(out.mergingList.length, 45);
    assert.deepEqual(out.mergingList.map((m) => m.name).filter((n) => listed.includes(n)), listed);
    assert.deepEqual(out.mergingList.map((m) => m.name).filter((n) => serverOnly.includes(n)), serverOnly);
    assert.deepEqual(out.mergingList.find((m) => m.name === listed[5]), { name: listed[5], value: 'x' });
  });

  test('the patch order of 45 scalars wins over the original order', () => {
    const ints = Array.from({ length: 45 }, (_, i) => i);
    const reversed = [...ints].reverse();
    assert.deepEqual(applyStrategicMergePatch({ mergingIntList: ints }, { mergingIntList: reversed }, MERGE_ITEM), { mergingIntList: reversed });
  });
});

describe('error statuses', () => {
  const statusOf = (patch: unknown, original: unknown = { mergingIntList: [] }) => {
    try {
      applyStrategicMergePatch(original, patch, MERGE_ITEM);
    } catch (err) {
      return (err as StatusError).status;
    }
    assert.fail('expected an error');
  };

  test('malformed directives are BadRequest', () => {
    const s = statusOf({ $deleteFromPrimitiveList: [] });
    assert.equal(s.reason, 'BadRequest');
    assert.equal(s.code, 400);
  });

  test('lists of lists are a bare 422 Invalid, as NewGenericServerResponse builds it', () => {
    const s = statusOf({ mergingIntList: [[1]] });
    assert.deepEqual(s, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
  });

  test('other errors are 500 with an empty reason', () => {
    const s = statusOf({ mergingList: [{ value: 'b' }] }, { mergingList: [{ name: '1' }] });
    assert.equal(s.code, 500);
    assert.equal(s.reason, undefined);
  });
});

describe('strategicMergeWithRemainder', () => {
  test('leaves the patch as upstream does: directives and ordered lists consumed', () => {
    const { object, remainder } = strategicMergeWithRemainder(
      { mergingList: [{ name: '1' }], retainKeysMap: { name: 'a', value: 'b' } },
      {
        '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }],
        mergingList: [{ name: '2' }],
        retainKeysMap: { $retainKeys: ['name'], name: 'c' },
        simpleMap: { a: null, b: 'x' },
        other: 'o',
      },
      MERGE_ITEM,
    );
    assert.deepEqual(object, { mergingList: [{ name: '1' }, { name: '2' }], retainKeysMap: { name: 'c' }, simpleMap: { b: 'x' }, other: 'o' });
    assert.deepEqual(remainder, { retainKeysMap: { name: 'c' }, simpleMap: { b: 'x' }, other: 'o' });
    assert.equal(formatGoValue(remainder), 'map[other:o retainKeysMap:map[name:c] simpleMap:map[b:x]]');
  });
});

describe('formatGoValue', () => {
  const table: [unknown, string][] = [
    [null, '<nil>'],
    ['s', 's'],
    [true, 'true'],
    [42, '42'],
    [-3, '-3'],
    [1.5, '1.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1234567.5, '1.2345675e+06'],
    [123456.5, '123456.5'],
    [[], '[]'],
    [{}, 'map[]'],
    [{ b: [1, 'x'], a: { c: null } }, 'map[a:map[c:<nil>] b:[1 x]]'],
    [{ 'é': 1, z: 2, A: 3 }, 'map[A:3 z:2 é:1]'],
  ];
  for (const [value, expected] of table) {
    test(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(formatGoValue(value), expected));
  }
});

describe('with the served schemas', () => {
  const load = (group: string, kind: string) => JSON.parse(readFileSync(new URL(`../../schemas/${group}/${kind}.json`, import.meta.url), 'utf8'));

  test('Image signatures merge by name; finalizers form a set', () => {
    const schema = load('image.openshift.io', 'Image');
    const sig = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'atomic', content: 'YQ==', ...extra });
    const original = { metadata: { name: 'i', finalizers: ['a'] }, signatures: [sig('s1'), sig('s2')] };
    const out = applyStrategicMergePatch(
      original,
      {
        metadata: { finalizers: ['b'] },
        '$setElementOrder/signatures': [{ name: 's2' }, { name: 's3' }],
        signatures: [sig('s3'), { name: 's1', $patch: 'delete' }],
      },
      schema,
    );
    assert.deepEqual(out, { metadata: { name: 'i', finalizers: ['b', 'a'] }, signatures: [sig('s2'), sig('s3')] });
  });

  test('ImageStream spec.tags merge by name, status.tags by tag', () => {
    const schema = load('image.openshift.io', 'ImageStream');
    const original = {
      spec: { tags: [{ name: 'a', from: { kind: 'DockerImage', name: 'x:a' } }, { name: 'b' }] },
      status: { tags: [{ tag: 'a', items: [] }] },
    };
    const out = applyStrategicMergePatch(
      original,
      { spec: { tags: [{ name: 'a', annotations: { k: 'v' } }] }, status: { tags: [{ tag: 'b', items: [] }] } },
      schema,
    );
    assert.deepEqual(out, {
      spec: { tags: [{ name: 'a', from: { kind: 'DockerImage', name: 'x:a' }, annotations: { k: 'v' } }, { name: 'b' }] },
      status: { tags: [{ tag: 'b', items: [] }, { tag: 'a', items: [] }] },
    });
  });
});
