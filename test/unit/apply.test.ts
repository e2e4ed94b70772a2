import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyConfiguration, BEFORE_FIRST_APPLY, type ApplyInput } from '../../src/machinery/apply.js';
import { buildLastApplied, goJSON, LAST_APPLIED_ANNOTATION } from '../../src/machinery/last-applied.js';
import { fieldSetFromFieldsV1, fieldSetToFieldsV1, updateManagedFields, type FieldSchema, type FieldsV1 } from '../../src/machinery/managed-fields.js';
import { goNumber, pathString } from '../../src/machinery/apply-schema.js';
import { ensureNamedFieldsAreMembers, removeItems } from '../../src/machinery/apply-typed.js';
import type { KubeObject, ManagedFieldsEntry } from '../../src/machinery/object.js';
import { ObjectMetaSchema } from '../../src/apis/meta/v1/object-meta.js';
import { StatusError } from '../../src/machinery/errors.js';

const GV = 'example.com/v1';
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-02T00:00:00Z';
const T2 = '2025-01-03T00:00:00Z';

// A kind with every merge shape: granular struct and map, map-lists by list-type and by patch-merge-key,
// a set, atomic list and map.
const schema: FieldSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: ObjectMetaSchema,
    data: { type: 'object', patternProperties: { '^(.*)$': { type: 'string' } } },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        reference: { type: 'string' },
        replicas: { type: 'integer' },
        paused: { type: 'boolean' },
        a: { type: 'string' },
        b: { type: 'string' },
        c: { type: 'string' },
        tags: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: { type: 'string' },
              from: { type: 'object', additionalProperties: false, properties: { kind: { type: 'string' }, name: { type: 'string' } } },
            },
          },
        },
        ports: {
          type: 'array',
          'x-kubernetes-patch-strategy': 'merge',
          'x-kubernetes-patch-merge-key': 'port',
          items: { type: 'object', additionalProperties: false, properties: { port: { type: 'integer' }, protocol: { type: 'string' } } },
        },
        finalizers: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        args: { type: 'array', items: { type: 'string' } },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', patternProperties: { '^(.*)$': { type: 'string' } } },
      },
    },
    status: { type: 'object', additionalProperties: false, properties: { phase: { type: 'string' }, ready: { type: 'boolean' } } },
  },
};

const meta = { name: 'x', namespace: 'default' };
const obj = (rest: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: GV,
  kind: 'Thing',
  metadata: { ...meta, ...metadata },
  ...rest,
});

function apply(live: KubeObject | undefined, applied: object, manager: string, extra: Partial<ApplyInput> = {}) {
  return applyConfiguration({ live, applied, manager, force: false, apiVersion: GV, subresource: '', time: T1, schema, kind: 'Thing', ...extra });
}

/** What the store holds after a write: system metadata set. */
const stored = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, uid: 'uid-1', resourceVersion: '7', creationTimestamp: T0 } });

/** A live object written by a non-apply manager (kubectl create / client-side apply / a controller). */
function updated(old: KubeObject | undefined, next: Record<string, unknown>, manager: string, time = T0): KubeObject {
  const o = structuredClone(next) as KubeObject;
  o.metadata = { ...o.metadata, uid: 'uid-1', resourceVersion: '7', creationTimestamp: T0 };
  const mf = updateManagedFields({ old, obj: o, manager, apiVersion: GV, time, schema });
  if (mf) o.metadata.managedFields = mf;
  return o;
}

const entry = (r: { managedFields?: ManagedFieldsEntry[] }, manager: string) => r.managedFields?.find((e) => e.manager === manager);
const fieldsOf = (r: { managedFields?: ManagedFieldsEntry[] }, manager: string): FieldsV1 | undefined => entry(r, manager)?.fieldsV1;

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  assert.fail('expected a StatusError');
}

// ---------------------------------------------------------------------------------------------
// Create, re-apply, removal

test('apply creating an object owns every field it sets, but not the system ones', () => {
  const r = apply(undefined, obj({ spec: { reference: 'one', tags: [{ name: 'a', from: { kind: 'K', name: 'n' } }] } }, { labels: { app: 'x' } }), 'kubectl');
  assert.deepEqual(r.object.spec, { reference: 'one', tags: [{ name: 'a', from: { kind: 'K', name: 'n' } }] });
  assert.deepEqual(r.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: GV,
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:reference': {}, 'f:tags': { 'k:{"name":"a"}': { '.': {}, 'f:from': { 'f:kind': {}, 'f:name': {} }, 'f:name': {} } } },
      },
    },
  ]);
  assert.deepEqual(r.object.metadata.managedFields, r.managedFields);
});

test('re-applying the same configuration changes nothing, not even the manager time', () => {
  const config = obj({ spec: { reference: 'one', ports: [{ port: 80 }] } });
  const live = stored(apply(undefined, config, 'kubectl').object);
  const again = apply(live, config, 'kubectl', { time: T2 });
  assert.deepEqual(again.object, live);
  assert.equal(entry(again, 'kubectl')?.time, T1);
});

test('fields the applier owned and now omits are removed', () => {
  const live = stored(apply(undefined, obj({ spec: { a: '1', b: '2', tags: [{ name: 't1' }, { name: 't2' }] } }, { labels: { l: 'v' } }), 'kubectl').object);
  const r = apply(live, obj({ spec: { a: '1', tags: [{ name: 't2' }] } }), 'kubectl', { time: T2 });
  assert.deepEqual(r.object.spec, { a: '1', tags: [{ name: 't2' }] });
  assert.equal(r.object.metadata.labels, undefined, 'the emptied labels map goes with its last owned entry');
  assert.equal(r.object.metadata.uid, 'uid-1', 'system fields are never pruned');
  assert.deepEqual(fieldsOf(r, 'kubectl'), { 'f:spec': { 'f:a': {}, 'f:tags': { 'k:{"name":"t2"}': { '.': {}, 'f:name': {} } } } });
  assert.equal(entry(r, 'kubectl')?.time, T2);
});

test('an omitted field stays when another manager owns it too, and fields the applier never owned stay', () => {
  const created = updated(undefined, obj({ spec: { a: '1', b: '2', c: '3' } }), 'kubectl-create');
  const applied = apply(created, obj({ spec: { a: '1', b: '2' } }), 'mgr');
  const r = apply(stored(applied.object), obj({}), 'mgr', { time: T2 });
  assert.deepEqual(r.object.spec, { a: '1', b: '2', c: '3' });
  assert.equal(entry(r, 'mgr'), undefined, 'an applier owning nothing has no entry');
  assert.deepEqual(fieldsOf(r, 'kubectl-create'), { 'f:spec': { '.': {}, 'f:a': {}, 'f:b': {}, 'f:c': {} } });
  // An explicitly empty struct is a value of its own: the applier owns `spec` itself.
  assert.deepEqual(fieldsOf(apply(stored(applied.object), obj({ spec: {} }), 'mgr'), 'mgr'), { 'f:spec': {} });
});

// ---------------------------------------------------------------------------------------------
// Conflicts

test('a field owned by another manager with a different value conflicts with kube\'s exact 409', () => {
  const live = updated(undefined, obj({ spec: { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'a' } }] } }), 'kubectl-client-side-apply');
  const err = statusOf(() => apply(live, obj({ spec: { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'b' } }] } }), 'kubectl'));
  assert.deepEqual(err.status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using ${GV}: .spec.tags[name="latest"].from.name`,
    reason: 'Conflict',
    details: {
      causes: [{ reason: 'FieldManagerConflict', message: `conflict with "kubectl-client-side-apply" using ${GV}`, field: '.spec.tags[name="latest"].from.name' }],
    },
    code: 409,
  });
});

test('several conflicts are grouped by manager in identifier order', () => {
  const one = apply(undefined, obj({ spec: { a: '1', b: '2' } }), 'mgr-a');
  const two = updated(stored(one.object), obj({ spec: { a: '1', b: '2', c: '3' } }, { managedFields: one.managedFields }), 'mgr-b');
  const err = statusOf(() => apply(two, obj({ spec: { a: 'x', b: 'y', c: 'z' } }), 'kubectl'));
  assert.equal(
    err.message,
    `Apply failed with 3 conflicts: conflicts with "mgr-a":\n- .spec.a\n- .spec.b\nconflicts with "mgr-b" using ${GV}:\n- .spec.c`,
  );
  assert.deepEqual(
    err.status.details?.causes?.map((c) => [c.field, c.message]),
    [
      ['.spec.a', 'conflict with "mgr-a"'],
      ['.spec.b', 'conflict with "mgr-a"'],
      ['.spec.c', `conflict with "mgr-b" using ${GV}`],
    ],
  );
});

const conflictPaths: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
  ['a granular map entry', { data: { k: 'v' } }, { data: { k: 'w', other: 'x' } }, '.data.k'],
  ['an atomic list', { spec: { args: ['a'] } }, { spec: { args: ['b'] } }, '.spec.args'],
  ['an atomic map', { spec: { selector: { k: 'v' } } }, { spec: { selector: { k: 'w' } } }, '.spec.selector'],
  ['a patch-merge-key item field', { spec: { ports: [{ port: 80, protocol: 'TCP' }] } }, { spec: { ports: [{ port: 80, protocol: 'UDP' }] } }, '.spec.ports[port=80].protocol'],
  ['a number', { spec: { replicas: 1 } }, { spec: { replicas: 2 } }, '.spec.replicas'],
];
for (const [title, first, second, path] of conflictPaths) {
  test(`conflict path of ${title}: ${path}`, () => {
    const live = stored(apply(undefined, obj(first), 'owner').object);
    const err = statusOf(() => apply(live, obj(second), 'other'));
    assert.equal(err.code, 409);
    assert.equal(err.message, `Apply failed with 1 conflict: conflict with "owner": ${path}`);
  });
}

test('a status write by a manager shows the subresource in the conflict', () => {
  const live = updated(undefined, obj({ spec: { a: '1' }, status: { phase: 'Ready' } }), 'ctrl');
  const withStatusEntry = { ...live, metadata: { ...live.metadata, managedFields: live.metadata.managedFields!.map((e) => ({ ...e, subresource: 'status' })) } };
  const err = statusOf(() => apply(withStatusEntry, obj({ status: { phase: 'Failed' } }), 'kubectl', { subresource: 'status' }));
  assert.match(err.message, new RegExp(`conflict with "ctrl" with subresource "status" using ${GV.replace('.', '\\.')}: \\.status\\.phase$`));
});

test('the same value shares ownership without a conflict; the newcomer gets no time as nothing changed', () => {
  const live = stored(apply(undefined, obj({ spec: { a: '1', b: '2' } }), 'mgr-a', { time: T0 }).object);
  const r = apply(live, obj({ spec: { a: '1' } }), 'mgr-b', { time: T2 });
  assert.deepEqual(r.object.spec, live.spec);
  assert.deepEqual(fieldsOf(r, 'mgr-a'), { 'f:spec': { 'f:a': {}, 'f:b': {} } });
  assert.deepEqual(fieldsOf(r, 'mgr-b'), { 'f:spec': { 'f:a': {} } });
  assert.equal(entry(r, 'mgr-b')?.time, undefined);
  // Once shared, the first applier dropping the field leaves it to the other.
  const dropped = apply(stored(r.object), obj({ spec: { b: '2' } }), 'mgr-a', { time: T2 });
  assert.equal((dropped.object.spec as Record<string, unknown>).a, '1');
});

test('force moves ownership to the applier; a manager left with nothing disappears', () => {
  const live = stored(apply(undefined, obj({ spec: { a: '1' } }), 'owner', { time: T0 }).object);
  const r = apply(live, obj({ spec: { a: '2' } }), 'kubectl', { force: true, time: T2 });
  assert.deepEqual(r.object.spec, { a: '2' });
  assert.deepEqual(
    r.managedFields?.map((e) => [e.manager, e.operation, e.time]),
    [['kubectl', 'Apply', T2]],
  );
});

test('force keeps the other manager\'s unrelated fields', () => {
  const live = updated(undefined, obj({ spec: { a: '1', b: '1' } }), 'kubectl-edit');
  const r = apply(live, obj({ spec: { a: '2' } }), 'kubectl', { force: true });
  assert.deepEqual(fieldsOf(r, 'kubectl-edit'), { 'f:spec': { '.': {}, 'f:b': {} } });
  assert.deepEqual(fieldsOf(r, 'kubectl'), { 'f:spec': { 'f:a': {} } });
});

// ---------------------------------------------------------------------------------------------
// Merge shapes

test('map lists merge by key, keep live-only items in place and follow the applied order', () => {
  const live = updated(undefined, obj({ spec: { tags: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } }), 'ctrl');
  const r = apply(live, obj({ spec: { tags: [{ name: 'c', from: { kind: 'K', name: 'n' } }, { name: 'a' }, { name: 'd' }] } }), 'mgr');
  assert.deepEqual(r.object.spec, { tags: [{ name: 'b' }, { name: 'c', from: { kind: 'K', name: 'n' } }, { name: 'a' }, { name: 'd' }] });
});

test('a list without list-type but with a patch merge key is a map list keyed by it', () => {
  const live = updated(undefined, obj({ spec: { ports: [{ port: 80, protocol: 'TCP' }] } }), 'ctrl');
  const r = apply(live, obj({ spec: { ports: [{ port: 443 }] } }), 'mgr');
  assert.deepEqual(r.object.spec, { ports: [{ port: 80, protocol: 'TCP' }, { port: 443 }] });
  assert.deepEqual(fieldsOf(r, 'mgr'), { 'f:spec': { 'f:ports': { 'k:{"port":443}': { '.': {}, 'f:port': {} } } } });
});

test('sets are unions; an applier removes only its own members', () => {
  const live = updated(undefined, obj({ spec: { finalizers: ['theirs'] } }), 'ctrl');
  const first = apply(live, obj({ spec: { finalizers: ['mine', 'theirs'] } }), 'mgr');
  assert.deepEqual((first.object.spec as Record<string, unknown>).finalizers, ['mine', 'theirs']);
  const second = apply(stored(first.object), obj({ spec: {} }), 'mgr');
  assert.deepEqual((second.object.spec as Record<string, unknown>).finalizers, ['theirs']);
});

test('atomic lists and maps are replaced whole, granular maps merge by key', () => {
  const live = updated(undefined, obj({ spec: { args: ['a', 'b'], selector: { x: '1', y: '2' } }, data: { k1: 'v1' } }), 'ctrl');
  const r = apply(live, obj({ spec: { args: ['c'], selector: { z: '3' } }, data: { k2: 'v2' } }), 'mgr', { force: true });
  assert.deepEqual(r.object.spec, { args: ['c'], selector: { z: '3' } });
  assert.deepEqual(r.object.data, { k1: 'v1', k2: 'v2' });
});

test('empty values are kept as the applier wrote them', () => {
  const r = apply(undefined, obj({ spec: { args: [], tags: [] }, data: {} }), 'mgr');
  assert.deepEqual(r.object.spec, { args: [], tags: [] });
  assert.deepEqual(r.object.data, {});
  assert.deepEqual(fieldsOf(r, 'mgr'), { 'f:data': {}, 'f:spec': { 'f:args': {} } });
});

// ---------------------------------------------------------------------------------------------
// Invalid applied configurations

const invalidBodies: [string, Record<string, unknown>, number, string][] = [
  ['an undeclared field', obj({ spec: { foo: 1 } }), 400, 'failed to create typed patch object (default/x; example.com/v1, Kind=Thing): .spec.foo: field not declared in schema'],
  ['an undeclared top-level field', obj({ bogus: true }), 400, 'failed to create typed patch object (default/x; example.com/v1, Kind=Thing): .bogus: field not declared in schema'],
  [
    'several typed errors',
    obj({ spec: { replicas: 'two', reference: 1, paused: 'yes', tags: 'x' } }),
    400,
    'failed to create typed patch object (default/x; example.com/v1, Kind=Thing): errors:\n' +
      '  .spec.replicas: expected numeric (int or float), got string\n' +
      '  .spec.reference: expected string, got &value.valueUnstructured{Value:1}\n' +
      '  .spec.paused: expected boolean, got &{yes}\n' +
      '  .spec.tags: expected list, got &{x}',
  ],
  ['a map where a struct belongs', obj({ spec: ['a'] }), 400, 'failed to create typed patch object (default/x; example.com/v1, Kind=Thing): .spec: expected map, got &{[a]}'],
  ['a repeated list key', obj({ spec: { tags: [{ name: 'a' }, { name: 'a' }] } }), 400, 'failed to create typed patch object (default/x; example.com/v1, Kind=Thing): .spec.tags: duplicate entries for key [name="a"]'],
  [
    'a list item without its key',
    obj({ spec: { tags: [{ from: { name: 'n' } }] } }),
    400,
    'failed to create typed patch object (default/x; example.com/v1, Kind=Thing): .spec.tags: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
  ],
  ['managedFields in the body', obj({}, { managedFields: [] }), 400, 'metadata.managedFields must be nil'],
  ['another version', { ...obj({}), apiVersion: 'example.com/v2' }, 400, 'invalid object type: example.com/v2, Kind=Thing'],
  ['another kind', { ...obj({}), kind: 'Other' }, 400, 'invalid object type: example.com/v1, Kind=Other'],
  ['an empty body', {}, 400, 'invalid object type: /, Kind='],
];
for (const [title, body, code, message] of invalidBodies) {
  test(`apply rejects ${title}`, () => {
    const err = statusOf(() => apply(undefined, body, 'mgr'));
    assert.equal(err.code, code);
    assert.equal(err.message, message);
  });
}

test('without a kind to check, a version mismatch is worded as the structured merge manager does', () => {
  const err = statusOf(() => apply(undefined, { ...obj({}), apiVersion: 'v1' }, 'mgr', { kind: undefined }));
  assert.equal(err.message, 'Incorrect version specified in apply patch. Specified patch version: v1, expected: example.com/v1');
});

test('null managedFields in the body are allowed', () => {
  const r = apply(undefined, obj({ spec: { a: '1' } }, { managedFields: null }), 'mgr');
  assert.equal(r.managedFields?.length, 1);
});

// ---------------------------------------------------------------------------------------------
// Status and reset fields

test('apply on /status takes only status and owns it under the subresource; spec is reset', () => {
  const live = stored(apply(undefined, obj({ spec: { a: '1' } }), 'kubectl').object);
  const r = apply(live, obj({ spec: { a: 'changed' }, status: { phase: 'Ready' } }), 'ctrl', { subresource: 'status', time: T2 });
  assert.deepEqual(r.object.spec, { a: '1' });
  assert.deepEqual(r.object.status, { phase: 'Ready' });
  assert.deepEqual(entry(r, 'ctrl'), {
    manager: 'ctrl',
    operation: 'Apply',
    apiVersion: GV,
    time: T2,
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:status': { 'f:phase': {} } },
    subresource: 'status',
  });
  assert.ok(entry(r, 'kubectl'), 'the spec owner keeps its fields');
});

test('a status-only change applied to /status under its own manager is a no-op when repeated', () => {
  const live = stored(apply(undefined, obj({ spec: { a: '1' } }), 'kubectl').object);
  const first = apply(live, obj({ status: { ready: true } }), 'ctrl', { subresource: 'status' });
  const again = apply(stored(first.object), obj({ spec: { a: 'ignored' }, status: { ready: true } }), 'ctrl', { subresource: 'status', time: T2 });
  assert.deepEqual(again.object, stored(first.object));
});

test('reset fields given for the main resource are neither set nor owned', () => {
  const live = updated(undefined, obj({ spec: { a: '1' }, status: { phase: 'Ready' } }), 'ctrl');
  const r = apply(live, obj({ spec: { a: '1', b: '2' }, status: { phase: 'Lost' } }), 'kubectl', { resetFields: { 'f:status': {} } });
  assert.deepEqual(r.object.status, { phase: 'Ready' });
  assert.deepEqual(fieldsOf(r, 'kubectl'), { 'f:spec': { 'f:a': {}, 'f:b': {} } });
});

// ---------------------------------------------------------------------------------------------
// Objects nobody tracked, and kubectl's last-applied annotation

test('the first apply to an untracked object records its fields as before-first-apply', () => {
  const live = stored(obj({ spec: { a: '1' } }) as KubeObject);
  const err = statusOf(() => apply(live, obj({ spec: { a: '2' } }), 'mgr'));
  assert.equal(err.message, `Apply failed with 1 conflict: conflict with "${BEFORE_FIRST_APPLY}" using ${GV}: .spec.a`);
  const r = apply(live, obj({ spec: { b: '2' } }), 'mgr');
  assert.deepEqual(fieldsOf(r, BEFORE_FIRST_APPLY), { 'f:spec': { '.': {}, 'f:a': {} } });
  assert.deepEqual(r.object.spec, { a: '1', b: '2' });
});

/** An object as `kubectl apply` (client-side) leaves it: the annotation records the file. */
function clientSideApplied(file: Record<string, unknown>): KubeObject {
  const annotated = structuredClone(file) as KubeObject;
  annotated.metadata.annotations = { ...annotated.metadata.annotations, [LAST_APPLIED_ANNOTATION]: buildLastApplied(file) };
  return updated(undefined, annotated, 'kubectl-client-side-apply');
}

test('kubectl may take over fields its last-applied annotation records; the annotation follows the new config', () => {
  const live = clientSideApplied(obj({ spec: { reference: 'one', a: 'x' } }));
  const config = obj({ spec: { reference: 'two', a: 'x' } });
  const r = apply(live, config, 'kubectl', { time: T2 });
  assert.deepEqual(r.object.spec, { reference: 'two', a: 'x' });
  assert.equal(r.object.metadata.annotations?.[LAST_APPLIED_ANNOTATION], `${goJSON(config)}\n`);
  assert.deepEqual(fieldsOf(r, 'kubectl'), { 'f:spec': { 'f:a': {}, 'f:reference': {} } });
  const csa = fieldsOf(r, 'kubectl-client-side-apply') as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(csa['f:spec']), ['.', 'f:a'], 'the forced field left the client-side manager');
});

test('the last-applied rule forgives only recorded fields that still hold the recorded value', () => {
  const csa = clientSideApplied(obj({ spec: { reference: 'one' } }));
  // A later edit changed the recorded field and added another: neither is covered by the annotation.
  const edited = updated(csa, obj({ spec: { reference: 'edited', a: 'e' } }, { annotations: csa.metadata.annotations, managedFields: csa.metadata.managedFields }), 'kubectl-edit');
  const err = statusOf(() => apply(edited, obj({ spec: { reference: 'two', a: 'mine' } }), 'kubectl'));
  assert.equal(err.message, `Apply failed with 2 conflicts: conflicts with "kubectl-edit" using ${GV}:\n- .spec.a\n- .spec.reference`);
});

test('only the kubectl manager gets the last-applied rule', () => {
  const live = clientSideApplied(obj({ spec: { reference: 'one' } }));
  const err = statusOf(() => apply(live, obj({ spec: { reference: 'two' } }), 'other'));
  assert.equal(err.message, `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using ${GV}: .spec.reference`);
  const forced = apply(live, obj({ spec: { reference: 'two' } }), 'other', { force: true });
  assert.equal(forced.object.metadata.annotations?.[LAST_APPLIED_ANNOTATION], live.metadata.annotations?.[LAST_APPLIED_ANNOTATION], 'the annotation is left alone');
});

test('the annotation is Go JSON of the applied object without the annotation itself', () => {
  const applied = { kind: 'Thing', apiVersion: GV, metadata: { name: 'x', annotations: { [LAST_APPLIED_ANNOTATION]: 'old', z: 'a<b&c>' } }, spec: { b: 1.5, a: [true, null] } };
  assert.equal(
    buildLastApplied(applied),
    '{"apiVersion":"example.com/v1","kind":"Thing","metadata":{"annotations":{"z":"a\\u003cb\\u0026c\\u003e"},"name":"x"},"spec":{"a":[true,null],"b":1.5}}\n',
  );
  assert.equal(buildLastApplied({ metadata: { annotations: null } }), '{"metadata":{}}\n');
});

test('an unusable annotation gives no leeway', () => {
  for (const annotation of ['not json', JSON.stringify({ apiVersion: 'other/v1', kind: 'Thing', spec: { reference: 'one' } }), JSON.stringify({ apiVersion: GV, kind: 'Thing', spec: { unknown: 1 } })]) {
    const live = updated(undefined, obj({ spec: { reference: 'one' } }, { annotations: { [LAST_APPLIED_ANNOTATION]: annotation } }), 'kubectl-client-side-apply');
    const err = statusOf(() => apply(live, obj({ spec: { reference: 'two' } }), 'kubectl'));
    assert.equal(err.code, 409, annotation);
  }
});

// ---------------------------------------------------------------------------------------------
// A real kind: ImageStream (its TagReference.from is an atomic ObjectReference)

test('ImageStream: conflicting on an atomic ObjectReference names the reference itself', () => {
  const isSchema = JSON.parse(readFileSync(new URL('../../schemas/image.openshift.io/ImageStream.json', import.meta.url), 'utf8')) as FieldSchema;
  const IGV = 'image.openshift.io/v1';
  const stream = (name: string) => ({ apiVersion: IGV, kind: 'ImageStream', metadata: { name: 'ruby', namespace: 'default' }, spec: { tags: [{ name: 'latest', from: { kind: 'DockerImage', name } }] } });
  const live = structuredClone(stream('ruby:2.7')) as KubeObject;
  live.metadata.managedFields = updateManagedFields({ obj: live, manager: 'kubectl-client-side-apply', apiVersion: IGV, time: T0, schema: isSchema });
  const input = { live, manager: 'kubectl', force: false, apiVersion: IGV, subresource: '', time: T1, schema: isSchema, kind: 'ImageStream' };
  const err = statusOf(() => applyConfiguration({ ...input, applied: stream('ruby:3.0') }));
  assert.equal(err.message, `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using ${IGV}: .spec.tags[name="latest"].from`);
  const same = applyConfiguration({ ...input, applied: stream('ruby:2.7') });
  assert.deepEqual(same.object.spec, live.spec);
  assert.deepEqual(fieldsOf(same, 'kubectl'), { 'f:spec': { 'f:tags': { 'k:{"name":"latest"}': { '.': {}, 'f:from': {}, 'f:name': {} } } } });
});

// ---------------------------------------------------------------------------------------------
// Building blocks

test('path elements print as fieldpath does', () => {
  assert.equal(pathString(['f:spec', 'f:tags', 'k:{"name":"latest"}', 'f:from']), '.spec.tags[name="latest"].from');
  assert.equal(pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}']), '.spec.ports[port=80,protocol="TCP"]');
  assert.equal(pathString(['f:metadata', 'f:finalizers', 'v:"a\\"b"']), '.metadata.finalizers[="a\\"b"]');
  assert.equal(pathString(['f:args', 'i:3']), '.args[3]');
  assert.equal(goNumber(1.5), '1.5');
  assert.equal(goNumber(1e21), '1e+21');
  assert.equal(goNumber(0.00001), '1e-05');
});

test('named struct fields above owned paths become members; map entries and items do not', () => {
  const set = fieldSetFromFieldsV1({ 'f:metadata': { 'f:labels': { 'f:a': {} } }, 'f:spec': { 'f:tags': { 'k:{"name":"t"}': { 'f:from': { 'f:name': {} } } } }, 'f:data': { 'f:k': {} } });
  assert.deepEqual(fieldSetToFieldsV1(ensureNamedFieldsAreMembers(set, schema)), {
    'f:data': { '.': {}, 'f:k': {} },
    'f:metadata': { '.': {}, 'f:labels': { '.': {}, 'f:a': {} } },
    'f:spec': { '.': {}, 'f:tags': { '.': {}, 'k:{"name":"t"}': { 'f:from': { '.': {}, 'f:name': {} } } } },
  });
});

test('removeItems drops whole subtrees of member paths and keeps everything else', () => {
  const value = { spec: { a: '1', b: '2', tags: [{ name: 'x', from: { kind: 'K', name: 'n' } }, { name: 'y' }], finalizers: ['p', 'q'] } };
  const remove = fieldSetFromFieldsV1({ 'f:spec': { 'f:a': {}, 'f:tags': { 'k:{"name":"x"}': { 'f:from': {} }, 'k:{"name":"y"}': {} }, 'f:finalizers': { 'v:"q"': {} } } });
  assert.deepEqual(removeItems(value, remove, schema), { spec: { b: '2', tags: [{ name: 'x' }], finalizers: ['p'] } });
  assert.deepEqual(value.spec.tags.length, 2, 'input untouched');
});
