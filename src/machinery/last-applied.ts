// kubectl's client-side-apply annotation seen from server-side apply: upgrading from `kubectl apply` to
// `kubectl apply --server-side` must not conflict on the fields the annotation records, and the server
// keeps the annotation current (k8s.io/apimachinery pkg/util/managedfields/internal lastappliedmanager.go,
// lastappliedupdater.go). Both rules apply only to the field manager `kubectl`.
import {
  compareObjects,
  difference,
  FieldPathError,
  toFieldSet,
  type FieldSchema,
  type FieldSet,
} from './managed-fields.js';
import type { KubeObject } from './object.js';
import { isPlainObject, ListItemError } from './apply-schema.js';
import { typedErrors } from './apply-validate.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose applies honour (and maintain) the annotation. */
export const KUBECTL_MANAGER = 'kubectl';

export function lastAppliedOf(obj: unknown): string | undefined {
  if (!isPlainObject(obj) || !isPlainObject(obj.metadata) || !isPlainObject(obj.metadata.annotations)) return undefined;
  const value = obj.metadata.annotations[LAST_APPLIED_ANNOTATION];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The fields recorded in the live object's annotation that still hold the recorded value: a kubectl
 * server-side apply may take them over without a conflict. Undefined when the annotation is missing or
 * unusable (not JSON, no kind, another apiVersion, not convertible to the schema).
 */
export function allowedConflictsFromLastApplied(live: KubeObject | undefined, apiVersion: string, schema: FieldSchema): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (text === undefined || live === undefined) return undefined;
  let recorded: unknown;
  try {
    recorded = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(recorded) || typeof recorded.kind !== 'string' || recorded.kind === '') return undefined;
  if (recorded.apiVersion !== apiVersion) return undefined;
  // The annotation is read allowing duplicate list keys; every other typed error disqualifies it.
  if (typedErrors(recorded, schema).some((e) => !e.message.startsWith('duplicate entries for key'))) return undefined;
  try {
    const cmp = compareObjects(recorded, live, schema);
    return difference(difference(difference(toFieldSet(recorded, schema), cmp.modified), cmp.added), cmp.removed);
  } catch (err) {
    if (err instanceof FieldPathError || err instanceof ListItemError) return undefined;
    throw err;
  }
}

/** buildLastApplied: the applied configuration without the annotation itself, as Go's JSON encoder writes it. */
export function buildLastApplied(applied: Record<string, unknown>): string {
  const copy = structuredClone(applied);
  const meta = copy.metadata;
  if (isPlainObject(meta)) {
    if (isPlainObject(meta.annotations)) delete meta.annotations[LAST_APPLIED_ANNOTATION];
    else if (Object.hasOwn(meta, 'annotations')) delete meta.annotations;
  }
  return `${goJSON(copy)}\n`;
}

/** encoding/json for unstructured values: map keys sorted, HTML-sensitive characters escaped. */
export function goJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJSON).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${goString(k)}:${goJSON(v[k])}`)
      .join(',')}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v ?? null);
}

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

const goString = (s: string) => JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c]);
