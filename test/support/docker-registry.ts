// Debian's docker-registry on 127.0.0.1 for import tests, with images the tests build as OCI layouts and
// push with skopeo. The registry's config file is written here (Debian's default one listens on every
// interface and turns htpasswd auth on).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { freePort, waitForExit } from './process.js';

/** Why registry tests cannot run here, or undefined when the tools are installed. */
export function missingRegistryTools(): string | undefined {
  const missing = ['docker-registry', 'skopeo', 'htpasswd'].filter((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
  return missing.length ? `not installed: ${missing.join(', ')} (apt-get install docker-registry skopeo apache2-utils)` : undefined;
}

export interface RegistryOptions {
  tls?: { cert: string; key: string };
  /** user → password; turns htpasswd (Basic) auth on. */
  users?: Record<string, string>;
  /** Token auth: the realm, service and issuer the registry trusts, and the CA bundle of signing certs. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
  /** Accept (signed) schema 1 manifests; distribution 2.8 refuses them by default. */
  schema1?: boolean;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'import-registry-'));
  const port = await freePort();
  const lines = ['version: 0.1', 'log: { level: error }', 'storage:', `  filesystem: { rootdirectory: ${dir}/data }`, '  delete: { enabled: true }', 'http:', `  addr: 127.0.0.1:${port}`, '  secret: import-tests'];
  if (opts.tls) {
    await writeFile(join(dir, 'cert.pem'), opts.tls.cert);
    await writeFile(join(dir, 'key.pem'), opts.tls.key);
    lines.push(`  tls: { certificate: ${dir}/cert.pem, key: ${dir}/key.pem }`);
  }
  if (opts.users) {
    const entries = Object.entries(opts.users).map(([user, password]) => {
      const out = spawnSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`htpasswd failed: ${out.stderr}`);
      return out.stdout.trim();
    });
    await writeFile(join(dir, 'htpasswd'), `${entries.join('\n')}\n`);
    lines.push('auth:', `  htpasswd: { realm: test, path: ${dir}/htpasswd }`);
  }
  if (opts.token) {
    await writeFile(join(dir, 'token-ca.pem'), opts.token.rootCertBundle);
    lines.push('auth:', '  token:', `    realm: ${opts.token.realm}`, `    service: ${opts.token.service}`, `    issuer: ${opts.token.issuer}`, `    rootcertbundle: ${dir}/token-ca.pem`);
  }
  if (opts.schema1) lines.push('compatibility:', '  schema1:', '    enabled: true');
  await writeFile(join(dir, 'registry.yml'), `${lines.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const host = `127.0.0.1:${port}`;
  await waitReady(`${opts.tls ? 'https' : 'http'}://${host}/v2/`, child, () => stderr);
  return {
    host,
    dir,
    stop: async () => {
      child.kill('SIGTERM');
      await waitForExit(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr()}`);
      try {
        const res = await request(url, { dispatcher });
        await res.body.dump();
        if (res.statusCode === 200 || res.statusCode === 401) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`docker-registry did not become ready: ${stderr()}`);
  } finally {
    await dispatcher.close();
  }
}

// ---- OCI layouts -----------------------------------------------------------------------------

export interface BuiltManifest {
  digest: string;
  /** The exact bytes of the manifest. */
  bytes: Buffer;
  configDigest: string;
  configBytes: Buffer;
  layerDigest: string;
  layerSize: number;
}

interface Blob {
  digest: string;
  size: number;
}

async function putBlob(layout: string, bytes: Buffer): Promise<Blob> {
  const hex = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(layout, 'blobs', 'sha256', hex), bytes);
  return { digest: `sha256:${hex}`, size: bytes.length };
}

async function initLayout(layout: string): Promise<void> {
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
}

/** One single-platform image (config + one layer) written into `layout`. */
async function writeImage(layout: string, arch: string, content: string): Promise<BuiltManifest> {
  const layerBytes = gzipSync(Buffer.from(content));
  const layer = await putBlob(layout, layerBytes);
  const diffID = `sha256:${createHash('sha256').update(content).digest('hex')}`;
  const configBytes = Buffer.from(
    JSON.stringify({
      created: '2024-01-02T03:04:05Z',
      architecture: arch,
      os: 'linux',
      config: { Env: ['PATH=/usr/bin', `CONTENT=${content}`], Cmd: ['/bin/sh'], Labels: { 'test.content': content } },
      rootfs: { type: 'layers', diff_ids: [diffID] },
      // skopeo needs one history entry per layer to convert the image to schema 1.
      history: [{ created: '2024-01-02T03:04:05Z', created_by: `/bin/sh -c echo ${content}` }],
    }),
  );
  const config = await putBlob(layout, configBytes);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    }),
  );
  const manifest = await putBlob(layout, bytes);
  return { digest: manifest.digest, bytes, configDigest: config.digest, configBytes, layerDigest: layer.digest, layerSize: layer.size };
}

/** An OCI layout holding one linux image, referenced as `ref`. */
export async function singleArchLayout(layout: string, ref: string, content: string, arch = 'amd64'): Promise<BuiltManifest> {
  await initLayout(layout);
  const image = await writeImage(layout, arch, content);
  await writeFile(
    join(layout, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.digest, size: image.bytes.length, annotations: { 'org.opencontainers.image.ref.name': ref } }] }),
  );
  return image;
}

/** An OCI layout holding an image index of linux/amd64 and linux/arm64 images, referenced as `ref`. */
export async function twoPlatformLayout(layout: string, ref: string, content: string): Promise<{ index: { digest: string; bytes: Buffer }; children: Record<'amd64' | 'arm64', BuiltManifest> }> {
  await initLayout(layout);
  const amd64 = await writeImage(layout, 'amd64', `${content} amd64`);
  const arm64 = await writeImage(layout, 'arm64', `${content} arm64`);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: amd64.digest, size: amd64.bytes.length, platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: arm64.digest, size: arm64.bytes.length, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
      ],
    }),
  );
  const index = await putBlob(layout, bytes);
  await writeFile(
    join(layout, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: index.digest, size: bytes.length, annotations: { 'org.opencontainers.image.ref.name': ref } }] }),
  );
  return { index: { digest: index.digest, bytes }, children: { amd64, arm64 } };
}

export interface PushOptions {
  /** A directory with the registry's CA as `*.crt` (TLS registries). */
  certDir?: string;
  creds?: string;
  /** Convert to Docker schema 2, or to a signed schema 1 manifest, on the way (the digest changes). */
  format?: 'v2s2' | 'v2s1';
}

/**
 * `skopeo copy oci:<layout>:<ref> docker://<dest>`; `--all` keeps indexes whole. Asynchronous: a token
 * server in this process must keep answering while skopeo runs.
 */
export async function push(layout: string, ref: string, dest: string, opts: PushOptions = {}): Promise<void> {
  const args = ['copy', '--all', '--quiet'];
  if (opts.certDir) args.push('--dest-cert-dir', opts.certDir);
  else args.push('--dest-tls-verify=false');
  if (opts.creds) args.push('--dest-creds', opts.creds);
  if (opts.format) args.push('--format', opts.format);
  args.push(`oci:${layout}:${ref}`, `docker://${dest}`);
  const child = spawn('skopeo', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`skopeo ${args.join(' ')}: ${stderr}`);
}
