// Per-registry import rules from the config.openshift.io Image `cluster` (read on every import, as
// openshift-apiserver does): `registrySources.blockedRegistries` and `insecureRegistries` become registry
// records matched by exact location, so wildcard (`*.x`) and path-scoped entries never apply to imports.
import type { ImageConfig } from '../apis/config/v1/image/types.js';
import type { ExplicitHosts } from './address-policy.js';
import type { RegistryAccessPolicy } from './importer.js';

export function registryAccessPolicy(config: ImageConfig | undefined): RegistryAccessPolicy {
  const sources = config?.spec?.registrySources;
  const blocked = new Set(sources?.blockedRegistries ?? []);
  const insecure = new Set(sources?.insecureRegistries ?? []);
  return { blocked: (registry) => blocked.has(registry), insecure: (registry) => insecure.has(registry) };
}

/**
 * Registry hosts the configuration names literally (allowedRegistriesForImport, insecureRegistries): only
 * these may resolve to link-local or metadata addresses. Globs and path-scoped entries name no host.
 */
export function explicitRegistryHosts(config: ImageConfig | undefined): ExplicitHosts {
  const hosts = new Set<string>();
  const add = (entry: string | undefined) => {
    if (!entry || /[*?/]/.test(entry)) return;
    const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
    const host = bracket ? bracket[1] : entry.split(':').length === 2 ? entry.split(':')[0] : entry;
    hosts.add(host.toLowerCase());
  };
  for (const location of config?.spec?.allowedRegistriesForImport ?? []) add(location.domainName);
  for (const entry of config?.spec?.registrySources?.insecureRegistries ?? []) add(entry);
  return hosts;
}
