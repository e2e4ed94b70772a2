// Authorization delegated to the kube-apiserver with SubjectAccessReviews, allowed and denied answers
// cached apart (k8s.io/apiserver plugin/pkg/authorizer/webhook, as authorizerfactory.DelegatingAuthorizerConfig
// sets it up: failures are "no opinion" plus the error, which the filter turns into a 500).
import type { AuthorizationAttributes, AuthorizationResult, Authorizer } from './authorizer.js';
import { fieldSelectorRequirements, labelSelectorRequirements, type FieldSelectorRequirement, type LabelSelectorRequirement } from './selector-requirements.js';
import { TTLCache } from './ttl-cache.js';

/** authorization.k8s.io/v1 SubjectAccessReview; empty fields are left out as Go's omitempty does. */
export interface SubjectAccessReview {
  apiVersion: 'authorization.k8s.io/v1';
  kind: 'SubjectAccessReview';
  spec: SubjectAccessReviewSpec;
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

export interface SubjectAccessReviewSpec {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    version?: string;
    resource?: string;
    subresource?: string;
    name?: string;
    fieldSelector?: { requirements: FieldSelectorRequirement[] };
    labelSelector?: { requirements: LabelSelectorRequirement[] };
  };
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
}

export type CreateSubjectAccessReview = (review: SubjectAccessReview) => Promise<SubjectAccessReview>;

export interface SubjectAccessReviewOptions {
  allowTTLMs: number;
  denyTTLMs: number;
  now?: () => number;
}

/** The webhook authorizer's LRU size. */
const MAX_CACHED_DECISIONS = 8192;
/** Requester-controlled attributes beyond this many bytes are not cached (a cache-flooding guard). */
const MAX_CACHEABLE_ATTRIBUTE_BYTES = 10000;

export function subjectAccessReviewAuthorizer(create: CreateSubjectAccessReview, opts: SubjectAccessReviewOptions): Authorizer {
  const cache = new TTLCache<NonNullable<SubjectAccessReview['status']>>({ maxEntries: MAX_CACHED_DECISIONS, now: opts.now });
  return {
    async authorize(a: AuthorizationAttributes): Promise<AuthorizationResult> {
      const spec = subjectAccessReviewSpec(a);
      const ttl = (allowed: boolean | undefined) => (!shouldCache(a) ? 0 : allowed ? opts.allowTTLMs : opts.denyTTLMs);
      let status: NonNullable<SubjectAccessReview['status']>;
      try {
        status = await cache.getOrLoad(
          JSON.stringify(spec),
          async () => (await create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec })).status ?? {},
          (s) => ttl(s.allowed),
        );
      } catch (err) {
        return { decision: 'no-opinion', reason: '', error: err as Error };
      }
      const reason = status.reason ?? '';
      if (status.denied && status.allowed) {
        return { decision: 'deny', reason, error: new Error('webhook subject access review returned both allow and deny response') };
      }
      if (status.denied) return { decision: 'deny', reason };
      if (status.allowed) return { decision: 'allow', reason };
      return { decision: 'no-opinion', reason };
    },
  };
}

/** The review's spec for a request, in the shape kube-apiserver's webhook authorizer sends. */
export function subjectAccessReviewSpec(a: AuthorizationAttributes): SubjectAccessReviewSpec {
  const spec: SubjectAccessReviewSpec = {};
  if (a.resourceRequest) {
    const fieldRequirements = fieldSelectorRequirements(a.fieldSelector);
    const labelRequirements = labelSelectorRequirements(a.labelSelector);
    spec.resourceAttributes = omitEmpty({
      namespace: a.namespace,
      verb: a.verb,
      group: a.apiGroup,
      version: a.apiVersion,
      resource: a.resource,
      subresource: a.subresource,
      name: a.name,
      ...(fieldRequirements.length ? { fieldSelector: { requirements: fieldRequirements } } : {}),
      ...(labelRequirements.length ? { labelSelector: { requirements: labelRequirements } } : {}),
    });
  } else {
    spec.nonResourceAttributes = omitEmpty({ path: a.path, verb: a.verb });
  }
  if (a.user.name) spec.user = a.user.name;
  if (a.user.groups.length) spec.groups = a.user.groups;
  if (a.user.extra && Object.keys(a.user.extra).length) spec.extra = a.user.extra;
  if (a.user.uid) spec.uid = a.user.uid;
  return spec;
}

function omitEmpty<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '')) as T;
}

function shouldCache(a: AuthorizationAttributes): boolean {
  const size = [a.namespace, a.verb, a.apiGroup, a.apiVersion, a.resource, a.subresource, a.name, a.path].reduce((n, s) => n + Buffer.byteLength(s), 0);
  return size < MAX_CACHEABLE_ATTRIBUTE_BYTES;
}
