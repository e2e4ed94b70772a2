import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusErrorOf } from '../../src/server/auth/kube-client.js';
import { kubePullSecretSource, listQuery } from '../../src/server/cluster/kube-pull-secret-source.js';
import { subjectAccessReviewTagVerifier } from '../../src/server/cluster/subject-access-review-tag-verifier.js';
import type { SubjectAccessReview } from '../../src/server/auth/subject-access-review.js';

test('ListOptions go to the Secrets list in their query form, unset ones left out', () => {
  assert.deepEqual(listQuery({ labelSelector: 'a=b', limit: 2, continue: 'tok', fieldSelector: '', timeoutSeconds: undefined }), {
    labelSelector: 'a=b',
    limit: '2',
    continue: 'tok',
  });
  assert.deepEqual(listQuery({}), {});
});

test('the pull secret source hands on the list metadata and items', async () => {
  const asked: unknown[] = [];
  const source = kubePullSecretSource({
    listSecrets: async (namespace, query) => {
      asked.push([namespace, query]);
      return { metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 's' }, type: 'kubernetes.io/dockercfg' }] };
    },
  });
  assert.deepEqual(await source.listSecrets('ns', { limit: 1 }), { metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 's' }, type: 'kubernetes.io/dockercfg' }] });
  assert.deepEqual(asked, [['ns', { limit: '1' }]]);
  const empty = kubePullSecretSource({ listSecrets: async () => ({}) });
  assert.deepEqual(await empty.listSecrets('ns', {}), { metadata: {}, items: [] });
});

test("the kube-apiserver's Status becomes the error, as client-go hands it on", () => {
  const forbidden = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'secrets is forbidden: User "system:serviceaccount:image-apiserver:image-apiserver" cannot list resource "secrets" in API group "" in the namespace "ns"',
    reason: 'Forbidden',
    details: { kind: 'secrets' },
    code: 403,
  };
  assert.deepEqual(statusErrorOf(403, JSON.stringify(forbidden)).status, forbidden);
  const other = statusErrorOf(502, 'bad gateway');
  assert.equal(other.code, 502);
  assert.equal(other.status.message, 'an error on the server ("bad gateway") has prevented the request from succeeding');
});

test('tag access is one SubjectAccessReview for get imagestreams/layers as the requesting user', async () => {
  const reviews: SubjectAccessReview[] = [];
  let answer: SubjectAccessReview['status'] = { allowed: true };
  const verifier = subjectAccessReviewTagVerifier(async (review) => {
    reviews.push(review);
    return { ...review, status: answer };
  });
  assert.deepEqual(await verifier.review({ namespace: 'other', stream: 'src', user: 'alice', groups: ['dev'], extra: { scopes: ['x'] } }), {
    allowed: true,
    reason: '',
    evaluationError: '',
  });
  assert.deepEqual(reviews[0], {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      resourceAttributes: { namespace: 'other', verb: 'get', group: 'image.openshift.io', resource: 'imagestreams', subresource: 'layers', name: 'src' },
      user: 'alice',
      groups: ['dev'],
      extra: { scopes: ['x'] },
    },
  });
  answer = { allowed: false, reason: 'no', evaluationError: 'boom' };
  assert.deepEqual(await verifier.review({ namespace: 'other', stream: 'src', user: '', groups: [] }), { allowed: false, reason: 'no', evaluationError: 'boom' });
  // Empty user, groups and extra are left out, as Go's omitempty does.
  assert.deepEqual(Object.keys(reviews[1].spec), ['resourceAttributes']);
});
