// Authorizers that need no kube-apiserver: the delegating defaults (always-allowed paths and groups,
// k8s.io/apiserver pkg/authorization/path + authorizerfactory.NewPrivilegedGroups) and the standalone
// guard that lets any authenticated user do anything.
import { goQuote } from '../../machinery/selectors.js';
import type { Authorizer } from './authorizer.js';
import { AUTHENTICATED_GROUP } from './user.js';

const NO_OPINION = { decision: 'no-opinion', reason: '' } as const;
const ALLOW = { decision: 'allow', reason: '' } as const;

/**
 * Non-resource paths allowed to everyone; `/x` matches exactly, `/x*` by prefix, the leading `/` is
 * optional. Throws for a `*` anywhere but at the end, as upstream does at start-up.
 */
export function alwaysAllowPathsAuthorizer(patterns: readonly string[]): Authorizer {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const raw of patterns) {
    const p = raw.replace(/^\//, '');
    if (p === '') {
      exact.add(p);
      continue;
    }
    if (p.slice(0, -1).includes('*')) throw new Error(`only trailing * allowed in ${goQuote(p)}`);
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return {
    async authorize(a) {
      if (a.resourceRequest) return NO_OPINION;
      const path = a.path.replace(/^\//, '');
      if (exact.has(path) || prefixes.some((p) => path.startsWith(p))) return ALLOW;
      return NO_OPINION;
    },
  };
}

/** Members of these groups may do anything (system:masters: kube-apiserver would allow them anyway). */
export function privilegedGroupsAuthorizer(groups: readonly string[]): Authorizer {
  return {
    async authorize(a) {
      return a.user.groups.some((g) => groups.includes(g)) ? ALLOW : NO_OPINION;
    },
  };
}

/** Standalone with a guard: any authenticated user is allowed, anonymous requests are not. */
export function authenticatedUsersAuthorizer(): Authorizer {
  return {
    async authorize(a) {
      return a.user.groups.includes(AUTHENTICATED_GROUP) ? ALLOW : NO_OPINION;
    },
  };
}
