// The authorizers: always-allowed paths and groups, the standalone guard, the union, and the
// SubjectAccessReview authorizer with its allowed/denied caches.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unionAuthorizer, type AuthorizationAttributes, type Authorizer } from '../../src/server/auth/authorizer.js';
import { requestAttributes } from '../../src/server/auth/request-attributes.js';
import { alwaysAllowPathsAuthorizer, authenticatedUsersAuthorizer, privilegedGroupsAuthorizer } from '../../src/server/auth/static-authorizers.js';
import { subjectAccessReviewAuthorizer, type SubjectAccessReview } from '../../src/server/auth/subject-access-review.js';

const attrs = (method: string, url: string, user = 'u', groups: string[] = []): AuthorizationAttributes => ({ ...requestAttributes(method, url), user: { name: user, groups } });

test('always-allowed paths: exact, trailing-* prefix, leading / optional, non-resource only', async () => {
  const a = alwaysAllowPathsAuthorizer(['/healthz', 'openapi/*', '/readyz']);
  const decision = async (url: string) => (await a.authorize(attrs('GET', url))).decision;
  assert.equal(await decision('/healthz'), 'allow');
  assert.equal(await decision('/healthz/ping'), 'no-opinion');
  assert.equal(await decision('/openapi/v3/apis/g/v'), 'allow');
  assert.equal(await decision('/openapi'), 'no-opinion');
  assert.equal(await decision('/readyz'), 'allow');
  assert.equal(await decision('/apis/g/v/healthz'), 'no-opinion');
  assert.throws(() => alwaysAllowPathsAuthorizer(['/a*b']), { message: 'only trailing * allowed in "a*b"' });
});

test('privileged groups and the standalone guard', async () => {
  assert.equal((await privilegedGroupsAuthorizer(['system:masters']).authorize(attrs('DELETE', '/apis/g/v/r', 'x', ['system:masters']))).decision, 'allow');
  assert.equal((await privilegedGroupsAuthorizer(['system:masters']).authorize(attrs('GET', '/apis/g/v/r', 'x', ['dev']))).decision, 'no-opinion');
  assert.equal((await authenticatedUsersAuthorizer().authorize(attrs('GET', '/apis/g/v/r', 'x', ['system:authenticated']))).decision, 'allow');
  assert.equal((await authenticatedUsersAuthorizer().authorize(attrs('GET', '/apis/g/v/r', 'system:anonymous', ['system:unauthenticated']))).decision, 'no-opinion');
});

test('union: the first allow or deny decides; otherwise every reason and error', async () => {
  const fixed = (decision: 'allow' | 'deny' | 'no-opinion', reason = '', error?: Error): Authorizer => ({ authorize: async () => ({ decision, reason, error }) });
  assert.deepEqual(await unionAuthorizer([fixed('no-opinion', 'r1'), fixed('deny', 'r2'), fixed('allow')]).authorize(attrs('GET', '/')), { decision: 'deny', reason: 'r2', error: undefined });
  const none = await unionAuthorizer([fixed('no-opinion', 'r1', new Error('e1')), fixed('no-opinion', 'r2')]).authorize(attrs('GET', '/'));
  assert.deepEqual({ ...none, error: none.error?.message }, { decision: 'no-opinion', reason: 'r1\nr2', error: 'e1' });
});

describe('SubjectAccessReview authorizer', () => {
  const reviewer = (decide: (spec: SubjectAccessReview['spec']) => SubjectAccessReview['status'] | Error) => {
    const specs: SubjectAccessReview['spec'][] = [];
    const create = async (r: SubjectAccessReview): Promise<SubjectAccessReview> => {
      specs.push(r.spec);
      const status = decide(r.spec);
      if (status instanceof Error) throw status;
      return { ...r, status };
    };
    return { specs, create };
  };

  test('allowed and denied answers are cached for their own TTLs, keyed by the whole spec', async () => {
    let now = 0;
    const r = reviewer((spec) => ({ allowed: spec.user === 'alice', reason: spec.user === 'alice' ? 'ok' : undefined }));
    const a = subjectAccessReviewAuthorizer(r.create, { allowTTLMs: 5000, denyTTLMs: 1000, now: () => now });
    assert.deepEqual(await a.authorize(attrs('GET', '/apis/g/v/r', 'alice')), { decision: 'allow', reason: 'ok' });
    assert.deepEqual(await a.authorize(attrs('GET', '/apis/g/v/r', 'bob')), { decision: 'no-opinion', reason: '' });
    await a.authorize(attrs('GET', '/apis/g/v/r', 'alice'));
    await a.authorize(attrs('GET', '/apis/g/v/r', 'bob'));
    assert.equal(r.specs.length, 2);
    await a.authorize(attrs('GET', '/apis/g/v/r?labelSelector=x', 'alice'));
    assert.equal(r.specs.length, 3, 'a different selector is a different review');
    now = 1001;
    await a.authorize(attrs('GET', '/apis/g/v/r', 'alice'));
    await a.authorize(attrs('GET', '/apis/g/v/r', 'bob'));
    assert.deepEqual(r.specs.slice(3).map((s) => s.user), ['bob']);
  });

  test('denied, both allowed and denied, and a failed call', async () => {
    const r = reviewer((spec) => {
      if (spec.user === 'down') return new Error('connection refused');
      if (spec.user === 'both') return { allowed: true, denied: true };
      return { allowed: false, denied: true, reason: 'blocked' };
    });
    const a = subjectAccessReviewAuthorizer(r.create, { allowTTLMs: 1, denyTTLMs: 1 });
    assert.deepEqual(await a.authorize(attrs('GET', '/x', 'eve')), { decision: 'deny', reason: 'blocked' });
    const both = await a.authorize(attrs('GET', '/x', 'both'));
    assert.equal(both.decision, 'deny');
    assert.equal(both.error?.message, 'webhook subject access review returned both allow and deny response');
    const down = await a.authorize(attrs('GET', '/x', 'down'));
    assert.equal(down.decision, 'no-opinion');
    assert.equal(down.error?.message, 'connection refused');
  });

  test('oversized request attributes are never cached', async () => {
    const r = reviewer(() => ({ allowed: true }));
    const a = subjectAccessReviewAuthorizer(r.create, { allowTTLMs: 10_000, denyTTLMs: 10_000 });
    const long = `/apis/g/v/r/${'n'.repeat(10_000)}`;
    await a.authorize(attrs('GET', long));
    await a.authorize(attrs('GET', long));
    assert.equal(r.specs.length, 2);
  });
});
