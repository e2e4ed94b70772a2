// The import controllers with their collaborators faked: the spec-tag controller's queue and back-off, the
// scheduled controller's turns (openshift-controller-manager TestScheduledImport), the shared stream watch,
// --controllers and --scheduled-image-import-interval, the leader election seam, and the aggregated-mode
// import sources (access reviews, additionalTrustedCA).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { subjectAccessReviewImportAuthorizer } from '../../src/apis/image/v1/imagestreamimport/sar-authorizer.js';
import type { ImageStream } from '../../src/apis/image/v1/imagestream/types.js';
import { parseConfig } from '../../src/config.js';
import { controllerSelectionErrors, isControllerEnabled, parseControllerList } from '../../src/controllers/controller-selection.js';
import { ImageImportController } from '../../src/controllers/image-import-controller.js';
import { ImageStreamEvents } from '../../src/controllers/image-stream-events.js';
import { singleReplicaLeaderElector } from '../../src/controllers/leader-election.js';
import { exponentialFailureRateLimiter } from '../../src/controllers/rate-limiter.js';
import { scheduledImportBuckets, ScheduledImageImportController } from '../../src/controllers/scheduled-import-controller.js';
import { internalError, notFound } from '../../src/machinery/errors.js';
import type { WatchSink } from '../../src/registry/watch.js';
import type { SubjectAccessReview } from '../../src/server/auth/subject-access-review.js';
import { configMapTrustedCAs } from '../../src/server/cluster/import-trusted-cas.js';
import { eventually } from '../support/kubectl.js';

const logger = pino({ level: 'silent' });
const CHECKED = { 'openshift.io/image.dockerRepositoryCheck': '2024-01-02T03:04:05Z' };

const specTagStream = (generation = 2): ImageStream => ({
  metadata: { name: 'test', namespace: 'other', uid: 'u1', resourceVersion: '10', generation, annotations: CHECKED },
  spec: { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'registry.test/a:latest' }, generation }] },
  status: { dockerImageRepository: '', tags: [{ tag: 'latest', items: [{ created: '', dockerImageReference: '', image: '', generation: 1 }] }] },
});
const scheduledStream = (): ImageStream => ({
  metadata: { name: 'test', namespace: 'other', uid: '1', resourceVersion: '1', generation: 1, annotations: { 'openshift.io/image.dockerRepositoryCheck': 'done' } },
  spec: { tags: [{ name: 'default', from: { kind: 'DockerImage', name: 'mysql:latest' }, generation: 1, importPolicy: { scheduled: true } }] },
  status: { dockerImageRepository: '', tags: [{ tag: 'default', items: [{ created: '', dockerImageReference: '', image: '', generation: 1 }] }] },
});

test('spec-tag controller: a stream that needs import is imported once; failures back off and retry; gone streams are dropped', async () => {
  const stored = new Map<string, ImageStream>([['other/test', specTagStream()]]);
  const imported: ImageStream[] = [];
  const importing: string[] = [];
  const failures: unknown[] = [internalError(new Error('registry down'))];
  const controller = new ImageImportController(
    {
      getStream: async (ns, name) => stored.get(`${ns}/${name}`),
      importStream: async (stream) => {
        imported.push(stream);
        const failure = failures.shift();
        if (failure) throw failure;
        // The import wrote the stream: its status now observes the tag's generation.
        const next = structuredClone(stream);
        next.status!.tags![0].items![0].generation = stream.spec!.tags![0].generation!;
        stored.set('other/test', next);
      },
      onImporting: (stream) => void importing.push(stream.metadata.name!),
      logger,
    },
    { workers: 2, rateLimiter: exponentialFailureRateLimiter(5, 50) },
  );
  controller.run();
  try {
    controller.handlers.added!(specTagStream());
    controller.handlers.modified!(specTagStream());
    await eventually(() => imported.length === 2, 2000);
    assert.deepEqual(importing, ['test', 'test'], 'the failed import was retried after its back-off');
    // Up to date now: events cause no further import.
    controller.handlers.modified!(stored.get('other/test')!);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(imported.length, 2);

    // A 404 (stream replaced or gone while importing) is not retried.
    stored.set('other/test', specTagStream(3));
    failures.push(notFound({ group: 'image.openshift.io', resource: 'imagestream' }, 'test'));
    controller.handlers.modified!(specTagStream(3));
    await eventually(() => imported.length === 3, 2000);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(imported.length, 3);

    // A stream that no longer exists is not imported.
    stored.clear();
    controller.handlers.added!(specTagStream(4));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(imported.length, 3);
  } finally {
    await controller.stop();
  }
});

test('scheduled controller: a missing stream is dropped, a present one imported with its scheduled tags reset, each turn', async () => {
  let stored: ImageStream | undefined;
  const imports: ImageStream[] = [];
  const sched = new ScheduledImageImportController(
    { getStream: async () => stored, importStream: async (s) => void imports.push(s), logger },
    // 2 buckets (+ the current one) for an interval under 10 minutes; a short one keeps the turns quick.
    { intervalMs: 10 },
  );
  const stream = scheduledStream();
  sched.enqueue(stream);
  assert.equal(sched.scheduler.len(), 1);
  assert.equal(imports.length, 0);

  for (let i = 0; i < 3; i++) await sched.scheduler.runOnce();
  assert.equal(sched.scheduler.len(), 0, 'not found: removed');
  assert.equal(imports.length, 0);

  sched.enqueue(stream);
  stored = stream;
  for (let i = 0; i < 3; i++) await sched.scheduler.runOnce();
  assert.equal(sched.scheduler.len(), 1, 'still scheduled');
  assert.equal(imports.length, 1);
  assert.equal(imports[0].spec?.tags?.[0].generation, 2, 'the scheduled tag claims the next generation');
  assert.equal(stream.spec?.tags?.[0].generation, 1);

  // No longer scheduled: dropped on its next turn.
  stored = { ...stream, spec: { tags: [{ ...stream.spec!.tags![0], importPolicy: {} }] } };
  for (let i = 0; i < 3; i++) await sched.scheduler.runOnce();
  assert.equal(sched.scheduler.len(), 0);
  assert.equal(imports.length, 1);

  // Streams without scheduled tags are not queued; deleted ones leave the schedule.
  sched.handlers.added!(stored);
  assert.equal(sched.scheduler.len(), 0);
  sched.handlers.added!(stream);
  sched.handlers.deleted!(stream);
  assert.equal(sched.scheduler.len(), 0);
});

test('scheduled controller: an import the spec-tag controller just made pushes the turn back; imports per minute are capped', async () => {
  let now = 0;
  const stream = scheduledStream();
  const imports: string[] = [];
  const sched = new ScheduledImageImportController(
    { getStream: async (_ns, name) => ({ ...stream, metadata: { ...stream.metadata, name } }), importStream: async (s) => void imports.push(s.metadata.name!), logger },
    { intervalMs: 10, maxImportsPerMinute: 1, clock: () => now },
  );
  const other = { ...stream, metadata: { ...stream.metadata, name: 'other' } };
  sched.enqueue(stream);
  sched.enqueue(other);
  assert.deepEqual([sched.scheduler.bucketOf('other/test'), sched.scheduler.bucketOf('other/other')], [2, 1]);
  sched.importing(other);
  assert.equal(sched.scheduler.bucketOf('other/other'), 2, 'moved to the bucket just behind the current one');

  // Burst of 2 (twice the per-minute figure), then one a minute.
  for (const name of ['a', 'b', 'c']) await sched.syncTimed(`other/${name}`, { uid: '1', resourceVersion: '1' });
  assert.deepEqual(imports, ['a', 'b']);
  now += 60_000;
  await sched.syncTimed('other/c', { uid: '1', resourceVersion: '1' });
  assert.deepEqual(imports, ['a', 'b', 'c']);
});

test('scheduled import buckets follow the interval', () => {
  assert.equal(scheduledImportBuckets(15 * 60_000), 4);
  assert.equal(scheduledImportBuckets(2 * 60 * 60_000), 8);
  assert.equal(scheduledImportBuckets(60_000), 2);
  assert.throws(() => new ScheduledImageImportController({ getStream: async () => undefined, importStream: async () => undefined, logger }, { intervalMs: 0 }), /must be positive/);
});

test('the stream watch hands every event to every controller and starts again when it ends', async () => {
  const seen: string[] = [];
  const sinks: WatchSink[] = [];
  let stopped = 0;
  let calls = 0;
  const stream = (name: string) => ({ metadata: { name, namespace: 'ns' } }) as ImageStream;
  const events = new ImageStreamEvents(
    async (sink) => {
      calls++;
      if (calls === 2) throw new Error('storage closed');
      sinks.push(sink);
      sink.send('ADDED', stream(`listed-${calls}`));
      return { stop: () => void stopped++ };
    },
    [
      { added: (s) => void seen.push(`a:added:${s.metadata.name}`), deleted: (s) => void seen.push(`a:deleted:${s.metadata.name}`) },
      { added: (s) => void seen.push(`b:added:${s.metadata.name}`), modified: (s) => void seen.push(`b:modified:${s.metadata.name}`) },
    ],
    logger,
    { restartDelayMs: 5 },
  );
  await events.start();
  assert.deepEqual(seen, ['a:added:listed-1', 'b:added:listed-1']);
  sinks[0].send('MODIFIED', stream('x'));
  sinks[0].send('DELETED', stream('x'));
  sinks[0].send('BOOKMARK', { metadata: { resourceVersion: '9' } });
  assert.deepEqual(seen.slice(2), ['b:modified:x', 'a:deleted:x']);
  // The watch expires: ERROR, end; a failed restart is tried again; the new watch lists again.
  sinks[0].send('ERROR', { kind: 'Status', code: 410 });
  sinks[0].end();
  await eventually(() => seen.includes('a:added:listed-3'), 2000);
  assert.equal(calls, 3);
  events.stop();
  assert.equal(stopped, 1, 'the running watch is stopped');
  sinks[1].end();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(calls, 3, 'no restart after stop');
});

test('--controllers: kube-style selection, validated; --scheduled-image-import-interval: a positive Go duration', () => {
  const defaults = parseConfig([], {});
  assert.deepEqual(defaults.controllers, ['*']);
  assert.equal(defaults.scheduledImageImportIntervalMs, 15 * 60_000);
  assert.deepEqual(parseConfig(['--controllers='], {}).controllers, []);
  assert.deepEqual(parseConfig(['--controllers=*,-scheduled-image-import'], {}).controllers, ['*', '-scheduled-image-import']);
  assert.deepEqual(parseConfig([], { IMAGE_APISERVER_CONTROLLERS: 'image-import' }).controllers, ['image-import']);
  assert.throws(() => parseConfig(['--controllers=*,foo'], {}), { message: 'invalid --controllers: "foo" is not in the list of known controllers' });
  assert.throws(() => parseConfig(['--controllers=-foo,bar'], {}), {
    message: 'invalid --controllers: ["foo" is not in the list of known controllers, "bar" is not in the list of known controllers]',
  });
  assert.equal(parseConfig(['--scheduled-image-import-interval=90s'], {}).scheduledImageImportIntervalMs, 90_000);
  assert.equal(parseConfig([], { IMAGE_APISERVER_SCHEDULED_IMAGE_IMPORT_INTERVAL: '1h30m' }).scheduledImageImportIntervalMs, 90 * 60_000);
  assert.throws(() => parseConfig(['--scheduled-image-import-interval=0s'], {}), { message: 'invalid --scheduled-image-import-interval "0s": must be positive' });
  assert.throws(() => parseConfig(['--scheduled-image-import-interval=soon'], {}), { message: 'invalid --scheduled-image-import-interval: time: invalid duration "soon"' });

  assert.deepEqual(parseControllerList(''), []);
  assert.deepEqual(controllerSelectionErrors(['*', '-image-import', 'scheduled-image-import']), []);
  const cases: [string[], string, boolean][] = [
    [['*'], 'image-import', true],
    [[], 'image-import', false],
    [['*', '-image-import'], 'image-import', false],
    [['-image-import', '*'], 'image-import', false],
    [['image-import', '-image-import'], 'image-import', true],
    [['image-import'], 'scheduled-image-import', false],
    [['*', '-image-import'], 'scheduled-image-import', true],
  ];
  for (const [selection, name, enabled] of cases) assert.equal(isControllerEnabled(name, selection), enabled, `${selection.join(',')} ${name}`);
  assert.equal(isControllerEnabled('x', ['*'], ['x']), false, 'off by default unless named');
  assert.equal(isControllerEnabled('x', ['*', 'x'], ['x']), true);
});

test('a single replica leads as soon as it runs, until it stops', async () => {
  const calls: string[] = [];
  const elector = singleReplicaLeaderElector();
  const callbacks = { onStartedLeading: () => void calls.push('started'), onStoppedLeading: () => void calls.push('stopped') };
  await elector.run(callbacks);
  assert.deepEqual(calls, ['started']);
  await assert.rejects(elector.run(callbacks), /already running/);
  await elector.stop();
  await elector.stop();
  assert.deepEqual(calls, ['started', 'stopped']);
});

test('aggregated imports: the shortcut asks create images.image.openshift.io cluster-wide as the user', async () => {
  const reviews: SubjectAccessReview[] = [];
  const authorizer = subjectAccessReviewImportAuthorizer(async (review) => {
    reviews.push(review);
    return { ...review, status: { allowed: review.spec.resourceAttributes?.resource === 'imagestreammapping' } };
  });
  assert.equal(await authorizer.allowed({ user: 'alice', groups: ['dev'], resource: 'images' }), false);
  assert.equal(await authorizer.allowed({ user: '', groups: [], resource: 'imagestreammapping' }), true);
  assert.deepEqual(reviews[0].spec, { resourceAttributes: { verb: 'create', group: 'image.openshift.io', resource: 'images' }, user: 'alice', groups: ['dev'] });
  assert.deepEqual(reviews[1].spec, { resourceAttributes: { verb: 'create', group: 'image.openshift.io', resource: 'imagestreammapping' } });
});

test('aggregated imports: additionalTrustedCA is the ConfigMap of that name in openshift-config', async () => {
  const reads: string[] = [];
  let name: string | undefined;
  const cas = configMapTrustedCAs(
    async (namespace, cm) => {
      reads.push(`${namespace}/${cm}`);
      return cm === 'registry-cas' ? { data: { 'b.example..5000': 'PEM-B\n', 'a.example': 'PEM-A\n', empty: ' ' } } : undefined;
    },
    async () => ({ metadata: { name: 'cluster' }, spec: name ? { additionalTrustedCA: { name } } : {} }),
  );
  assert.deepEqual(await cas(), []);
  assert.deepEqual(reads, [], 'no name, no read');
  name = 'registry-cas';
  assert.deepEqual(await cas(), ['PEM-A\n', 'PEM-B\n']);
  name = 'missing';
  assert.deepEqual(await cas(), []);
  assert.deepEqual(reads, ['openshift-config/registry-cas', 'openshift-config/missing']);
});
