// The import controllers against a real registry (Debian's docker-registry on 127.0.0.1, images pushed with
// skopeo): a spec tag created with kubectl is imported within seconds and `kubectl get istag` shows it; a
// failed one is recorded once, not retried in a loop; a stream following a whole repository
// (`spec.dockerImageRepository`) is imported insecurely only when its annotation says so; a scheduled tag picks
// up a new push; and a server
// restarted with its controllers on imports what was created while they were off (the state is in the
// objects).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { Config } from '../../src/config.js';
import { start, type RunningServer } from '../../src/start.js';
import { missingRegistryTools, push, singleArchLayout, startRegistry, type BuiltManifest, type TestRegistry } from '../support/docker-registry.js';
import { eventually, Kubectl } from '../support/kubectl.js';

const missing = missingRegistryTools();
const NS = 'imports';
const STREAMS = `/apis/image.openshift.io/v1/namespaces/${NS}/imagestreams`;

describe('import controllers', { skip: missing ? `registry tests skipped: ${missing}` : false }, () => {
  let work: string;
  let dataDir: string;
  let registry: TestRegistry;
  let server: RunningServer;
  let kubectl: Kubectl;
  let v1: BuiltManifest;
  let v2: BuiltManifest;

  const serve = async (controllers: string[]) => {
    const config: Config = {
      bindAddress: '127.0.0.1',
      port: 0,
      dataDir,
      logLevel: 'silent',
      storageBackend: 'level',
      controllers,
      scheduledImageImportIntervalMs: 1000,
      imageImport: { limits: { retryDelayScale: 0.01 } },
    };
    server = await start(config, pino({ level: 'silent' }));
    kubectl = new Kubectl(server.url);
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const getStream = async (name: string) => (await call('GET', `${STREAMS}/${name}`)).json;
  const statusTag = (stream: any, tag: string) => (stream?.status?.tags ?? []).find((t: { tag: string }) => t.tag === tag);
  /** Polls (asynchronously) until `check` holds. */
  const until = async (check: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const streamYAML = (name: string, tags: { name: string; from: string; scheduled?: boolean }[]) =>
    [
      'apiVersion: image.openshift.io/v1',
      'kind: ImageStream',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  tags:',
      ...tags.flatMap((t) => [
        `  - name: ${t.name}`,
        '    from:',
        '      kind: DockerImage',
        `      name: ${t.from}`,
        '    importPolicy:',
        '      insecure: true',
        ...(t.scheduled ? ['      scheduled: true'] : []),
      ]),
      '',
    ].join('\n');

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'import-controllers-e2e-'));
    dataDir = join(work, 'data');
    registry = await startRegistry();
    v1 = await singleArchLayout(join(work, 'v1'), 'v1', 'controller one');
    v2 = await singleArchLayout(join(work, 'v2'), 'v2', 'controller two');
    await push(join(work, 'v1'), 'v1', `${registry.host}/team/app:v1`);
    await push(join(work, 'v1'), 'v1', `${registry.host}/team/moving:latest`);
    for (const tag of ['latest', '1.0']) await push(join(work, 'v1'), 'v1', `${registry.host}/team/whole:${tag}`);
    await serve(['*']);
    const config = await call('POST', '/apis/config.openshift.io/v1/images', { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} });
    assert.equal(config.status, 201, JSON.stringify(config.json));
  });

  after(async () => {
    await server?.close();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('a spec tag created with kubectl is imported within seconds; `kubectl get istag` shows it', async () => {
    const created = await kubectl.run(['-n', NS, 'create', '-f', '-'], streamYAML('app', [{ name: 'v1', from: `${registry.host}/team/app:v1` }]));
    assert.equal(created.code, 0, created.stderr);
    const started = Date.now();
    let shown = '';
    await until(async () => {
      const res = await kubectl.run(['-n', NS, 'get', 'istag', 'app:v1', '-o', 'jsonpath={.image.metadata.name} {.image.dockerImageReference}']);
      shown = res.stdout;
      return res.code === 0 && shown.startsWith('sha256:');
    }, 10_000);
    assert.ok(Date.now() - started < 10_000);
    assert.equal(shown, `${v1.digest} ${registry.host}/team/app@${v1.digest}`);

    const table = await kubectl.run(['-n', NS, 'get', 'istag']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`^app:v1\\s+${registry.host.replace(/\./g, '\\.')}/team/app@${v1.digest}\\s+`, 'm'));

    const stream = await getStream('app');
    assert.ok(stream.metadata.annotations['openshift.io/image.dockerRepositoryCheck'], 'the import marked the stream checked');
    const tag = stream.spec.tags[0];
    assert.equal(statusTag(stream, 'v1').items[0].generation, tag.generation, 'the status observed the tag generation');
  });

  test('a tag that cannot be imported gets its condition once and is not retried in a loop', async () => {
    const created = await kubectl.run(['-n', NS, 'create', '-f', '-'], streamYAML('broken', [{ name: 'nope', from: `${registry.host}/team/app:nope` }]));
    assert.equal(created.code, 0, created.stderr);
    await until(async () => statusTag(await getStream('broken'), 'nope')?.conditions?.length > 0, 10_000);
    const stream = await getStream('broken');
    const condition = statusTag(stream, 'nope').conditions[0];
    assert.deepEqual([condition.type, condition.status, condition.reason], ['ImportSuccess', 'False', 'NotFound']);
    assert.equal(condition.generation, stream.spec.tags[0].generation, 'observed: no import until the tag changes');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await getStream('broken')).metadata.resourceVersion, stream.metadata.resourceVersion, 'no further writes');
  });

  test('spec.dockerImageRepository: every tag imported when the stream is marked insecure; an HTTP registry is refused otherwise', async () => {
    const repositoryYAML = (name: string, annotations: string[]) =>
      ['apiVersion: image.openshift.io/v1', 'kind: ImageStream', 'metadata:', `  name: ${name}`, ...(annotations.length ? ['  annotations:', ...annotations] : []), 'spec:', `  dockerImageRepository: ${registry.host}/team/whole`, ''].join('\n');
    const insecure = await kubectl.run(['-n', NS, 'create', '-f', '-'], repositoryYAML('whole', ['    openshift.io/image.insecureRepository: "true"']));
    assert.equal(insecure.code, 0, insecure.stderr);
    const shown = async () => (await kubectl.run(['-n', NS, 'get', 'istag', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.image.metadata.name} {end}'])).stdout;
    await until(async () => (await shown()).includes('whole:1.0=') && (await shown()).includes('whole:latest='), 10_000);
    assert.match(await shown(), new RegExp(`whole:1\\.0=${v1.digest} whole:latest=${v1.digest}`));
    const stream = await getStream('whole');
    assert.deepEqual(stream.spec.tags.map((t: { name: string; from: { name: string } }) => [t.name, t.from.name]), [
      ['1.0', `${registry.host}/team/whole:1.0`],
      ['latest', `${registry.host}/team/whole:latest`],
    ]);
    assert.ok(stream.metadata.annotations['openshift.io/image.dockerRepositoryCheck']);

    // Without the annotation the registry is contacted over HTTPS only: it fails, the stream is marked checked
    // and left alone (no loop).
    const secure = await kubectl.run(['-n', NS, 'create', '-f', '-'], repositoryYAML('whole-secure', []));
    assert.equal(secure.code, 0, secure.stderr);
    await until(async () => !!(await getStream('whole-secure'))?.metadata?.annotations?.['openshift.io/image.dockerRepositoryCheck'], 10_000);
    const checked = await getStream('whole-secure');
    assert.equal(checked.spec.tags, undefined);
    assert.equal(checked.status.tags, undefined);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await getStream('whole-secure')).metadata.resourceVersion, checked.metadata.resourceVersion, 'no further writes');
  });

  test('a scheduled tag picks up a new push', async () => {
    const ref = `${registry.host}/team/moving:latest`;
    const created = await kubectl.run(['-n', NS, 'create', '-f', '-'], streamYAML('moving', [{ name: 'latest', from: ref, scheduled: true }]));
    assert.equal(created.code, 0, created.stderr);
    const image = async () => (await kubectl.run(['-n', NS, 'get', 'istag', 'moving:latest', '-o', 'jsonpath={.image.metadata.name}'])).stdout;
    await until(async () => (await image()) === v1.digest, 10_000);

    await push(join(work, 'v2'), 'v2', ref);
    await until(async () => (await image()) === v2.digest, 20_000);
    const history = statusTag(await getStream('moving'), 'latest').items.map((i: { image: string }) => i.image);
    assert.deepEqual(history, [v2.digest, v1.digest]);
  });

  test('controllers off, the stream waits; after a restart with them on it is imported (the state is in the objects)', async () => {
    await server.close();
    await serve([]);
    const created = await call('POST', STREAMS, {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'later' },
      spec: { tags: [{ name: 'v1', from: { kind: 'DockerImage', name: `${registry.host}/team/app:v1` }, importPolicy: { insecure: true } }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    await new Promise((r) => setTimeout(r, 1000));
    const waiting = await getStream('later');
    assert.equal(statusTag(waiting, 'v1'), undefined, 'nothing imports without controllers');
    assert.equal(waiting.metadata.annotations?.['openshift.io/image.dockerRepositoryCheck'], undefined);

    await server.close();
    await serve(['*', '-scheduled-image-import']);
    await until(async () => statusTag(await getStream('later'), 'v1')?.items?.[0]?.image === v1.digest, 10_000);
  });
});
