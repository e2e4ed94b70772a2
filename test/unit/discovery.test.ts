import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { typeMetaProperties } from '../../src/apis/meta/v1/object-meta.js';
import type { ResourceDefinition } from '../../src/registry/resource.js';
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  compareKubeAwareVersions,
  etagOf,
  negotiateDiscovery,
  storageVersionHash,
} from '../../src/server/discovery.js';

const strategy = { allowCreateOnUpdate: false, allowUnconditionalUpdate: true, generation: 'spec', nameRule: 'dns-subdomain' } as const;

// sample-apiserver's Flunder: namespaced, with status, a short name and a category.
const flunder: ResourceDefinition = {
  group: 'wardle.example.com',
  version: 'v1alpha1',
  kind: 'Flunder',
  listKind: 'FlunderList',
  plural: 'flunders',
  singular: 'flunder',
  namespaced: true,
  shortNames: ['fl'],
  categories: ['all'],
  // Deliberately unsorted: discovery sorts.
  verbs: ['watch', 'update', 'patch', 'list', 'get', 'deletecollection', 'delete', 'create'],
  subresources: [{ name: 'status', kind: 'Flunder', verbs: ['update', 'patch', 'get'] }],
  schema: Type.Object({ ...typeMetaProperties(), spec: Type.Optional(Type.Object({ reference: Type.Optional(Type.String()) })) }),
  openAPIName: 'com.example.wardle.v1alpha1.Flunder',
  validation: 'typed',
  strategicMergePatch: false,
  strategy,
};

// A cluster-scoped kind without subresources, short names or categories.
const fischer: ResourceDefinition = {
  group: 'wardle.example.com',
  version: 'v1alpha1',
  kind: 'Fischer',
  listKind: 'FischerList',
  plural: 'fischers',
  singular: 'fischer',
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  schema: Type.Object({ ...typeMetaProperties(), disallowedFlunders: Type.Optional(Type.Array(Type.String())) }),
  openAPIName: 'com.example.wardle.v1alpha1.Fischer',
  validation: 'typed',
  strategicMergePatch: false,
  strategy,
};

const defs = [flunder, fischer];
const gvEntry = { groupVersion: 'wardle.example.com/v1alpha1', version: 'v1alpha1' };
const kubectlAccept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

test('storageVersionHash is base64 of the first 8 bytes of SHA-256 over group/version/kind', () => {
  assert.equal(storageVersionHash('wardle.example.com', 'v1alpha1', 'Flunder'), 'UHqNx5H3K7A=');
  const expected = createHash('sha256').update('image.openshift.io/v1/Image').digest().subarray(0, 8).toString('base64');
  assert.equal(storageVersionHash('image.openshift.io', 'v1', 'Image'), expected);
});

test('/apis legacy APIGroupList', () => {
  assert.deepEqual(apiGroupList(defs), {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{ name: 'wardle.example.com', versions: [gvEntry], preferredVersion: gvEntry }],
  });
  assert.deepEqual(apiGroupList([]), { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
});

test('/apis/G APIGroup, undefined for an unknown group', () => {
  assert.deepEqual(apiGroup(defs, 'wardle.example.com'), {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: 'wardle.example.com',
    versions: [gvEntry],
    preferredVersion: gvEntry,
  });
  assert.equal(apiGroup(defs, 'nope.example.com'), undefined);
});

test('versions are ordered most preferred first (kube-aware order) and the first is preferred', () => {
  const versions = ['v1alpha1', 'v2beta1', 'v1', 'v2', 'v1beta2', 'foo'];
  const multi = versions.map((version) => ({ ...fischer, version }));
  const group = apiGroup(multi, 'wardle.example.com')!;
  assert.deepEqual(group.versions.map((v) => v.version), ['v2', 'v1', 'v2beta1', 'v1beta2', 'v1alpha1', 'foo']);
  assert.deepEqual(group.preferredVersion, { groupVersion: 'wardle.example.com/v2', version: 'v2' });
  assert.deepEqual(apiGroupList(multi).groups[0].versions, group.versions);
  // The example list of k8s.io/apimachinery's CompareKubeAwareVersionStrings.
  const sorted = ['foo10', 'v12alpha1', 'v1', 'v11beta2', 'foo1', 'v3beta1', 'v2', 'v10beta3', 'v10', 'v11alpha2'].sort((a, b) => compareKubeAwareVersions(b, a));
  assert.deepEqual(sorted, ['v10', 'v2', 'v1', 'v11beta2', 'v10beta3', 'v3beta1', 'v12alpha1', 'v11alpha2', 'foo1', 'foo10']);
});

test('/apis/G/V APIResourceList field by field', () => {
  const list = apiResourceList(defs, 'wardle.example.com', 'v1alpha1');
  assert.deepEqual(list, {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'wardle.example.com/v1alpha1',
    resources: [
      {
        name: 'fischers',
        singularName: 'fischer',
        namespaced: false,
        kind: 'Fischer',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        storageVersionHash: storageVersionHash('wardle.example.com', 'v1alpha1', 'Fischer'),
      },
      {
        name: 'flunders',
        singularName: 'flunder',
        namespaced: true,
        kind: 'Flunder',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['fl'],
        categories: ['all'],
        storageVersionHash: 'UHqNx5H3K7A=',
      },
      { name: 'flunders/status', singularName: '', namespaced: true, kind: 'Flunder', verbs: ['get', 'patch', 'update'] },
    ],
  });
  // Same bytes as the §1.4 example: Go's field order, singularName emitted even when empty.
  assert.equal(
    JSON.stringify(list!.resources[1]),
    '{"name":"flunders","singularName":"flunder","namespaced":true,"kind":"Flunder","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["fl"],"categories":["all"],"storageVersionHash":"UHqNx5H3K7A="}',
  );
  assert.equal(JSON.stringify(list!.resources[2]), '{"name":"flunders/status","singularName":"","namespaced":true,"kind":"Flunder","verbs":["get","patch","update"]}');
  assert.equal(apiResourceList(defs, 'wardle.example.com', 'v9'), undefined);
  assert.equal(apiResourceList(defs, 'other.example.com', 'v1alpha1'), undefined);
});

test('subresources keep their own kind; derived (non-watchable) resources get no storageVersionHash', () => {
  const layered: ResourceDefinition = { ...flunder, subresources: [...flunder.subresources!, { name: 'layers', kind: 'FlunderLayers', verbs: ['get'] }] };
  const virtual: ResourceDefinition = { ...fischer, kind: 'FischerTag', plural: 'fischertags', singular: 'fischertag', verbs: ['get', 'create', 'delete', 'list', 'update', 'patch'] };
  const list = apiResourceList([layered, virtual], 'wardle.example.com', 'v1alpha1')!;
  assert.deepEqual(list.resources.map((r) => r.name), ['fischertags', 'flunders', 'flunders/layers', 'flunders/status']);
  assert.deepEqual(list.resources[2], { name: 'flunders/layers', singularName: '', namespaced: true, kind: 'FlunderLayers', verbs: ['get'] });
  assert.equal(list.resources[0].storageVersionHash, undefined);
  assert.equal('shortNames' in list.resources[0], false);
  assert.equal('categories' in list.resources[0], false);
});

test('CRD-backed kinds: apiextensions verb order, storageVersionHash, full responseKind', () => {
  const crd: ResourceDefinition = { ...fischer, group: 'config.example.com', version: 'v1', kind: 'Cfg', plural: 'cfgs', singular: 'cfg', validation: 'crd', subresources: [{ name: 'status', kind: 'Cfg', verbs: ['get', 'patch', 'update'] }] };
  const list = apiResourceList([crd], 'config.example.com', 'v1')!;
  assert.deepEqual(list.resources[0].verbs, ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']);
  assert.equal(list.resources[0].storageVersionHash, storageVersionHash('config.example.com', 'v1', 'Cfg'));
  const resource = aggregatedDiscovery([crd], 'v2').items[0].versions[0].resources![0];
  assert.deepEqual(resource.responseKind, { group: 'config.example.com', version: 'v1', kind: 'Cfg' });
  assert.deepEqual(resource.subresources, [{ subresource: 'status', responseKind: { group: 'config.example.com', version: 'v1', kind: 'Cfg' }, verbs: ['get', 'patch', 'update'] }]);
});

test('aggregated discovery v2 document', () => {
  const doc = aggregatedDiscovery(defs, 'v2');
  const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
  assert.deepEqual(doc, {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: [
      {
        metadata: { name: 'wardle.example.com', creationTimestamp: null },
        versions: [
          {
            version: 'v1alpha1',
            resources: [
              // The generic installer leaves group/version empty: "the containing group/version".
              { resource: 'fischers', responseKind: { group: '', version: '', kind: 'Fischer' }, scope: 'Cluster', singularResource: 'fischer', verbs },
              {
                resource: 'flunders',
                responseKind: { group: '', version: '', kind: 'Flunder' },
                scope: 'Namespaced',
                singularResource: 'flunder',
                verbs,
                shortNames: ['fl'],
                categories: ['all'],
                subresources: [{ subresource: 'status', responseKind: { group: '', version: '', kind: 'Flunder' }, verbs: ['get', 'patch', 'update'] }],
              },
            ],
            freshness: 'Current',
          },
        ],
      },
    ],
  });
  assert.match(JSON.stringify(doc), /^\{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io\/v2","metadata":\{\},"items":\[\{"metadata":\{"name":"wardle.example.com","creationTimestamp":null\}/);
  assert.equal(aggregatedDiscovery(defs, 'v2beta1').apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.deepEqual(aggregatedDiscovery(defs, 'v2beta1').items, doc.items);
});

test('groups sort by priority (aggregated servers over CRDs), then by name, in both documents', () => {
  const b = { ...fischer, group: 'b.example.com' };
  const a = { ...flunder, group: 'a.example.com' };
  const crd = { ...fischer, group: 'a-crd.example.com', validation: 'crd' as const };
  assert.deepEqual(aggregatedDiscovery([b, crd, a], 'v2').items.map((i) => i.metadata.name), ['a.example.com', 'b.example.com', 'a-crd.example.com']);
  assert.deepEqual(apiGroupList([b, crd, a]).groups.map((g) => g.name), ['a.example.com', 'b.example.com', 'a-crd.example.com']);
  const versions = aggregatedDiscovery([{ ...b, version: 'v1beta1' }, b, { ...b, version: 'v2alpha1' }], 'v2').items[0].versions.map((v) => v.version);
  assert.deepEqual(versions, ['v1alpha1', 'v2alpha1', 'v1beta1'].sort((x, y) => compareKubeAwareVersions(y, x)));
  assert.deepEqual(versions, ['v1beta1', 'v2alpha1', 'v1alpha1']);
});

test('etagOf is the quoted uppercase hex SHA-512 of the body', () => {
  const body = JSON.stringify(aggregatedDiscovery(defs, 'v2'));
  const etag = etagOf(body);
  assert.match(etag, /^"[0-9A-F]{128}"$/);
  assert.equal(etag, `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`);
  assert.notEqual(etagOf(`${body} `), etag);
});

test('negotiateDiscovery: kubectl and client-go headers', () => {
  assert.equal(negotiateDiscovery(kubectlAccept), 'v2');
  assert.equal(
    negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'),
    'v2beta1',
  );
  // Parameter order does not matter.
  assert.equal(negotiateDiscovery('application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io'), 'v2');
  // @kubernetes/client-node and the aggregator's fallback ask for plain JSON.
  assert.equal(negotiateDiscovery('application/json, */*;q=0.8'), 'legacy');
  assert.equal(negotiateDiscovery('application/json'), 'legacy');
});

test('negotiateDiscovery: missing, wildcard and unacceptable headers', () => {
  assert.equal(negotiateDiscovery(undefined), 'legacy');
  assert.equal(negotiateDiscovery(''), 'legacy');
  assert.equal(negotiateDiscovery('*/*'), 'legacy');
  assert.equal(negotiateDiscovery('application/*'), 'legacy');
  assert.equal(negotiateDiscovery('text/html'), 'not-acceptable');
  assert.equal(negotiateDiscovery('application/yaml'), 'not-acceptable');
  // Protobuf is skipped, not fatal, when JSON follows.
  assert.equal(negotiateDiscovery('application/vnd.kubernetes.protobuf, application/json'), 'legacy');
  assert.equal(negotiateDiscovery('application/vnd.kubernetes.protobuf'), 'not-acceptable');
});

test('negotiateDiscovery: q-values and specificity order the clauses', () => {
  assert.equal(negotiateDiscovery('application/json;q=0.5, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), 'v2');
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5, application/json'), 'legacy');
  assert.equal(negotiateDiscovery('*/*, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), 'v2');
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList;q=0.9, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), 'v2');
  // A q that Go's ParseFloat rejects counts as 0.
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=x, application/json;q=0.1'), 'legacy');
});

test('negotiateDiscovery: clauses with unsupported as/g/v/stream are skipped', () => {
  assert.equal(negotiateDiscovery('application/json;as=Table;g=meta.k8s.io;v=v1, application/json'), 'legacy');
  assert.equal(negotiateDiscovery('application/json;as=Table;g=meta.k8s.io;v=v1'), 'not-acceptable');
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList'), 'not-acceptable');
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;as=APIGroupDiscoveryList'), 'not-acceptable');
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;stream=watch, application/json'), 'legacy');
  // The legacy handler's own negotiation allows stream=watch on JSON.
  assert.equal(negotiateDiscovery('application/json;stream=watch'), 'legacy');
  assert.equal(negotiateDiscovery('application/json;pretty=1'), 'legacy');
});
