// apimachinery's Semantic.DeepEqual for objects in their JSON form, as the tag views' update validation uses it:
// Go decodes an absent field, `null`, and an empty string, number, list or map to the same zero value, and
// compares times as instants.
import { isDeepStrictEqual } from 'node:util';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

/** The value with every zero value left out, so equal Go values give equal results. */
function comparable(value: unknown): unknown {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return undefined;
  if (typeof value === 'string' && RFC3339.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms).toISOString();
  }
  if (Array.isArray(value)) {
    // A list keeps its zero elements: their positions matter.
    return value.length ? value.map((v) => comparable(v) ?? null) : undefined;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const c = comparable(v);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

export function semanticallyEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(comparable(a), comparable(b));
}
