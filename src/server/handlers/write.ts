// CREATE, UPDATE (PUT) and PATCH, on the main resource and on /status.
import { badRequest, invalid, invalidOptions, notFound, unsupportedMediaType } from '../../machinery/errors.js';
import { forbidden as forbiddenField, invalid as invalidField } from '../../machinery/field.js';
import type { KubeObject } from '../../machinery/object.js';
import { applyJSONPatch, jsonPatchUnknownFields } from '../../machinery/patch/json-patch.js';
import { applyMergePatch } from '../../machinery/patch/merge-patch.js';
import { formatGoValue, strategicMergeWithRemainder } from '../../machinery/patch/strategic-merge-patch.js';
import { decodeJSON, goQuote } from '../../machinery/decode.js';
import { firstValue } from '../../machinery/query.js';
import type { ResourceDefinition } from '../../registry/resource.js';
import type { REST } from '../../registry/rest.js';
import { checkPatchedObject, decodeObjectBody, type FieldValidation } from '../body.js';
import { mediaTypeOf } from '../negotiation.js';
import { addWarnings, sendObject } from '../responses.js';
import { handleApply } from './apply.js';
import type { HandlerContext } from './context.js';
import { parseWriteQuery } from './options.js';
import { outputTarget } from './read.js';

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  const target = outputTarget(ctx);
  const q = parseWriteQuery(ctx.query, 'CreateOptions', ctx.req.headers['user-agent']);
  const { object, warnings } = decodeObjectBody(ctx.req.body as Buffer | undefined, ctx.req.headers['content-type'], ctx.rest, q.fieldValidation);
  if (ctx.rest.def.namespaced && object.metadata.namespace && object.metadata.namespace !== ctx.info.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const result = await ctx.rest.create!(ctx.info.namespace, object, {
    dryRun: q.dryRun,
    fieldManager: q.fieldManager,
    ctx: ctx.requestContext(q.dryRun),
  });
  addWarnings(ctx.reply, [...warnings, ...result.warnings]);
  sendObject(ctx.reply, 201, result.object, target);
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const target = outputTarget(ctx);
  const q = parseWriteQuery(ctx.query, 'UpdateOptions', ctx.req.headers['user-agent']);
  const { object, warnings } = decodeObjectBody(ctx.req.body as Buffer | undefined, ctx.req.headers['content-type'], ctx.rest, q.fieldValidation);
  const result = await ctx.rest.update!(
    ctx.info.namespace,
    ctx.info.name!,
    () => object,
    { dryRun: q.dryRun, fieldManager: q.fieldManager, ctx: ctx.requestContext(q.dryRun) },
    { subresource: ctx.info.subresource ?? '', isPatch: false },
  );
  addWarnings(ctx.reply, [...warnings, ...result.warnings]);
  sendObject(ctx.reply, result.created ? 201 : 200, result.object, target);
}

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

/**
 * Patch types a kind accepts, in the order kube lists them in 415 messages. Strategic merge patch needs
 * the patch metadata of a built-in type; kinds served like CRDs (config.openshift.io) do without it.
 */
export function supportedPatchTypes(def: Pick<ResourceDefinition, 'strategicMergePatch'>): string[] {
  return def.strategicMergePatch ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
}

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const target = outputTarget(ctx);
  const media = mediaTypeOf(ctx.req.headers['content-type']);
  const accepted = supportedPatchTypes(ctx.rest.def);
  if (!accepted.includes(media)) throw unsupportedMediaType(accepted);
  if (media === APPLY_PATCH) return handleApply(ctx, target);
  const q = parseWriteQuery(ctx.query, 'PatchOptions', ctx.req.headers['user-agent']);
  if (firstValue(ctx.query, 'force') !== undefined) {
    throw invalidOptions('PatchOptions', [forbiddenField('force', 'may not be specified for non-apply patch')]);
  }
  const text = ((ctx.req.body as Buffer | undefined) ?? Buffer.alloc(0)).toString('utf8');
  const strategic = media === STRATEGIC_MERGE_PATCH;
  let patch: unknown;
  let duplicates: string[];
  try {
    ({ value: patch, duplicates } = decodeJSON(text));
  } catch (err) {
    const message = (err as Error).message;
    // The strategic patcher decodes into a map itself and reports the decoder's text as it is.
    if (strategic) throw badRequest(message);
    throw badRequest(q.fieldValidation === 'Ignore' ? 'Invalid JSON Patch' : `error decoding patch: ${message}`);
  }
  const warnings: string[] = [];
  if (media === JSON_PATCH && Array.isArray(patch)) {
    const unknownOps = jsonPatchUnknownFields(patch).map((p) => `json patch unknown field "${p}"`);
    if (unknownOps.length && q.fieldValidation === 'Strict') {
      throw badRequest(`strict decoding error: ${unknownOps.join(', ')}`);
    }
    if (q.fieldValidation === 'Warn') warnings.push(...unknownOps);
  }
  if (media === MERGE_PATCH && (patch === null || typeof patch !== 'object' || Array.isArray(patch))) {
    throw badRequest(q.fieldValidation === 'Ignore' ? 'Invalid JSON Patch' : 'error decoding patch: json: cannot unmarshal ' + typeof patch + ' into Go value of type map[string]interface {}');
  }
  // A JSON null decodes into a nil map: an empty strategic patch.
  if (strategic && patch !== null && (typeof patch !== 'object' || Array.isArray(patch))) {
    throw badRequest(`json: cannot unmarshal ${goJSONKind(patch)} into Go value of type map[string]interface {}`);
  }

  let patchWarnings: string[] = [];
  const result = await ctx.rest.update!(
    ctx.info.namespace,
    ctx.info.name!,
    (current: KubeObject | undefined) => {
      if (!current) throw notFound(ctx.rest.gr, ctx.info.name!);
      let patched: KubeObject;
      if (strategic) {
        const merged = strategicMergeWithRemainder(current, patch, ctx.rest.schemaForPruning());
        patched = merged.object as KubeObject;
        patched.metadata ??= {};
        // Rendered before the unknown-field check prunes the result, which shares values with the patch.
        const shownPatch = formatGoValue(merged.remainder);
        patchWarnings = checkStrategicPatchedObject(patched, shownPatch, duplicates, ctx.rest, q.fieldValidation);
        return patched;
      }
      patched = (media === JSON_PATCH ? applyJSONPatch(current, patch) : applyMergePatch(current, patch)) as KubeObject;
      if (!patched || typeof patched !== 'object' || Array.isArray(patched)) throw badRequest('the patched object is not an object');
      patched.metadata ??= {};
      patchWarnings = checkPatchedObject(patched, text, ctx.rest, q.fieldValidation);
      return patched;
    },
    { dryRun: q.dryRun, fieldManager: q.fieldManager, ctx: ctx.requestContext(q.dryRun) },
    { subresource: ctx.info.subresource ?? '', isPatch: true },
  );
  addWarnings(ctx.reply, [...warnings, ...patchWarnings, ...result.warnings]);
  sendObject(ctx.reply, 200, result.object, target);
}

/**
 * Strict/Warn for a strategic patch (patch.go applyPatchToObject): the patch's duplicate keys come
 * first, then the merged object's unknown fields; Strict turns them into one 422 on field `patch`
 * whose value is the patch map as Go prints it (`map[spec:map[foo:1]]`).
 */
function checkStrategicPatchedObject(
  patched: KubeObject,
  shownPatch: string,
  duplicates: string[],
  store: REST,
  validation: FieldValidation,
): string[] {
  if (validation === 'Ignore') return checkPatchedObject(patched, shownPatch, store, 'Ignore');
  // Asked as Warn, the generic check prunes and lists the unknown fields without failing.
  const unknown = checkPatchedObject(patched, shownPatch, store, 'Warn');
  const problems = [...duplicates.map((d) => `duplicate field ${goQuote(d)}`), ...unknown];
  if (problems.length && validation === 'Strict') {
    throw invalid('', '', '', [invalidField('patch', shownPatch, `strict decoding error: ${problems.join(', ')}`)]);
  }
  return problems;
}

/** The JSON kind encoding/json names in "cannot unmarshal" errors. */
function goJSONKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

export { STRATEGIC_MERGE_PATCH, APPLY_PATCH };
