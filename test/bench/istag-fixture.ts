// (e)'s data (references on quay.io, which the bench cluster config allows): one image stream with 100 tags, each with 10 history entries and an Image for its newest one, so a GET
// of one ImageStreamTag resolves through a large stream (spec tag lookup, history, Image read and metadata fill).
const NAMESPACE = 'bench';
const STREAM = 'big';
const TAGS = 100;
const HISTORY = 10;
const GROUP_PATH = '/apis/image.openshift.io/v1';

/** The ImageStreamTag the measurement reads: a tag in the middle of the stream. */
export const ISTAG_PATH = `${GROUP_PATH}/namespaces/${NAMESPACE}/imagestreamtags/${STREAM}:tag-${TAGS / 2}`;

const digestOf = (tag: number, entry: number) => `sha256:${tag.toString(16).padStart(8, '0')}${entry.toString(16).padStart(56, '0')}`;
const reference = (image: string) => `quay.io/${NAMESPACE}/${STREAM}@${image}`;

/** Creates the stream (spec tags), its history (through imagestreams/status) and the newest Image of every tag. */
export async function createImageStreamFixture(url: string): Promise<void> {
  const post = (path: string, body: unknown) => send(url, 'POST', path, body, 201);
  for (let t = 0; t < TAGS; t++) {
    const image = digestOf(t, 0);
    await post(`${GROUP_PATH}/images`, { apiVersion: 'image.openshift.io/v1', kind: 'Image', metadata: { name: image }, dockerImageReference: reference(image) });
  }
  const tags = Array.from({ length: TAGS }, (_, t) => ({
    name: `tag-${t}`,
    annotations: { 'bench.example.com/tag': String(t) },
    from: { kind: 'DockerImage', name: `quay.io/upstream/app:${t}` },
  }));
  const stream = await post(`${GROUP_PATH}/namespaces/${NAMESPACE}/imagestreams`, { apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', metadata: { name: STREAM }, spec: { tags } });
  const history = Array.from({ length: TAGS }, (_, t) => ({
    tag: `tag-${t}`,
    items: Array.from({ length: HISTORY }, (_, e) => ({
      created: new Date(Date.UTC(2024, 0, 1) - e * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      dockerImageReference: reference(digestOf(t, e)),
      image: digestOf(t, e),
      generation: 1,
    })),
  }));
  await send(url, 'PUT', `${GROUP_PATH}/namespaces/${NAMESPACE}/imagestreams/${STREAM}/status`, { ...stream, status: { dockerImageRepository: '', tags: history } }, 200);
}

async function send(url: string, method: string, path: string, body: unknown, expected: number): Promise<any> {
  const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${path} failed: ${res.status} ${text}`);
  return JSON.parse(text);
}
