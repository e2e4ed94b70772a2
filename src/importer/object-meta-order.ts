// ObjectMeta keys in the order Go's encoder writes them, for objects this server builds in memory and returns
// without storing (import statuses, the ImageStreamImport itself).
import { OBJECT_META_ORDER, type ObjectMeta } from '../machinery/object.js';

export function orderedObjectMeta(meta: ObjectMeta): ObjectMeta {
  const out: Record<string, unknown> = {};
  for (const key of OBJECT_META_ORDER) if (meta[key] !== undefined) out[key] = meta[key];
  for (const [key, value] of Object.entries(meta)) if (!(key in out) && value !== undefined) out[key] = value;
  return out as ObjectMeta;
}
