// Request bodies: media types, decoding, apiVersion/kind checks, unknown and duplicate fields (fieldValidation).
import { decodeBody, goQuote, yamlDuplicatesMessage } from '../machinery/decode.js';
import { badRequest, invalid, unsupportedMediaType } from '../machinery/errors.js';
import { invalid as invalidField } from '../machinery/field.js';
import type { KubeObject } from '../machinery/object.js';
import { duplicatesOutsideUnknown, pruneUnknownFields } from '../machinery/prune.js';
import type { REST } from '../registry/rest.js';
import { mediaTypeOf } from './negotiation.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export const OBJECT_BODY_TYPES = ['application/json', 'application/yaml'];

export interface DecodedObject {
  object: KubeObject;
  warnings: string[];
}

/** Decodes a create/update body. Strict problems fail with 400 as the typed decoder reports them. */
export function decodeObjectBody(raw: Buffer | undefined, contentType: string | undefined, store: REST, validation: FieldValidation): DecodedObject {
  const media = mediaTypeOf(contentType);
  const format = media === '' || media === 'application/json' ? 'application/json' : media === 'application/yaml' ? 'application/yaml' : undefined;
  if (!format) throw unsupportedMediaType(OBJECT_BODY_TYPES);
  const { kind, version } = store.def;
  const cannotHandle = (msg: string) => badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${msg}`);

  let decoded: { value: unknown; duplicates: string[] };
  try {
    decoded = decodeBody((raw ?? Buffer.alloc(0)).toString('utf8'), format);
  } catch (err) {
    throw cannotHandle((err as Error).message);
  }
  const value = decoded.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw cannotHandle('json: cannot unmarshal ' + describeJSONType(value) + ` into Go value of type struct`);
  }
  const obj = value as KubeObject;
  checkTypeMeta(obj, store);
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};

  const unknown = pruneUnknownFields(obj, store.schemaForPruning());
  const unknownProblems = unknown.map((p) => `unknown field ${goQuote(p)}`);
  // YAML duplicates are reported by line (the YAML→JSON step); JSON duplicates by field path.
  const yamlDuplicates = format === 'application/yaml' ? decoded.duplicates : [];
  const jsonDuplicates = format === 'application/json' ? duplicatesOutsideUnknown(decoded.duplicates, unknown) : [];
  if (validation === 'Strict') {
    if (yamlDuplicates.length) throw cannotHandle(yamlDuplicatesMessage(yamlDuplicates));
    const problems = [...unknownProblems, ...jsonDuplicates.map((d) => `duplicate field ${goQuote(d)}`)];
    if (problems.length) throw cannotHandle(`strict decoding error: ${problems.join(', ')}`);
  }
  const warnings = [...yamlDuplicates, ...unknownProblems, ...jsonDuplicates.map((d) => `duplicate field ${goQuote(d)}`)];
  return { object: obj, warnings: validation === 'Warn' ? warnings : [] };
}

/** A patched object's unknown fields: Strict → 422 on field `patch` (patch.go), Warn → warnings. */
export function checkPatchedObject(obj: KubeObject, patchText: string, store: REST, validation: FieldValidation): string[] {
  const unknown = pruneUnknownFields(obj, store.schemaForPruning());
  const problems = unknown.map((p) => `unknown field ${goQuote(p)}`);
  if (problems.length && validation === 'Strict') {
    throw invalid('', '', '', [invalidField('patch', patchText, `strict decoding error: ${problems.join(', ')}`)]);
  }
  return validation === 'Warn' ? problems : [];
}

/** Missing apiVersion/kind are defaulted from the endpoint; a different one is a 400 as the codec reports it. */
export function checkTypeMeta(obj: KubeObject, store: REST): void {
  const { kind, version, group } = store.def;
  const gv = store.apiVersion;
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== kind) {
    throw badRequest(`${obj.kind} in version "${version}" cannot be handled as a ${kind}: no kind "${obj.kind}" is registered for version "${gv}" in scheme "${group}"`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== gv) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
  }
  obj.apiVersion = gv;
  obj.kind = kind;
}

function describeJSONType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}
