// JSON merge patch (RFC 7386), written by hand: the json-merge-patch package mutates its target and
// silently drops keys named `constructor`/`prototype`/`__proto__`, which are valid label keys (G7).

type JSONObject = Record<string, unknown>;

const isObject = (v: unknown): v is JSONObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets `key` as an own data property, `__proto__` included. */
function setOwn(obj: JSONObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

function cloneJSON(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJSON);
  if (!isObject(value)) return value;
  const out: JSONObject = {};
  for (const key of Object.keys(value)) setOwn(out, key, cloneJSON(value[key]));
  return out;
}

/**
 * Applies `patch` to `target` per RFC 7386 without touching either: objects merge recursively, a `null`
 * member deletes, arrays and scalars replace. A patch that is not an object (including `null`) replaces
 * the whole document. The result shares no structure with the inputs; existing keys keep their order
 * and new keys follow in patch order.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJSON(patch);
  const base: JSONObject = isObject(target) ? target : {};
  const out: JSONObject = {};
  for (const key of Object.keys(base)) {
    if (!Object.hasOwn(patch, key)) setOwn(out, key, cloneJSON(base[key]));
    else if (patch[key] !== null) setOwn(out, key, applyMergePatch(base[key], patch[key]));
  }
  for (const key of Object.keys(patch)) {
    if (!Object.hasOwn(base, key) && patch[key] !== null) setOwn(out, key, applyMergePatch(undefined, patch[key]));
  }
  return out;
}
