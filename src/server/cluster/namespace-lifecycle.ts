// The NamespaceLifecycle admission plugin (k8s.io/apiserver pkg/admission/plugin/namespace/lifecycle) for a
// server connected to a kube-apiserver: writes into a namespace that does not exist fail with the kube-apiserver's
// NotFound, creates in a terminating namespace with 403. Deletes are always admitted. Namespaces are read live
// and kept for a few seconds, where upstream keeps an informer; a missing one is always read again before a
// write is refused, as upstream does with its live lookup.
import { grString, internalError, StatusError, type GroupResource } from '../../machinery/errors.js';
import { goQuote } from '../../machinery/selectors.js';
import { TTLCache } from '../auth/ttl-cache.js';
import type { Namespace } from '../auth/kube-client.js';

export type NamespaceState = 'active' | 'terminating' | 'missing';

/** undefined when the namespace does not exist; throws when it cannot be read. */
export type NamespaceReader = (name: string) => Promise<Namespace | undefined>;

export interface NamespaceLifecycleOptions {
  /** How long a namespace that exists is trusted (default 5 s). */
  ttlMs?: number;
  now?: () => number;
}

export type AdmissionOperation = 'create' | 'update';

const DEFAULT_TTL_MS = 5_000;
const MAX_CACHED_NAMESPACES = 4096;

export class NamespaceLifecycle {
  private readonly cache: TTLCache<NamespaceState>;
  private readonly ttlMs: number;

  constructor(
    private readonly read: NamespaceReader,
    opts: NamespaceLifecycleOptions = {},
  ) {
    this.cache = new TTLCache({ maxEntries: MAX_CACHED_NAMESPACES, now: opts.now });
    this.ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** A failed read is an InternalError, as the plugin reports it. */
  async state(namespace: string): Promise<NamespaceState> {
    try {
      return await this.cache.getOrLoad(
        namespace,
        async () => namespaceState(await this.read(namespace)),
        (state) => (state === 'missing' ? 0 : this.ttlMs),
      );
    } catch (err) {
      throw internalError(err);
    }
  }

  /** The error admission answers a write into `namespace` with (undefined: admitted). */
  async admit(operation: AdmissionOperation, namespace: string, gr: GroupResource, name: string): Promise<StatusError | undefined> {
    return namespaceLifecycleError(await this.state(namespace), operation, namespace, gr, name);
  }
}

export function namespaceState(ns: Namespace | undefined): NamespaceState {
  if (!ns) return 'missing';
  return ns.status?.phase === 'Terminating' ? 'terminating' : 'active';
}

/**
 * What the plugin decides for a namespace in `state`. `name` is the object's name (its generateName, or
 * `Unknown`, when it has none yet), as admission.NewForbidden words it.
 */
export function namespaceLifecycleError(
  state: NamespaceState,
  operation: AdmissionOperation,
  namespace: string,
  gr: GroupResource,
  name: string,
): StatusError | undefined {
  if (state === 'missing') {
    return new StatusError(404, 'NotFound', `namespaces ${goQuote(namespace)} not found`, { name: namespace, kind: 'namespaces' });
  }
  if (state === 'active' || operation !== 'create') return undefined;
  const subject = name ? `${grString(gr)} ${goQuote(name)}` : grString(gr);
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
    ...(name ? { name } : {}),
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
    causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
  });
}

/** The name admission attributes carry for a create: the object's name, else its generateName, else `Unknown`. */
export function admissionName(obj: { metadata?: { name?: string; generateName?: string } }): string {
  return obj.metadata?.name || obj.metadata?.generateName || 'Unknown';
}
