// Cross-namespace tagging needs read access to the source stream's layers (openshift-apiserver's
// TagVerifier): for each new or changed spec tag whose `from.namespace` is another namespace, the
// requesting user must be allowed `get imagestreams/layers` on the referenced stream. Aggregated mode asks
// kube-apiserver (a SubjectAccessReview); standalone mode has no authorizer and allows.
import { FieldPath, forbidden, invalid, type ErrorList } from '../../../../machinery/field.js';
import type { RequestContext } from '../../../../registry/strategy.js';
import { parseFromReference } from './tag-sources.js';
import { isNewOrChangedTag } from './tag-changes.js';
import type { ImageStream } from './types.js';

/** One access question: may `user` (with `groups`) get `imagestreams/layers` of `namespace/stream`? */
export interface TagAccessReview {
  namespace: string;
  stream: string;
  user: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The answer (SubjectAccessReview status). */
export interface TagAccessDecision {
  allowed: boolean;
  reason?: string;
  evaluationError?: string;
}

/** Decides tag access; a thrown error counts as a denial and is reported with the decision. */
export interface TagVerifier {
  review(request: TagAccessReview): Promise<TagAccessDecision>;
}

/** Standalone mode: nobody to ask, every reference is allowed. */
export const ALLOW_ALL_TAG_VERIFIER: TagVerifier = { review: async () => ({ allowed: true }) };

/**
 * Field errors for the spec tags the user may not take from another namespace (TagVerifier.Verify). Tags
 * sharing a `(namespace, stream)` pair share one review, and a denial is reported on each of them.
 */
export async function verifyTagAccess(
  verifier: TagVerifier,
  old: ImageStream | undefined,
  stream: ImageStream,
  ctx: Pick<RequestContext, 'user' | 'groups' | 'extra'>,
): Promise<ErrorList> {
  const errs: ErrorList = [];
  const namespace = stream.metadata.namespace ?? '';
  const byStream = new Map<string, { namespace: string; stream: string; tags: string[] }>();
  for (const ref of stream.spec?.tags ?? []) {
    const from = ref.from;
    if (!from || !from.namespace || from.namespace === namespace) continue;
    if (!isNewOrChangedTag(old, stream, ref)) continue;
    const tag = ref.name ?? '';
    const source = parseFromReference(stream, from);
    if (!source) {
      errs.push(invalid(fromPath(tag).child('name'), from.name ?? '', 'must be of the form <tag>, <repo>:<tag>, <id>, or <repo>@<id>'));
      continue;
    }
    const key = JSON.stringify([from.namespace, source.stream]);
    const group = byStream.get(key) ?? { namespace: from.namespace, stream: source.stream, tags: [] };
    group.tags.push(tag);
    byStream.set(key, group);
  }
  for (const group of byStream.values()) {
    let decision: TagAccessDecision | undefined;
    let failure: unknown;
    try {
      decision = await verifier.review({
        namespace: group.namespace,
        stream: group.stream,
        user: ctx.user,
        groups: ctx.groups,
        ...(ctx.extra ? { extra: ctx.extra } : {}),
      });
    } catch (err) {
      failure = err;
    }
    if (decision?.allowed && failure === undefined) continue;
    // A failed call still yields an (empty) review object upstream, so its quoted fields are printed too.
    let message = `${group.namespace}/${group.stream}: ${JSON.stringify(decision?.reason ?? '')} ${JSON.stringify(decision?.evaluationError ?? '')}`;
    if (failure !== undefined) message += `- ${failure instanceof Error ? failure.message : String(failure)}`;
    for (const tag of group.tags) errs.push(forbidden(fromPath(tag), message));
  }
  return errs;
}

const fromPath = (tag: string) => FieldPath.root('spec').child('tags').key(tag).child('from');
