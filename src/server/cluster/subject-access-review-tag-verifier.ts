// The TagVerifier of a server connected to a kube-apiserver: may the user read the layers of the stream a spec
// tag points at in another namespace? One SubjectAccessReview as the requesting user (AddUserToSAR: name,
// groups, extra), not cached, as openshift-apiserver's TagVerifier makes it.
import type { TagVerifier } from '../../apis/image/v1/imagestream/tag-verifier.js';
import type { CreateSubjectAccessReview, SubjectAccessReviewSpec } from '../auth/subject-access-review.js';

export function subjectAccessReviewTagVerifier(create: CreateSubjectAccessReview): TagVerifier {
  return {
    async review(request) {
      const spec: SubjectAccessReviewSpec = {
        resourceAttributes: {
          namespace: request.namespace,
          verb: 'get',
          group: 'image.openshift.io',
          resource: 'imagestreams',
          subresource: 'layers',
          name: request.stream,
        },
      };
      // Empty fields are omitted on the wire (omitempty).
      if (request.user) spec.user = request.user;
      if (request.groups.length) spec.groups = [...request.groups];
      if (request.extra && Object.keys(request.extra).length) spec.extra = structuredClone(request.extra);
      const review = await create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
      const status = review.status ?? {};
      return { allowed: status.allowed === true, reason: status.reason ?? '', evaluationError: status.evaluationError ?? '' };
    },
  };
}
