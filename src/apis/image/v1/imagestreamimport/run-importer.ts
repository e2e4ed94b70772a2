// One pass of the importer over an ImageStreamImport spec, with the credentials, trust and limits of this
// request: the transport lives as long as the pass.
import { readFile } from 'node:fs/promises';
import type { ImageConfig } from '../../../config/v1/image/types.js';
import { keyringEntries, type Keyring } from '../../../../importer/credentials.js';
import { ImageStreamImporter, serverPlatform } from '../../../../importer/importer.js';
import type { ImportLimits } from '../../../../importer/limits.js';
import { RegistryClient } from '../../../../importer/registry-client.js';
import { explicitRegistryHosts, registryAccessPolicy } from '../../../../importer/registry-policy.js';
import { RegistryTransport } from '../../../../importer/transport.js';
import type { ImageStream } from '../imagestream/types.js';
import { maxImagesPerRepository, type ImageImportOptions } from './options.js';
import type { ImageStreamImport } from './types.js';
import type { ImageImportStatus, RepositoryImportStatus } from '../../../../importer/importer.js';

export interface ImporterRun {
  config: ImageConfig;
  options: ImageImportOptions;
  limits: ImportLimits;
  keyring: Keyring;
  additionalCAs: string[];
  deadline: AbortSignal;
  layerSizes: Map<string, number>;
  now: () => Date;
}

export async function runImporter(
  run: ImporterRun,
  spec: ImageStreamImport['spec'],
  stream: ImageStream,
): Promise<{ images: ImageImportStatus[]; repository?: RepositoryImportStatus }> {
  const transport = new RegistryTransport({
    additionalCAs: run.additionalCAs,
    explicitHosts: explicitRegistryHosts(run.config),
    deadline: run.deadline,
    maxRedirects: run.limits.maxRedirects,
  });
  try {
    const client = new RegistryClient({ transport, keyring: run.keyring, limits: run.limits, deadline: run.deadline, counter: run.options.counter });
    const importer = new ImageStreamImporter({
      client,
      policy: registryAccessPolicy(run.config),
      maximumTagsPerRepo: maxImagesPerRepository(run.options),
      platform: serverPlatform(),
      layerSizes: run.layerSizes,
      now: run.now,
      manifestQPS: run.limits.manifestQPS,
      manifestBurst: run.limits.manifestBurst,
    });
    return await importer.import({ images: spec.images, repository: spec.repository }, stream);
  } finally {
    await transport.close();
  }
}

/** The server-wide credentials file; an unreadable one contributes nothing (as the node's file upstream). */
export async function authFileEntries(path: string | undefined): Promise<ReturnType<typeof keyringEntries>> {
  if (!path) return [];
  try {
    return keyringEntries(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return [];
  }
}

/** The additional trusted CAs: the PEM file flag (read per import, so a rotated file applies) and the seam. */
export async function additionalCAs(options: ImageImportOptions): Promise<string[]> {
  const out: string[] = [];
  if (options.additionalTrustedCAFile) {
    const pem = await readFile(options.additionalTrustedCAFile, 'utf8');
    if (pem.trim()) out.push(pem);
  }
  if (options.additionalTrustedCAs) out.push(...(await options.additionalTrustedCAs()));
  return out;
}
