// The real kubectl (1.32) printing server-side Tables for every kind: `get` and `get -o wide` columns and cells
// (priority-1 columns only with -o wide), label columns from the row objects, and `get -w` on every kind that
// can be watched (a refusal, worded as upstream, for those that cannot).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isServed } from '../support/reference-kinds.js';
import { eventually, Kubectl } from '../support/kubectl.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
let kubectl: Kubectl;

const NS = 'tables';
const API = '/apis/image.openshift.io/v1';
const IMAGE = `sha256:${'4'.repeat(64)}`;
const REF = `quay.io/tables/app@${IMAGE}`;

before(async () => {
  srv = await startTestServer();
  kubectl = new Kubectl(srv.url);
  const post = async (path: string, body: unknown) => {
    const res = await srv.request('POST', path, { body });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  await post(`${API}/images`, { metadata: { name: IMAGE }, dockerImageReference: REF });
  await post('/apis/config.openshift.io/v1/images', { metadata: { name: 'cluster' }, spec: {} });
  const stream = await post(`${API}/namespaces/${NS}/imagestreams`, {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { tags: [{ name: 'pinned', from: { kind: 'DockerImage', name: 'quay.io/tables/app:2' } }] },
  });
  // A pushed image in the status history, two years ago.
  stream.status = {
    dockerImageRepository: '',
    tags: [{ tag: 'pushed', items: [{ created: new Date(Date.now() - 2 * 365 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z'), dockerImageReference: REF, image: IMAGE, generation: 1 }] }],
  };
  const status = await srv.request('PUT', `${API}/namespaces/${NS}/imagestreams/web/status`, { body: stream });
  assert.equal(status.status, 200, status.text);
});
after(async () => {
  await srv.close();
});

async function run(...args: string[]): Promise<string> {
  const res = await kubectl.run(args);
  assert.equal(res.code, 0, res.stderr);
  return res.stdout;
}

/** A kubectl table as rows of cells, split on the header's column starts (cells may be empty). */
function table(out: string): Record<string, string>[] {
  const [header, ...lines] = out.trimEnd().split('\n');
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], at: m.index! }));
  return [
    Object.fromEntries(starts.map((c) => [c.name, c.name])),
    ...lines.map((line) => Object.fromEntries(starts.map((c, i) => [c.name, line.slice(c.at, i + 1 < starts.length ? starts[i + 1].at : undefined).trim()]))),
  ];
}
const header = (out: string) => Object.keys(table(out)[0]);
const rows = (out: string) => table(out).slice(1);

describe('get and get -o wide', () => {
  test('config Image: the CRD default NAME and AGE, also with -o wide', async () => {
    for (const wide of [[], ['-o', 'wide']]) {
      const out = await run('get', 'images.config.openshift.io', ...wide);
      assert.deepEqual(header(out), ['NAME', 'AGE']);
      assert.equal(rows(out)[0].NAME, 'cluster');
      assert.match(rows(out)[0].AGE, /^\d+s$/);
    }
  });

  test('Image: NAME and IMAGE REFERENCE (no wide columns upstream)', async () => {
    for (const wide of [[], ['-o', 'wide']]) {
      const out = await run('get', 'images.image.openshift.io', ...wide);
      assert.deepEqual(rows(out), [{ NAME: IMAGE, 'IMAGE REFERENCE': REF }]);
      assert.deepEqual(header(out), ['NAME', 'IMAGE REFERENCE']);
    }
  });

  test('ImageStream: NAME, IMAGE REPOSITORY, TAGS (status tags only), UPDATED; --show-labels and -L from the row objects', async () => {
    const out = await run('get', 'is', '-n', NS, '-o', 'wide');
    assert.deepEqual(header(out), ['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED']);
    assert.deepEqual(rows(out), [{ NAME: 'web', 'IMAGE REPOSITORY': '', TAGS: 'pushed', UPDATED: '2 years ago' }]);
    const labels = await run('get', 'is', '-n', NS, '--show-labels', '-L', 'app');
    assert.deepEqual(header(labels), ['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED', 'APP', 'LABELS']);
    assert.deepEqual([rows(labels)[0].APP, rows(labels)[0].LABELS], ['web', 'app=web']);
    const sorted = await run('get', 'is', '-A', '--sort-by=.metadata.name');
    assert.deepEqual(rows(sorted).map((r) => [r.NAMESPACE, r.NAME]), [[NS, 'web']]);
  });

  test('ImageStreamImage: NAME and UPDATED; -o wide adds IMAGE REFERENCE and IMAGE NAME', async () => {
    const name = `web@${IMAGE}`;
    const out = await run('get', 'isimage', name, '-n', NS);
    assert.deepEqual(header(out), ['NAME', 'UPDATED']);
    assert.equal(rows(out)[0].NAME, name);
    assert.match(rows(out)[0].UPDATED, /ago$/);
    const wide = await run('get', 'isimage', name, '-n', NS, '-o', 'wide');
    assert.deepEqual(header(wide), ['NAME', 'UPDATED', 'IMAGE REFERENCE', 'IMAGE NAME']);
    assert.deepEqual([rows(wide)[0]['IMAGE REFERENCE'], rows(wide)[0]['IMAGE NAME']], [REF, IMAGE]);
  });

  test('ImageStreamTag: NAME, IMAGE REFERENCE, UPDATED; -o wide adds IMAGE NAME', { skip: !isServed('image.openshift.io', 'ImageStreamTag') }, async () => {
    const out = await run('get', 'istag', '-n', NS);
    assert.deepEqual(header(out), ['NAME', 'IMAGE REFERENCE', 'UPDATED']);
    assert.deepEqual(rows(out), [{ NAME: 'web:pushed', 'IMAGE REFERENCE': REF, UPDATED: '2 years ago' }]);
    const wide = await run('get', 'istag', 'web:pushed', '-n', NS, '-o', 'wide');
    assert.deepEqual(rows(wide), [{ NAME: 'web:pushed', 'IMAGE REFERENCE': REF, UPDATED: '2 years ago', 'IMAGE NAME': IMAGE }]);
  });

  test('ImageTag: NAME, SPEC, STATUS, HISTORY, UPDATED for spec and status tags', { skip: !isServed('image.openshift.io', 'ImageTag') }, async () => {
    const out = await run('get', 'itag', '-n', NS, '-o', 'wide');
    assert.deepEqual(header(out), ['NAME', 'SPEC', 'STATUS', 'HISTORY', 'UPDATED']);
    assert.deepEqual(rows(out), [
      { NAME: 'web:pinned', SPEC: 'Tag', STATUS: 'quay.io/tables/app:2', HISTORY: '', UPDATED: '' },
      { NAME: 'web:pushed', SPEC: 'Push', STATUS: `image/${IMAGE}`, HISTORY: '1', UPDATED: '2 years ago' },
    ]);
  });
});

describe('get -w', () => {
  /** Starts `kubectl get … -w`, waits for `first`, runs `change`, waits for `next`; the header comes once. */
  async function watchFor(args: string[], first: RegExp, change: () => Promise<void>, next: RegExp, headerLine: RegExp): Promise<string> {
    const watch = kubectl.start(['get', ...args, '-w']);
    try {
      await eventually(() => first.test(watch.output()));
      await change();
      await eventually(() => next.test(watch.output()));
      assert.equal(watch.output().match(new RegExp(headerLine.source, 'gm'))?.length, 1, watch.output());
      return watch.output();
    } finally {
      watch.stop();
    }
  }

  test('config Image: a new object prints a NAME/AGE row', async () => {
    await watchFor(
      ['images.config.openshift.io'],
      /^cluster\s+\d+s$/m,
      async () => {
        const res = await srv.request('POST', '/apis/config.openshift.io/v1/images', { body: { metadata: { name: 'watched' }, spec: {} } });
        assert.equal(res.status, 201, res.text);
      },
      /^watched\s+\d+s$/m,
      /^NAME\s+AGE$/,
    );
  });

  test('Image: a new image prints its reference', async () => {
    const other = `sha256:${'5'.repeat(64)}`;
    await watchFor(
      ['images.image.openshift.io', '-o', 'wide'],
      new RegExp(`^${IMAGE}\\s+${REF.replace(/[.]/g, '\\.')}$`, 'm'),
      async () => {
        const res = await srv.request('POST', `${API}/images`, { body: { metadata: { name: other }, dockerImageReference: `quay.io/tables/other@${other}` } });
        assert.equal(res.status, 201, res.text);
      },
      new RegExp(`^${other}\\s+quay\\.io/tables/other@${other}$`, 'm'),
      /^NAME\s+IMAGE REFERENCE$/,
    );
  });

  test('ImageStream by name: a status change prints the new tags', async () => {
    await watchFor(
      ['is', 'web', '-n', NS],
      /^web\s+pushed\s+2 years ago$/m,
      async () => {
        const stream = (await srv.request('GET', `${API}/namespaces/${NS}/imagestreams/web`)).json;
        stream.status.tags.push({ tag: 'again', items: [{ created: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), dockerImageReference: REF, image: IMAGE, generation: 1 }] });
        const res = await srv.request('PUT', `${API}/namespaces/${NS}/imagestreams/web/status`, { body: stream });
        assert.equal(res.status, 200, res.text);
      },
      /^web\s+again,pushed\s+\S.*ago$/m,
      /^NAME\s+IMAGE REPOSITORY\s+TAGS\s+UPDATED$/,
    );
  });

  test('kinds without watch: the list prints, then the server refuses as upstream does', { skip: !isServed('image.openshift.io', 'ImageStreamTag') }, async () => {
    const res = await kubectl.run(['get', 'istag', '-n', NS, '-w', '--request-timeout=5s']);
    assert.equal(res.code, 1);
    assert.match(res.stdout, /^NAME\s+IMAGE REFERENCE\s+UPDATED\nweb:\S+\s/);
    assert.equal(res.stderr.trim(), 'Error from server (MethodNotAllowed): watch is not supported on resources of kind "imagestreamtags.image.openshift.io"');
  });
});
