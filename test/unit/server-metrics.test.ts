import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestLabels } from '../../src/server/metrics/request-labels.js';
import { ServerMetrics } from '../../src/server/metrics/server-metrics.js';

const LIST: RequestLabels = { verb: 'LIST', dry_run: '', group: 'image.openshift.io', version: 'v1', resource: 'imagestreams', subresource: '', scope: 'namespace' };
const SERIES = 'verb="LIST",dry_run="",group="image.openshift.io",version="v1",resource="imagestreams",subresource="",scope="namespace",component="apiserver"';

const lines = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix));

test('requests: one counter per code; durations in kube buckets, bounds inclusive and cumulative', async () => {
  const m = new ServerMetrics({ inflight: () => ({ readOnly: 0, mutating: 0 }), storedResources: [] });
  m.observeRequest(LIST, 200, 0.005);
  m.observeRequest(LIST, 200, 0.03);
  m.observeRequest(LIST, 500, 61);
  const { contentType, text } = await m.exposition();
  assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
  assert.deepEqual(lines(text, 'apiserver_request_total'), [`apiserver_request_total{${SERIES},code="200"} 2`, `apiserver_request_total{${SERIES},code="500"} 1`]);
  const buckets = lines(text, 'apiserver_request_duration_seconds_bucket');
  assert.equal(buckets.length, 24);
  assert.equal(buckets[0], `apiserver_request_duration_seconds_bucket{${SERIES},le="0.005"} 1`);
  assert.equal(buckets[1], `apiserver_request_duration_seconds_bucket{${SERIES},le="0.025"} 1`);
  assert.equal(buckets[2], `apiserver_request_duration_seconds_bucket{${SERIES},le="0.05"} 2`);
  assert.equal(buckets[22], `apiserver_request_duration_seconds_bucket{${SERIES},le="60"} 2`);
  assert.equal(buckets[23], `apiserver_request_duration_seconds_bucket{${SERIES},le="+Inf"} 3`);
  assert.deepEqual(lines(text, 'apiserver_request_duration_seconds_count'), [`apiserver_request_duration_seconds_count{${SERIES}} 3`]);
  assert.match(text, /^# TYPE apiserver_request_duration_seconds histogram$/m);
  assert.match(text, /^# HELP apiserver_request_total \[STABLE\] Counter of apiserver requests/m);
});

test('gauges: in-flight peaks, stored objects (-1 when counting fails), long-running requests and watchers', async () => {
  const m = new ServerMetrics({
    inflight: () => ({ readOnly: 3, mutating: 1 }),
    storedResources: [
      { resource: 'imagestreams.image.openshift.io', count: async () => 7 },
      { resource: 'images.image.openshift.io', count: async () => Promise.reject(new Error('closed')) },
    ],
  });
  const stopRequest = m.trackLongRunning({ ...LIST, verb: 'WATCH' });
  const stopWatcher = m.trackWatcher({ group: 'image.openshift.io', version: 'v1', kind: 'ImageStream' });
  m.observeTermination({ ...LIST, verb: 'POST', scope: 'resource' }, 429);
  let text = (await m.exposition()).text;
  assert.deepEqual(lines(text, 'apiserver_current_inflight_requests'), [
    'apiserver_current_inflight_requests{request_kind="readOnly"} 3',
    'apiserver_current_inflight_requests{request_kind="mutating"} 1',
  ]);
  assert.deepEqual(lines(text, 'apiserver_storage_objects'), [
    'apiserver_storage_objects{resource="imagestreams.image.openshift.io"} 7',
    'apiserver_storage_objects{resource="images.image.openshift.io"} -1',
  ]);
  assert.deepEqual(lines(text, 'apiserver_longrunning_requests'), [
    'apiserver_longrunning_requests{verb="WATCH",group="image.openshift.io",version="v1",resource="imagestreams",subresource="",scope="namespace",component="apiserver"} 1',
  ]);
  assert.deepEqual(lines(text, 'apiserver_registered_watchers'), ['apiserver_registered_watchers{group="image.openshift.io",version="v1",kind="ImageStream"} 1']);
  assert.deepEqual(lines(text, 'apiserver_request_terminations_total'), [
    'apiserver_request_terminations_total{verb="POST",group="image.openshift.io",version="v1",resource="imagestreams",subresource="",scope="resource",component="apiserver",code="429"} 1',
  ]);
  assert.match(text, /^process_resident_memory_bytes \d+$/m);
  stopRequest();
  stopWatcher();
  text = (await m.exposition()).text;
  assert.match(text, /^apiserver_registered_watchers\{group="image.openshift.io",version="v1",kind="ImageStream"\} 0$/m);
});
