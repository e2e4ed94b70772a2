// `tsx test/bench/import-repository.ts [tags]`: one ImageStreamImport of a whole repository (20 tags by
// default) from Debian's docker-registry on 127.0.0.1, with upstream's rate limits in force. Reports the
// wall time of the request and how many HTTP requests the server sent to the registry.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { start } from '../../src/start.js';
import { missingRegistryTools, push, singleArchLayout, startRegistry } from '../support/docker-registry.js';

export interface ImportBenchFigures {
  tags: number;
  wallSeconds: number;
  registryRequests: number;
  imported: number;
}

export async function measureRepositoryImport(tagCount = 20): Promise<ImportBenchFigures> {
  const work = await mkdtemp(join(tmpdir(), 'import-bench-'));
  const registry = await startRegistry();
  const counter = { requests: 0 };
  const server = await start(
    { bindAddress: '127.0.0.1', port: 0, dataDir: join(work, 'data'), logLevel: 'silent', storageBackend: 'level', imageImport: { counter } },
    pino({ level: 'silent' }),
  );
  try {
    for (let i = 0; i < tagCount; i++) {
      const layout = join(work, `image-${i}`);
      await singleArchLayout(layout, 'x', `bench image ${i}`);
      await push(layout, 'x', `${registry.host}/bench/app:1.${i}`);
    }
    const post = (path: string, body: object) => fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/apis/config.openshift.io/v1/images', { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} });
    const started = performance.now();
    const res = await post('/apis/image.openshift.io/v1/namespaces/bench/imagestreamimports', {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStreamImport',
      metadata: { name: 'app' },
      spec: { import: true, repository: { from: { kind: 'DockerImage', name: `${registry.host}/bench/app` }, importPolicy: { insecure: true } } },
    });
    const body = (await res.json()) as { status?: { repository?: { images?: { status: { status: string } }[] } } };
    const wallSeconds = (performance.now() - started) / 1000;
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${JSON.stringify(body)}`);
    const imported = (body.status?.repository?.images ?? []).filter((i) => i.status.status === 'Success').length;
    return { tags: tagCount, wallSeconds, registryRequests: counter.requests, imported };
  } finally {
    await server.close();
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('import-repository.ts')) {
  const missing = missingRegistryTools();
  if (missing) {
    console.log(`import bench skipped: ${missing}`);
  } else {
    const figures = await measureRepositoryImport(Number(process.argv[2] ?? 20));
    console.log(`repository import: ${figures.imported}/${figures.tags} tags in ${figures.wallSeconds.toFixed(2)} s, ${figures.registryRequests} requests to the registry`);
  }
}
