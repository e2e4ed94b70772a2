// GET of one object, LIST and WATCH.
import { badRequest, notAcceptable } from '../../machinery/errors.js';
import { checkFieldSelectorFields, parseFieldSelector } from '../../machinery/selectors.js';
import { firstValue, parseListOptions, queryBool } from '../../machinery/query.js';
import { waitForRevision } from '../../registry/list.js';
import type { RegistryListOptions } from '../../registry/list-options.js';
import { negotiateOutput, SERVED_OUTPUT_TYPES, STREAM_OUTPUT_TYPES, type OutputTarget } from '../negotiation.js';
import { sendObject, serialize, toStatusError } from '../responses.js';
import type { HandlerContext } from './context.js';
import { logRequest } from '../request-log.js';

export function outputTarget(ctx: Pick<HandlerContext, 'req' | 'query'>, stream = false): OutputTarget {
  const target = negotiateOutput(ctx.req.headers.accept, {
    stream,
    prettyQuery: queryBool(firstValue(ctx.query, 'pretty')) ?? false,
    userAgent: ctx.req.headers['user-agent'],
  });
  if (!target) throw notAcceptable(stream ? STREAM_OUTPUT_TYPES : SERVED_OUTPUT_TYPES);
  return target;
}

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const target = outputTarget(ctx);
  const rv = firstValue(ctx.query, 'resourceVersion');
  if (rv && rv !== '0') await waitForRevision(ctx.storage, parseResourceVersion(rv));
  const obj = await ctx.rest.get!(ctx.info.namespace, ctx.info.name!, ctx.requestContext(false));
  sendObject(ctx.reply, 200, obj, target);
}

export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`);
  return Number(rv);
}

/** List options of the query plus the resource's allowed field selectors. */
export function listOptions(ctx: HandlerContext): RegistryListOptions {
  const parsed = parseListOptions(ctx.query, { watch: ctx.info.legacyWatch });
  if (parsed.fieldSelector) checkFieldSelectorFields(parsed.fieldSelector, ctx.rest.selectableFieldNames());
  if (parsed.resourceVersion && parsed.resourceVersion !== '0') parseResourceVersion(parsed.resourceVersion);
  return parsed;
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const target = outputTarget(ctx);
  const opts = listOptions(ctx);
  const list = await ctx.rest.list!(ctx.info.namespace, opts, ctx.requestContext(false));
  sendObject(ctx.reply, 200, list, target);
}

/** Default server-side watch lifetime: a random 30–60 minutes (min-request-timeout 1800 s × [1,2)). */
function defaultWatchTimeoutSeconds(): number {
  return Math.floor(1800 * (1 + Math.random()));
}

export async function handleWatch(ctx: HandlerContext): Promise<void> {
  outputTarget(ctx, true);
  const opts = listOptions(ctx);
  if (ctx.info.name) {
    // Legacy /watch/.../NAME: the name is a field selector on metadata.name.
    const pinned = opts.fieldSelector?.exactMatch('metadata.name');
    if (opts.fieldSelector && !opts.fieldSelector.empty && pinned !== undefined && pinned !== ctx.info.name) {
      throw badRequest("fieldSelector metadata.name doesn't match requested name");
    }
    opts.fieldSelector = parseFieldSelector(`metadata.name=${ctx.info.name.replace(/[\\,=]/g, (c) => `\\${c}`)}`);
  }
  const raw = ctx.reply.raw;
  let ended = false;
  const started = performance.now();
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    handle?.stop();
    raw.end();
    // Hijacked replies skip Fastify's onResponse hook.
    logRequest(ctx.req.log, ctx.req, 200, performance.now() - started);
  };
  const timeoutSeconds = opts.timeoutSeconds ?? defaultWatchTimeoutSeconds();
  const timer = setTimeout(end, timeoutSeconds * 1000);
  let handle: { stop(): void } | undefined;

  ctx.reply.hijack();
  raw.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'no-cache, private',
    'audit-id': String(ctx.reply.getHeader('audit-id') ?? ''),
  });
  raw.flushHeaders();
  ctx.req.raw.on('close', end);
  raw.on('close', end);

  try {
    handle = await ctx.rest.watch!(ctx.info.namespace, opts, {
      send: (type, object) => {
        if (!ended) raw.write(serialize({ type, object }, { format: 'json', pretty: false }).payload);
      },
      end,
    }, ctx.requestContext(false));
    if (ended) handle.stop();
  } catch (err) {
    // Headers are out: report as an ERROR event and close, as kube does once streaming began.
    if (!ended) raw.write(JSON.stringify({ type: 'ERROR', object: toStatusError(err).status }) + '\n');
    end();
  }
}
