// The real kubectl (1.32) reading aggregated discovery: api-versions, api-resources (-o wide: short names,
// namespaced, verbs, categories; its filters), resource name resolution, and `kubectl get all`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { servedReferenceKinds } from '../support/reference-kinds.js';
import { Kubectl } from '../support/kubectl.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
let kubectl: Kubectl;
before(async () => {
  srv = await startTestServer();
  kubectl = new Kubectl(srv.url);
  const created = await srv.request('POST', '/apis/image.openshift.io/v1/namespaces/apps/imagestreams', {
    body: { metadata: { name: 'web' }, spec: { dockerImageRepository: 'quay.io/apps/web' } },
  });
  assert.equal(created.status, 201, created.text);
});
after(async () => {
  await srv.close();
});

async function run(...args: string[]): Promise<string> {
  const res = await kubectl.run(args);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stderr, '', 'no discovery warnings');
  return res.stdout;
}

/** A kubectl table as rows of cells, split on the header's column starts (cells may be empty). */
function table(out: string): Record<string, string>[] {
  const [header, ...lines] = out.trimEnd().split('\n');
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], at: m.index! }));
  return lines.map((line) =>
    Object.fromEntries(starts.map((c, i) => [c.name, line.slice(c.at, i + 1 < starts.length ? starts[i + 1].at : undefined).trim()])),
  );
}

test('api-versions lists both group versions', async () => {
  assert.equal(await run('api-versions'), 'config.openshift.io/v1\nimage.openshift.io/v1\n');
});

test('api-resources -o wide: every kind with its short names, scope, kind, verbs and categories', async () => {
  const out = await run('api-resources', '-o', 'wide');
  assert.match(out, /^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND +VERBS +CATEGORIES\n/);
  const rows = table(out);
  const expected = servedReferenceKinds()
    .map((ref) => ({
      NAME: ref.plural,
      SHORTNAMES: ref.shortNames.join(','),
      APIVERSION: `${ref.group}/v1`,
      NAMESPACED: String(ref.namespaced),
      KIND: ref.kind,
      VERBS: ref.verbs.join(','),
      CATEGORIES: ref.categories.join(','),
    }))
    .sort((a, b) => (a.NAME === b.NAME ? (a.APIVERSION < b.APIVERSION ? -1 : 1) : a.NAME < b.NAME ? -1 : 1));
  assert.deepEqual(rows, expected);
});

test('api-resources filters: --api-group, --namespaced, --verbs, --categories, -o name', async () => {
  const names = (out: string) => out.trim().split('\n').sort();
  const served = servedReferenceKinds();
  assert.deepEqual(
    names(await run('api-resources', '--api-group=image.openshift.io', '-o', 'name')),
    served.filter((k) => k.group === 'image.openshift.io').map((k) => `${k.plural}.${k.group}`).sort(),
  );
  assert.deepEqual(
    names(await run('api-resources', '--namespaced=false', '-o', 'name')),
    served.filter((k) => !k.namespaced).map((k) => `${k.plural}.${k.group}`).sort(),
  );
  assert.deepEqual(
    names(await run('api-resources', '--verbs=watch', '-o', 'name')),
    served.filter((k) => k.verbs.includes('watch')).map((k) => `${k.plural}.${k.group}`).sort(),
  );
  assert.deepEqual(names(await run('api-resources', '--verbs=create', '--verbs=get', '-o', 'name')).length, served.filter((k) => k.verbs.includes('create') && k.verbs.includes('get')).length);
  const all = await run('api-resources', '--categories=all');
  assert.deepEqual(table(all), [{ NAME: 'imagestreams', SHORTNAMES: 'is', APIVERSION: 'image.openshift.io/v1', NAMESPACED: 'true', KIND: 'ImageStream' }]);
});

test('get all includes image streams; the category alias and name forms resolve', async () => {
  const all = await run('get', 'all', '-n', 'apps');
  assert.deepEqual(table(all), [{ NAME: 'web', 'IMAGE REPOSITORY': 'quay.io/apps/web', TAGS: '', UPDATED: '' }]);
  const everywhere = await run('get', 'all', '-A');
  assert.deepEqual(table(everywhere).map((r) => [r.NAMESPACE, r.NAME]), [['apps', 'web']]);
  for (const name of ['is', 'imagestream', 'imagestreams', 'imagestreams.image.openshift.io', 'imagestreams.v1.image.openshift.io', 'is.image.openshift.io']) {
    assert.equal(await run('get', name, '-n', 'apps', '-o', 'name'), 'imagestream.image.openshift.io/web\n', name);
  }
});

test('`images` means image.openshift.io as on OpenShift (the CRD group ranks lower); qualified names pick each group', async () => {
  const image = await srv.request('POST', '/apis/image.openshift.io/v1/images', {
    body: { metadata: { name: `sha256:${'7'.repeat(64)}` }, dockerImageReference: `quay.io/a/b@sha256:${'7'.repeat(64)}` },
  });
  assert.equal(image.status, 201, image.text);
  const config = await srv.request('POST', '/apis/config.openshift.io/v1/images', { body: { metadata: { name: 'cluster' }, spec: {} } });
  assert.equal(config.status, 201, config.text);
  assert.equal(await run('get', 'images.config.openshift.io', '-o', 'name'), 'image.config.openshift.io/cluster\n');
  assert.equal(await run('get', 'images.image.openshift.io', '-o', 'name'), `image.image.openshift.io/sha256:${'7'.repeat(64)}\n`);
  // kubectl's RESTMapper takes the first group discovery lists; both groups serve `images`.
  assert.equal(await run('get', 'images', '-o', 'name'), `image.image.openshift.io/sha256:${'7'.repeat(64)}\n`);
  assert.equal(await run('get', 'image', `sha256:${'7'.repeat(64)}`, '-o', 'name'), `image.image.openshift.io/sha256:${'7'.repeat(64)}\n`);
});
