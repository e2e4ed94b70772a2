// Writes the server makes itself (a mapping's Image and stream, a tag view's stream) go through the Stores as
// upstream's registry calls do: they record no managedFields, while a client's own writes do.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const GROUP = '/apis/image.openshift.io/v1';
const DIGEST = `sha256:${'c'.repeat(64)}`;

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

test('an ImageStreamMapping writes its Image and the stream without managedFields', async () => {
  const stream = await srv.request('POST', `${GROUP}/namespaces/ns/imagestreams`, { body: { metadata: { name: 'app' } } });
  assert.equal(stream.status, 201, stream.text);
  assert.equal(stream.json.metadata.managedFields?.[0]?.manager, 'node', 'a client create records its manager');

  const mapped = await srv.request('POST', `${GROUP}/namespaces/ns/imagestreammappings`, {
    body: {
      metadata: { name: 'app' },
      image: { metadata: { name: DIGEST }, dockerImageReference: `registry.example.com/ns/app@${DIGEST}` },
      tag: 'latest',
    },
  });
  assert.equal(mapped.status, 201, mapped.text);

  const image = await srv.request('GET', `${GROUP}/images/${DIGEST}`);
  assert.equal(image.status, 200);
  assert.equal(image.json.metadata.managedFields, undefined);

  const after = await srv.request('GET', `${GROUP}/namespaces/ns/imagestreams/app`);
  assert.equal(after.json.status.tags[0].tag, 'latest');
  assert.deepEqual(after.json.metadata.managedFields, stream.json.metadata.managedFields, 'ownership of the stream is unchanged');
});
