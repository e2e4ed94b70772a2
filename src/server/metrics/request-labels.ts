// What a request is, for metrics and the in-flight limit: the labels k8s.io/apiserver's MonitorRequest puts on
// apiserver_request_total (pkg/endpoints/metrics/metrics.go: CanonicalVerb, CleanVerb, cleanDryRun, the
// installer's route scope) and the RequestInfo verb its filters look at (pkg/endpoints/request/requestinfo.go).
import { pathUnescape } from '../auth/path-unescape.js';
import { queryBool } from '../../machinery/query.js';
import { parseAPIPath } from '../request-info.js';

export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
}

export interface RequestKind {
  labels: RequestLabels;
  resourceRequest: boolean;
  /** RequestInfo.Verb: get, list, watch, create, ...; the lower-case method for non-resource paths. */
  verb: string;
  /** The kind of request the maxinflight filter never limits (watches). */
  longRunning: boolean;
}

/** Verbs a metric label may carry; anything else is reported as `other` to bound cardinality. */
const VALID_METRIC_VERBS = new Set([
  'APPLY',
  'CONNECT',
  'CREATE',
  'DELETE',
  'DELETECOLLECTION',
  'GET',
  'LIST',
  'PATCH',
  'POST',
  'PROXY',
  'PUT',
  'UPDATE',
  'WATCH',
  'WATCHLIST',
]);
const APPLY_PATCH_TYPE = 'application/apply-patch+yaml';
const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
/** Methods RequestInfo maps to a verb; any other leaves the verb empty. */
const VERB_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** `url` is the request target as received; `contentType` the raw Content-Type header. */
export function classifyRequest(method: string, url: string, contentType: string | undefined): RequestKind {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const dryRun = cleanDryRun(rawQuery, query);
  const watchQuery = method === 'GET' && queryBool(query.get('watch') ?? undefined) === true;
  const parsed = parseAPIPath(method, rawPath, { watch: query.get('watch') ?? undefined });

  if (parsed.type !== 'resource') {
    const verb = metricVerb(method, '', false, watchQuery, contentType);
    const path = pathUnescape(rawPath);
    return {
      labels: { verb, dry_run: dryRun, group: '', version: '', resource: '', subresource: path, scope: '' },
      resourceRequest: false,
      verb: method.toLowerCase(),
      longRunning: false,
    };
  }
  const info = parsed.info;
  // The scope of the route that serves the request, as the installer labels it.
  const scope = info.name || method === 'POST' ? 'resource' : info.namespace !== undefined ? 'namespace' : 'cluster';
  return {
    labels: {
      verb: metricVerb(method, scope, info.legacyWatch, watchQuery, contentType),
      dry_run: dryRun,
      group: info.group,
      version: info.version,
      resource: info.resource,
      subresource: info.subresource ?? '',
      scope,
    },
    resourceRequest: true,
    verb: VERB_METHODS.has(method) || info.legacyWatch ? info.verb : '',
    longRunning: LONG_RUNNING_VERBS.has(info.verb),
  };
}

/** cleanVerb(CanonicalVerb(method, scope), routeVerb): GET of a collection is LIST, `?watch` WATCH, apply PATCH APPLY. */
function metricVerb(method: string, scope: string, watchRoute: boolean, watchQuery: boolean, contentType: string | undefined): string {
  if (watchRoute) return 'WATCH';
  let verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD') verb = scope !== 'resource' && scope !== '' ? 'LIST' : 'GET';
  if (watchQuery) verb = 'WATCH';
  if (verb === 'PATCH' && contentType === APPLY_PATCH_TYPE) verb = 'APPLY';
  return VALID_METRIC_VERBS.has(verb) ? verb : 'other';
}

/** The dryRun values deduplicated and sorted; `invalid` when one is not `All`. */
function cleanDryRun(rawQuery: string, query: URLSearchParams): string {
  if (!rawQuery.includes('dryRun')) return '';
  const values = query.getAll('dryRun');
  if (values.some((v) => v !== 'All')) return 'invalid';
  return [...new Set(values)].sort().join(',');
}
