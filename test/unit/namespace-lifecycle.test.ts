import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { notFound, type GroupResource } from '../../src/machinery/errors.js';
import type { KubeObject } from '../../src/machinery/object.js';
import type { REST, UpdatedObjectInfo, WriteOptions } from '../../src/registry/rest.js';
import { NamespaceAdmission } from '../../src/server/cluster/admitted-rest.js';
import { admissionName, NamespaceLifecycle, namespaceLifecycleError } from '../../src/server/cluster/namespace-lifecycle.js';
import type { Namespace } from '../../src/server/auth/kube-client.js';

const GR: GroupResource = { group: 'image.openshift.io', resource: 'imagestreams' };
const status = (code: number, reason: string, message: string, details: object) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  details,
  code,
});

describe('namespaceLifecycleError', () => {
  test('a missing namespace: the NotFound kube-apiserver answers, for creates and updates', () => {
    for (const op of ['create', 'update'] as const) {
      assert.deepEqual(
        namespaceLifecycleError('missing', op, 'foo', GR, 'x')?.status,
        status(404, 'NotFound', 'namespaces "foo" not found', { name: 'foo', kind: 'namespaces' }),
      );
    }
  });

  test('a create in a terminating namespace: 403 with the NamespaceTerminating cause', () => {
    assert.deepEqual(
      namespaceLifecycleError('terminating', 'create', 'foo', GR, 'x')?.status,
      status(403, 'Forbidden', 'imagestreams.image.openshift.io "x" is forbidden: unable to create new content in namespace foo because it is being terminated', {
        name: 'x',
        group: 'image.openshift.io',
        kind: 'imagestreams',
        causes: [{ reason: 'NamespaceTerminating', message: 'namespace foo is being terminated', field: 'metadata.namespace' }],
      }),
    );
  });

  test('updates in a terminating namespace and anything in an active one are admitted', () => {
    assert.equal(namespaceLifecycleError('terminating', 'update', 'foo', GR, 'x'), undefined);
    assert.equal(namespaceLifecycleError('active', 'create', 'foo', GR, 'x'), undefined);
    assert.equal(namespaceLifecycleError('active', 'update', 'foo', GR, 'x'), undefined);
  });

  test('the name admission reports: name, else generateName, else Unknown', () => {
    assert.equal(admissionName({ metadata: { name: 'a', generateName: 'b-' } }), 'a');
    assert.equal(admissionName({ metadata: { generateName: 'b-' } }), 'b-');
    assert.equal(admissionName({ metadata: {} }), 'Unknown');
    assert.equal(admissionName({}), 'Unknown');
  });
});

/** A namespace reader over a mutable table, counting reads. */
function namespaces(table: Record<string, Namespace | Error>) {
  const reads: string[] = [];
  const read = async (name: string) => {
    reads.push(name);
    const ns = table[name];
    if (ns instanceof Error) throw ns;
    return ns;
  };
  return { table, reads, read };
}

const active = (name: string): Namespace => ({ metadata: { name }, status: { phase: 'Active' } });
const terminating = (name: string): Namespace => ({ metadata: { name, deletionTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Terminating' } });

describe('NamespaceLifecycle', () => {
  test('namespaces that exist are kept for the TTL; missing ones are read every time', async () => {
    let now = 0;
    const ns = namespaces({ a: active('a'), t: terminating('t') });
    const lifecycle = new NamespaceLifecycle(ns.read, { ttlMs: 1000, now: () => now });
    assert.equal(await lifecycle.state('a'), 'active');
    assert.equal(await lifecycle.state('a'), 'active');
    assert.equal(await lifecycle.state('t'), 'terminating');
    assert.equal(await lifecycle.state('gone'), 'missing');
    assert.equal(await lifecycle.state('gone'), 'missing');
    assert.deepEqual(ns.reads, ['a', 't', 'gone', 'gone']);
    ns.table.a = terminating('a');
    now = 999;
    assert.equal(await lifecycle.state('a'), 'active');
    now = 1000;
    assert.equal(await lifecycle.state('a'), 'terminating');
  });

  test('concurrent lookups of one namespace share one read', async () => {
    const ns = namespaces({ a: active('a') });
    const lifecycle = new NamespaceLifecycle(ns.read);
    await Promise.all([lifecycle.state('a'), lifecycle.state('a'), lifecycle.state('a')]);
    assert.deepEqual(ns.reads, ['a']);
  });

  test('a failed read is an InternalError', async () => {
    const ns = namespaces({ a: new Error('namespaces "a" is forbidden: User "x" cannot get resource "namespaces"') });
    const lifecycle = new NamespaceLifecycle(ns.read);
    await assert.rejects(lifecycle.state('a'), (err: any) => {
      assert.equal(err.status.code, 500);
      assert.equal(err.status.reason, 'InternalError');
      assert.equal(err.status.message, 'Internal error occurred: namespaces "a" is forbidden: User "x" cannot get resource "namespaces"');
      return true;
    });
  });
});

/** A REST over a map, enough to see when admission runs relative to the store's own checks. */
function fakeREST(namespaced = true) {
  const objects = new Map<string, KubeObject>();
  const calls: string[] = [];
  const rest: REST = {
    def: { namespaced } as REST['def'],
    gr: GR,
    apiVersion: 'image.openshift.io/v1',
    schemaForPruning: () => ({}),
    selectableFieldNames: () => [],
    get: async (ns, name) => {
      const obj = objects.get(`${ns}/${name}`);
      if (!obj) throw notFound(GR, name);
      return obj;
    },
    create: async (ns, body) => {
      calls.push(`create ${ns}/${body.metadata.name}`);
      objects.set(`${ns}/${body.metadata.name}`, body);
      return { object: body, warnings: [], created: true };
    },
    update: async (ns, name, objInfo: UpdatedObjectInfo, _opts, extra) => {
      calls.push(`update ${ns}/${name}`);
      const current = objects.get(`${ns}/${name}`);
      // As the generic Store: a missing object is NotFound unless the write may create it.
      if (!current && !extra.apply) throw notFound(GR, name);
      const obj = objInfo(current);
      objects.set(`${ns}/${name}`, obj);
      return { object: obj, warnings: [], created: !current };
    },
  };
  return { rest, objects, calls };
}

const OPTS: WriteOptions = { dryRun: false, fieldManager: 'test', ctx: { user: 'u', groups: [], dryRun: false } };
const stream = (name: string): KubeObject => ({ apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', metadata: { name } }) as KubeObject;

describe('NamespaceAdmission', () => {
  const setup = () => {
    const ns = namespaces({ live: active('live'), ending: terminating('ending') });
    const admission = new NamespaceAdmission(new NamespaceLifecycle(ns.read));
    const fake = fakeREST();
    return { ns, fake, rest: admission.admitted(fake.rest), admission };
  };

  test('creates are refused before the store sees them', async () => {
    const { fake, rest } = setup();
    await assert.rejects(rest.create!('gone', stream('a'), OPTS), (err: any) => err.status.code === 404 && err.status.message === 'namespaces "gone" not found');
    await assert.rejects(rest.create!('ending', { metadata: { generateName: 'gen-' } } as KubeObject, OPTS), (err: any) => {
      assert.equal(err.status.code, 403);
      assert.equal(err.status.details.name, 'gen-');
      return true;
    });
    await rest.create!('live', stream('a'), OPTS);
    assert.deepEqual(fake.calls, ['create live/a']);
  });

  test('updates: a missing object is reported first, then the namespace; terminating namespaces take updates', async () => {
    const { fake, ns, rest } = setup();
    await assert.rejects(rest.update!('gone', 'a', () => stream('a'), OPTS, { subresource: '', isPatch: false }), (err: any) => err.status.message === 'imagestreams.image.openshift.io "a" not found');
    fake.objects.set('gone/b', stream('b'));
    await assert.rejects(rest.update!('gone', 'b', () => stream('b'), OPTS, { subresource: '', isPatch: false }), (err: any) => err.status.message === 'namespaces "gone" not found');
    fake.objects.set('ending/c', stream('c'));
    const updated = await rest.update!('ending', 'c', () => stream('c'), OPTS, { subresource: 'status', isPatch: true });
    assert.equal(updated.created, false);
    // An apply that creates is a create.
    await assert.rejects(rest.update!('ending', 'd', () => stream('d'), OPTS, { subresource: '', isPatch: true, apply: true }), (err: any) => err.status.code === 403);
    assert.deepEqual(ns.reads, ['gone', 'gone', 'ending']);
  });

  test('reads and deletes pass through; cluster-scoped kinds are not wrapped; wrappers are reused', async () => {
    const { fake, rest, admission } = setup();
    fake.objects.set('gone/x', stream('x'));
    assert.equal((await rest.get!('gone', 'x', OPTS.ctx)).metadata.name, 'x');
    assert.equal(rest.list, undefined);
    assert.equal(admission.admitted(fake.rest), rest);
    const cluster = fakeREST(false);
    assert.equal(admission.admitted(cluster.rest), cluster.rest);
  });
});
