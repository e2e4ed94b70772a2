// CREATE, UPDATE (PUT) and PATCH, on the main resource and on /status.
import { badRequest, invalidOptions, notFound, unsupportedMediaType } from '../../machinery/errors.js';
import { forbidden as forbiddenField } from '../../machinery/field.js';
import type { KubeObject } from '../../machinery/object.js';
import { applyJSONPatch, jsonPatchUnknownFields } from '../../machinery/patch/json-patch.js';
import { applyMergePatch } from '../../machinery/patch/merge-patch.js';
import { decodeJSON } from '../../machinery/decode.js';
import { firstValue } from '../../machinery/query.js';
import { checkPatchedObject, decodeObjectBody } from '../body.js';
import { mediaTypeOf } from '../negotiation.js';
import { addWarnings, sendObject } from '../responses.js';
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

/** Patch types this server applies, in the order kube lists them in 415 messages. */
export function supportedPatchTypes(): string[] {
  return [JSON_PATCH, MERGE_PATCH];
}

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const target = outputTarget(ctx);
  const media = mediaTypeOf(ctx.req.headers['content-type']);
  if (!supportedPatchTypes().includes(media)) throw unsupportedMediaType(supportedPatchTypes());
  const q = parseWriteQuery(ctx.query, 'PatchOptions', ctx.req.headers['user-agent']);
  if (firstValue(ctx.query, 'force') !== undefined) {
    throw invalidOptions('PatchOptions', [forbiddenField('force', 'may not be specified for non-apply patch')]);
  }
  const text = ((ctx.req.body as Buffer | undefined) ?? Buffer.alloc(0)).toString('utf8');
  let patch: unknown;
  try {
    patch = decodeJSON(text).value;
  } catch (err) {
    throw badRequest(q.fieldValidation === 'Ignore' ? 'Invalid JSON Patch' : `error decoding patch: ${(err as Error).message}`);
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

  let patchWarnings: string[] = [];
  const result = await ctx.rest.update!(
    ctx.info.namespace,
    ctx.info.name!,
    (current: KubeObject | undefined) => {
      if (!current) throw notFound(ctx.rest.gr, ctx.info.name!);
      const patched = (media === JSON_PATCH ? applyJSONPatch(current, patch) : applyMergePatch(current, patch)) as KubeObject;
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

export { STRATEGIC_MERGE_PATCH, APPLY_PATCH };
