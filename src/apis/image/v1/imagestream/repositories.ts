// Where a stream can be pulled from (openshift-apiserver's imagestream Strategy.dockerImageRepository and
// publicDockerImageRepository): computed from the registry hostnames on every write and every read.
import { referenceString } from '../reference.js';
import type { RegistryHostnames } from '../registry-hostnames.js';
import type { ImageStream } from './types.js';

/**
 * `<internal hostname>/<namespace>/<name>` when the integrated registry is known (spec.dockerImageRepository
 * is then ignored), else a copy of spec.dockerImageRepository. Reads default an empty namespace to `default`.
 */
export function dockerImageRepository(stream: ImageStream, hostnames: RegistryHostnames, defaultNamespace: boolean): string {
  if (!hostnames.internal) return stream.spec?.dockerImageRepository ?? '';
  const namespace = stream.metadata.namespace || (defaultNamespace ? 'default' : '');
  return referenceString({ registry: hostnames.internal, namespace, name: stream.metadata.name ?? '', tag: '', id: '' });
}

/**
 * `<external hostname>/<namespace>/<name>`, or '' when the registry is not exposed. The namespace only
 * defaults when the internal repository was computed first (upstream defaults it on the object there).
 */
export function publicDockerImageRepository(stream: ImageStream, hostnames: RegistryHostnames, defaultNamespace: boolean): string {
  if (!hostnames.external) return '';
  const namespace = stream.metadata.namespace || (defaultNamespace && hostnames.internal ? 'default' : '');
  return referenceString({ registry: hostnames.external, namespace, name: stream.metadata.name ?? '', tag: '', id: '' });
}
