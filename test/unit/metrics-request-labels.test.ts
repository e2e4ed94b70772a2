import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyRequest } from '../../src/server/metrics/request-labels.js';

const IS = '/apis/image.openshift.io/v1/namespaces/ns/imagestreams';
const res = (verb: string, scope: string, extra: Record<string, string> = {}) => ({
  verb,
  dry_run: '',
  group: 'image.openshift.io',
  version: 'v1',
  resource: 'imagestreams',
  subresource: '',
  scope,
  ...extra,
});

const cases: { name: string; method: string; url: string; contentType?: string; labels: object; verb: string; longRunning?: boolean }[] = [
  { name: 'list in a namespace', method: 'GET', url: IS, labels: res('LIST', 'namespace'), verb: 'list' },
  { name: 'get of an item', method: 'GET', url: `${IS}/a`, labels: res('GET', 'resource'), verb: 'get' },
  { name: 'HEAD of an item', method: 'HEAD', url: `${IS}/a`, labels: res('GET', 'resource'), verb: 'get' },
  { name: 'list across namespaces', method: 'GET', url: '/apis/image.openshift.io/v1/imagestreams', labels: res('LIST', 'cluster'), verb: 'list' },
  { name: 'watch=true', method: 'GET', url: `${IS}?watch=true`, labels: res('WATCH', 'namespace'), verb: 'watch', longRunning: true },
  { name: 'watch=1 with a name selector', method: 'GET', url: `${IS}?fieldSelector=metadata.name%3Da&watch=1`, labels: res('WATCH', 'namespace'), verb: 'watch', longRunning: true },
  { name: 'watch=false is a list', method: 'GET', url: `${IS}?watch=false`, labels: res('LIST', 'namespace'), verb: 'list' },
  { name: 'legacy watch of an item', method: 'GET', url: '/apis/image.openshift.io/v1/watch/namespaces/ns/imagestreams/a', labels: res('WATCH', 'resource'), verb: 'watch', longRunning: true },
  { name: 'create', method: 'POST', url: IS, labels: res('POST', 'resource'), verb: 'create' },
  { name: 'create, dry run', method: 'POST', url: `${IS}?dryRun=All&dryRun=All`, labels: res('POST', 'resource', { dry_run: 'All' }), verb: 'create' },
  { name: 'a bad dryRun value', method: 'POST', url: `${IS}?dryRun=Yes`, labels: res('POST', 'resource', { dry_run: 'invalid' }), verb: 'create' },
  { name: 'update', method: 'PUT', url: `${IS}/a`, labels: res('PUT', 'resource'), verb: 'update' },
  { name: 'patch', method: 'PATCH', url: `${IS}/a`, contentType: 'application/merge-patch+json', labels: res('PATCH', 'resource'), verb: 'patch' },
  { name: 'apply', method: 'PATCH', url: `${IS}/a`, contentType: 'application/apply-patch+yaml', labels: res('APPLY', 'resource'), verb: 'patch' },
  { name: 'apply with a parameter is counted as a patch', method: 'PATCH', url: `${IS}/a`, contentType: 'application/apply-patch+yaml; charset=utf-8', labels: res('PATCH', 'resource'), verb: 'patch' },
  { name: 'delete', method: 'DELETE', url: `${IS}/a`, labels: res('DELETE', 'resource'), verb: 'delete' },
  { name: 'deletecollection is reported as DELETE', method: 'DELETE', url: IS, labels: res('DELETE', 'namespace'), verb: 'deletecollection' },
  { name: 'a subresource', method: 'GET', url: `${IS}/a/layers`, labels: res('GET', 'resource', { subresource: 'layers' }), verb: 'get' },
  { name: 'a status update', method: 'PUT', url: `${IS}/a/status`, labels: res('PUT', 'resource', { subresource: 'status' }), verb: 'update' },
  {
    name: 'a cluster-scoped list',
    method: 'GET',
    url: '/apis/config.openshift.io/v1/images',
    labels: { verb: 'LIST', dry_run: '', group: 'config.openshift.io', version: 'v1', resource: 'images', subresource: '', scope: 'cluster' },
    verb: 'list',
  },
  { name: 'an unknown method', method: 'OPTIONS', url: `${IS}/a`, labels: res('other', 'resource'), verb: '' },
];

const nonResource: { name: string; method: string; url: string; labels: object; verb: string }[] = [
  { name: 'discovery', method: 'GET', url: '/apis/image.openshift.io/v1', labels: { verb: 'GET', subresource: '/apis/image.openshift.io/v1' }, verb: 'get' },
  { name: 'the root', method: 'GET', url: '/apis?timeout=32s', labels: { verb: 'GET', subresource: '/apis' }, verb: 'get' },
  { name: 'health', method: 'GET', url: '/readyz?verbose', labels: { verb: 'GET', subresource: '/readyz' }, verb: 'get' },
  { name: 'a POST to a path', method: 'POST', url: '/apis', labels: { verb: 'POST', subresource: '/apis' }, verb: 'post' },
  { name: 'HEAD is not a read-only verb outside resources', method: 'HEAD', url: '/healthz', labels: { verb: 'GET', subresource: '/healthz' }, verb: 'head' },
  { name: 'an escaped path', method: 'GET', url: '/openapi/v3/apis%2Fx', labels: { verb: 'GET', subresource: '/openapi/v3/apis/x' }, verb: 'get' },
];

for (const c of cases) {
  test(`resource request: ${c.name}`, () => {
    const kind = classifyRequest(c.method, c.url, c.contentType);
    assert.deepEqual(kind.labels, c.labels);
    assert.equal(kind.resourceRequest, true);
    assert.equal(kind.verb, c.verb);
    assert.equal(kind.longRunning, c.longRunning ?? false);
  });
}

for (const c of nonResource) {
  test(`non-resource request: ${c.name}`, () => {
    const kind = classifyRequest(c.method, c.url, undefined);
    assert.deepEqual(kind.labels, { dry_run: '', group: '', version: '', resource: '', scope: '', ...c.labels });
    assert.equal(kind.resourceRequest, false);
    assert.equal(kind.verb, c.verb);
    assert.equal(kind.longRunning, false);
  });
}
