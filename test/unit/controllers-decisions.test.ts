// What the import controllers decide from a stream (openshift-controller-manager TestHandleImageStream and
// TestSchedulingChecks, in this project's wire form).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageStream, NamedTagEventList, TagReference } from '../../src/apis/image/v1/imagestream/types.js';
import {
  imageStreamImportFor,
  latestObservedTagGeneration,
  needsImport,
  needsScheduling,
  tagImportable,
  withScheduledTagsReset,
} from '../../src/controllers/import-decisions.js';

const CHECKED = { 'openshift.io/image.dockerRepositoryCheck': '2024-01-02T03:04:05Z' };
const DIGEST = 'abc@sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25';

const stream = (opts: { annotations?: Record<string, string>; repository?: string; tags?: TagReference[]; status?: NamedTagEventList[]; generation?: number }): ImageStream => ({
  metadata: { name: 'test', namespace: 'other', uid: 'uid-1', resourceVersion: '7', generation: opts.generation ?? 1, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
  spec: { ...(opts.repository ? { dockerImageRepository: opts.repository } : {}), ...(opts.tags ? { tags: opts.tags } : {}) },
  status: { dockerImageRepository: '', ...(opts.status ? { tags: opts.status } : {}) },
});
const docker = (name: string, from: string, extra: Partial<TagReference> = {}): TagReference => ({ name, from: { kind: 'DockerImage', name: from }, ...extra });
const importOf = (tag: string, from: string) => ({ from: { kind: 'DockerImage', name: from }, to: { name: tag }, importPolicy: {}, referencePolicy: {} });
const failed = (generation: number) => ({ type: 'ImportSuccess', status: 'False', generation, message: 'transient error' });

test('tags are importable when they follow a DockerImage and are not references', () => {
  assert.equal(tagImportable(docker('a', 'x')), true);
  assert.equal(tagImportable(docker('a', 'x', { reference: true })), false);
  assert.equal(tagImportable({ name: 'a', from: { kind: 'ImageStreamTag', name: 'x:1' } }), false);
  assert.equal(tagImportable({ name: 'a' }), false);
});

test('the observed generation: the newest event, or the first ImportSuccess condition when newer', () => {
  const s = stream({
    status: [
      { tag: 'events', items: [{ created: '', dockerImageReference: '', image: '', generation: 3 }, { created: '', dockerImageReference: '', image: '', generation: 9 }] },
      { tag: 'failed', items: [{ created: '', dockerImageReference: '', image: '', generation: 2 }], conditions: [{ type: 'Other', status: 'False', generation: 8 }, failed(5), failed(7)] },
      { tag: 'empty', items: null },
    ],
  });
  assert.equal(latestObservedTagGeneration(s, 'events'), 3);
  assert.equal(latestObservedTagGeneration(s, 'failed'), 5);
  assert.equal(latestObservedTagGeneration(s, 'empty'), 0);
  assert.equal(latestObservedTagGeneration(s, 'missing'), 0);
});

test('which streams are imported, and the ImageStreamImport the controller sends', async (t) => {
  const cases: { name: string; stream: ImageStream; expected?: object }[] = [
    { name: 'checked, nothing to import', stream: stream({ annotations: CHECKED }) },
    { name: 'checked repository', stream: stream({ annotations: CHECKED, repository: 'test/other' }) },
    { name: 'the annotation holds an error text', stream: stream({ annotations: { 'openshift.io/image.dockerRepositoryCheck': 'a random error' }, repository: 'test/other' }) },
    { name: 'references are ignored', stream: stream({ tags: [docker('latest', 'test/other:latest', { reference: true })] }) },
    { name: 'other kinds are ignored', stream: stream({ tags: [{ name: 'latest', from: { kind: 'AnotherImage', name: 'test/other:latest' }, reference: true }] }) },
    { name: 'a never checked spec tag', stream: stream({ tags: [docker('latest', 'test/other:latest')] }), expected: { import: true, images: [importOf('latest', 'test/other:latest')] } },
    {
      name: 'a tag generation with no status',
      stream: stream({ tags: [docker('latest', 'test/other:latest', { generation: 2 })] }),
      expected: { import: true, images: [importOf('latest', 'test/other:latest')] },
    },
    {
      name: 'only the tag newer than its status',
      stream: stream({
        tags: [docker('v1', 'test/other:v1', { generation: 1 }), docker('latest', 'test/other:latest', { generation: 2 })],
        status: [
          { tag: 'v1', items: [{ created: '', dockerImageReference: '', image: '', generation: 1 }] },
          { tag: 'latest', items: [{ created: '', dockerImageReference: '', image: '', generation: 1 }] },
        ],
      }),
      expected: { import: true, images: [importOf('latest', 'test/other:latest')] },
    },
    {
      name: 'a failure at the same generation is not retried',
      stream: stream({ annotations: CHECKED, tags: [docker('latest', 'test/other:latest', { generation: 2 })], status: [{ tag: 'latest', items: null, conditions: [failed(2)] }] }),
    },
    {
      name: 'a failure at an older generation is retried',
      stream: stream({ annotations: CHECKED, tags: [docker('latest', 'test/other:latest', { generation: 2 })], status: [{ tag: 'latest', items: null, conditions: [failed(1)] }] }),
      expected: { import: true, images: [importOf('latest', 'test/other:latest')] },
    },
    {
      name: 'an older status event',
      stream: stream({ annotations: CHECKED, tags: [docker('latest', 'test/other:latest', { generation: 2 })], status: [{ tag: 'latest', items: [{ created: '', dockerImageReference: '', image: '', generation: 1 }] }] }),
      expected: { import: true, images: [importOf('latest', 'test/other:latest')] },
    },
    { name: 'an external repository', stream: stream({ tags: [docker('1.1', 'some/repo:mytag')] }), expected: { import: true, images: [importOf('1.1', 'some/repo:mytag')] } },
    {
      name: 'a current status event',
      stream: stream({ annotations: CHECKED, tags: [docker('latest', 'test/other:latest', { generation: 2 })], status: [{ tag: 'latest', items: [{ created: '', dockerImageReference: '', image: '', generation: 2 }] }] }),
    },
    {
      name: 'a never checked repository: every importable tag and the repository, insecure from the annotation',
      stream: stream({
        annotations: { 'openshift.io/image.insecureRepository': 'true' },
        repository: 'registry.test/team/app',
        tags: [
          docker('done', 'registry.test/team/app:done', { generation: 1, importPolicy: { scheduled: true }, referencePolicy: { type: 'Local' } }),
          docker('ref', 'registry.test/team/app:ref', { reference: true }),
        ],
        status: [{ tag: 'done', items: [{ created: '', dockerImageReference: '', image: '', generation: 1 }] }],
      }),
      expected: {
        import: true,
        images: [{ from: { kind: 'DockerImage', name: 'registry.test/team/app:done' }, to: { name: 'done' }, importPolicy: { scheduled: true }, referencePolicy: { type: 'Local' } }],
        repository: { from: { kind: 'DockerImage', name: 'registry.test/team/app' }, importPolicy: { insecure: true } },
      },
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const before = structuredClone(c.stream);
      const isi = imageStreamImportFor(c.stream);
      assert.deepEqual(c.stream, before, 'the stream is not changed');
      if (isi) assert.equal(needsImport(c.stream).needed, true);
      if (!c.expected) return assert.equal(isi, undefined);
      assert.deepEqual(isi, {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageStreamImport',
        metadata: { name: 'test', namespace: 'other', resourceVersion: '7', uid: 'uid-1' },
        spec: c.expected,
        status: {},
      });
    });
  }
});

test('partial and full imports', () => {
  assert.deepEqual(needsImport(stream({ repository: 'a/b' })), { needed: true, partial: false });
  assert.deepEqual(needsImport(stream({ tags: [docker('a', 'x')] })), { needed: true, partial: true });
  assert.deepEqual(needsImport(stream({ annotations: CHECKED, tags: [docker('a', 'x', { generation: 3 })] })), { needed: true, partial: true });
  assert.deepEqual(needsImport(stream({ annotations: { 'openshift.io/image.dockerRepositoryCheck': '' }, repository: 'a/b' })), { needed: true, partial: false });
  assert.deepEqual(needsImport(stream({ annotations: CHECKED, tags: [docker('a', 'x')] })), { needed: false, partial: false });
});

test('scheduling checks: scheduled tags, and digests only until they are imported', async (t) => {
  const imported = { created: '', dockerImageReference: '', image: '', generation: 1 };
  const cases: { name: string; stream: ImageStream; scheduled: boolean; bumped: string[] }[] = [
    { name: 'none scheduled', stream: stream({ annotations: CHECKED, tags: [docker('default', 'mysql:latest', { generation: 1, importPolicy: {} })], status: [{ tag: 'default', items: [imported] }] }), scheduled: false, bumped: [] },
    {
      name: 'a digest that failed will import',
      stream: stream({ annotations: CHECKED, tags: [docker('default1', DIGEST, { generation: 1, importPolicy: { scheduled: true } })], status: [{ tag: 'default1', items: null, conditions: [failed(1)] }] }),
      scheduled: true,
      bumped: ['default1'],
    },
    {
      name: 'a digest not imported yet',
      stream: stream({
        annotations: CHECKED,
        tags: [docker('default1', DIGEST, { generation: 1, importPolicy: { scheduled: true } }), docker('default2', DIGEST, { generation: 1, importPolicy: { scheduled: true } })],
        status: [{ tag: 'default1', items: [imported] }],
      }),
      scheduled: true,
      bumped: ['default2'],
    },
    {
      name: 'a digest imported',
      stream: stream({ annotations: CHECKED, tags: [docker('default', DIGEST, { generation: 1, importPolicy: { scheduled: true } })], status: [{ tag: 'default', items: [imported] }] }),
      scheduled: false,
      bumped: [],
    },
    {
      name: 'a tag',
      stream: stream({ annotations: CHECKED, tags: [docker('default', 'mysql:latest', { generation: 1, importPolicy: { scheduled: true } })], status: [{ tag: 'default', items: [imported] }] }),
      scheduled: true,
      bumped: ['default'],
    },
    {
      name: 'an unparseable source and a reference are not scheduled',
      stream: stream({
        annotations: CHECKED,
        tags: [docker('bad', 'UPPER/Case:x', { generation: 1, importPolicy: { scheduled: true } }), docker('ref', 'mysql:latest', { generation: 1, reference: true, importPolicy: { scheduled: true } })],
        status: [{ tag: 'bad', items: null, conditions: [failed(1)] }],
      }),
      scheduled: false,
      bumped: [],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(needsScheduling(c.stream), c.scheduled);
      const reset = withScheduledTagsReset(c.stream);
      const bumped = (reset.spec?.tags ?? []).filter((ref) => (ref.generation ?? 0) > 1).map((ref) => ref.name);
      assert.deepEqual(bumped, c.bumped);
      for (const ref of reset.spec?.tags ?? []) if (c.bumped.includes(ref.name ?? '')) assert.equal(ref.generation, 2, 'the stream generation + 1');
      assert.equal(c.stream.spec?.tags?.[0]?.generation, 1, 'the stream itself is untouched');
      // A reset tag needs import, so it goes into the controller's request.
      const isi = imageStreamImportFor(reset);
      assert.deepEqual((isi?.spec.images ?? []).map((i) => i.to?.name), c.bumped);
    });
  }
});
