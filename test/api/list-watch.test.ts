// LIST pagination, selectors, resourceVersion semantics and WATCH over HTTP; namespaced paths via ImageStreams.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const IS = (ns: string) => `/apis/image.openshift.io/v1/namespaces/${ns}/imagestreams`;
const ALL_IS = '/apis/image.openshift.io/v1/imagestreams';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
  for (const ns of ['alpha', 'beta']) {
    for (const name of ['one', 'two', 'three']) {
      const res = await srv.request('POST', IS(ns), { body: { metadata: { name, labels: { ns, name } }, spec: {} } });
      assert.equal(res.status, 201, res.text);
    }
  }
});
after(async () => {
  await srv.close();
});

/** Streams a watch and collects events until `until` is satisfied. */
function watch(path: string, until: (events: any[]) => boolean, timeoutMs = 5000): Promise<{ events: any[]; status: number; contentType: string }> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    const req = http.get(srv.url + path, (res) => {
      let buf = '';
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`watch timed out with ${JSON.stringify(events)}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ events, status: res.statusCode!, contentType: String(res.headers['content-type']) });
      };
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

describe('list', () => {
  test('namespaced and all-namespaces lists in key order, list RV = store revision', async () => {
    const ns = await srv.request('GET', IS('alpha'));
    assert.equal(ns.status, 200);
    assert.equal(ns.json.kind, 'ImageStreamList');
    assert.deepEqual(ns.json.items.map((i: any) => i.metadata.name), ['one', 'three', 'two']);
    const all = await srv.request('GET', ALL_IS);
    assert.deepEqual(all.json.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`), [
      'alpha/one', 'alpha/three', 'alpha/two', 'beta/one', 'beta/three', 'beta/two',
    ]);
    const maxItemRV = Math.max(...all.json.items.map((i: any) => Number(i.metadata.resourceVersion)));
    assert.ok(Number(all.json.metadata.resourceVersion) >= maxItemRV);
  });

  test('empty lists have items: []', async () => {
    const res = await srv.request('GET', IS('empty'));
    assert.deepEqual(res.json.items, []);
  });

  test('limit/continue pages come from one snapshot', async () => {
    const first = await srv.request('GET', `${ALL_IS}?limit=2`);
    assert.equal(first.json.items.length, 2);
    assert.ok(first.json.metadata.continue);
    assert.equal(first.json.metadata.remainingItemCount, 4);
    // A write between pages must not show up in later pages.
    await srv.request('POST', IS('beta'), { body: { metadata: { name: 'zzz-late' }, spec: {} } });
    const names: string[] = first.json.items.map((i: any) => i.metadata.name);
    let token = first.json.metadata.continue;
    while (token) {
      const page = await srv.request('GET', `${ALL_IS}?limit=2&continue=${encodeURIComponent(token)}`);
      assert.equal(page.status, 200, page.text);
      assert.equal(page.json.metadata.resourceVersion, first.json.metadata.resourceVersion);
      names.push(...page.json.items.map((i: any) => i.metadata.name));
      token = page.json.metadata.continue;
    }
    assert.equal(names.length, 6);
    assert.ok(!names.includes('zzz-late'));
    await srv.request('DELETE', `${IS('beta')}/zzz-late`);
  });

  test('bad continue token is 400; continue with resourceVersion is 400', async () => {
    const bad = await srv.request('GET', `${ALL_IS}?continue=%%%`);
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /^invalid continue token/);
    const first = await srv.request('GET', `${ALL_IS}?limit=1`);
    const rv = await srv.request('GET', `${ALL_IS}?limit=1&resourceVersion=5&continue=${encodeURIComponent(first.json.metadata.continue)}`);
    assert.equal(rv.status, 400);
    assert.equal(rv.json.message, 'specifying resource version is not allowed when using continue');
  });

  test('label selectors', async () => {
    const eq = await srv.request('GET', `${ALL_IS}?labelSelector=${encodeURIComponent('name=one')}`);
    assert.deepEqual(eq.json.items.map((i: any) => i.metadata.namespace), ['alpha', 'beta']);
    const set = await srv.request('GET', `${IS('alpha')}?labelSelector=${encodeURIComponent('name in (one,two),ns!=beta')}`);
    assert.deepEqual(set.json.items.map((i: any) => i.metadata.name), ['one', 'two']);
    const notExists = await srv.request('GET', `${IS('alpha')}?labelSelector=${encodeURIComponent('!name')}`);
    assert.deepEqual(notExists.json.items, []);
    const bad = await srv.request('GET', `${ALL_IS}?labelSelector=${encodeURIComponent('a b')}`);
    assert.equal(bad.status, 400);
  });

  test('field selectors: metadata.name, metadata.namespace, kind fields; unknown field is 400', async () => {
    const byName = await srv.request('GET', `${ALL_IS}?fieldSelector=metadata.name%3Dtwo`);
    assert.deepEqual(byName.json.items.map((i: any) => i.metadata.namespace), ['alpha', 'beta']);
    const byNs = await srv.request('GET', `${ALL_IS}?fieldSelector=metadata.namespace%3Dbeta,metadata.name!%3Dtwo`);
    assert.deepEqual(byNs.json.items.map((i: any) => i.metadata.name), ['one', 'three']);
    const spec = await srv.request('GET', `${ALL_IS}?fieldSelector=spec.dockerImageRepository%3D`);
    assert.equal(spec.status, 200, spec.text);
    const bad = await srv.request('GET', `${ALL_IS}?fieldSelector=spec.foo%3Dx`);
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /"spec\.foo" is not a known field selector/);
  });

  test('resourceVersionMatch validation and too-large resourceVersion', async () => {
    const noRV = await srv.request('GET', `${ALL_IS}?resourceVersionMatch=Exact`);
    assert.equal(noRV.status, 422);
    assert.equal(noRV.json.message, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    const tooLarge = await srv.request('GET', `${ALL_IS}?resourceVersion=999999&resourceVersionMatch=NotOlderThan`);
    assert.equal(tooLarge.status, 504);
    assert.equal(tooLarge.json.reason, 'Timeout');
  });

  test('Exact list at an older resourceVersion shows the old state', async () => {
    const before = await srv.request('GET', IS('alpha'));
    const rv = before.json.metadata.resourceVersion;
    await srv.request('PATCH', `${IS('alpha')}/one`, { raw: '{"metadata":{"labels":{"changed":"yes"}}}', contentType: 'application/merge-patch+json' });
    const exact = await srv.request('GET', `${IS('alpha')}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    assert.equal(exact.status, 200, exact.text);
    assert.equal(exact.json.metadata.resourceVersion, rv);
    assert.equal(exact.json.items[0].metadata.labels.changed, undefined);
  });
});

describe('watch', () => {
  test('without resourceVersion: synthetic ADDED, then live MODIFIED', async () => {
    const path = `${IS('beta')}?watch=true`;
    const pending = watch(path, (ev) => ev.some((e) => e.type === 'MODIFIED'));
    await new Promise((r) => setTimeout(r, 200));
    await srv.request('PATCH', `${IS('beta')}/two`, { raw: '{"metadata":{"labels":{"w":"1"}}}', contentType: 'application/merge-patch+json' });
    const { events, contentType } = await pending;
    assert.equal(contentType, 'application/json');
    assert.deepEqual(events.slice(0, 3).map((e) => e.type), ['ADDED', 'ADDED', 'ADDED']);
    const mod = events.find((e) => e.type === 'MODIFIED');
    assert.equal(mod.object.metadata.name, 'two');
    assert.equal(mod.object.kind, 'ImageStream');
  });

  test('from a resourceVersion: replays later changes in order, DELETED included', async () => {
    const list = await srv.request('GET', IS('gamma'));
    const rv = list.json.metadata.resourceVersion;
    await srv.request('POST', IS('gamma'), { body: { metadata: { name: 'w1' }, spec: {} } });
    await srv.request('DELETE', `${IS('gamma')}/w1`);
    const { events } = await watch(`${IS('gamma')}?watch=1&resourceVersion=${rv}`, (ev) => ev.length >= 2);
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'DELETED']);
    assert.ok(Number(events[1].object.metadata.resourceVersion) > Number(events[0].object.metadata.resourceVersion));
  });

  test('selector transitions: leaving the selector is DELETED', async () => {
    await srv.request('POST', IS('delta'), { body: { metadata: { name: 's1', labels: { keep: 'yes' } }, spec: {} } });
    const rv = (await srv.request('GET', IS('delta'))).json.metadata.resourceVersion;
    const pending = watch(`${IS('delta')}?watch=true&resourceVersion=${rv}&labelSelector=keep%3Dyes`, (ev) => ev.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    await srv.request('PATCH', `${IS('delta')}/s1`, { raw: '{"metadata":{"labels":{"keep":"no"}}}', contentType: 'application/merge-patch+json' });
    const { events } = await pending;
    assert.equal(events[0].type, 'DELETED');
    assert.equal(events[0].object.metadata.labels.keep, 'yes');
  });

  test('sendInitialEvents with bookmarks ends the initial state with an annotated BOOKMARK', async () => {
    const { events } = await watch(
      `${IS('alpha')}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      (ev) => ev.some((e) => e.type === 'BOOKMARK'),
    );
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    assert.equal(bookmark.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    assert.equal(events.filter((e) => e.type === 'ADDED').length, 3);
  });

  test('timeoutSeconds ends the stream; the legacy /watch/ path works', async () => {
    const { events } = await watch(`/apis/image.openshift.io/v1/watch/namespaces/alpha/imagestreams/one?timeoutSeconds=1`, () => false, 4000);
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'one']]);
  });

  test('invalid watch options fail before streaming', async () => {
    const res = await srv.request('GET', `${ALL_IS}?watch=true&resourceVersionMatch=NotOlderThan`);
    assert.equal(res.status, 422);
    assert.equal(res.json.message, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  });
});

describe('namespaced paths', () => {
  test('namespace mismatch is 400; cluster path for writes is not served', async () => {
    const mismatch = await srv.request('POST', IS('alpha'), { body: { metadata: { name: 'x', namespace: 'beta' }, spec: {} } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.message, 'the namespace of the provided object does not match the namespace sent on the request');
    const post = await srv.request('POST', ALL_IS, { body: { metadata: { name: 'x' } } });
    assert.ok(post.status === 404 || post.status === 405);
  });

  test('/status ignores spec tag changes; main resource ignores status', async () => {
    const c = (await srv.request('POST', IS('status'), { body: { metadata: { name: 'st' }, spec: {}, status: { dockerImageRepository: 'ignored' } } })).json;
    assert.equal(c.status?.tags, undefined);
    const put = await srv.request('PUT', `${IS('status')}/st/status`, {
      body: {
        ...c,
        spec: { lookupPolicy: { local: true }, tags: [{ name: 'x', from: { kind: 'DockerImage', name: 'busybox' } }] },
        status: { dockerImageRepository: '', tags: [{ tag: 'latest', items: [] }] },
      },
    });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json.status.tags, [{ tag: 'latest', items: [] }]);
    // openshift-apiserver's status strategy resets only spec.tags and spec.dockerImageRepository.
    assert.deepEqual(put.json.spec, { lookupPolicy: { local: true } });
  });
});
