// Splits a request path into the parts kube's RequestInfoFactory derives (k8s.io/apiserver pkg/endpoints/request/requestinfo.go).
import { queryBool } from '../machinery/query.js';

export interface ResourceRequest {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verb: string;
  /** Came through the legacy /watch/ prefix. */
  legacyWatch: boolean;
}

export type PathInfo =
  | { type: 'resource'; info: ResourceRequest }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'group'; group: string }
  | { type: 'root' }
  | { type: 'unknown' };

const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', GET: 'get', HEAD: 'get' };

/** `path` is the URL path only (no query); segments are percent-decoded. */
export function parseAPIPath(method: string, path: string, query: Record<string, unknown>): PathInfo {
  const segments = path.split('/').filter((p) => p !== '');
  const parts = path.includes('%') ? segments.map(safeDecode) : segments;
  if (parts[0] !== 'apis') return { type: 'unknown' };
  if (parts.length === 1) return { type: 'root' };
  if (parts.length === 2) return { type: 'group', group: parts[1] };
  if (parts.length === 3) return { type: 'groupVersion', group: parts[1], version: parts[2] };

  const [, group, version, ...rest] = parts;
  let verb = METHOD_VERBS[method] ?? method.toLowerCase();
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    rest.shift();
    verb = 'watch';
    legacyWatch = true;
  }
  let namespace: string | undefined;
  // `namespaces/{ns}/...` selects a namespace, except `namespaces` alone or `namespaces/{name}` (the Namespace kind).
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    rest.splice(0, 2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length > 0) return { type: 'unknown' };
  if (!name) {
    if (verb === 'get') verb = isWatch(query) ? 'watch' : 'list';
    else if (verb === 'delete') verb = 'deletecollection';
  }
  return {
    type: 'resource',
    info: { group, version, namespace, resource, name, subresource, verb, legacyWatch },
  };
}

function isWatch(query: Record<string, unknown>): boolean {
  const v = query.watch;
  if (v === undefined) return false;
  return queryBool(Array.isArray(v) ? String(v[0]) : String(v)) ?? false;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
