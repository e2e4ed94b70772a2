// Table and PartialObjectMetadata output over HTTP: every Accept form kubectl and the metadata client send,
// includeObject, list metadata, single GETs, watches, and the 400/406 answers.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const NS = 'tbl';
const IS = `/apis/image.openshift.io/v1/namespaces/${NS}/imagestreams`;
const IMAGES = '/apis/image.openshift.io/v1/images';
const CONFIG_IMAGES = '/apis/config.openshift.io/v1/images';

const TABLE_V1 = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const TABLE_V1BETA1 = 'application/json;as=Table;v=v1beta1;g=meta.k8s.io';
const KUBECTL = `${TABLE_V1},${TABLE_V1BETA1},application/json`;
const POM = (v = 'v1') => `application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=${v}`;
const POML = (v = 'v1') => `application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=${v}`;
const METADATA_CLIENT_LIST = `application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,${POML()},application/json`;
const METADATA_CLIENT_GET = `application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,${POM()},application/json`;

const DIGEST = `sha256:${'c'.repeat(64)}`;

let srv: TestServer;
const get = (path: string, accept?: string) => srv.request('GET', path, accept === undefined ? {} : { headers: { accept } });

before(async () => {
  srv = await startTestServer();
  const created = [
    await srv.request('POST', IS, { body: { metadata: { name: 'app', labels: { tier: 'web' }, annotations: { note: 'x' } }, spec: { dockerImageRepository: 'quay.io/demo/app' } } }),
    await srv.request('POST', IS, { body: { metadata: { name: 'db' }, spec: {} } }),
    await srv.request('POST', IS, { body: { metadata: { name: 'queue' }, spec: {} } }),
    await srv.request('POST', IMAGES, { body: { metadata: { name: DIGEST }, dockerImageReference: `quay.io/demo/app@${DIGEST}` } }),
    await srv.request('POST', CONFIG_IMAGES, { body: { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} } }),
  ];
  for (const res of created) assert.equal(res.status, 201, res.text);
});
after(async () => {
  await srv.close();
});

/** The cells openshift-apiserver computes for an ImageStream, from the plain object this server returns. */
function expectedStreamRepository(stream: any): string {
  return stream.status?.publicDockerImageRepository || stream.spec?.dockerImageRepository || stream.status?.dockerImageRepository || '';
}

describe('Table', () => {
  test('kubectl get: each kind answers with its own columns, Content-Type stays application/json', async () => {
    const cases: { path: string; columns: string[]; row: (plain: any) => unknown[] }[] = [
      { path: IMAGES, columns: ['Name', 'Image Reference'], row: (o) => [o.metadata.name, o.dockerImageReference] },
      { path: IS, columns: ['Name', 'Image Repository', 'Tags', 'Updated'], row: (o) => [o.metadata.name, expectedStreamRepository(o), '', ''] },
      { path: CONFIG_IMAGES, columns: ['Name', 'Age'], row: (o) => [o.metadata.name, 'AGE'] },
    ];
    for (const c of cases) {
      const plain = await get(c.path);
      const res = await get(`${c.path}?limit=500`, KUBECTL);
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json(;|$)/);
      assert.doesNotMatch(res.headers.get('content-type') ?? '', /as=/);
      assert.equal(res.json.kind, 'Table');
      assert.equal(res.json.apiVersion, 'meta.k8s.io/v1');
      assert.deepEqual(res.json.columnDefinitions.map((col: any) => col.name), c.columns, c.path);
      for (const col of res.json.columnDefinitions) assert.deepEqual(Object.keys(col), ['name', 'type', 'format', 'description', 'priority']);
      assert.equal(res.json.columnDefinitions[0].format, 'name');
      const rows = res.json.rows.map((r: any) => r.cells);
      const want = plain.json.items.map(c.row);
      if (c.path === CONFIG_IMAGES) {
        assert.equal(rows.length, 1);
        assert.equal(rows[0][0], 'cluster');
        assert.match(rows[0][1], /^\d+s$/, 'a fresh object is seconds old');
      } else {
        assert.deepEqual(rows, want, c.path);
      }
    }
  });

  test('Accept variants: v1beta1, YAML, wildcards, q-values and clause order', async () => {
    const cases: { accept: string; kind: string; apiVersion?: string; yaml?: boolean }[] = [
      { accept: TABLE_V1BETA1, kind: 'Table', apiVersion: 'meta.k8s.io/v1beta1' },
      { accept: `${TABLE_V1BETA1},${TABLE_V1}`, kind: 'Table', apiVersion: 'meta.k8s.io/v1beta1' },
      { accept: '*/*;as=Table;v=v1;g=meta.k8s.io', kind: 'Table', apiVersion: 'meta.k8s.io/v1' },
      { accept: 'application/*;as=Table;v=v1;g=meta.k8s.io', kind: 'Table', apiVersion: 'meta.k8s.io/v1' },
      { accept: 'application/yaml;as=Table;v=v1;g=meta.k8s.io', kind: 'Table', yaml: true },
      { accept: `${TABLE_V1};q=0.5,application/json`, kind: 'ImageStreamList' },
      { accept: `application/json,${TABLE_V1}`, kind: 'ImageStreamList' },
      { accept: 'application/json;as=Table;v=v2;g=meta.k8s.io,application/json', kind: 'ImageStreamList' },
      { accept: 'application/json;as=Table;v=v1;g=example.com,application/json', kind: 'ImageStreamList' },
      { accept: 'application/json;as=Frobnicator;v=v1;g=meta.k8s.io,application/json', kind: 'ImageStreamList' },
      { accept: 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json', kind: 'ImageStreamList' },
    ];
    for (const c of cases) {
      const res = await get(IS, c.accept);
      assert.equal(res.status, 200, `${c.accept}: ${res.text}`);
      if (c.yaml) {
        assert.match(res.headers.get('content-type') ?? '', /^application\/yaml/);
        assert.match(res.text, /^apiVersion: meta\.k8s\.io\/v1\ncolumnDefinitions:\n/);
        assert.match(res.text, /\nkind: Table\n/);
        continue;
      }
      assert.equal(res.json.kind, c.kind, c.accept);
      if (c.apiVersion) assert.equal(res.json.apiVersion, c.apiVersion, c.accept);
    }
  });

  test('v1beta1 rows carry v1beta1 PartialObjectMetadata', async () => {
    const res = await get(IS, TABLE_V1BETA1);
    assert.equal(res.json.rows[0].object.apiVersion, 'meta.k8s.io/v1beta1');
    assert.equal(res.json.rows[0].object.kind, 'PartialObjectMetadata');
  });

  test('includeObject: Metadata by default, Object, None, and 400 for anything else', async () => {
    const plain = (await get(`${IS}/app`)).json;
    const byDefault = await get(IS, KUBECTL);
    const metadata = await get(`${IS}?includeObject=Metadata`, KUBECTL);
    for (const res of [byDefault, metadata]) {
      const row = res.json.rows.find((r: any) => r.cells[0] === 'app');
      assert.deepEqual(row.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: plain.metadata });
      assert.deepEqual(row.object.metadata.labels, { tier: 'web' });
      assert.ok(row.object.metadata.managedFields.length > 0);
    }
    const object = await get(`${IS}?includeObject=Object`, KUBECTL);
    assert.deepEqual(object.json.rows.find((r: any) => r.cells[0] === 'app').object, plain);
    const none = await get(`${IS}?includeObject=None`, KUBECTL);
    assert.ok(none.json.rows.length > 0);
    for (const row of none.json.rows) {
      assert.ok('object' in row);
      assert.equal(row.object, null);
    }
    for (const bad of ['object', 'All']) {
      const res = await get(`${IS}?includeObject=${bad}`, KUBECTL);
      assert.equal(res.status, 400);
      assert.equal(res.json.reason, 'BadRequest');
      assert.equal(res.json.message, `Unable to convert to Table as requested: includeObject: Invalid value: "${bad}": must be 'Metadata', 'Object', 'None', or empty`);
    }
    // Without a Table conversion, includeObject is not looked at.
    assert.equal((await get(`${IS}?includeObject=bogus`)).status, 200);
  });

  test('list metadata carries resourceVersion, continue and remainingItemCount; kubectl pages with continue', async () => {
    const plain = await get(`${IS}?limit=1`);
    const first = await get(`${IS}?limit=1`, KUBECTL);
    assert.equal(first.json.rows.length, 1);
    assert.equal(first.json.metadata.resourceVersion, plain.json.metadata.resourceVersion);
    assert.equal(first.json.metadata.remainingItemCount, 2);
    assert.ok(first.json.metadata.continue);
    const second = await get(`${IS}?limit=1&continue=${encodeURIComponent(first.json.metadata.continue)}`, KUBECTL);
    assert.equal(second.status, 200, second.text);
    assert.deepEqual(second.json.rows.map((r: any) => r.cells[0]), ['db']);
    const empty = await get('/apis/image.openshift.io/v1/namespaces/nothing-here/imagestreams', KUBECTL);
    assert.deepEqual(empty.json.rows, []);
    assert.equal(empty.json.columnDefinitions.length, 4);
  });

  test('a single GET is a one-row Table with the object resourceVersion; the status subresource too', async () => {
    const plain = await get(`${IS}/app`);
    for (const path of [`${IS}/app`, `${IS}/app/status`]) {
      const res = await get(path, KUBECTL);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.kind, 'Table');
      assert.deepEqual(res.json.metadata, { resourceVersion: plain.json.metadata.resourceVersion });
      assert.equal(res.json.rows.length, 1);
      assert.equal(res.json.rows[0].cells[0], 'app');
    }
    const image = await get(`${IMAGES}/${DIGEST}`, KUBECTL);
    assert.deepEqual(image.json.rows[0].cells, [DIGEST, `quay.io/demo/app@${DIGEST}`]);
    const missing = await get(`${IS}/nope`, KUBECTL);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.kind, 'Status');
  });

  test('status tags fill Tags and Updated', async () => {
    const current = (await get(`${IS}/queue`)).json;
    const created = new Date(Date.now() - 3 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const ref = `quay.io/demo/queue@${DIGEST}`;
    current.status = { ...current.status, tags: [{ tag: 'latest', items: [{ created, dockerImageReference: ref, image: DIGEST, generation: 1 }] }] };
    const put = await srv.request('PUT', `${IS}/queue/status`, { body: current });
    assert.equal(put.status, 200, put.text);
    const res = await get(`${IS}/queue`, KUBECTL);
    assert.deepEqual(res.json.rows[0].cells.slice(2), ['latest', '3 hours ago']);
  });
});

describe('PartialObjectMetadata', () => {
  test('get and list, v1 and v1beta1, the metadata client headers', async () => {
    const plain = await get(`${IS}/app`);
    for (const [accept, version] of [[POM(), 'v1'], [POM('v1beta1'), 'v1beta1'], [METADATA_CLIENT_GET, 'v1']]) {
      const res = await get(`${IS}/app`, accept);
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json(;|$)/);
      assert.deepEqual(res.json, { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: plain.json.metadata });
    }
    const plainList = await get(`${IS}?limit=2`);
    for (const [accept, version] of [[POML(), 'v1'], [POML('v1beta1'), 'v1beta1'], [METADATA_CLIENT_LIST, 'v1']]) {
      const res = await get(`${IS}?limit=2`, accept);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.kind, 'PartialObjectMetadataList');
      assert.equal(res.json.apiVersion, `meta.k8s.io/${version}`);
      assert.deepEqual(res.json.metadata, plainList.json.metadata);
      assert.deepEqual(
        res.json.items,
        plainList.json.items.map((o: any) => ({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata })),
      );
    }
    const yaml = await get(`${IS}/app`, 'application/yaml;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
    assert.match(yaml.text, /^apiVersion: meta\.k8s\.io\/v1\nkind: PartialObjectMetadata\nmetadata:\n/);
  });

  test('406 for the wrong shape, after the object was found', async () => {
    const cases: [string, string, number, string][] = [
      [IS, POM(), 406, 'you requested PartialObjectMetadata, but the requested object is a list (*image.ImageStreamList)'],
      [`${IS}/app`, POML(), 406, 'you requested PartialObjectMetadataList, but the requested object is not a list (*image.ImageStream)'],
      [`${IMAGES}/${DIGEST}`, POML(), 406, 'you requested PartialObjectMetadataList, but the requested object is not a list (*image.Image)'],
      [CONFIG_IMAGES, POM(), 406, 'you requested PartialObjectMetadata, but the requested object is a list (*unstructured.UnstructuredList)'],
      [`${CONFIG_IMAGES}/cluster`, POML(), 406, 'you requested PartialObjectMetadataList, but the requested object is not a list (*unstructured.Unstructured)'],
      [`${IS}/nope`, POML(), 404, 'imagestreams.image.openshift.io "nope" not found'],
    ];
    for (const [path, accept, code, message] of cases) {
      const res = await get(path, accept);
      assert.equal(res.status, code, res.text);
      assert.equal(res.json.message, message);
      if (code === 406) assert.equal(res.json.reason, 'NotAcceptable');
    }
  });

  test('a subresource with its own handler (layers): PartialObjectMetadata yes, Table no', async () => {
    const path = `${IS}/app/layers`;
    const plain = await get(path);
    assert.equal(plain.status, 200, plain.text);
    const kubectl = await get(path, KUBECTL);
    assert.equal(kubectl.status, 200, kubectl.text);
    assert.equal(kubectl.json.kind, plain.json.kind);
    const pom = await get(path, POM());
    assert.deepEqual(pom.json, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: plain.json.metadata });
    const poml = await get(path, POML());
    assert.equal(poml.status, 406);
    assert.equal(poml.json.message, `you requested PartialObjectMetadataList, but the requested object is not a list (*image.${plain.json.kind})`);
    const tableOnly = await get(path, TABLE_V1);
    assert.equal(tableOnly.status, 406);
    assert.equal(tableOnly.json.message, 'only the following media types are accepted: application/json, application/yaml');
  });

  test('no acceptable clause at all is 406 with the served media types', async () => {
    for (const accept of ['application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v2', 'application/json;as=Table;v=v1', 'application/vnd.kubernetes.protobuf', 'text/html']) {
      const res = await get(IS, accept);
      assert.equal(res.status, 406, accept);
      assert.equal(res.json.message, 'only the following media types are accepted: application/json, application/yaml');
    }
  });
});

/** Streams a watch with an Accept header and collects events until `until` holds. */
function watch(path: string, accept: string, until: (events: any[]) => boolean, onStart?: () => Promise<unknown>): Promise<{ status: number; events: any[]; body: string }> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    const req = http.get(srv.url + path, { headers: { accept } }, (res) => {
      let buf = '';
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`watch timed out with ${JSON.stringify(events)}`));
      }, 5000);
      const finish = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, events, body: buf });
      };
      if (res.statusCode !== 200) {
        res.on('data', (c) => (buf += c));
        res.on('end', finish);
        return;
      }
      onStart?.().catch(reject);
      res.on('data', (chunk) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
        if (until(events)) finish();
      });
      res.on('end', finish);
    });
    req.on('error', (e) => {
      if (!(e as NodeJS.ErrnoException).code?.includes('ECONNRESET')) reject(e);
    });
  });
}

describe('watch', () => {
  test('Table: one row per event, column definitions on the first event only', async () => {
    const { events } = await watch(`${IS}?watch=true`, KUBECTL, (ev) => ev.length >= 3);
    assert.ok(events.every((e) => e.type === 'ADDED' && e.object.kind === 'Table' && e.object.apiVersion === 'meta.k8s.io/v1'));
    assert.ok(events.every((e) => e.object.rows.length === 1));
    assert.deepEqual(events[0].object.columnDefinitions.map((c: any) => c.name), ['Name', 'Image Repository', 'Tags', 'Updated']);
    for (const e of events.slice(1)) {
      assert.ok('columnDefinitions' in e.object);
      assert.equal(e.object.columnDefinitions, null);
    }
    for (const e of events) {
      assert.equal(e.object.metadata.resourceVersion, e.object.rows[0].object.metadata.resourceVersion);
      assert.equal(e.object.rows[0].object.kind, 'PartialObjectMetadata');
    }
    assert.deepEqual(events.map((e) => e.object.rows[0].cells[0]).sort(), ['app', 'db', 'queue']);
  });

  test('Table from a resourceVersion: the first event after the list carries the headers; includeObject applies', async () => {
    const list = await get(IS, KUBECTL);
    const pending = watch(
      `${IS}?resourceVersion=${list.json.metadata.resourceVersion}&watch=true&includeObject=Object`,
      KUBECTL,
      (ev) => ev.length >= 2,
      async () => {
        await srv.request('PATCH', `${IS}/db`, { raw: '{"metadata":{"labels":{"watched":"1"}}}', contentType: 'application/merge-patch+json' });
        await srv.request('POST', IS, { body: { metadata: { name: 'late' }, spec: {} } });
      },
    );
    const { events } = await pending;
    assert.deepEqual(events.map((e) => e.type), ['MODIFIED', 'ADDED']);
    assert.equal(events[0].object.columnDefinitions.length, 4);
    assert.equal(events[1].object.columnDefinitions, null);
    assert.equal(events[0].object.rows[0].object.kind, 'ImageStream');
    assert.deepEqual(events[0].object.rows[0].object.metadata.labels, { watched: '1' });
    assert.equal(events[1].object.rows[0].cells[0], 'late');
  });

  test('PartialObjectMetadata events; PartialObjectMetadataList falls back to full objects', async () => {
    const pom = await watch(`${IS}?watch=true`, METADATA_CLIENT_GET, (ev) => ev.length >= 3);
    for (const e of pom.events) {
      assert.equal(e.object.kind, 'PartialObjectMetadata');
      assert.equal(e.object.apiVersion, 'meta.k8s.io/v1');
      assert.ok(e.object.metadata.uid);
      assert.equal(e.object.spec, undefined);
    }
    const poml = await watch(`${IS}?watch=true`, POML(), (ev) => ev.length >= 3);
    for (const e of poml.events) assert.equal(e.object.kind, 'ImageStream');
  });

  test('errors before streaming: bad includeObject is 400, YAML has no stream form', async () => {
    const bad = await watch(`${IS}?watch=true&includeObject=x`, KUBECTL, () => true);
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).message, /^Unable to convert to Table as requested: includeObject: Invalid value: "x"/);
    for (const accept of ['application/yaml', 'application/yaml;as=Table;v=v1;g=meta.k8s.io,application/json']) {
      const yaml = await watch(`${IS}?watch=true`, accept, () => true);
      assert.equal(yaml.status, 406, accept);
      assert.equal(JSON.parse(yaml.body).message, 'only the following media types are accepted: application/json;stream=watch');
    }
    const none = await watch(`${IS}?watch=true`, 'text/html', () => true);
    assert.equal(none.status, 406);
    assert.equal(JSON.parse(none.body).message, 'only the following media types are accepted: application/json, application/yaml');
  });
});
