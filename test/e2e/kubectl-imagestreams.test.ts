// The real kubectl (1.32) with image streams and their views: create an ImageStream with DockerImage and
// ImageStreamTag spec tags, replay the integrated registry's push with curl (POST imagestreammappings), then
// `get is,istag,itag` (server-side columns), `get istag -o yaml`, `get isimage`, and `delete istag`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { parse } from 'yaml';
import { start, type RunningServer } from '../../src/start.js';
import { Kubectl } from '../support/kubectl.js';

const REGISTRY = 'image-registry.openshift-image-registry.svc:5000';
const NS = 'demo';

const CONFIG = JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2024-05-01T00:00:00Z', config: { Cmd: ['/app'] } });
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: CONFIG.length, digest: sha256(CONFIG) },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 4096, digest: `sha256:${'7'.repeat(64)}` }],
});
const DIGEST = sha256(MANIFEST);

const STREAM = `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: app
spec:
  tags:
  - name: upstream
    reference: true
    from:
      kind: DockerImage
      name: quay.io/demo/upstream:1
  - name: latest
    from:
      kind: ImageStreamTag
      name: v1
`;

let server: RunningServer;
let dataDir: string;
let kubectl: Kubectl;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kubectl-imagestreams-'));
  server = await start(
    { bindAddress: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', storageBackend: 'level', internalRegistryHostname: REGISTRY },
    pino({ level: 'silent' }),
  );
  kubectl = new Kubectl(server.url);
});
after(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The output split into lines of columns (two or more spaces apart). */
const table = (out: string) => out.trim().split('\n').filter((l) => l.trim()).map((line) => line.trim().split(/\s{2,}/));

/**
 * What the integrated registry sends once a push of `<stream>:<tag>` completed, replayed with the real curl.
 * Answers the HTTP status and the body.
 */
async function replayRegistryPush(stream: string, tag: string): Promise<{ status: number; body: string }> {
  const url = `${server.url}/apis/image.openshift.io/v1/namespaces/${NS}/imagestreammappings`;
  const body = JSON.stringify({
    kind: 'ImageStreamMapping',
    apiVersion: 'image.openshift.io/v1',
    metadata: { name: stream, namespace: NS },
    image: {
      metadata: { name: DIGEST, annotations: { 'openshift.io/image.managed': 'true', 'image.openshift.io/manifestBlobStored': 'true' } },
      dockerImageReference: `${REGISTRY}/${NS}/${stream}@${DIGEST}`,
      dockerImageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      dockerImageManifest: MANIFEST,
      dockerImageConfig: CONFIG,
    },
    tag,
  });
  const { stdout } = await execFileAsync('curl', [
    '-sS', '-X', 'POST', url,
    '-H', 'Content-Type: application/json',
    '-A', 'dockerregistry/v4.16.0 (linux/amd64) kubernetes/$Format',
    '--data-binary', '@-',
    '-w', '\n%{http_code}',
  ], body);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

/** Runs a program with `input` on its stdin. */
function execFileAsync(file: string, args: string[], input: string): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${file}: ${err.message} ${stderr}`)) : resolve({ stdout })));
    child.stdin!.end(input);
  });
}

test('create -f an ImageStream with DockerImage and ImageStreamTag spec tags', async () => {
  const res = await kubectl.run(['create', '-n', NS, '-f', '-'], STREAM);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout.trim(), 'imagestream.image.openshift.io/app created');
});

test("the registry's push: POST imagestreammappings answers the 201 Success Status", async () => {
  const res = await replayRegistryPush('app', 'v1');
  assert.equal(res.status, 201, res.body);
  assert.deepEqual(JSON.parse(res.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
});

test('get is,istag,itag prints each kind with its own columns', async () => {
  const res = await kubectl.run(['get', 'is,istag,itag', '-n', NS]);
  assert.equal(res.code, 0, res.stderr);
  const sections = res.stdout.trim().split(/\n\s*\n/).map(table);
  assert.equal(sections.length, 3, res.stdout);
  const [is, istag, itag] = sections;

  assert.deepEqual(is[0], ['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED']);
  assert.equal(is.length, 2);
  assert.deepEqual(is[1].slice(0, 2), ['imagestream.image.openshift.io/app', `${REGISTRY}/${NS}/app`]);
  assert.deepEqual(is[1][2].split(',').sort(), ['latest', 'upstream', 'v1']);
  assert.match(is[1][3], / ago$/);

  // The reference-only tag has no image: no ImageStreamTag.
  assert.deepEqual(istag[0], ['NAME', 'IMAGE REFERENCE', 'UPDATED']);
  assert.deepEqual(istag.slice(1).map((r) => r.slice(0, 2)), [
    ['imagestreamtag.image.openshift.io/app:latest', `${REGISTRY}/${NS}/app@${DIGEST}`],
    ['imagestreamtag.image.openshift.io/app:v1', `${REGISTRY}/${NS}/app@${DIGEST}`],
  ]);
  for (const row of istag.slice(1)) assert.match(row[2], / ago$/);

  assert.deepEqual(itag[0], ['NAME', 'SPEC', 'STATUS', 'HISTORY', 'UPDATED']);
  assert.deepEqual(itag.slice(1).map((r) => r.slice(0, 4)), [
    ['imagetag.image.openshift.io/app:latest', 'Track', `image/${DIGEST}`, '1'],
    ['imagetag.image.openshift.io/app:upstream', 'Ref', 'quay.io/demo/upstream:1', '1'],
    ['imagetag.image.openshift.io/app:v1', 'Push', `image/${DIGEST}`, '1'],
  ]);
});

test('get istag -o wide adds IMAGE NAME', async () => {
  const res = await kubectl.run(['get', 'istag', 'app:v1', '-n', NS, '-o', 'wide']);
  assert.equal(res.code, 0, res.stderr);
  const [header, row] = table(res.stdout);
  assert.deepEqual(header, ['NAME', 'IMAGE REFERENCE', 'UPDATED', 'IMAGE NAME']);
  assert.deepEqual([row[0], row[1], row[3]], ['app:v1', `${REGISTRY}/${NS}/app@${DIGEST}`, DIGEST]);
});

test('get istag s:t -o yaml shows the tag with its image', async () => {
  const res = await kubectl.run(['get', 'istag', 'app:v1', '-n', NS, '-o', 'yaml']);
  assert.equal(res.code, 0, res.stderr);
  const istag = parse(res.stdout);
  assert.equal(istag.kind, 'ImageStreamTag');
  assert.equal(istag.apiVersion, 'image.openshift.io/v1');
  assert.deepEqual([istag.metadata.name, istag.metadata.namespace], ['app:v1', NS]);
  assert.equal(istag.tag, null);
  assert.equal(istag.generation, 1);
  assert.deepEqual(istag.lookupPolicy, { local: false });
  assert.equal(istag.image.metadata.name, DIGEST);
  assert.equal(istag.image.dockerImageReference, `${REGISTRY}/${NS}/app@${DIGEST}`);
  assert.equal(istag.image.dockerImageMetadata.Id, sha256(CONFIG));
  assert.equal(istag.image.dockerImageManifest, undefined);
});

test('get isimage s@<digest> finds the pushed image', async () => {
  const res = await kubectl.run(['get', 'isimage', `app@${DIGEST}`, '-n', NS]);
  assert.equal(res.code, 0, res.stderr);
  const [header, row] = table(res.stdout);
  assert.deepEqual(header, ['NAME', 'UPDATED']);
  assert.equal(row[0], `app@${DIGEST}`);
  assert.match(row[1], / ago$/);
});

test('delete istag s:t removes the tag, then get says NotFound', async () => {
  const res = await kubectl.run(['delete', 'istag', 'app:v1', '-n', NS]);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout.trim(), 'imagestreamtag.image.openshift.io "app:v1" deleted');
  // Without a core API kubectl cannot check the namespace after a 404, so the raw GET shows the server's message.
  const gone = await kubectl.run(['get', '--raw', `/apis/image.openshift.io/v1/namespaces/${NS}/imagestreamtags/app:v1`]);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /imagestreamtags\.image\.openshift\.io "app:v1" not found/);
  // The tracking tag keeps its own history.
  const latest = await kubectl.run(['get', 'istag', 'app:latest', '-n', NS]);
  assert.equal(latest.code, 0, latest.stderr);
});
