import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, ManagedFieldsEntry } from '../../src/machinery/object.js';
import { ObjectMetaSchema } from '../../src/apis/meta/v1/object-meta.js';
import {
  compareObjects,
  difference,
  fieldSet,
  fieldSetFromFieldsV1,
  fieldSetToFieldsV1,
  FieldPathError,
  intersection,
  isResetManagedFields,
  managedFieldsSource,
  recursiveDifference,
  union,
  updateManagedFields,
  type FieldSchema,
  type FieldsV1,
} from '../../src/machinery/managed-fields.js';

// A ConfigMap-like kind: data is a granular map; items a map-list keyed by name; tags a set; args atomic.
const schema: FieldSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: ObjectMetaSchema,
    data: { type: 'object', additionalProperties: { type: 'string' } },
    spec: {
      type: 'object',
      properties: {
        reference: { type: 'string' },
        items: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } },
        },
        ports: {
          type: 'array',
          'x-kubernetes-patch-strategy': 'merge',
          'x-kubernetes-patch-merge-key': 'port',
          items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } },
        },
        pairs: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        args: { type: 'array', items: { type: 'string' } },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
        nested: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

// ---------------------------------------------------------------------------------------------
// FieldsV1 encoding and set algebra

test('FieldsV1 round-trips and keeps "." only where a node is owned and has owned children', () => {
  const fields: FieldsV1 = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
    'f:spec': { '.': {}, 'f:items': { '.': {}, 'k:{"name":"n1"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:reference': {} },
  };
  assert.deepEqual(fieldSetToFieldsV1(fieldSetFromFieldsV1(fields)), fields);
  assert.deepEqual(fieldSetToFieldsV1(fieldSetFromFieldsV1({ 'f:a': { '.': {} } })), { 'f:a': {} }, 'a lone "." is a leaf');
});

test('FieldsV1 decoding normalizes key and value elements and drops unknown prefixes', () => {
  const s = fieldSetFromFieldsV1({ 'k:{"protocol":"TCP","port":80}': {}, 'v:  "x"': {}, 'i:+3': {}, 'z:future': {} });
  assert.deepEqual(fieldSetToFieldsV1(s), { 'k:{"port":80,"protocol":"TCP"}': {}, 'v:"x"': {}, 'i:3': {} });
  assert.deepEqual(fieldSetToFieldsV1(fieldSetFromFieldsV1({ 'f:a': { 'z:1': {} } })), { 'f:a': {} }, 'unknown-only children leave a leaf');
});

test('FieldsV1 key order: ".", fields, keys, values, indexes', () => {
  const out = fieldSetToFieldsV1(fieldSetFromFieldsV1({ 'f:x': { 'i:10': {}, 'i:2': {}, 'v:"b"': {}, 'k:{"a":1}': {}, 'f:z': {}, 'f:b': {}, '.': {} } }));
  assert.deepEqual(Object.keys(out['f:x'] as object), ['.', 'f:b', 'f:z', 'k:{"a":1}', 'v:"b"', 'i:2', 'i:10']);
});

const malformed: [string, unknown][] = [
  ['non-object node', { 'f:a': 1 }],
  ['short key', { f: {} }],
  ['empty field name', { 'f:': {} }],
  ['bad key JSON', { 'k:{nope}': {} }],
  ['key that is not an object', { 'k:[1]': {} }],
  ['bad index', { 'i:x': {} }],
];
for (const [title, fields] of malformed) {
  test(`FieldsV1 decoding rejects ${title}`, () => {
    assert.throws(() => fieldSetFromFieldsV1(fields as FieldsV1), FieldPathError);
  });
}

test('set operations follow fieldpath.Set', () => {
  const a = fieldSetFromFieldsV1({ 'f:spec': { '.': {}, 'f:a': {}, 'f:b': { 'f:c': {} } }, 'f:data': { 'f:k': {} } });
  const b = fieldSetFromFieldsV1({ 'f:spec': { 'f:b': {} }, 'f:data': { 'f:k': {} }, 'f:x': {} });
  assert.deepEqual(fieldSetToFieldsV1(union(a, b)), { 'f:data': { 'f:k': {} }, 'f:spec': { '.': {}, 'f:a': {}, 'f:b': { '.': {}, 'f:c': {} } }, 'f:x': {} });
  assert.deepEqual(fieldSetToFieldsV1(intersection(a, b)), { 'f:data': { 'f:k': {} } });
  assert.deepEqual(fieldSetToFieldsV1(difference(a, b)), { 'f:spec': { '.': {}, 'f:a': {}, 'f:b': { 'f:c': {} } } }, 'difference keeps children of removed paths');
  assert.deepEqual(fieldSetToFieldsV1(recursiveDifference(a, b)), { 'f:spec': { '.': {}, 'f:a': {} } }, 'recursive difference drops them');
  assert.deepEqual(fieldSetToFieldsV1(a), { 'f:data': { 'f:k': {} }, 'f:spec': { '.': {}, 'f:a': {}, 'f:b': { 'f:c': {} } } }, 'inputs untouched');
});

// ---------------------------------------------------------------------------------------------
// fieldSet (ToFieldSet)

const meta = { name: 'cm', namespace: 'default', uid: 'u', resourceVersion: '5', generation: 2, creationTimestamp: '2025-01-01T00:00:00Z' };

const fieldSetCases: [string, unknown, FieldSchema | undefined, FieldsV1][] = [
  [
    'kubectl apply of a ConfigMap: map entries, no "." on struct fields',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, labels: { app: 'x' } }, data: { key: 'v' } },
    schema,
    { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
  ],
  [
    'system metadata is never tracked; generateName, finalizers and owner references are',
    {
      apiVersion: 'v1',
      kind: 'X',
      metadata: { ...meta, selfLink: '/x', managedFields: [], generateName: 'cm-', finalizers: ['a.io/f'], ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'o', uid: '9' }] },
    },
    schema,
    { 'f:metadata': { 'f:finalizers': { 'v:"a.io/f"': {} }, 'f:generateName': {}, 'f:ownerReferences': { 'k:{"uid":"9"}': {} } } },
  ],
  [
    'map lists, sets, atomic lists and atomic maps',
    { spec: { items: [{ name: 'n1', value: 'v' }], tags: ['a', 'b'], args: ['x'], selector: { a: 'b' }, nested: {} } },
    schema,
    {
      'f:spec': {
        'f:args': {},
        'f:items': { 'k:{"name":"n1"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
        'f:nested': {},
        'f:selector': {},
        'f:tags': { 'v:"a"': {}, 'v:"b"': {} },
      },
    },
  ],
  [
    'patch-merge-key lists are map lists; missing keys take the schema default',
    { spec: { ports: [{ port: 80 }], pairs: [{ port: 53, protocol: 'UDP' }, { port: 53 }] } },
    schema,
    {
      'f:spec': {
        'f:pairs': { 'k:{"port":53,"protocol":"TCP"}': { '.': {}, 'f:port': {} }, 'k:{"port":53,"protocol":"UDP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} } },
        'f:ports': { 'k:{"port":80}': { '.': {}, 'f:port': {} } },
      },
    },
  ],
  [
    'without a schema every map node is owned and lists are atomic',
    { apiVersion: 'x/v1', kind: 'Y', metadata: { name: 'n', labels: { a: 'b' } }, spec: { list: [1], m: { k: 'v' } } },
    undefined,
    { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { '.': {}, 'f:list': {}, 'f:m': { '.': {}, 'f:k': {} } } },
  ],
];

for (const [title, obj, s, want] of fieldSetCases) {
  test(`fieldSet: ${title}`, () => {
    assert.deepEqual(fieldSet(obj, s), want);
  });
}

test('fieldSet: a map-list element without its key cannot be tracked', () => {
  assert.throws(() => fieldSet({ spec: { items: [{ value: 'v' }] } }, schema), FieldPathError);
});

test('compareObjects reports added, modified and removed paths', () => {
  const cmp = compareObjects(
    { spec: { reference: 'a', items: [{ name: 'n1', value: 'x' }, { name: 'gone' }], tags: ['t1'] } },
    { spec: { reference: 'b', items: [{ name: 'n1', value: 'y' }, { name: 'n2' }], tags: ['t1', 't2'] }, status: { phase: 'P' } },
    schema,
  );
  assert.deepEqual(fieldSetToFieldsV1(cmp.added), {
    'f:spec': { 'f:items': { 'k:{"name":"n2"}': { '.': {}, 'f:name': {} } }, 'f:tags': { 'v:"t2"': {} } },
    'f:status': { '.': {}, 'f:phase': {} },
  });
  assert.deepEqual(fieldSetToFieldsV1(cmp.modified), { 'f:spec': { 'f:items': { 'k:{"name":"n1"}': { 'f:value': {} } }, 'f:reference': {} } });
  assert.deepEqual(fieldSetToFieldsV1(cmp.removed), { 'f:spec': { 'f:items': { 'k:{"name":"gone"}': { '.': {}, 'f:name': {} } } } });
});

// ---------------------------------------------------------------------------------------------
// updateManagedFields

const T0 = '2025-01-02T03:04:05Z';
const T1 = '2025-01-02T03:05:00Z';
const T2 = '2025-01-02T03:06:00Z';
const configMapZero = { metadata: { creationTimestamp: null } };

function configMap(data: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', ...extra }, data };
}

/** Runs one write the way the store will: request object in, stored object (with managedFields) out. */
function write(old: KubeObject | undefined, obj: KubeObject, manager: string, time: string, extra: { subresource?: string; resetFields?: FieldsV1 } = {}): KubeObject {
  const managedFields = updateManagedFields({ old, obj, manager, apiVersion: 'v1', time, schema, zeroObject: configMapZero, ...extra });
  const metadata = { ...obj.metadata, uid: old?.metadata.uid ?? 'uid-1', resourceVersion: String(Number(old?.metadata.resourceVersion ?? 0) + 1) };
  delete metadata.managedFields;
  return { ...obj, metadata: managedFields ? { ...metadata, managedFields } : metadata };
}

/** A request built from the stored object, without managedFields (what kubectl edit/replace usually sends back). */
const edit = (stored: KubeObject, change: (o: KubeObject) => void): KubeObject => {
  const o = structuredClone(stored);
  delete o.metadata.managedFields;
  change(o);
  return o;
};

const entry = (manager: string, time: string, fieldsV1: FieldsV1, extra: Partial<ManagedFieldsEntry> = {}): ManagedFieldsEntry => ({
  manager,
  operation: 'Update',
  apiVersion: 'v1',
  time,
  fieldsType: 'FieldsV1',
  fieldsV1,
  ...extra,
});

test('kubectl create then kubectl label on a ConfigMap', () => {
  const created = write(undefined, configMap({ key: 'value' }), 'kubectl-create', T0);
  assert.deepEqual(created.metadata.managedFields, [entry('kubectl-create', T0, { 'f:data': { '.': {}, 'f:key': {} } })]);

  const labeled = write(created, edit(created, (o) => (o.metadata.labels = { app: 'web' })), 'kubectl-label', T1);
  assert.deepEqual(labeled.metadata.managedFields, [
    entry('kubectl-create', T0, { 'f:data': { '.': {}, 'f:key': {} } }),
    entry('kubectl-label', T1, { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } }),
  ]);

  const relabeled = write(labeled, edit(labeled, (o) => (o.metadata.labels!.tier = 'db')), 'kubectl-label', T2);
  assert.deepEqual(relabeled.metadata.managedFields![1], entry('kubectl-label', T2, { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} } } }));
});

test('a no-op update returns the stored managedFields unchanged, times included', () => {
  const created = write(undefined, configMap({ key: 'value' }), 'kubectl-create', T0);
  const labeled = write(created, edit(created, (o) => (o.metadata.labels = { app: 'web' })), 'kubectl-label', T1);
  assert.deepEqual(
    updateManagedFields({ old: labeled, obj: edit(labeled, () => {}), manager: 'kubectl-label', apiVersion: 'v1', time: T2, schema }),
    labeled.metadata.managedFields,
  );
  assert.deepEqual(
    updateManagedFields({ old: labeled, obj: edit(labeled, (o) => (o.metadata.resourceVersion = '99')), manager: 'other', apiVersion: 'v1', time: T2, schema }),
    labeled.metadata.managedFields,
    'system fields do not count as changes',
  );
});

test('only a manager that changed something gets a new time (managedfieldsupdater_test)', () => {
  let o = write(undefined, configMap({ key_a: 'value' }), 'fieldmanager_a_test', T0);
  o = write(o, edit(o, (x) => ((x.data as Record<string, string>).key_b = 'value')), 'fieldmanager_b_test', T1);
  const same = write(o, edit(o, () => {}), 'fieldmanager_a_test', T2);
  assert.deepEqual(same.metadata.managedFields, o.metadata.managedFields);

  const changed = write(o, edit(o, (x) => ((x.data as Record<string, string>).key_a = 'new')), 'fieldmanager_a_test', T2);
  assert.deepEqual(changed.metadata.managedFields, [
    entry('fieldmanager_b_test', T1, { 'f:data': { 'f:key_b': {} } }),
    entry('fieldmanager_a_test', T2, { 'f:data': { '.': {}, 'f:key_a': {} } }),
  ]);
});

test('taking over all of a manager\'s fields removes its entry; taking some keeps its time', () => {
  let o = write(undefined, configMap({ key_a: 'value', key_b: 'value' }), 'a', T0);
  o = write(o, edit(o, (x) => ((x.data as Record<string, string>).key_b = 'new')), 'b', T1);
  assert.deepEqual(o.metadata.managedFields, [
    entry('a', T0, { 'f:data': { '.': {}, 'f:key_a': {} } }),
    entry('b', T1, { 'f:data': { 'f:key_b': {} } }),
  ]);
  o = write(o, edit(o, (x) => ((x.data as Record<string, string>).key_b = 'again')), 'a', T2);
  assert.deepEqual(o.metadata.managedFields, [entry('a', T2, { 'f:data': { '.': {}, 'f:key_a': {}, 'f:key_b': {} } })]);
});

test('removed fields leave every owner; an entry left empty disappears', () => {
  let o = write(undefined, configMap({ a: '1' }, { labels: { x: 'y' } }), 'creator', T0);
  o = write(o, edit(o, (x) => delete x.metadata.labels), 'cleaner', T1);
  assert.deepEqual(o.metadata.managedFields, [entry('creator', T0, { 'f:data': { '.': {}, 'f:a': {} } })], 'the cleaner gained nothing');
  o = write(o, edit(o, (x) => delete x.data), 'cleaner', T2);
  assert.equal(o.metadata.managedFields, undefined);
});

test('an Update takes fields from an Apply entry (integration TestApplyManagedFields)', () => {
  const stored: KubeObject = {
    ...configMap({ key: 'value' }, { labels: { 'test-label': 'test' } }),
    metadata: {
      name: 'cm',
      namespace: 'default',
      uid: 'u',
      resourceVersion: '3',
      labels: { 'test-label': 'test' },
      managedFields: [
        { manager: 'apply_test', operation: 'Apply', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:test-label': {} } } } },
      ],
    },
  };
  const out = write(stored, edit(stored, (x) => (x.data = { key: 'new value', 'new-key': 'value' })), 'updater', T1);
  assert.deepEqual(out.metadata.managedFields, [
    { manager: 'apply_test', operation: 'Apply', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:test-label': {} } } } },
    entry('updater', T1, { 'f:data': { 'f:key': {}, 'f:new-key': {} } }),
  ]);
});

test('typed kinds compare a create against their zero value (no "." on a struct that always exists)', () => {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'X', metadata: { name: 'x' }, spec: { reference: 'r' } };
  const typed = updateManagedFields({ obj, manager: 'm', apiVersion: 'v1', time: T0, schema, zeroObject: { metadata: { creationTimestamp: null }, spec: {}, status: {} } });
  assert.deepEqual(typed?.[0].fieldsV1, { 'f:spec': { 'f:reference': {} } });
  const crd = updateManagedFields({ obj, manager: 'm', apiVersion: 'v1', time: T0, schema });
  assert.deepEqual(crd?.[0].fieldsV1, { 'f:spec': { '.': {}, 'f:reference': {} } });
});

test('an empty manager name is recorded as "unknown"', () => {
  const mf = updateManagedFields({ obj: configMap({ a: 'b' }), manager: '', apiVersion: 'v1', time: T0, schema });
  assert.equal(mf?.[0].manager, 'unknown');
});

test('client-supplied managedFields: valid ones replace tracking, [] and [{}] reset it, others are ignored', () => {
  const stored = write(undefined, configMap({ a: '1', b: '2' }), 'creator', T0);
  const supplied = [entry('someone', T0, { 'f:data': { 'f:b': {} } })];

  const replaced = write(stored, { ...edit(stored, (x) => ((x.data as Record<string, string>).a = 'new')), metadata: { ...stored.metadata, managedFields: supplied } }, 'editor', T1);
  assert.deepEqual(replaced.metadata.managedFields, [entry('someone', T0, { 'f:data': { 'f:b': {} } }), entry('editor', T1, { 'f:data': { 'f:a': {} } })]);

  for (const reset of [[], [{}]] as ManagedFieldsEntry[][]) {
    const out = write(stored, { ...edit(stored, (x) => ((x.data as Record<string, string>).a = 'new')), metadata: { ...stored.metadata, managedFields: reset } }, 'editor', T1);
    assert.equal(out.metadata.managedFields, undefined, `reset with ${JSON.stringify(reset)} stops tracking until the next apply`);
    assert.equal(write(out, edit(out, (x) => ((x.data as Record<string, string>).b = 'x')), 'editor', T2).metadata.managedFields, undefined);
  }

  const bogus = [{ manager: 'x', operation: 'Replace' as 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1' as const, fieldsV1: {} }];
  const kept = write(stored, { ...edit(stored, () => {}), metadata: { ...stored.metadata, managedFields: bogus } }, 'editor', T1);
  assert.deepEqual(kept.metadata.managedFields, stored.metadata.managedFields, 'undecodable request managedFields fall back to the stored ones');
});

test('a create with managedFields: [] still records the creator', () => {
  const mf = updateManagedFields({ obj: configMap({ a: '1' }, { managedFields: [] }), manager: 'c', apiVersion: 'v1', time: T0, schema });
  assert.deepEqual(mf, [entry('c', T0, { 'f:data': { '.': {}, 'f:a': {} } })]);
});

test('status writes: body managedFields ignored, entry tagged with the subresource, spec reset fields never owned', () => {
  const stored = write(undefined, { ...configMap({ a: '1' }), spec: { reference: 'r' } }, 'creator', T0);
  const req = { ...edit(stored, (x) => (x.status = { phase: 'Ready' })), metadata: { ...stored.metadata, managedFields: [] } };
  const out = write(stored, req, 'controller', T1, { subresource: 'status', resetFields: { 'f:spec': {}, 'f:data': {} } });
  assert.deepEqual(out.metadata.managedFields, [
    stored.metadata.managedFields![0],
    entry('controller', T1, { 'f:status': { '.': {}, 'f:phase': {} } }, { subresource: 'status' }),
  ]);
});

test('main-resource writes never own reset fields', () => {
  const mf = updateManagedFields({ obj: { ...configMap({ a: '1' }), status: { phase: 'x' } }, manager: 'c', apiVersion: 'v1', time: T0, schema, resetFields: { 'f:status': {} } });
  assert.deepEqual(mf?.[0].fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
});

test('at most 10 Update entries: the oldest are merged into ancient-changes', () => {
  const managedFields: ManagedFieldsEntry[] = [];
  const data: Record<string, string> = {};
  for (let i = 0; i < 10; i++) {
    managedFields.push(entry(`m${i}`, `2025-01-01T00:00:${String(i).padStart(2, '0')}Z`, { 'f:data': { [`f:k${i}`]: {} } }));
    data[`k${i}`] = 'v';
  }
  managedFields.push({ manager: 'applier', operation: 'Apply', apiVersion: 'v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:k0': {} } } });
  const stored: KubeObject = { ...configMap(data), metadata: { name: 'cm', namespace: 'default', uid: 'u', resourceVersion: '1', managedFields } };
  const out = updateManagedFields({ old: stored, obj: edit(stored, (x) => ((x.data as Record<string, string>).k10 = 'v')), manager: 'm10', apiVersion: 'v1', time: T0, schema });
  assert.equal(out?.length, 11);
  assert.deepEqual(out?.[0].operation, 'Apply');
  const updates = out!.filter((e) => e.operation === 'Update');
  assert.equal(updates.length, 10);
  assert.deepEqual(updates[0], entry('ancient-changes', '2025-01-01T00:00:01Z', { 'f:data': { 'f:k0': {}, 'f:k1': {} } }));
  assert.deepEqual(
    updates.map((e) => e.manager),
    ['ancient-changes', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10'],
  );
});

test('entries are sorted: Apply first, then by time, manager, apiVersion, subresource', () => {
  const stored: KubeObject = {
    ...configMap({ a: '1', b: '2', c: '3', d: '4', e: '5' }),
    metadata: {
      name: 'cm',
      namespace: 'default',
      uid: 'u',
      resourceVersion: '1',
      managedFields: [
        entry('z', T0, { 'f:data': { 'f:a': {} } }),
        entry('a', T1, { 'f:data': { 'f:b': {} } }),
        entry('a', T1, { 'f:data': { 'f:c': {} } }, { subresource: 'status' }),
        entry('a', T0, { 'f:data': { 'f:d': {} } }, { apiVersion: 'v2' }),
        { manager: 'ap', operation: 'Apply', apiVersion: 'v1', time: T2, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:e': {} } } },
      ],
    },
  };
  const out = updateManagedFields({ old: stored, obj: edit(stored, () => {}), manager: 'x', apiVersion: 'v1', time: T2, schema });
  assert.deepEqual(
    out?.map((e) => [e.operation, e.manager, e.apiVersion, e.subresource ?? '']),
    [
      ['Apply', 'ap', 'v1', ''],
      ['Update', 'a', 'v2', ''],
      ['Update', 'z', 'v1', ''],
      ['Update', 'a', 'v1', ''],
      ['Update', 'a', 'v1', 'status'],
    ],
  );
});

test('an untrackable object keeps the stored managedFields (UpdateNoErrors)', () => {
  const stored = write(undefined, { ...configMap({ a: '1' }), spec: { items: [{ name: 'n' }] } }, 'creator', T0);
  const out = updateManagedFields({ old: stored, obj: edit(stored, (x) => ((x.spec as { items: unknown[] }).items = [{ value: 'no key' }])), manager: 'm', apiVersion: 'v1', time: T1, schema });
  assert.deepEqual(out, stored.metadata.managedFields);
  assert.equal(updateManagedFields({ obj: { ...configMap({}), spec: { items: [{}] } }, manager: 'm', apiVersion: 'v1', time: T1, schema }), undefined);
});

const sourceCases: [string, ManagedFieldsEntry[] | undefined, boolean, string][] = [
  ['absent', undefined, false, 'stored'],
  ['empty list', [], false, 'reset'],
  ['one empty entry', [{}], false, 'reset'],
  ['one entry with only an empty manager', [{ manager: '' }], false, 'reset'],
  ['valid entries', [entry('m', T0, {})], false, 'request'],
  ['missing fieldsType', [{ manager: 'm', operation: 'Update', apiVersion: 'v1' }], false, 'stored'],
  ['missing apiVersion', [{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1' }], false, 'stored'],
  ['malformed FieldsV1', [entry('m', T0, { 'k:x': {} })], false, 'stored'],
  ['bad time', [entry('m', 'yesterday', {})], false, 'stored'],
  ['subresource request', [entry('m', T0, {})], true, 'stored'],
  ['subresource reset', [], true, 'stored'],
];

for (const [title, requested, sub, want] of sourceCases) {
  test(`managedFieldsSource: ${title}`, () => {
    assert.equal(managedFieldsSource(requested, sub), want);
  });
}

test('isResetManagedFields: a non-empty fieldsV1 or two entries are not a reset', () => {
  assert.equal(isResetManagedFields([{ fieldsV1: {} }]), false);
  assert.equal(isResetManagedFields([{}, {}]), false);
  assert.equal(isResetManagedFields(undefined), false);
});
