// Which Secrets imagestreams/secrets returns: registry credentials not excluded by annotation, with their
// data (openshift-apiserver `pkg/image/apiserver/registry/imagesecret/rest.go`).
import { EXCLUDE_IMAGE_SECRET_ANNOTATION, SECRET_TYPE_DOCKER_CONFIG_JSON, SECRET_TYPE_DOCKERCFG, type Secret } from './types.js';

const PULL_SECRET_TYPES = new Set([SECRET_TYPE_DOCKERCFG, SECRET_TYPE_DOCKER_CONFIG_JSON]);

/** The pull secrets in list order. Items lose kind/apiVersion, as the round trip through the internal type does. */
export function pullSecrets(items: readonly Secret[]): Secret[] {
  return items
    .filter((s) => s.metadata?.annotations?.[EXCLUDE_IMAGE_SECRET_ANNOTATION] !== 'true' && PULL_SECRET_TYPES.has(s.type ?? ''))
    .map(({ apiVersion: _a, kind: _k, ...secret }) => structuredClone(secret));
}
