// Authorization attributes as k8s.io/apiserver's RequestInfoFactory derives them (its requestinfo_test.go
// cases), the SubjectAccessReview spec built from them, and the Forbidden texts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forbiddenError } from '../../src/server/auth/forbidden.js';
import { requestAttributes } from '../../src/server/auth/request-attributes.js';
import { fieldSelectorRequirements, labelSelectorRequirements } from '../../src/server/auth/selector-requirements.js';
import { subjectAccessReviewSpec } from '../../src/server/auth/subject-access-review.js';

// method, url, verb, group, version, namespace, resource, subresource, name
const RESOURCE_CASES: [string, string, string, string, string, string, string, string, string][] = [
  ['GET', '/api/v1/namespaces', 'list', '', 'v1', '', 'namespaces', '', ''],
  ['GET', '/api/v1/namespaces/other', 'get', '', 'v1', 'other', 'namespaces', '', 'other'],
  ['GET', '/api/v1/namespaces/other/pods', 'list', '', 'v1', 'other', 'pods', '', ''],
  ['GET', '/api/v1/namespaces/other/pods/foo', 'get', '', 'v1', 'other', 'pods', '', 'foo'],
  ['HEAD', '/api/v1/namespaces/other/pods/foo', 'get', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/pods', 'list', '', 'v1', '', 'pods', '', ''],
  ['HEAD', '/api/v1/pods', 'list', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/proxy/namespaces/other/pods/foo', 'proxy', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource', 'proxy', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/watch/pods', 'watch', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/pods?watch=true', 'watch', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/pods?watch=false', 'list', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/pods?watch=', 'watch', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', '', 'v1', 'other', 'pods', '', ''],
  ['GET', '/api/v1/namespaces/other/pods?watch=1', 'watch', '', 'v1', 'other', 'pods', '', ''],
  ['GET', '/api/v1/namespaces/other/pods?watch=0', 'list', '', 'v1', 'other', 'pods', '', ''],
  ['GET', '/api/v1/namespaces/other/pods/foo/status', 'get', '', 'v1', 'other', 'pods', 'status', 'foo'],
  ['GET', '/api/v1/namespaces/other/pods/foo/proxy/subpath', 'get', '', 'v1', 'other', 'pods', 'proxy', 'foo'],
  ['PUT', '/api/v1/namespaces/other/finalize', 'update', '', 'v1', 'other', 'namespaces', 'finalize', 'other'],
  ['PUT', '/api/v1/namespaces/other/status', 'update', '', 'v1', 'other', 'namespaces', 'status', 'other'],
  ['PATCH', '/api/v1/namespaces/other/pods/foo', 'patch', '', 'v1', 'other', 'pods', '', 'foo'],
  ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', '', 'v1', 'other', 'pods', '', 'foo'],
  ['POST', '/api/v1/namespaces/other/pods', 'create', '', 'v1', 'other', 'pods', '', ''],
  ['DELETE', '/api/v1/nodes', 'deletecollection', '', 'v1', '', 'nodes', '', ''],
  ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', '', 'v1', 'other', 'pods', '', ''],
  ['DELETE', '/apis/extensions/v1/namespaces/other/pods', 'deletecollection', 'extensions', 'v1', 'other', 'pods', '', ''],
  ['POST', '/apis/extensions/v1beta3/namespaces/other/pods', 'create', 'extensions', 'v1beta3', 'other', 'pods', '', ''],
  ['GET', '/apis/image.openshift.io/v1/namespaces/ns/imagestreams/app/layers', 'get', 'image.openshift.io', 'v1', 'ns', 'imagestreams', 'layers', 'app'],
  ['GET', '/apis/image.openshift.io/v1/namespaces/ns/imagestreamtags/app%3Alatest', 'get', 'image.openshift.io', 'v1', 'ns', 'imagestreamtags', '', 'app:latest'],
  ['GET', '/apis/image.openshift.io/v1/images/sha256%3Aabc', 'get', 'image.openshift.io', 'v1', '', 'images', '', 'sha256:abc'],
];

for (const [method, url, verb, apiGroup, apiVersion, namespace, resource, subresource, name] of RESOURCE_CASES) {
  test(`${method} ${url}`, () => {
    const a = requestAttributes(method, url);
    assert.deepEqual(
      { resourceRequest: a.resourceRequest, verb: a.verb, apiGroup: a.apiGroup, apiVersion: a.apiVersion, namespace: a.namespace, resource: a.resource, subresource: a.subresource, name: a.name },
      { resourceRequest: true, verb, apiGroup, apiVersion, namespace, resource, subresource, name },
    );
  });
}

test('non-resource requests: the lower-case method and the decoded path', () => {
  for (const path of ['/', '/healthz', '/api', '/apis', '/apis/group', '/apis/group/version', '/openapi/v3/apis/image.openshift.io/v1', '/other/stuff']) {
    const a = requestAttributes('GET', path);
    assert.equal(a.resourceRequest, false, path);
    assert.equal(a.verb, 'get');
    assert.equal(a.path, path);
  }
  assert.equal(requestAttributes('POST', '/apis').verb, 'post');
  assert.equal(requestAttributes('GET', '/a%20b?x=1').path, '/a b');
  assert.equal(requestAttributes('GET', '/api/version/resource').resourceRequest, true);
});

test('a metadata.name field selector names the object of a list or watch', () => {
  const cases: [string, string, string, string][] = [
    ['/apis/group/version/resource', 'list', '', ''],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1', 'list', 'name1', 'metadata.name=name1'],
    ['/apis/group/version/resource?watch=true&fieldSelector=metadata.name=name1', 'watch', 'name1', 'metadata.name=name1'],
    ['/apis/group/version/resource?fieldSelector=foo=bar', 'list', '', 'foo=bar'],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo', 'list', '', 'metadata.name=name1,foo'],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true', 'watch', '', 'metadata.name=name1,foo'],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false', 'list', '', 'metadata.name=name1,foo'],
    ['/apis/group/version/resource?fieldSelector=metadata.name=a%2Fb', 'list', '', 'metadata.name=a/b'],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1&limit=x', 'list', '', 'metadata.name=name1'],
  ];
  for (const [url, verb, name, fieldSelector] of cases) {
    const a = requestAttributes('GET', url);
    assert.deepEqual({ verb: a.verb, name: a.name, fieldSelector: a.fieldSelector }, { verb, name, fieldSelector }, url);
  }
});

test('selectors are kept for list, watch and deletecollection only, not for the legacy watch path', () => {
  assert.equal(requestAttributes('DELETE', '/apis/g/v/r?labelSelector=a%3Db').labelSelector, 'a=b');
  assert.equal(requestAttributes('GET', '/apis/g/v/r/n?labelSelector=a%3Db').labelSelector, '');
  assert.equal(requestAttributes('GET', '/apis/g/v/watch/r?labelSelector=a%3Db').labelSelector, '');
});

test('selector requirements as the webhook authorizer converts them', () => {
  assert.deepEqual(fieldSelectorRequirements('b!=2,a=1,a==3'), [
    { key: 'a', operator: 'In', values: ['1'] },
    { key: 'a', operator: 'In', values: ['3'] },
    { key: 'b', operator: 'NotIn', values: ['2'] },
  ]);
  assert.deepEqual(fieldSelectorRequirements('no-operator'), []);
  assert.deepEqual(labelSelectorRequirements('z notin (b,a),y,!x,w=1,v!=2,u in (c),t>3,example.com/k==v'), [
    { key: 'example.com/k', operator: 'In', values: ['v'] },
    { key: 'u', operator: 'In', values: ['c'] },
    { key: 'v', operator: 'NotIn', values: ['2'] },
    { key: 'w', operator: 'In', values: ['1'] },
    { key: 'x', operator: 'DoesNotExist' },
    { key: 'y', operator: 'Exists' },
    { key: 'z', operator: 'NotIn', values: ['a', 'b'] },
  ]);
  assert.deepEqual(labelSelectorRequirements('a in (x'), []);
});

test('the SubjectAccessReview spec leaves empty fields out', () => {
  const user = { name: 'alice', uid: 'u1', groups: ['dev'], extra: { scopes: ['a'] } };
  assert.deepEqual(subjectAccessReviewSpec({ ...requestAttributes('GET', '/apis/image.openshift.io/v1/images?labelSelector=a%3Db'), user }), {
    resourceAttributes: { verb: 'list', group: 'image.openshift.io', version: 'v1', resource: 'images', labelSelector: { requirements: [{ key: 'a', operator: 'In', values: ['b'] }] } },
    user: 'alice',
    groups: ['dev'],
    extra: { scopes: ['a'] },
    uid: 'u1',
  });
  assert.deepEqual(subjectAccessReviewSpec({ ...requestAttributes('GET', '/version'), user: { name: 'system:anonymous', groups: [] } }), {
    nonResourceAttributes: { path: '/version', verb: 'get' },
    user: 'system:anonymous',
  });
});

test('Forbidden texts for resource, cluster-scoped, subresource and non-resource requests', () => {
  const user = { name: 'u', groups: [] };
  const message = (method: string, url: string, reason = '') => forbiddenError({ ...requestAttributes(method, url), user }, reason).status.message;
  assert.equal(
    message('GET', '/apis/image.openshift.io/v1/namespaces/ns/imagestreams/x'),
    'imagestreams.image.openshift.io "x" is forbidden: User "u" cannot get resource "imagestreams" in API group "image.openshift.io" in the namespace "ns"',
  );
  assert.equal(
    message('POST', '/apis/image.openshift.io/v1/namespaces/ns/imagestreams'),
    'imagestreams.image.openshift.io is forbidden: User "u" cannot create resource "imagestreams" in API group "image.openshift.io" in the namespace "ns"',
  );
  assert.equal(
    message('PUT', '/apis/config.openshift.io/v1/images/cluster/status'),
    'images.config.openshift.io "cluster" is forbidden: User "u" cannot update resource "images/status" in API group "config.openshift.io" at the cluster scope',
  );
  assert.equal(message('GET', '/api/v1/namespaces/ns/pods/p'), 'pods "p" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"');
  assert.equal(message('GET', '/metrics', 'no'), 'forbidden: User "u" cannot get path "/metrics": no');
  // The client-chosen parts are HTML-escaped; the name is Go-quoted.
  assert.equal(message('GET', '/x%3Cscript%3E'), 'forbidden: User "u" cannot get path "/x&lt;script&gt;"');
  assert.equal(
    message('GET', '/apis/g/v/r/a%22b'),
    'r.g "a\\"b" is forbidden: User "u" cannot get resource "r" in API group "g" at the cluster scope',
  );
  assert.deepEqual(forbiddenError({ ...requestAttributes('GET', '/metrics'), user }, '').status.details, {});
});
