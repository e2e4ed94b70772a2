// DELETE of one object and DELETE of a collection, with DeleteOptions from the body or the query.
import { decodeJSON } from '../../machinery/decode.js';
import { badRequest, invalidOptions, StatusError } from '../../machinery/errors.js';
import { invalid as invalidField, notSupported, type ErrorList } from '../../machinery/field.js';
import { validateDryRun } from '../../machinery/meta.js';
import { allValues, firstValue, queryBool, queryInt } from '../../machinery/query.js';
import type { DeleteOptions } from '../../registry/rest.js';
import { sendObject } from '../responses.js';
import type { HandlerContext } from './context.js';
import { listOptions, outputTarget } from './read.js';

interface ParsedDelete {
  options: DeleteOptions;
  dryRun: boolean;
}

const POLICIES = ['Foreground', 'Background', 'Orphan'];

/** DeleteOptions come from a non-empty body, otherwise from the query (k8s.io/apiserver handlers/delete.go). */
export function parseDeleteOptions(ctx: HandlerContext): ParsedDelete {
  const raw = ctx.req.body as Buffer | undefined;
  let source: Record<string, unknown>;
  let dryRunValues: string[];
  if (raw && raw.length > 0) {
    let body: unknown;
    try {
      body = decodeJSON(raw.toString('utf8')).value;
    } catch (err) {
      throw badRequest(`error decoding DeleteOptions: ${(err as Error).message}`);
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('error decoding DeleteOptions: expected an object');
    source = body as Record<string, unknown>;
    if (source.kind !== undefined && source.kind !== 'DeleteOptions') {
      throw new StatusError(500, 'InternalError', 'Internal error occurred: decoded object cannot be converted to DeleteOptions', {
        causes: [{ message: 'decoded object cannot be converted to DeleteOptions' }],
      });
    }
    dryRunValues = Array.isArray(source.dryRun) ? source.dryRun.map(String) : [];
  } else {
    source = {};
    const grace = firstValue(ctx.query, 'gracePeriodSeconds');
    if (grace !== undefined) source.gracePeriodSeconds = queryInt('gracePeriodSeconds', grace);
    const policy = firstValue(ctx.query, 'propagationPolicy');
    if (policy !== undefined) source.propagationPolicy = policy;
    const orphan = firstValue(ctx.query, 'orphanDependents');
    if (orphan !== undefined) source.orphanDependents = queryBool(orphan);
    dryRunValues = allValues(ctx.query, 'dryRun');
  }
  const errs: ErrorList = [...validateDryRun(dryRunValues)];
  if (source.orphanDependents !== undefined && source.propagationPolicy !== undefined) {
    errs.push(invalidField('propagationPolicy', source.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  } else if (source.propagationPolicy !== undefined && !POLICIES.includes(String(source.propagationPolicy))) {
    errs.push(notSupported('propagationPolicy', source.propagationPolicy, [...POLICIES, 'nil']));
  }
  if (typeof source.gracePeriodSeconds === 'number' && source.gracePeriodSeconds < 0) {
    errs.push(invalidField('gracePeriodSeconds', source.gracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  if (errs.length) throw invalidOptions('DeleteOptions', errs);
  return {
    dryRun: dryRunValues.length > 0,
    options: {
      gracePeriodSeconds: source.gracePeriodSeconds as number | undefined,
      propagationPolicy: source.propagationPolicy as DeleteOptions['propagationPolicy'],
      orphanDependents: source.orphanDependents as boolean | undefined,
      preconditions: source.preconditions as DeleteOptions['preconditions'],
    },
  };
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const target = outputTarget(ctx);
  const { options, dryRun } = parseDeleteOptions(ctx);
  const result = await ctx.rest.delete!(ctx.info.namespace, ctx.info.name!, options, dryRun, ctx.requestContext(dryRun));
  if (result.kind === 'status') sendObject(ctx.reply, 200, result.status, target);
  else sendObject(ctx.reply, options.orphanDependents === false ? 202 : 200, result.object, target);
}

/** Deletes what the list options select (one page when `limit` is set) and returns the list as it was. */
export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const target = outputTarget(ctx);
  const listOpts = listOptions(ctx);
  const { options, dryRun } = parseDeleteOptions(ctx);
  const list = await ctx.rest.list!(ctx.info.namespace, listOpts, ctx.requestContext(dryRun));
  for (const item of list.items) {
    try {
      await ctx.rest.delete!(item.metadata.namespace, item.metadata.name!, options, dryRun, ctx.requestContext(dryRun));
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) continue;
      throw err;
    }
  }
  sendObject(ctx.reply, 200, list, target);
}
