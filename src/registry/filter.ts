// Label and field selector matching against stored objects.
import type { KubeObject } from '../machinery/object.js';
import type { StoredValue } from '../storage/storage.js';
import type { RegistryListOptions } from './list-options.js';
import type { Store } from './store.js';

/** The field-selector view of an object: metadata.name, metadata.namespace and the kind's own fields. */
export function selectableFields(store: Store, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (store.def.namespaced) fields['metadata.namespace'] = obj.metadata.namespace ?? '';
  return store.def.selectableFields ? { ...fields, ...store.def.selectableFields(obj) } : fields;
}

/** Allowed field selector names for a resource. */
export function selectableFieldNames(store: Store): string[] {
  const names = ['metadata.name'];
  if (store.def.namespaced) names.push('metadata.namespace');
  if (store.def.selectableFields) {
    const sample = store.def.selectableFields({ metadata: {} } as KubeObject);
    names.push(...Object.keys(sample));
  }
  return names;
}

export function objectFilter(store: Store, opts: RegistryListOptions): ((obj: StoredValue) => boolean) | undefined {
  const labels = opts.labelSelector && !opts.labelSelector.empty ? opts.labelSelector : undefined;
  const fields = opts.fieldSelector && !opts.fieldSelector.empty ? opts.fieldSelector : undefined;
  if (!labels && !fields) return undefined;
  return (stored) => {
    const obj = stored as KubeObject;
    if (labels && !labels.matches(obj.metadata?.labels ?? {})) return false;
    if (fields && !fields.matches(selectableFields(store, store.present(obj)))) return false;
    return true;
  };
}
