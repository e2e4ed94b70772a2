import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config.js';

test('in-flight limits: kube defaults, flags and environment, non-negative integers only', () => {
  const defaults = parseConfig([], {});
  assert.equal(defaults.maxRequestsInflight, 400);
  assert.equal(defaults.maxMutatingRequestsInflight, 200);
  const given = parseConfig(['--max-requests-inflight=0'], { IMAGE_APISERVER_MAX_MUTATING_REQUESTS_INFLIGHT: '7' });
  assert.equal(given.maxRequestsInflight, 0);
  assert.equal(given.maxMutatingRequestsInflight, 7);
  assert.throws(() => parseConfig(['--max-mutating-requests-inflight=-1'], {}), /invalid --max-mutating-requests-inflight "-1": must be a non-negative integer/);
});

test('the cluster connection exists in aggregated mode only, with --kubeconfig or in-cluster', () => {
  assert.equal(parseConfig([], {}).cluster, undefined);
  assert.deepEqual(parseConfig(['--mode=aggregated'], {}).cluster, {});
  assert.deepEqual(parseConfig(['--mode=aggregated', '--kubeconfig=/k'], {}).cluster, { kubeconfig: '/k' });
  // The delegation kubeconfigs do not change where namespaces and Secrets are read.
  assert.deepEqual(parseConfig(['--mode=aggregated', '--authentication-kubeconfig=/a'], {}).cluster, {});
});
