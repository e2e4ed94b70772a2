// The import shortcut's access reviews against a kube-apiserver (aggregated mode): one SubjectAccessReview
// per question, as the requesting user, cluster-wide (no namespace), not cached, as openshift-apiserver asks.
import type { CreateSubjectAccessReview, SubjectAccessReviewSpec } from '../../../../server/auth/subject-access-review.js';
import type { ImportAuthorizer } from './options.js';

export function subjectAccessReviewImportAuthorizer(create: CreateSubjectAccessReview): ImportAuthorizer {
  return {
    async allowed(review) {
      const spec: SubjectAccessReviewSpec = { resourceAttributes: { verb: 'create', group: 'image.openshift.io', resource: review.resource } };
      if (review.user) spec.user = review.user;
      if (review.groups.length) spec.groups = [...review.groups];
      const result = await create({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
      return result.status?.allowed === true;
    },
  };
}
