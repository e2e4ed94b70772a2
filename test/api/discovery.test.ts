// Discovery over HTTP: aggregated /apis (v2 and v2beta1) with ETag caching as kube-apiserver serves it, the legacy
// documents beside it, and every served kind described as upstream describes it (names, scope, verbs, short names,
// categories, subresources).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { servedReferenceKinds, type ReferenceKind } from '../support/reference-kinds.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
/** What kubectl 1.32 (client-go) sends for /api and /apis. */
const KUBECTL_ACCEPT = `${V2},${V2BETA1},application/json`;

const sha512 = (text: string) => `"${createHash('sha512').update(text).digest('hex').toUpperCase()}"`;
const groups = () => [...new Set(servedReferenceKinds().map((k) => k.group))].sort();

/** The aggregated entry kube-apiserver publishes for a kind (CRDs name their group/version in responseKind). */
function expectedResource(ref: ReferenceKind): Record<string, unknown> {
  const crd = ref.group === 'config.openshift.io';
  const responseKind = (kind: string) => (crd ? { group: ref.group, version: 'v1', kind } : { group: '', version: '', kind });
  const entry: Record<string, unknown> = {
    resource: ref.plural,
    responseKind: responseKind(ref.kind),
    scope: ref.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: ref.singular,
    verbs: ref.verbs,
  };
  if (ref.shortNames.length) entry.shortNames = ref.shortNames;
  if (ref.categories.length) entry.categories = ref.categories;
  const subs = Object.entries(ref.subresources);
  if (subs.length) {
    entry.subresources = subs
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([subresource, [kind, verbs]]) => ({ subresource, responseKind: responseKind(kind), verbs }));
  }
  return entry;
}

describe('aggregated discovery', () => {
  for (const [version, accept] of [
    ['v2', KUBECTL_ACCEPT],
    ['v2', V2],
    ['v2beta1', V2BETA1],
    ['v2beta1', `${V2BETA1},${V2};q=0.9,application/json;q=0.8`],
  ] as const) {
    test(`${version} for Accept ${accept}: content type, ETag of the exact body, Vary, public caching`, async () => {
      const res = await srv.request('GET', '/apis?timeout=32s', { headers: { accept } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('content-type'), `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`);
      assert.equal(res.headers.get('etag'), sha512(res.text));
      assert.equal(res.headers.get('vary'), 'Accept');
      assert.equal(res.headers.get('cache-control'), 'public');
      assert.equal(res.json.kind, 'APIGroupDiscoveryList');
      assert.equal(res.json.apiVersion, `apidiscovery.k8s.io/${version}`);
      assert.deepEqual(res.json.metadata, {});
    });
  }

  test('If-None-Match with the current ETag is 304 without a body; another ETag gets the document', async () => {
    for (const accept of [V2, V2BETA1]) {
      const first = await srv.request('GET', '/apis', { headers: { accept } });
      const etag = first.headers.get('etag')!;
      const cached = await srv.request('GET', '/apis', { headers: { accept, 'if-none-match': etag } });
      assert.equal(cached.status, 304);
      assert.equal(cached.text, '');
      assert.equal(cached.headers.get('etag'), etag);
      const stale = await srv.request('GET', '/apis', { headers: { accept, 'if-none-match': '"0123"' } });
      assert.equal(stale.status, 200);
      assert.equal(stale.text, first.text);
    }
    const v2 = await srv.request('GET', '/apis', { headers: { accept: V2 } });
    const beta = await srv.request('GET', '/apis', { headers: { accept: V2BETA1 } });
    assert.notEqual(v2.headers.get('etag'), beta.headers.get('etag'), 'each representation has its own ETag');
    // A v2 ETag does not validate the v2beta1 document.
    const crossed = await srv.request('GET', '/apis', { headers: { accept: V2BETA1, 'if-none-match': v2.headers.get('etag')! } });
    assert.equal(crossed.status, 200);
  });

  test('both groups, v1 Current, every served kind as upstream describes it', async () => {
    for (const accept of [V2, V2BETA1]) {
      const doc = (await srv.request('GET', '/apis', { headers: { accept } })).json;
      // openshift-apiserver's group (APIService priority 9900) before the CRD group (1000), as kube-apiserver orders them.
      assert.deepEqual(doc.items.map((g: any) => g.metadata.name), ['image.openshift.io', 'config.openshift.io']);
      for (const group of doc.items) {
        assert.deepEqual(group.metadata, { name: group.metadata.name, creationTimestamp: null });
        assert.deepEqual(group.versions.map((v: any) => [v.version, v.freshness]), [['v1', 'Current']]);
        const expected = servedReferenceKinds()
          .filter((k) => k.group === group.metadata.name)
          .map(expectedResource)
          .sort((a, b) => ((a.resource as string) < (b.resource as string) ? -1 : 1));
        assert.deepEqual(group.versions[0].resources, expected, group.metadata.name);
      }
    }
  });

  test('/api has no core group: 404 even for the aggregated Accept', async () => {
    const res = await srv.request('GET', '/api?timeout=32s', { headers: { accept: KUBECTL_ACCEPT } });
    assert.equal(res.status, 404);
  });

  test('a request for neither aggregated form gets the legacy APIGroupList, without an ETag', async () => {
    for (const accept of ['application/json', 'application/json, */*', '*/*', '']) {
      const res = await srv.request('GET', '/apis', { headers: accept ? { accept } : {} });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(res.headers.get('etag'), null);
      assert.equal(res.json.kind, 'APIGroupList');
      assert.deepEqual(res.json.groups.map((g: any) => g.name), ['image.openshift.io', 'config.openshift.io']);
      for (const g of res.json.groups) {
        assert.deepEqual(g.versions, [{ groupVersion: `${g.name}/v1`, version: 'v1' }]);
        assert.deepEqual(g.preferredVersion, { groupVersion: `${g.name}/v1`, version: 'v1' });
      }
    }
  });

  test('an aggregated clause with an unknown version or kind is skipped, as client-go expects', async () => {
    const res = await srv.request('GET', '/apis', { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json' } });
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.json.kind, 'APIGroupList');
  });
});

describe('legacy discovery agrees with the aggregated document', () => {
  test('/apis/<group> and /apis/<group>/v1: the same kinds, scopes, verbs, short names and categories', async () => {
    const aggregated = (await srv.request('GET', '/apis', { headers: { accept: V2 } })).json;
    for (const group of groups()) {
      const apiGroup = await srv.request('GET', `/apis/${group}`);
      assert.equal(apiGroup.status, 200);
      assert.equal(apiGroup.json.kind, 'APIGroup');
      assert.equal(apiGroup.json.name, group);

      const list = await srv.request('GET', `/apis/${group}/v1`, { headers: { accept: 'application/json, */*' } });
      assert.equal(list.status, 200);
      assert.equal(list.json.kind, 'APIResourceList');
      assert.equal(list.json.groupVersion, `${group}/v1`);
      const agg = aggregated.items.find((g: any) => g.metadata.name === group).versions[0].resources;
      for (const resource of agg) {
        const legacy = list.json.resources.find((r: any) => r.name === resource.resource);
        assert.ok(legacy, `${group} ${resource.resource} missing from the APIResourceList`);
        assert.equal(legacy.singularName, resource.singularResource);
        assert.equal(legacy.namespaced, resource.scope === 'Namespaced');
        assert.equal(legacy.kind, resource.responseKind.kind);
        assert.deepEqual(legacy.verbs, resource.verbs);
        assert.deepEqual(legacy.shortNames, resource.shortNames);
        assert.deepEqual(legacy.categories, resource.categories);
        for (const sub of resource.subresources ?? []) {
          const entry = list.json.resources.find((r: any) => r.name === `${resource.resource}/${sub.subresource}`);
          assert.ok(entry, `${resource.resource}/${sub.subresource}`);
          assert.deepEqual([entry.singularName, entry.kind, entry.verbs], ['', sub.responseKind.kind, sub.verbs]);
        }
      }
      assert.equal(list.json.resources.length, agg.reduce((n: number, r: any) => n + 1 + (r.subresources?.length ?? 0), 0));
    }
  });

  test('unknown groups and versions are 404', async () => {
    for (const path of ['/apis/example.com', '/apis/example.com/v1', '/apis/image.openshift.io/v2']) {
      assert.equal((await srv.request('GET', path)).status, 404, path);
    }
  });
});
