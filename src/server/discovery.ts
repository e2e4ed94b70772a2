// Discovery documents (k8s.io/apiserver: pkg/endpoints/discovery/*, pkg/endpoints/installer.go,
// pkg/endpoints/groupversion.go; k8s.io/apiextensions-apiserver for CRD-backed kinds) and the
// Accept negotiation that picks between the legacy and the aggregated form of /apis.
import { createHash } from 'node:crypto';
import { groupVersion, type ResourceDefinition, type Verb } from '../registry/resource.js';

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** An APIGroup as it appears inside an APIGroupList (TypeMeta is empty there, so Go omits it). */
export interface APIGroupEntry {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroup extends APIGroupEntry {
  kind: 'APIGroup';
  apiVersion: 'v1';
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroupEntry[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources?: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: 'apidiscovery.k8s.io/v2' | 'apidiscovery.k8s.io/v2beta1';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

export type DiscoveryRepresentation = 'v2' | 'v2beta1' | 'legacy' | 'not-acceptable';

/**
 * base64 of the first 8 bytes of SHA-256 over "group/version/kind" (k8s.io/apiserver:
 * pkg/endpoints/discovery/storageversionhash.go). `wardle.example.com/v1alpha1/Flunder` -> `UHqNx5H3K7A=`.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

/**
 * Whether kube would publish a storageVersionHash for this resource. Only storages that implement
 * rest.StorageVersionProvider get one: genericregistry.Store (and every CRD). The derived image
 * resources (ImageStreamTag, ImageTag, ImageStreamImage, ImageStreamMapping, ImageStreamImport,
 * ImageSignature) are custom REST handlers without it; they are exactly the ones that cannot watch.
 * Subresource storages never implement it.
 */
export function hasStorageVersionHash(def: ResourceDefinition): boolean {
  return def.validation === 'crd' || def.verbs.includes('watch');
}

// apiextensions-apiserver advertises a CRD's verbs in this fixed order, not sorted.
const CRD_VERB_ORDER: readonly Verb[] = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

function discoveryVerbs(def: ResourceDefinition, verbs: readonly Verb[]): string[] {
  const unique = [...new Set(verbs)];
  if (def.validation !== 'crd') return unique.sort();
  const known = CRD_VERB_ORDER.filter((v) => unique.includes(v));
  return [...known, ...unique.filter((v) => !CRD_VERB_ORDER.includes(v)).sort()];
}

const versionPattern = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * k8s.io/apimachinery version.CompareKubeAwareVersionStrings: > 0 when `a` sorts before `b`
 * (GA > beta > alpha, then major, then minor; kube-like versions before others, others lexically).
 */
export function compareKubeAwareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = versionPattern.exec(a);
  const pb = versionPattern.exec(b);
  if (!pa && !pb) return a < b ? 1 : -1;
  if (!pa) return -1;
  if (!pb) return 1;
  const rank = (m: RegExpExecArray) => (m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2);
  if (rank(pa) !== rank(pb)) return rank(pa) - rank(pb);
  if (pa[1] !== pb[1]) return Number(pa[1]) - Number(pb[1]);
  return Number(pa[3] ?? 0) - Number(pb[3] ?? 0);
}

/** Served versions of a group, most preferred first. */
function versionsOf(defs: ResourceDefinition[], group: string): string[] {
  const versions = [...new Set(defs.filter((d) => d.group === group).map((d) => d.version))];
  return versions.sort((a, b) => compareKubeAwareVersions(b, a));
}

/**
 * The group priority kube-apiserver sorts discovery by on an OpenShift cluster: CRD groups get the
 * crdregistration controller's GroupPriorityMinimum 1000, openshift-apiserver's APIServices 9900. So
 * `kubectl get images` means image.openshift.io there, and config.openshift.io must be named.
 */
function groupPriority(defs: ResourceDefinition[], group: string): number {
  return defs.every((d) => d.group !== group || d.validation === 'crd') ? 1000 : 9900;
}

/** Groups by descending priority, ties by name (the aggregator's byPriority order, legacy and aggregated alike). */
function groupsOf(defs: ResourceDefinition[]): string[] {
  return [...new Set(defs.map((d) => d.group))].sort(
    (a, b) => groupPriority(defs, b) - groupPriority(defs, a) || (a < b ? -1 : a > b ? 1 : 0),
  );
}

function groupEntry(defs: ResourceDefinition[], group: string): APIGroupEntry {
  const versions = versionsOf(defs, group).map((version) => ({ groupVersion: groupVersion({ group, version }), version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** `GET /apis` (legacy form). */
export function apiGroupList(defs: ResourceDefinition[]): APIGroupList {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(defs).map((g) => groupEntry(defs, g)) };
}

/** `GET /apis/<group>`; undefined for a group this server does not serve. */
export function apiGroup(defs: ResourceDefinition[], group: string): APIGroup | undefined {
  if (!defs.some((d) => d.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(defs, group) };
}

function resourceEntry(def: ResourceDefinition): APIResource {
  const entry: APIResource = {
    name: def.plural,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: discoveryVerbs(def, def.verbs),
  };
  if (def.shortNames?.length) entry.shortNames = [...def.shortNames];
  if (def.categories?.length) entry.categories = [...def.categories];
  if (hasStorageVersionHash(def)) entry.storageVersionHash = storageVersionHash(def.group, def.version, def.kind);
  return entry;
}

/** The resources and subresources of one group/version, in the installer's order (sorted by path). */
function resourcesOf(defs: ResourceDefinition[], group: string, version: string): APIResource[] {
  const entries: APIResource[] = [];
  for (const def of defs.filter((d) => d.group === group && d.version === version)) {
    entries.push(resourceEntry(def));
    for (const sub of def.subresources ?? []) {
      // The tag of singularName has no omitempty: subresources carry "".
      entries.push({ name: `${def.plural}/${sub.name}`, singularName: '', namespaced: def.namespaced, kind: sub.kind, verbs: discoveryVerbs(def, sub.verbs) });
    }
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `GET /apis/<group>/<version>`; undefined for a group/version this server does not serve. */
export function apiResourceList(defs: ResourceDefinition[], group: string, version: string): APIResourceList | undefined {
  if (!defs.some((d) => d.group === group && d.version === version)) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources: resourcesOf(defs, group, version) };
}

/**
 * The kind a resource returns, as aggregated discovery reports it. The generic installer leaves
 * group/version empty (they mean "this group/version"); apiextensions fills them for CRDs.
 */
function responseKind(def: ResourceDefinition, kind: string): GroupVersionKind {
  return def.validation === 'crd' ? { group: def.group, version: def.version, kind } : { group: '', version: '', kind };
}

function resourceDiscovery(def: ResourceDefinition): APIResourceDiscovery {
  const entry: APIResourceDiscovery = {
    resource: def.plural,
    responseKind: responseKind(def, def.kind),
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: discoveryVerbs(def, def.verbs),
  };
  if (def.shortNames?.length) entry.shortNames = [...def.shortNames];
  if (def.categories?.length) entry.categories = [...def.categories];
  const subresources = [...(def.subresources ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (subresources.length) {
    entry.subresources = subresources.map((sub) => ({ subresource: sub.name, responseKind: responseKind(def, sub.kind), verbs: discoveryVerbs(def, sub.verbs) }));
  }
  return entry;
}

/**
 * The aggregated discovery document (apidiscovery.k8s.io APIGroupDiscoveryList): groups in priority
 * order, versions by kube-aware version order (k8s.io/apiserver: pkg/endpoints/discovery/aggregated/handler.go).
 */
export function aggregatedDiscovery(defs: ResourceDefinition[], version: 'v2' | 'v2beta1'): APIGroupDiscoveryList {
  const byPlural = (a: ResourceDefinition, b: ResourceDefinition) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0);
  const items = groupsOf(defs)
    .map((group) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: versionsOf(defs, group).map((v): APIVersionDiscovery => ({
        version: v,
        resources: defs.filter((d) => d.group === group && d.version === v).sort(byPlural).map(resourceDiscovery),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

/** The ETag of a discovery or OpenAPI body: quoted uppercase hex SHA-512. */
export function etagOf(body: string): string {
  return `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;
}

interface AcceptClause {
  type: string;
  subType: string;
  q: number;
  params: Record<string, string>;
}

/** munnerz/goautoneg ParseAccept: clauses sorted by q, then specificity (stable). */
function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const rawPart of header.split(',')) {
    const [range, ...rawParams] = rawPart.trim().split(';');
    const slash = range.split('/');
    const type = slash[0].trim();
    let subType: string;
    if (slash.length === 1 && type === '*') subType = '*';
    else if (slash.length === 2) subType = slash[1].trim();
    else continue;
    const clause: AcceptClause = { type, subType, q: 1, params: {} };
    for (const param of rawParams) {
      const eq = param.indexOf('=');
      if (eq < 0) continue;
      const token = param.slice(0, eq).trim();
      const value = param.slice(eq + 1);
      if (token === 'q') {
        // strconv.ParseFloat: anything but a plain number (even with spaces) is an error, read as 0.
        clause.q = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : 0;
      } else {
        clause.params[token] = value.trim();
      }
    }
    clauses.push(clause);
  }
  // Go's sort.Sort on short slices is this insertion sort; goautoneg's Less is not a strict order,
  // so only the same algorithm gives the same result.
  const less = (a: AcceptClause, b: AcceptClause) =>
    a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subType !== '*' && b.subType === '*');
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0 && less(clauses[j], clauses[j - 1]); j--) {
      [clauses[j], clauses[j - 1]] = [clauses[j - 1], clauses[j]];
    }
  }
  return clauses;
}

const matchesJSON = (c: AcceptClause) =>
  (c.type === 'application' && (c.subType === 'json' || c.subType === '*')) || (c.type === '*' && c.subType === '*');

/**
 * What a clause asks of the /apis endpoint: an aggregated version, the legacy document, or nothing
 * this endpoint can serve (k8s.io/apiserver: negotiation.acceptMediaTypeOptions with the aggregated
 * discovery endpoint restrictions, or the default ones when `allowWatchStream`).
 */
function clauseOutcome(c: AcceptClause, allowWatchStream: boolean): 'v2' | 'v2beta1' | 'legacy' | undefined {
  const { as, g, v, stream, sv } = c.params;
  if (stream && !(allowWatchStream && stream === 'watch')) return undefined;
  if (sv) return undefined;
  if (as === undefined && g === undefined && v === undefined) return 'legacy';
  if (allowWatchStream) return undefined;
  if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && (v === 'v2' || v === 'v2beta1')) return v;
  return undefined;
}

/**
 * Which /apis document an Accept header selects. The aggregated wrapper negotiates first; when no
 * clause fits it, the legacy handler negotiates again with the default restrictions and answers
 * 406 if that fails too. JSON is the only discovery serialization offered.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryRepresentation {
  if (!accept) return 'legacy';
  const clauses = parseAccept(accept).filter(matchesJSON);
  for (const clause of clauses) {
    const outcome = clauseOutcome(clause, false);
    if (outcome) return outcome;
  }
  return clauses.some((c) => clauseOutcome(c, true) === 'legacy') ? 'legacy' : 'not-acceptable';
}
