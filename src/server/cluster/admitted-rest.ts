// Runs NamespaceLifecycle admission where k8s.io/apiserver's handlers run mutating admission: a create after
// its body is decoded and before the storage sees it; an update (PUT, PATCH, apply, subresources) once the
// current object is read and the new one computed, so a missing object or a bad patch is still reported
// first. The namespace is looked up before the update starts, because the update's object function is
// synchronous; its verdict is applied inside it.
import type { REST, UpdatedObjectInfo } from '../../registry/rest.js';
import { admissionName, namespaceLifecycleError, type NamespaceLifecycle } from './namespace-lifecycle.js';

export class NamespaceAdmission {
  private readonly wrapped = new WeakMap<REST, REST>();

  constructor(private readonly lifecycle: NamespaceLifecycle) {}

  /** `rest` with admission on its writes (the same REST for cluster-scoped kinds). */
  admitted(rest: REST): REST {
    if (!rest.def.namespaced) return rest;
    let out = this.wrapped.get(rest);
    if (!out) {
      out = withNamespaceLifecycle(rest, this.lifecycle);
      this.wrapped.set(rest, out);
    }
    return out;
  }
}

/**
 * `rest` with admitted writes. Everything else is the REST's own (a Proxy, so methods added to the REST
 * contract later are not lost), called on the REST itself.
 */
export function withNamespaceLifecycle(rest: REST, lifecycle: NamespaceLifecycle): REST {
  const { create, update } = rest;
  const overrides: Partial<Pick<REST, 'create' | 'update'>> = {};
  if (create) {
    overrides.create = async (namespace, body, opts) => {
      if (namespace) {
        const refused = await lifecycle.admit('create', namespace, rest.gr, admissionName(body));
        if (refused) throw refused;
      }
      return create.call(rest, namespace, body, opts);
    };
  }
  if (update) {
    overrides.update = async (namespace, name, objInfo, opts, extra) => {
      if (!namespace) return update.call(rest, namespace, name, objInfo, opts, extra);
      const state = await lifecycle.state(namespace);
      const admitted: UpdatedObjectInfo = (current) => {
        const obj = objInfo(current);
        // No current object: the update creates one (create-on-update, apply).
        const refused = namespaceLifecycleError(state, current ? 'update' : 'create', namespace, rest.gr, name);
        if (refused) throw refused;
        return obj;
      };
      return update.call(rest, namespace, name, admitted, opts, extra);
    };
  }
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(rest, {
    get(target, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof typeof overrides];
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (!bound.has(prop)) bound.set(prop, value.bind(target));
      return bound.get(prop);
    },
  });
}
