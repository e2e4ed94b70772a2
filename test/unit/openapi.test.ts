import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describedField } from '../../src/apis/meta/v1/field-description.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../src/apis/meta/v1/object-meta.js';
import type { ResourceDefinition } from '../../src/registry/resource.js';
import { loadSchema, renderSchemaFiles, schemaFilePath } from '../../src/registry/schema-files.js';
import { hashOf, openAPIv2, openAPIv3GroupVersion, openAPIv3Index, type OpenAPIOptions, type Schema } from '../../src/server/openapi.js';

const strategy = { allowCreateOnUpdate: false, allowUnconditionalUpdate: true, generation: 'spec', nameRule: 'dns-subdomain' } as const;

const FlunderSpec = Type.Object(
  {
    reference: Type.Optional(Type.String({ description: 'A name of another flunder or fischer.' })),
    referenceType: Type.Optional(Type.Union([Type.Literal('Flunder'), Type.Literal('Fischer')], { description: 'The type of the reference.' })),
    replicas: Type.Optional(Type.Integer({ format: 'int32', exclusiveMinimum: 0 })),
    owners: Type.Optional(Type.Record(Type.String(), Type.String())),
    since: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When it started.' })),
  },
  { description: 'FlunderSpec is the specification of a Flunder.', [OPENAPI_DEFINITION]: 'com.example.wardle.v1alpha1.FlunderSpec' },
);

const FlunderStatus = Type.Object(
  { observedGeneration: Type.Optional(Type.Integer({ format: 'int64' })) },
  { description: 'FlunderStatus is the status of a Flunder.', [OPENAPI_DEFINITION]: 'com.example.wardle.v1alpha1.FlunderStatus' },
);

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
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [{ name: 'status', kind: 'Flunder', verbs: ['get', 'patch', 'update'] }],
  schema: Type.Object(
    { ...typeMetaProperties(), spec: Type.Optional(describedField(FlunderSpec, 'spec is the desired state of the flunder.')), status: Type.Optional(FlunderStatus) },
    { $id: 'Flunder', additionalProperties: false, description: 'Flunder is an example type with a spec and a status.' },
  ),
  openAPIName: 'com.example.wardle.v1alpha1.Flunder',
  validation: 'typed',
  strategicMergePatch: false,
  strategy,
};

const fischer: ResourceDefinition = {
  group: 'wardle.example.com',
  version: 'v1alpha1',
  kind: 'Fischer',
  listKind: 'FischerList',
  plural: 'fischers',
  singular: 'fischer',
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  schema: Type.Object(
    { ...typeMetaProperties(), disallowedFlunders: Type.Optional(Type.Array(Type.String(), { description: 'Flunders this fischer refuses.' })) },
    { additionalProperties: false, description: 'Fischer is a cluster-scoped example type.' },
  ),
  openAPIName: 'com.example.wardle.v1alpha1.Fischer',
  validation: 'typed',
  strategicMergePatch: true,
  strategy,
};

const defs = [flunder, fischer];
const JSON_PATCHES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
const options: OpenAPIOptions = {
  patchTypes: (def) => (def.strategicMergePatch ? [...JSON_PATCHES, 'application/strategic-merge-patch+json'] : JSON_PATCHES),
};
const GVK = { group: 'wardle.example.com', kind: 'Flunder', version: 'v1alpha1' };
const ROOT = '/apis/wardle.example.com/v1alpha1';
const NS = `${ROOT}/namespaces/{namespace}/flunders`;
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const v3 = () => openAPIv3GroupVersion(defs, 'wardle.example.com', 'v1alpha1', options)!;
const op = (doc: { paths: Record<string, Schema> }, path: string, method: string) => {
  const item = doc.paths[path];
  assert.ok(item, `missing path ${path}`);
  assert.ok(item[method], `missing ${method} ${path}`);
  return item[method] as Schema;
};
const names = (params: unknown) => ((params as Schema[] | undefined) ?? []).map((p) => p.name);

/** Every `$ref` anywhere in a document. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref') found.push(child as string);
      else refsIn(child, found);
    }
  }
  return found;
}

/** Every object key anywhere in a document. */
function keysIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      found.add(key);
      keysIn(child, found);
    }
  }
  return found;
}

test('v3 GV document: the paths kube-openapi emits for a namespaced and a cluster-scoped kind', () => {
  const doc = v3();
  assert.equal(doc.openapi, '3.0.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'unversioned' });
  assert.deepEqual(Object.keys(doc.paths), [
    `${ROOT}/`,
    `${ROOT}/fischers`,
    `${ROOT}/fischers/{name}`,
    `${ROOT}/flunders`,
    NS,
    `${NS}/{name}`,
    `${NS}/{name}/status`,
    `${ROOT}/watch/fischers`,
    `${ROOT}/watch/fischers/{name}`,
    `${ROOT}/watch/flunders`,
    `${ROOT}/watch/namespaces/{namespace}/flunders`,
    `${ROOT}/watch/namespaces/{namespace}/flunders/{name}`,
  ]);
  assert.equal(openAPIv3GroupVersion(defs, 'wardle.example.com', 'v2', options), undefined);
});

test('v3 operation ids, actions and GVKs follow the installer', () => {
  const doc = v3();
  const expected: [string, string, string, string][] = [
    [NS, 'get', 'listWardleExampleComV1alpha1NamespacedFlunder', 'list'],
    [NS, 'post', 'createWardleExampleComV1alpha1NamespacedFlunder', 'post'],
    [NS, 'delete', 'deleteWardleExampleComV1alpha1CollectionNamespacedFlunder', 'deletecollection'],
    [`${NS}/{name}`, 'get', 'readWardleExampleComV1alpha1NamespacedFlunder', 'get'],
    [`${NS}/{name}`, 'put', 'replaceWardleExampleComV1alpha1NamespacedFlunder', 'put'],
    [`${NS}/{name}`, 'patch', 'patchWardleExampleComV1alpha1NamespacedFlunder', 'patch'],
    [`${NS}/{name}`, 'delete', 'deleteWardleExampleComV1alpha1NamespacedFlunder', 'delete'],
    [`${NS}/{name}/status`, 'get', 'readWardleExampleComV1alpha1NamespacedFlunderStatus', 'get'],
    [`${NS}/{name}/status`, 'put', 'replaceWardleExampleComV1alpha1NamespacedFlunderStatus', 'put'],
    [`${NS}/{name}/status`, 'patch', 'patchWardleExampleComV1alpha1NamespacedFlunderStatus', 'patch'],
    [`${ROOT}/flunders`, 'get', 'listWardleExampleComV1alpha1FlunderForAllNamespaces', 'list'],
    [`${ROOT}/watch/flunders`, 'get', 'watchWardleExampleComV1alpha1FlunderListForAllNamespaces', 'watchlist'],
    [`${ROOT}/watch/namespaces/{namespace}/flunders`, 'get', 'watchWardleExampleComV1alpha1NamespacedFlunderList', 'watchlist'],
    [`${ROOT}/watch/namespaces/{namespace}/flunders/{name}`, 'get', 'watchWardleExampleComV1alpha1NamespacedFlunder', 'watch'],
    [`${ROOT}/fischers`, 'get', 'listWardleExampleComV1alpha1Fischer', 'list'],
    [`${ROOT}/fischers`, 'delete', 'deleteWardleExampleComV1alpha1CollectionFischer', 'deletecollection'],
    [`${ROOT}/fischers/{name}`, 'patch', 'patchWardleExampleComV1alpha1Fischer', 'patch'],
    [`${ROOT}/watch/fischers`, 'get', 'watchWardleExampleComV1alpha1FischerList', 'watchlist'],
    [`${ROOT}/watch/fischers/{name}`, 'get', 'watchWardleExampleComV1alpha1Fischer', 'watch'],
  ];
  for (const [path, method, operationId, action] of expected) {
    const o = op(doc, path, method);
    assert.equal(o.operationId, operationId, `${method} ${path}`);
    assert.equal(o['x-kubernetes-action'], action, `${method} ${path}`);
    assert.deepEqual(o.tags, ['wardleExampleCom_v1alpha1']);
    const kind = path.includes('fischers') ? 'Fischer' : 'Flunder';
    // An object on operations (kubectl explain and the fieldValidation probe look for this).
    assert.deepEqual(o['x-kubernetes-group-version-kind'], { ...GVK, kind });
  }
  const root = op(doc, `${ROOT}/`, 'get');
  assert.equal(root.operationId, 'getWardleExampleComV1alpha1APIResources');
  assert.equal(root['x-kubernetes-group-version-kind'], undefined);
  assert.equal(op(doc, NS, 'get').description, 'list or watch objects of kind Flunder');
  assert.equal(op(doc, NS, 'post').description, 'create a Flunder');
  assert.equal(op(doc, `${NS}/{name}/status`, 'patch').description, 'partially update status of the specified Flunder');
});

test('operation ids of the image group use kube naming', () => {
  const image = { ...fischer, group: 'image.openshift.io', version: 'v1', kind: 'Image', listKind: 'ImageList', plural: 'images', singular: 'image', openAPIName: 'com.github.openshift.api.image.v1.Image' };
  const stream = { ...flunder, group: 'image.openshift.io', version: 'v1', kind: 'ImageStream', listKind: 'ImageStreamList', plural: 'imagestreams', singular: 'imagestream', subresources: [], openAPIName: 'com.github.openshift.api.image.v1.ImageStream' };
  const doc = openAPIv3GroupVersion([image, stream], 'image.openshift.io', 'v1', options)!;
  assert.equal(op(doc, '/apis/image.openshift.io/v1/images', 'get').operationId, 'listImageOpenshiftIoV1Image');
  assert.equal(op(doc, '/apis/image.openshift.io/v1/namespaces/{namespace}/imagestreams/{name}', 'get').operationId, 'readImageOpenshiftIoV1NamespacedImageStream');
  assert.deepEqual(op(doc, '/apis/image.openshift.io/v1/images', 'get').tags, ['imageOpenshiftIo_v1']);
  assert.equal(op(doc, '/apis/image.openshift.io/v1/images', 'post').description, 'create an Image');
});

test('path-level parameters: name/namespace/pretty on items, everything on single-operation watch paths', () => {
  const doc = v3();
  const item = doc.paths[`${NS}/{name}`];
  assert.deepEqual(item.parameters, [
    { description: 'name of the Flunder', in: 'path', name: 'name', required: true, schema: { type: 'string', uniqueItems: true } },
    { description: 'object name and auth scope, such as for teams and projects', in: 'path', name: 'namespace', required: true, schema: { type: 'string', uniqueItems: true } },
    {
      description: "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
      in: 'query',
      name: 'pretty',
      schema: { type: 'string', uniqueItems: true },
    },
  ]);
  assert.deepEqual(names(doc.paths[NS].parameters), ['namespace', 'pretty']);
  assert.deepEqual(names(doc.paths[`${ROOT}/fischers`].parameters), ['pretty']);
  assert.deepEqual(names(doc.paths[`${ROOT}/fischers/{name}`].parameters), ['name', 'pretty']);
  assert.deepEqual(names(doc.paths[`${ROOT}/watch/namespaces/{namespace}/flunders/{name}`].parameters), [
    'allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'name', 'namespace', 'pretty', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch',
  ]);
  assert.equal(op(doc, `${ROOT}/watch/namespaces/{namespace}/flunders/{name}`, 'get').parameters, undefined);
  assert.equal(op(doc, `${NS}/{name}`, 'get').parameters, undefined);
  assert.equal(doc.paths[`${ROOT}/`].parameters, undefined);
});

test('per-operation query parameters', () => {
  const doc = v3();
  assert.deepEqual(names(op(doc, NS, 'get').parameters), [
    'allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch',
  ]);
  assert.deepEqual(names(op(doc, NS, 'post').parameters), ['dryRun', 'fieldManager', 'fieldValidation']);
  assert.deepEqual(names(op(doc, `${NS}/{name}`, 'put').parameters), ['dryRun', 'fieldManager', 'fieldValidation']);
  assert.deepEqual(names(op(doc, `${NS}/{name}`, 'delete').parameters), ['dryRun', 'gracePeriodSeconds', 'ignoreStoreReadErrorWithClusterBreakingPotential', 'orphanDependents', 'propagationPolicy']);
  assert.deepEqual(names(op(doc, NS, 'delete').parameters), [
    'continue', 'dryRun', 'fieldSelector', 'gracePeriodSeconds', 'ignoreStoreReadErrorWithClusterBreakingPotential', 'labelSelector', 'limit', 'orphanDependents', 'propagationPolicy', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds',
  ]);
  const types = Object.fromEntries((op(doc, NS, 'get').parameters as Schema[]).map((p) => [p.name, (p.schema as Schema).type]));
  assert.deepEqual(types, {
    allowWatchBookmarks: 'boolean', continue: 'string', fieldSelector: 'string', labelSelector: 'string', limit: 'integer',
    resourceVersion: 'string', resourceVersionMatch: 'string', sendInitialEvents: 'boolean', timeoutSeconds: 'integer', watch: 'boolean',
  });
});

test('PATCH carries dryRun/fieldManager/fieldValidation/force inline and exactly the given patch types (§2.3b/c)', () => {
  const doc = v3();
  for (const path of [`${NS}/{name}`, `${NS}/{name}/status`, `${ROOT}/fischers/{name}`]) {
    const patch = op(doc, path, 'patch');
    assert.deepEqual(names(patch.parameters), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    const fieldValidation = (patch.parameters as Schema[]).find((p) => p.name === 'fieldValidation')!;
    assert.equal(fieldValidation.in, 'query');
    assert.deepEqual(fieldValidation.schema, { type: 'string', uniqueItems: true });
    assert.ok(!names(doc.paths[path].parameters).includes('fieldValidation'));
    const body = patch.requestBody as { content: Record<string, Schema>; required: boolean };
    assert.equal(body.required, true);
    for (const schema of Object.values(body.content)) assert.deepEqual(schema, { schema: { $ref: `#/components/schemas/${META}.Patch` } });
  }
  const contentTypes = (path: string) => Object.keys((op(doc, path, 'patch').requestBody as { content: Schema }).content);
  // Flunder does not implement strategic merge patch, so it must not be advertised.
  assert.deepEqual(contentTypes(`${NS}/{name}`), [...JSON_PATCHES].sort());
  assert.deepEqual(contentTypes(`${NS}/{name}/status`), [...JSON_PATCHES].sort());
  assert.deepEqual(contentTypes(`${ROOT}/fischers/{name}`), [...JSON_PATCHES, 'application/strategic-merge-patch+json'].sort());
});

test('a path holding only PATCH still keeps its options inline', () => {
  const patchOnly = { ...fischer, verbs: ['patch'] as ResourceDefinition['verbs'] };
  const doc = openAPIv3GroupVersion([patchOnly], 'wardle.example.com', 'v1alpha1', options)!;
  assert.deepEqual(names(doc.paths[`${ROOT}/fischers/{name}`].parameters), ['name', 'pretty']);
  assert.deepEqual(names(op(doc, `${ROOT}/fischers/{name}`, 'patch').parameters), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
});

test('request bodies and responses', () => {
  const doc = v3();
  const kindRef = { $ref: '#/components/schemas/com.example.wardle.v1alpha1.Flunder' };
  const statusRef = { $ref: `#/components/schemas/${META}.Status` };
  const json = (ref: Schema) => ({ 'application/json': { schema: ref }, 'application/yaml': { schema: ref } });
  const streaming = (ref: Schema) => ({ ...json(ref), 'application/json;stream=watch': { schema: ref } });
  const codes = (o: Schema) => Object.keys(o.responses as Schema);

  const post = op(doc, NS, 'post');
  assert.deepEqual(post.requestBody, { content: { '*/*': { schema: kindRef } }, required: true });
  assert.deepEqual(codes(post), ['200', '201', '202', '401']);
  assert.deepEqual((post.responses as Schema)['201'], { content: json(kindRef), description: 'Created' });
  assert.deepEqual((post.responses as Schema)['202'], { content: json(kindRef), description: 'Accepted' });
  assert.deepEqual((post.responses as Schema)['401'], { description: 'Unauthorized' });

  assert.deepEqual(codes(op(doc, `${NS}/{name}`, 'put')), ['200', '201', '401']);
  assert.deepEqual(codes(op(doc, `${NS}/{name}`, 'patch')), ['200', '201', '401']);
  assert.deepEqual(codes(op(doc, `${NS}/{name}`, 'get')), ['200', '401']);
  assert.deepEqual((op(doc, `${NS}/{name}/status`, 'get').responses as Schema)['200'], { content: json(kindRef), description: 'OK' });

  const del = op(doc, `${NS}/{name}`, 'delete');
  assert.deepEqual(del.requestBody, { content: { '*/*': { schema: { $ref: `#/components/schemas/${META}.DeleteOptions` } } } });
  assert.deepEqual(del.responses, { '200': { content: json(statusRef), description: 'OK' }, '202': { content: json(statusRef), description: 'Accepted' }, '401': { description: 'Unauthorized' } });
  assert.deepEqual(codes(op(doc, NS, 'delete')), ['200', '401']);

  assert.deepEqual((op(doc, NS, 'get').responses as Schema)['200'], { content: streaming({ $ref: '#/components/schemas/com.example.wardle.v1alpha1.FlunderList' }), description: 'OK' });
  assert.deepEqual((op(doc, `${ROOT}/watch/flunders`, 'get').responses as Schema)['200'], { content: streaming({ $ref: `#/components/schemas/${META}.WatchEvent` }), description: 'OK' });
  assert.deepEqual((op(doc, `${ROOT}/`, 'get').responses as Schema)['200'], { content: json({ $ref: `#/components/schemas/${META}.APIResourceList` }), description: 'OK' });
});

test('components.schemas: kinds, lists, nested and meta definitions', () => {
  const schemas = v3().components.schemas;
  for (const name of [
    'com.example.wardle.v1alpha1.Flunder', 'com.example.wardle.v1alpha1.FlunderList', 'com.example.wardle.v1alpha1.FlunderSpec', 'com.example.wardle.v1alpha1.FlunderStatus',
    'com.example.wardle.v1alpha1.Fischer', 'com.example.wardle.v1alpha1.FischerList',
    `${META}.ObjectMeta`, `${META}.ManagedFieldsEntry`, `${META}.OwnerReference`, `${META}.ListMeta`, `${META}.Status`, `${META}.StatusDetails`,
    `${META}.StatusCause`, `${META}.DeleteOptions`, `${META}.Preconditions`, `${META}.Patch`, `${META}.WatchEvent`, `${META}.Time`,
    `${META}.APIResourceList`, `${META}.APIResource`, 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  ]) {
    assert.ok(schemas[name], `missing ${name}`);
  }
  const kind = schemas['com.example.wardle.v1alpha1.Flunder'];
  // A list on schemas (kubectl explain matches it against the operation's object).
  assert.deepEqual(kind['x-kubernetes-group-version-kind'], [GVK]);
  assert.equal(kind.description, 'Flunder is an example type with a spec and a status.');
  assert.equal(kind.type, 'object');
  assert.equal('additionalProperties' in kind, false);
  const props = kind.properties as Record<string, Schema>;
  // A reference is described by the field's own text only (kubectl explain prints it, then the type's).
  assert.deepEqual(props.metadata, { allOf: [{ $ref: `#/components/schemas/${META}.ObjectMeta` }], default: {} });
  assert.deepEqual(props.spec, { allOf: [{ $ref: '#/components/schemas/com.example.wardle.v1alpha1.FlunderSpec' }], default: {}, description: 'spec is the desired state of the flunder.' });
  assert.deepEqual(props.status, { allOf: [{ $ref: '#/components/schemas/com.example.wardle.v1alpha1.FlunderStatus' }], default: {} });
  assert.equal(schemas['com.example.wardle.v1alpha1.FlunderSpec'].description, 'FlunderSpec is the specification of a Flunder.');
  assert.equal(schemas[`${META}.ObjectMeta`].description, 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.');

  const spec = schemas['com.example.wardle.v1alpha1.FlunderSpec'].properties as Record<string, Schema>;
  assert.deepEqual(spec.referenceType, { description: 'The type of the reference.', enum: ['Flunder', 'Fischer'], type: 'string' });
  assert.deepEqual(spec.replicas, { exclusiveMinimum: true, format: 'int32', minimum: 0, type: 'integer' });
  assert.deepEqual(spec.owners, { additionalProperties: { type: 'string' }, type: 'object' });
  assert.deepEqual(spec.since, { allOf: [{ $ref: `#/components/schemas/${META}.Time` }], description: 'When it started.', nullable: true });

  const list = schemas['com.example.wardle.v1alpha1.FlunderList'];
  assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ ...GVK, kind: 'FlunderList' }]);
  assert.deepEqual(list.required, ['items']);
  const listProps = list.properties as Record<string, Schema>;
  assert.deepEqual(listProps.items.items, { allOf: [{ $ref: '#/components/schemas/com.example.wardle.v1alpha1.Flunder' }], default: {} });
  assert.deepEqual((listProps.metadata.allOf as Schema[])[0], { $ref: `#/components/schemas/${META}.ListMeta` });
  assert.deepEqual(listProps.metadata.default, {});

  const objectMeta = schemas[`${META}.ObjectMeta`].properties as Record<string, Schema>;
  assert.deepEqual(objectMeta.creationTimestamp.allOf, [{ $ref: `#/components/schemas/${META}.Time` }]);
  assert.equal(objectMeta.creationTimestamp.nullable, true);
  assert.deepEqual(objectMeta.labels.additionalProperties, { type: 'string' });
  assert.deepEqual(objectMeta.managedFields.items, { allOf: [{ $ref: `#/components/schemas/${META}.ManagedFieldsEntry` }], default: {} });
  assert.equal(objectMeta.ownerReferences['x-kubernetes-patch-merge-key'], 'uid');
  assert.equal(schemas[`${META}.ObjectMeta`].required, undefined);
  assert.deepEqual(schemas[`${META}.Time`], {
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    format: 'date-time',
    type: 'string',
  });
  assert.deepEqual(schemas[`${META}.Status`]['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Status', version: 'v1' }]);
  assert.deepEqual(schemas[`${META}.DeleteOptions`]['x-kubernetes-group-version-kind'], [
    { group: '', kind: 'DeleteOptions', version: 'v1' },
    { group: 'wardle.example.com', kind: 'DeleteOptions', version: 'v1alpha1' },
  ]);
  assert.deepEqual(schemas[`${META}.WatchEvent`].required, ['type', 'object']);
});

test('TypeBox-only keys and JSON Schema spellings do not leak into the documents', () => {
  for (const doc of [v3(), openAPIv2(defs, options)]) {
    const keys = keysIn(doc);
    for (const key of ['$id', 'x-openapi-definition', 'x-openapi-field-description', 'patternProperties', 'const', 'anyOf', '$schema']) assert.ok(!keys.has(key), `${key} leaked`);
    assert.ok(!JSON.stringify(doc).includes('"type":"null"'));
  }
  assert.ok(!keysIn(openAPIv2(defs, options)).has('nullable'));
  assert.ok(!keysIn(openAPIv2(defs, options)).has('allOf'));
});

test('every $ref resolves, in the v3 document and in v2', () => {
  const doc = v3();
  const v3Refs = refsIn(doc);
  assert.ok(v3Refs.length > 50);
  for (const r of v3Refs) {
    assert.ok(r.startsWith('#/components/schemas/'), r);
    assert.ok(doc.components.schemas[r.slice('#/components/schemas/'.length)], `dangling ${r}`);
  }
  const swagger = openAPIv2(defs, options);
  const v2Refs = refsIn(swagger);
  assert.ok(v2Refs.length > 50);
  for (const r of v2Refs) {
    assert.ok(r.startsWith('#/definitions/'), r);
    assert.ok(swagger.definitions[r.slice('#/definitions/'.length)], `dangling ${r}`);
  }
  // Unreferenced definitions are not published.
  const used = new Set(v3Refs.map((r) => r.slice('#/components/schemas/'.length)));
  assert.deepEqual(Object.keys(doc.components.schemas).filter((n) => !used.has(n)), []);
});

test('v2 Swagger document', () => {
  const swagger = openAPIv2(defs, options);
  assert.equal(swagger.swagger, '2.0');
  assert.deepEqual(swagger.securityDefinitions, { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } });
  assert.deepEqual(Object.keys(swagger.paths), Object.keys(v3().paths));
  const patch = op(swagger, `${NS}/{name}`, 'patch');
  assert.deepEqual(patch.consumes, JSON_PATCHES);
  assert.deepEqual(patch.produces, ['application/json', 'application/yaml']);
  assert.deepEqual(patch.schemes, ['https']);
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], GVK);
  assert.deepEqual(names(patch.parameters), ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
  assert.deepEqual((patch.parameters as Schema[])[0], { in: 'body', name: 'body', required: true, schema: { $ref: `#/definitions/${META}.Patch` } });
  assert.deepEqual((patch.parameters as Schema[])[3], {
    description: ((op(v3(), `${NS}/{name}`, 'patch').parameters as Schema[])[2]).description,
    in: 'query',
    name: 'fieldValidation',
    type: 'string',
    uniqueItems: true,
  });
  assert.deepEqual(patch.responses, {
    '200': { description: 'OK', schema: { $ref: '#/definitions/com.example.wardle.v1alpha1.Flunder' } },
    '201': { description: 'Created', schema: { $ref: '#/definitions/com.example.wardle.v1alpha1.Flunder' } },
    '401': { description: 'Unauthorized' },
  });
  const list = op(swagger, NS, 'get');
  assert.deepEqual(list.consumes, ['*/*']);
  assert.deepEqual(list.produces, ['application/json', 'application/yaml', 'application/json;stream=watch']);
  assert.deepEqual(op(swagger, `${ROOT}/fischers/{name}`, 'patch').consumes, [...JSON_PATCHES, 'application/strategic-merge-patch+json']);
  const del = op(swagger, `${NS}/{name}`, 'delete');
  assert.deepEqual((del.parameters as Schema[]).find((p) => p.name === 'body'), { in: 'body', name: 'body', schema: { $ref: `#/definitions/${META}.DeleteOptions` } });

  const kind = swagger.definitions['com.example.wardle.v1alpha1.Flunder'];
  assert.deepEqual(kind['x-kubernetes-group-version-kind'], [GVK]);
  assert.deepEqual((kind.properties as Record<string, Schema>).metadata, { $ref: `#/definitions/${META}.ObjectMeta`, default: {} });
  assert.deepEqual((kind.properties as Record<string, Schema>).spec, {
    $ref: '#/definitions/com.example.wardle.v1alpha1.FlunderSpec',
    default: {},
    description: 'spec is the desired state of the flunder.',
  });
  const creation = (swagger.definitions[`${META}.ObjectMeta`].properties as Record<string, Schema>).creationTimestamp;
  assert.equal(creation.$ref, `#/definitions/${META}.Time`);
});

test('subresources returning another kind need its schema', () => {
  const layered: ResourceDefinition = { ...flunder, subresources: [{ name: 'layers', kind: 'FlunderLayers', verbs: ['get'] }] };
  const without = openAPIv3GroupVersion([layered], 'wardle.example.com', 'v1alpha1', options)!;
  assert.equal(without.paths[`${NS}/{name}/layers`], undefined);

  const FlunderLayers = Type.Object({ ...typeMetaProperties(), blobs: Type.Optional(Type.Record(Type.String(), Type.Integer())) }, { description: 'FlunderLayers lists layers.' });
  const doc = openAPIv3GroupVersion([layered], 'wardle.example.com', 'v1alpha1', { ...options, subresourceSchemas: { FlunderLayers } })!;
  const get = op(doc, `${NS}/{name}/layers`, 'get');
  assert.equal(get.operationId, 'readWardleExampleComV1alpha1NamespacedFlunderLayers');
  assert.equal(get.description, 'read layers of the specified Flunder');
  assert.deepEqual(get['x-kubernetes-group-version-kind'], { ...GVK, kind: 'FlunderLayers' });
  assert.deepEqual(names(doc.paths[`${NS}/{name}/layers`].parameters), ['name', 'namespace', 'pretty']);
  assert.equal((doc.paths[`${NS}/{name}/layers`].parameters as Schema[])[0].description, 'name of the FlunderLayers');
  const layers = doc.components.schemas['com.example.wardle.v1alpha1.FlunderLayers'];
  assert.deepEqual(layers['x-kubernetes-group-version-kind'], [{ ...GVK, kind: 'FlunderLayers' }]);
  assert.deepEqual(((layers.properties as Record<string, Schema>).blobs), { additionalProperties: { type: 'integer' }, type: 'object' });
});

test('verbs decide the routes: a create-only kind has no list, item or watch paths', () => {
  const mapping: ResourceDefinition = { ...flunder, kind: 'FlunderMapping', listKind: 'FlunderMappingList', plural: 'flundermappings', singular: 'flundermapping', verbs: ['create'], subresources: [], openAPIName: 'com.example.wardle.v1alpha1.FlunderMapping' };
  const doc = openAPIv3GroupVersion([mapping], 'wardle.example.com', 'v1alpha1', options)!;
  assert.deepEqual(Object.keys(doc.paths), [`${ROOT}/`, `${ROOT}/namespaces/{namespace}/flundermappings`]);
  // A single-operation path shares everything with its path, as kube-openapi does.
  assert.deepEqual(names(doc.paths[`${ROOT}/namespaces/{namespace}/flundermappings`].parameters), ['dryRun', 'fieldManager', 'fieldValidation', 'namespace', 'pretty']);
  assert.equal(doc.components.schemas['com.example.wardle.v1alpha1.FlunderMappingList'], undefined);
  assert.equal(doc.components.schemas[`${META}.WatchEvent`], undefined);
  assert.ok(doc.components.schemas['com.example.wardle.v1alpha1.FlunderMapping']);
});

test('two schemas claiming one definition name are refused', () => {
  const Clash = Type.Object({ other: Type.String() }, { [OPENAPI_DEFINITION]: 'com.example.wardle.v1alpha1.FlunderSpec' });
  const clashing: ResourceDefinition = { ...fischer, schema: Type.Object({ ...typeMetaProperties(), spec: Clash }) };
  assert.throws(() => openAPIv3GroupVersion([flunder, clashing], 'wardle.example.com', 'v1alpha1', options), /com\.example\.wardle\.v1alpha1\.FlunderSpec is declared by two different schemas/);
});

test('a kind embedding a meta/v1 type refers to kube\'s definition of it, whatever its own schema says', () => {
  const Status = Type.Object(
    { message: Type.Optional(Type.String({ description: 'paraphrased' })), extra: Type.Optional(Type.String()) },
    { description: 'a local copy', [OPENAPI_DEFINITION]: `${META}.Status` },
  );
  const embedding: ResourceDefinition = {
    ...fischer,
    schema: Type.Object({ ...typeMetaProperties(), result: Type.Optional(describedField(Status, 'result is how it went.')) }),
  };
  const doc = openAPIv3GroupVersion([embedding], 'wardle.example.com', 'v1alpha1', options)!;
  const result = (doc.components.schemas['com.example.wardle.v1alpha1.Fischer'].properties as Record<string, Schema>).result;
  assert.deepEqual(result, { allOf: [{ $ref: `#/components/schemas/${META}.Status` }], default: {}, description: 'result is how it went.' });
  const status = doc.components.schemas[`${META}.Status`];
  assert.equal(status.description, "Status is a return value for calls that don't return other objects.");
  assert.equal((status.properties as Record<string, Schema>).extra, undefined);
});

test('documents are deterministic and hashOf/openAPIv3Index match kube-openapi handler3', () => {
  const body = JSON.stringify(v3());
  assert.equal(JSON.stringify(v3()), body);
  const hash = hashOf(body);
  assert.match(hash, /^[0-9A-F]{128}$/);
  assert.equal(hash, createHash('sha512').update(body).digest('hex').toUpperCase());
  assert.deepEqual(openAPIv3Index([{ path: 'apis/wardle.example.com/v1alpha1', hash }, { path: 'apis/a.example.com/v1', hash: 'AB' }]), {
    paths: {
      'apis/a.example.com/v1': { serverRelativeURL: '/openapi/v3/apis/a.example.com/v1?hash=AB' },
      'apis/wardle.example.com/v1alpha1': { serverRelativeURL: `/openapi/v3/apis/wardle.example.com/v1alpha1?hash=${hash}` },
    },
  });
  // Keys are sorted at every level (Go map marshaling), so the hash only moves when content does.
  const sorted = (o: Schema) => Object.keys(o).join() === Object.keys(o).sort().join();
  assert.ok(sorted(v3() as unknown as Schema));
  assert.ok(sorted(v3().paths[NS].post as Schema));
});

test('renderSchemaFiles writes one sorted, pretty JSON Schema per kind; loadSchema reads it back', () => {
  const files = renderSchemaFiles(defs);
  assert.deepEqual([...files.keys()], [join('schemas', 'wardle.example.com', 'Flunder.json'), join('schemas', 'wardle.example.com', 'Fischer.json')]);
  const content = files.get(schemaFilePath(flunder))!;
  assert.ok(content.endsWith('}\n'));
  assert.ok(content.startsWith('{\n  "$id": "Flunder",\n  "additionalProperties": false,\n  "description"'));
  const parsed = JSON.parse(content);
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(flunder.schema)));
  assert.deepEqual(Object.keys(parsed.properties), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  // Named nodes keep their OpenAPI name, so the documents can be built from the files too.
  assert.equal(parsed.properties.spec['x-openapi-definition'], 'com.example.wardle.v1alpha1.FlunderSpec');
  assert.throws(() => renderSchemaFiles([flunder, flunder]), /defined twice/);

  const root = mkdtempSync(join(tmpdir(), 'schemas-'));
  try {
    for (const [path, text] of files) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    assert.deepEqual(loadSchema(flunder, root), parsed);
    assert.throws(() => loadSchema({ group: 'wardle.example.com', kind: 'Missing' }, root), /npm run schemas/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a named schema that contains itself becomes a self-reference', () => {
  const node: Record<string, unknown> = { type: 'object', description: 'A tree node.', 'x-openapi-definition': 'com.example.wardle.v1alpha1.Node' };
  node.properties = { children: { type: 'array', items: node } };
  const tree: ResourceDefinition = { ...fischer, schema: Type.Object({ ...typeMetaProperties(), root: Type.Unsafe(node) }) };
  const schemas = openAPIv3GroupVersion([tree], 'wardle.example.com', 'v1alpha1', options)!.components.schemas;
  const children = (schemas['com.example.wardle.v1alpha1.Node'].properties as Record<string, Schema>).children;
  assert.deepEqual(children.items, { allOf: [{ $ref: '#/components/schemas/com.example.wardle.v1alpha1.Node' }], default: {} });
});
