// A Swagger 2.0 document for built-in Kubernetes kinds, derived from @kubernetes/client-node's generated models
// (their attribute maps carry every field's JSON name, type and format as the official OpenAPI has them), so a
// test double of the kube-apiserver can hand kubectl the schemas its client-side validation checks manifests
// against: unknown fields and wrong types are reported as a real cluster's OpenAPI would have them reported.
import * as k8s from '@kubernetes/client-node';
import type { Schema, SwaggerDocument } from '../../src/server/openapi.js';

/** A top-level kind and the client-node model that describes it (e.g. `V1Deployment`). */
export interface ModelKind {
  model: string;
  group: string;
  version: string;
  kind: string;
}

interface Attribute {
  baseName: string;
  type: string;
  format: string;
}

type ModelClass = { getAttributeTypeMap(): Attribute[] };

function modelClass(name: string): ModelClass | undefined {
  const candidate = (k8s as unknown as Record<string, unknown>)[name];
  return typeof candidate === 'function' && typeof (candidate as Partial<ModelClass>).getAttributeTypeMap === 'function' ? (candidate as unknown as ModelClass) : undefined;
}

/** The schema of one attribute type as the generator spells it (`Array<X>`, `{ [key: string]: X; }`, a model name, ...). */
function schemaOf(type: string, format: string, refer: (model: string) => void): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: schemaOf(array[1], '', refer) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: schemaOf(map[1], '', refer) };
  switch (type) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' };
    case 'number':
      return format.startsWith('int') ? { type: 'integer', format } : { type: 'number', ...(format ? { format } : {}) };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { type: 'string', format: 'int-or-string' };
    case 'any':
    case 'object':
      return { type: 'object' };
  }
  if (!modelClass(type)) throw new Error(`no client-node model ${type}`);
  refer(type);
  return { $ref: `#/definitions/${type}` };
}

/** Definitions for `kinds` and every model they reach; no paths (kubectl's validation reads definitions only). */
export function swaggerForKinds(kinds: readonly ModelKind[]): SwaggerDocument {
  const definitions: Record<string, Schema> = {};
  const pending = kinds.map((k) => k.model);
  const refer = (model: string) => {
    if (!(model in definitions) && !pending.includes(model)) pending.push(model);
  };
  for (let model = pending.shift(); model !== undefined; model = pending.shift()) {
    const cls = modelClass(model);
    if (!cls) throw new Error(`no client-node model ${model}`);
    const properties = Object.fromEntries(cls.getAttributeTypeMap().map((a) => [a.baseName, schemaOf(a.type, a.format, refer)]));
    definitions[model] = { type: 'object', properties };
  }
  for (const k of kinds) {
    definitions[k.model]['x-kubernetes-group-version-kind'] = [{ group: k.group, kind: k.kind, version: k.version }];
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths: {}, definitions, securityDefinitions: {}, security: [] };
}
