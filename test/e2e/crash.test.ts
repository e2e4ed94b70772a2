// Durability: kill -9 the server while 32 clients create objects; every acknowledged write must survive.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, startServerProcess, waitForExit } from '../support/process.js';

const CLIENTS = 32;
const ROUNDS = 5;
const IMAGES = '/apis/image.openshift.io/v1/images';

interface Ack {
  name: string;
  resourceVersion: number;
  uid: string;
}

async function client(url: string, id: number, acks: Ack[], stop: () => boolean): Promise<void> {
  for (let i = 0; !stop(); i++) {
    const name = `c${id}-${i}`;
    try {
      const res = await fetch(url + IMAGES, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { name, labels: { client: String(id) } }, dockerImageReference: `registry.example.com/crash/c${id}:${i}` }),
      });
      if (res.status === 201) {
        const body = (await res.json()) as { metadata: { resourceVersion: string; uid: string } };
        acks.push({ name, resourceVersion: Number(body.metadata.resourceVersion), uid: body.metadata.uid });
      } else {
        await res.arrayBuffer();
      }
    } catch {
      return; // the server is gone
    }
  }
}

for (let round = 1; round <= ROUNDS; round++) {
  test(`kill -9 under concurrent creates keeps every acknowledged write (round ${round})`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'image-apiserver-crash-'));
    try {
      const port = await freePort();
      const first = await startServerProcess(dataDir, port);
      const acks: Ack[] = [];
      let killed = false;
      const clients = Array.from({ length: CLIENTS }, (_, id) => client(first.url, id, acks, () => killed));
      // Kill mid-stream: once writes are flowing (a loaded machine may take a while to get there), at a varying moment.
      const deadline = Date.now() + 20_000;
      while (acks.length < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, round * 37));
      first.child.kill('SIGKILL');
      killed = true;
      await waitForExit(first.child);
      await Promise.all(clients);
      assert.ok(acks.length > 0, 'some writes were acknowledged before the kill');

      const second = await startServerProcess(dataDir, await freePort());
      try {
        const list = await (await fetch(second.url + IMAGES)).json() as { metadata: { resourceVersion: string }; items: any[] };
        const stored = new Map(list.items.map((i) => [i.metadata.name, i]));
        for (const ack of acks) {
          const obj = stored.get(ack.name);
          assert.ok(obj, `acknowledged ${ack.name} survived`);
          assert.equal(obj.metadata.uid, ack.uid);
          assert.equal(Number(obj.metadata.resourceVersion), ack.resourceVersion);
        }
        for (const obj of list.items) {
          // Not torn: every stored object is whole.
          assert.match(obj.metadata.name, /^c\d+-\d+$/);
          assert.match(obj.dockerImageReference, /^registry\.example\.com\/crash\/c\d+:\d+$/);
          assert.equal(obj.metadata.labels.client, obj.metadata.name.slice(1).split('-')[0]);
        }
        const maxOld = Math.max(...list.items.map((i) => Number(i.metadata.resourceVersion)));
        const res = await fetch(second.url + IMAGES, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ metadata: { name: 'after-restart' }, dockerImageReference: 'registry.example.com/after:1' }),
        });
        assert.equal(res.status, 201);
        const after = (await res.json()) as { metadata: { resourceVersion: string } };
        assert.ok(Number(after.metadata.resourceVersion) > maxOld, 'new resourceVersions are larger than all old ones');
        assert.ok(Number(after.metadata.resourceVersion) > Number(list.metadata.resourceVersion));
      } finally {
        second.child.kill('SIGKILL');
        await waitForExit(second.child);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
}
