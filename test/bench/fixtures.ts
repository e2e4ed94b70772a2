// Request and response bodies of the benchmark, sized so the HTTP measurements move similar bytes.

/** The raw Fastify baseline's response and the raw LevelDB value size. */
export const PAYLOAD_BYTES = 1024;

/** Where the raw Fastify baseline serves its payload. */
export const RAW_PATH = '/payload';

/** A JSON document of exactly `bytes` bytes (ASCII), padded in one string field. */
export function fixedJsonBody(bytes: number, id = ''): string {
  const head = JSON.stringify({ kind: 'Payload', id, data: '' });
  const pad = bytes - head.length;
  if (pad < 0) throw new Error(`a ${bytes}-byte body cannot hold id ${JSON.stringify(id)}`);
  return head.slice(0, -2) + 'x'.repeat(pad) + head.slice(-2);
}

/**
 * The config.openshift.io Image singleton with enough spec that its GET response is about 1 KiB,
 * like the raw Fastify payload, so the GET ratio compares equal-sized bodies.
 */
export function clusterImageConfig(): object {
  return {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Image',
    metadata: { name: 'cluster' },
    spec: {
      allowedRegistriesForImport: [
        { domainName: 'quay.io', insecure: false },
        { domainName: 'registry.redhat.io', insecure: false },
        { domainName: 'registry.access.redhat.com', insecure: false },
      ],
      externalRegistryHostnames: ['registry.apps.bench.example.com', 'registry.bench.example.com:5000'],
      registrySources: {
        insecureRegistries: ['insecure.bench.example.com', 'legacy.bench.example.com:5000'],
        containerRuntimeSearchRegistries: ['registry.access.redhat.com', 'docker.io'],
      },
    },
  };
}

/**
 * An image.openshift.io Image named by its digest, as the registry creates them. `serial` makes the
 * digest (and so the name) unique within one run; `runId` (8 hex digits) separates runs and warm-ups.
 */
export function imageForCreate(runId: string, serial: number): string {
  if (!/^[0-9a-f]{8}$/.test(runId)) throw new Error(`runId must be 8 hex digits, got ${JSON.stringify(runId)}`);
  const digest = 'sha256:' + runId + serial.toString(16).padStart(56, '0');
  return JSON.stringify({
    apiVersion: 'image.openshift.io/v1',
    kind: 'Image',
    metadata: { name: digest, labels: { 'bench.example.com/run': runId } },
    dockerImageReference: `registry.bench.example.com/ns/app@${digest}`,
    dockerImageMetadataVersion: '1.0',
    dockerImageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerImageLayers: [1, 2, 3].map((n) => ({
      name: 'sha256:' + String(n).repeat(64),
      size: 1000 * n,
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    })),
  });
}
