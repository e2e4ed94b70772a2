// The attributes kube-apiserver authorizes a request with, derived from method, path and query exactly as
// k8s.io/apiserver's RequestInfoFactory does (pkg/endpoints/request/requestinfo.go, AuthorizeWithSelectors
// on). Authorization runs before routing, so this covers every path shape upstream understands, also
// those the router then answers with 404; for served paths it agrees with ../request-info.ts.
import { parseGoInt64 } from '../../machinery/query.js';
import { validatePathSegmentName } from '../../machinery/names.js';
import { parseFieldSelector, parseLabelSelector } from '../../machinery/selectors.js';
import type { RequestAttributes } from './authorizer.js';
import { pathUnescape } from './path-unescape.js';

const API_PREFIXES = new Set(['api', 'apis']);
const GROUPLESS_API_PREFIXES = new Set(['api']);
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(['proxy']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const VERBS_WITH_SELECTORS = new Set(['list', 'watch', 'deletecollection']);
const METHOD_VERBS: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** `url` is the request target as received (path and query, still percent-encoded). */
export function requestAttributes(method: string, url: string): RequestAttributes {
  const q = url.indexOf('?');
  // Go's URL.Path is the decoded path, %2F included.
  const path = pathUnescape(q < 0 ? url : url.slice(0, q));
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const info: RequestAttributes = {
    resourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    fieldSelector: '',
    labelSelector: '',
  };
  let parts = splitPath(path);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0])) return info;
  const prefix = parts[0];
  parts = parts.slice(1);
  if (!GROUPLESS_API_PREFIXES.has(prefix)) {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.resourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);

  let verbViaPathPrefix = false;
  if (SPECIAL_VERBS.has(parts[0])) {
    // Upstream fails such a request with "unable to determine kind and namespace from url".
    if (parts.length < 2) return { ...info, verb: parts[0] };
    info.verb = parts[0];
    parts = parts.slice(1);
    verbViaPathPrefix = true;
  } else {
    info.verb = METHOD_VERBS[method] ?? '';
  }

  if (parts[0] === 'namespaces' && parts.length > 1) {
    info.namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }
  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb)) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];

  if (info.name === '' && info.verb === 'get') {
    const listOptions = decodeListOptions(query);
    info.verb = listOptions.watch ? 'watch' : 'list';
    const name = listOptions.fieldSelectorName;
    if (name !== undefined && validatePathSegmentName(name, false).length === 0) info.name = name;
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';

  if (!verbViaPathPrefix && VERBS_WITH_SELECTORS.has(info.verb)) {
    info.fieldSelector = query.get('fieldSelector') ?? '';
    info.labelSelector = query.get('labelSelector') ?? '';
  }
  return info;
}

/**
 * The parts of ListOptions decoding that matter here. A query that fails to decode yields no name
 * from the field selector, and `watch` read on its own (Convert_Slice_string_To_bool).
 */
function decodeListOptions(query: URLSearchParams): { watch: boolean; fieldSelectorName?: string } {
  const watchValue = query.get('watch');
  const watch = watchValue !== null && !(watchValue === '0' || watchValue.toLowerCase() === 'false');
  try {
    for (const intParam of ['limit', 'timeoutSeconds']) {
      const v = query.get(intParam);
      if (v !== null) parseGoInt64(v);
    }
    const labels = query.get('labelSelector');
    if (labels) parseLabelSelector(labels);
    const fields = query.get('fieldSelector');
    return { watch, fieldSelectorName: fields ? parseFieldSelector(fields).exactMatch('metadata.name') : undefined };
  } catch {
    return { watch };
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}
