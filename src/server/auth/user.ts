// The identity a request runs as (k8s.io/apiserver pkg/authentication/user).

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const ANONYMOUS_USER = 'system:anonymous';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const MASTERS_GROUP = 'system:masters';

export const anonymousUser = (): UserInfo => ({ name: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] });

/**
 * group.AuthenticatedGroupAdder: every authenticated (non-anonymous) user is in system:authenticated,
 * unless it already carries system:authenticated or system:unauthenticated.
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === ANONYMOUS_USER) return user;
  if (user.groups.some((g) => g === AUTHENTICATED_GROUP || g === UNAUTHENTICATED_GROUP)) return user;
  return { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}
