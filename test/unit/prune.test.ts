import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { duplicatesOutsideUnknown, pruneUnknownFields } from '../../src/machinery/prune.js';
import { typeMetaProperties } from '../../src/apis/meta/v1/object-meta.js';

const TagSchema = Type.Object({
  name: Type.String(),
  from: Type.Union([Type.Object({ kind: Type.String(), name: Type.String() }), Type.Null()]),
  annotations: Type.Record(Type.String(), Type.String()),
});

const ThingSchema = Type.Object({
  ...typeMetaProperties(),
  spec: Type.Object({
    replicas: Type.Integer(),
    tags: Type.Array(TagSchema),
    byName: Type.Record(Type.String(), Type.Object({ value: Type.String() })),
    anything: Type.Unknown(),
    free: Type.Object({}, { additionalProperties: true }),
    loose: Type.Object({ known: Type.Object({ x: Type.String() }) }, { 'x-kubernetes-preserve-unknown-fields': true }),
    list: Type.Array(Type.Unknown()),
    untypedList: Type.Object({ items: Type.Array(Type.Any()) }),
  }),
  status: Type.Optional(Type.Object({ phase: Type.String() })),
});

test('pruneUnknownFields deletes undeclared fields and returns their kube paths in document order', () => {
  const obj = {
    apiVersion: 'v1',
    kind: 'Thing',
    extra: 1,
    metadata: { name: 'a', foo: 'x', labels: { app: 'web' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} }, bogus: 1 }] },
    spec: {
      replicas: 1,
      foo: { deep: true },
      tags: [
        { name: 't0', from: { kind: 'DockerImage', name: 'x', extra: 1 }, annotations: { a: 'b' } },
        { name: 't1', from: null, unknown: 'u' },
      ],
    },
    Spec: {},
  };
  const pruned = pruneUnknownFields(obj, ThingSchema);
  assert.deepEqual(pruned, [
    'extra',
    'metadata.foo',
    'metadata.managedFields[0].bogus',
    'spec.foo',
    'spec.tags[0].from.extra',
    'spec.tags[1].unknown',
    'Spec',
  ]);
  assert.deepEqual(obj, {
    apiVersion: 'v1',
    kind: 'Thing',
    metadata: { name: 'a', labels: { app: 'web' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
    spec: {
      replicas: 1,
      tags: [
        { name: 't0', from: { kind: 'DockerImage', name: 'x' }, annotations: { a: 'b' } },
        { name: 't1', from: null },
      ],
    },
  });
});

test('pruneUnknownFields follows map values, keeps free-form and preserve-unknown-fields subtrees', () => {
  const obj = {
    spec: {
      byName: { first: { value: 'v', junk: 1 }, 'dotted.key': { value: 'w' } },
      anything: { whatever: { nested: [1, { a: 2 }] } },
      free: { any: { thing: 1 } },
      loose: { undeclared: { kept: true }, known: { x: 'y', dropped: 1 } },
      list: [{ a: 1 }, 'x'],
      untypedList: { items: [{ b: 1 }] },
    },
  };
  assert.deepEqual(pruneUnknownFields(obj, ThingSchema), ['spec.byName.first.junk', 'spec.loose.known.dropped']);
  assert.deepEqual(obj.spec.byName.first, { value: 'v' });
  assert.deepEqual(obj.spec.anything, { whatever: { nested: [1, { a: 2 }] } });
  assert.deepEqual(obj.spec.free, { any: { thing: 1 } });
  assert.deepEqual(obj.spec.loose, { undeclared: { kept: true }, known: { x: 'y' } });
  assert.deepEqual(obj.spec.list, [{ a: 1 }, 'x']);
});

test('pruneUnknownFields matches property names case-sensitively and handles own __proto__ keys', () => {
  const obj = JSON.parse('{"metadata":{"Name":"a","__proto__":{"x":1}},"spec":{"Replicas":2}}');
  assert.deepEqual(pruneUnknownFields(obj, ThingSchema), ['metadata.Name', 'metadata.__proto__', 'spec.Replicas']);
  assert.deepEqual(Object.keys(obj.metadata), []);
  assert.equal(Object.getPrototypeOf(obj.metadata), Object.prototype);
});

test('pruneUnknownFields leaves values of the wrong type for validation to report', () => {
  const obj = { spec: { replicas: { nested: 1 }, tags: { not: 'a list' } }, status: 'text' };
  assert.deepEqual(pruneUnknownFields(obj, ThingSchema), []);
  assert.deepEqual(obj, { spec: { replicas: { nested: 1 }, tags: { not: 'a list' } }, status: 'text' });
});

test('pruneUnknownFields treats allOf as the union of declared properties and follows $ref', () => {
  const Named = Type.Object({ name: Type.String() }, { $id: 'Named' });
  const schema = Type.Object({
    both: Type.Intersect([Type.Object({ a: Type.String() }), Type.Object({ b: Type.String() })]),
    ref: Type.Ref(Named),
    local: Type.Unsafe({ $ref: '#/definitions/Local' }),
    dangling: Type.Unsafe({ $ref: 'Nowhere' }),
    defs: Type.Optional(Named),
  });
  const withDefs = { ...schema, definitions: { Local: Type.Object({ l: Type.String() }) } };
  const obj = {
    both: { a: '1', b: '2', c: '3' },
    ref: { name: 'n', other: 1 },
    local: { l: 'x', m: 'y' },
    dangling: { kept: true },
  };
  assert.deepEqual(pruneUnknownFields(obj, withDefs), ['both.c', 'ref.other', 'local.m']);
  assert.deepEqual(obj, { both: { a: '1', b: '2' }, ref: { name: 'n' }, local: { l: 'x' }, dangling: { kept: true } });
});

test('pruneUnknownFields chooses union branches by the value type', () => {
  const schema = Type.Object({
    v: Type.Union([Type.String(), Type.Object({ a: Type.String() }), Type.Array(Type.Object({ b: Type.String() }))]),
  });
  const asObject = { v: { a: 'x', z: 1 } };
  assert.deepEqual(pruneUnknownFields(asObject, schema), ['v.z']);
  const asArray = { v: [{ b: 'y', z: 1 }] };
  assert.deepEqual(pruneUnknownFields(asArray, schema), ['v[0].z']);
  assert.deepEqual(pruneUnknownFields({ v: 'plain' }, schema), []);
});

test('pruneUnknownFields on a non-object or an empty object prunes nothing', () => {
  assert.deepEqual(pruneUnknownFields(null, ThingSchema), []);
  assert.deepEqual(pruneUnknownFields('x', ThingSchema), []);
  assert.deepEqual(pruneUnknownFields({}, ThingSchema), []);
});

test('duplicatesOutsideUnknown drops duplicates at or under unknown fields, as typed decoding does', () => {
  const duplicates = ['spec.unknownDupe', 'spec.paused', 'spec.extra.x', 'spec.extraList[0].y', 'spec.extraneous'];
  const unknown = ['spec.unknownDupe', 'spec.extra', 'spec.extraList'];
  assert.deepEqual(duplicatesOutsideUnknown(duplicates, unknown), ['spec.paused', 'spec.extraneous']);
});
