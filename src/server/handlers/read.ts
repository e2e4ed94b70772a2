// GET of one object, LIST and WATCH, with the Table / PartialObjectMetadata conversions of their output.
import { badRequest, notAcceptable } from '../../machinery/errors.js';
import { checkFieldSelectorFields, parseFieldSelector } from '../../machinery/selectors.js';
import { firstValue, parseListOptions, queryBool } from '../../machinery/query.js';
import { convertForOutput, parseIncludeObject, type ConversionContext, type IncludeObject } from '../../machinery/table.js';
import { waitForRevision } from '../../registry/list.js';
import type { RegistryListOptions } from '../../registry/list-options.js';
import type { ResourceDefinition } from '../../registry/resource.js';
import { isStreamable, negotiateOutput, SERVED_OUTPUT_TYPES, STREAM_OUTPUT_TYPES, type ConversionSupport, type OutputTarget } from '../negotiation.js';
import { sendObject, sendText, serialize, toStatusError } from '../responses.js';
import type { HandlerContext } from './context.js';
import type { Query } from './options.js';
import { logRequest } from '../request-log.js';

type Negotiable = Pick<HandlerContext, 'req' | 'query'>;

function negotiate(ctx: Negotiable, conversions: ConversionSupport | undefined): OutputTarget {
  const target = negotiateOutput(ctx.req.headers.accept, {
    prettyQuery: queryBool(firstValue(ctx.query, 'pretty')) ?? false,
    userAgent: ctx.req.headers['user-agent'],
    conversions,
  });
  if (!target) throw notAcceptable(SERVED_OUTPUT_TYPES);
  return target;
}

/** The output of a response that is never converted (writes, deletes): clauses asking for a conversion are skipped. */
export function outputTarget(ctx: Negotiable, stream = false): OutputTarget {
  const target = negotiate(ctx, undefined);
  if (stream && !isStreamable(target)) throw notAcceptable(STREAM_OUTPUT_TYPES);
  return target;
}

/** The output of a read, conversions included; `table` says whether the endpoint has a table convertor. */
export function readOutputTarget(ctx: Negotiable, conversions: ConversionSupport): OutputTarget {
  return negotiate(ctx, conversions);
}

/** What converting this resource's objects needs besides the request. */
export function conversionSource(def: Pick<ResourceDefinition, 'table' | 'validation'> | undefined): Pick<ConversionContext, 'convertor' | 'unstructured'> {
  return { convertor: def?.table, unstructured: def?.validation === 'crd' };
}

/** optionsForTransform: TableOptions come from the query string of the same request (400 when invalid). */
function includeObjectOf(query: Query, target: OutputTarget): IncludeObject {
  return target.convert?.kind === 'Table' ? parseIncludeObject(firstValue(query, 'includeObject')) : 'Metadata';
}

/** transformResponseObject: the body to send for a non-streaming read. */
export function transformResponse(query: Query, body: unknown, target: OutputTarget, source: Pick<ConversionContext, 'convertor' | 'unstructured'>): unknown {
  if (!target.convert) return body;
  const includeObject = includeObjectOf(query, target);
  return convertForOutput(body, target.convert, { ...source, includeObject, noHeaders: false, now: new Date() });
}

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const target = readOutputTarget(ctx, { table: true });
  const rv = firstValue(ctx.query, 'resourceVersion');
  if (rv && rv !== '0') await waitForRevision(ctx.storage, parseResourceVersion(rv));
  if (target.format === 'json' && !target.pretty && !target.convert && ctx.rest.getJSON && !ctx.info.subresource) {
    // The stored text is the answer: no parse and re-serialize on the hottest path.
    const json = await ctx.rest.getJSON(ctx.info.namespace, ctx.info.name!, ctx.requestContext(false));
    if (json !== undefined) {
      sendText(ctx.reply, 200, 'application/json', json + '\n');
      return;
    }
  }
  const obj = await ctx.rest.get!(ctx.info.namespace, ctx.info.name!, ctx.requestContext(false));
  sendObject(ctx.reply, 200, transformResponse(ctx.query, obj, target, conversionSource(ctx.rest.def)), target);
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
  const target = readOutputTarget(ctx, { table: true });
  const opts = listOptions(ctx);
  const list = await ctx.rest.list!(ctx.info.namespace, opts, ctx.requestContext(false));
  sendObject(ctx.reply, 200, transformResponse(ctx.query, list, target, conversionSource(ctx.rest.def)), target);
}

/** Default server-side watch lifetime: a random 30–60 minutes (min-request-timeout 1800 s × [1,2)). */
function defaultWatchTimeoutSeconds(): number {
  return Math.floor(1800 * (1 + Math.random()));
}

/**
 * watchEmbeddedEncoder: converts each event object as negotiated. Column definitions go out with the first
 * event only (NoHeaders afterwards); an object that cannot be converted is sent as it is, as kube does after
 * logging the failure.
 */
function eventEncoder(ctx: HandlerContext, target: OutputTarget, includeObject: IncludeObject): (object: unknown) => unknown {
  const conversion = target.convert;
  if (!conversion) return (object) => object;
  const source = conversionSource(ctx.rest.def);
  let noHeaders = false;
  return (object) => {
    let out: unknown;
    try {
      out = convertForOutput(object, conversion, { ...source, includeObject, noHeaders, now: new Date() });
    } catch (err) {
      ctx.req.log.warn({ err }, `failed to transform watch event object for ${conversion.kind}`);
      out = object;
    }
    if (conversion.kind === 'Table') noHeaders = true;
    return out;
  };
}

export async function handleWatch(ctx: HandlerContext): Promise<void> {
  // The order of the checks is kube's: media type, list options, table options, then the stream form.
  const target = readOutputTarget(ctx, { table: true });
  const opts = listOptions(ctx);
  if (ctx.info.name) {
    // Legacy /watch/.../NAME: the name is a field selector on metadata.name.
    const pinned = opts.fieldSelector?.exactMatch('metadata.name');
    if (opts.fieldSelector && !opts.fieldSelector.empty && pinned !== undefined && pinned !== ctx.info.name) {
      throw badRequest("fieldSelector metadata.name doesn't match requested name");
    }
    opts.fieldSelector = parseFieldSelector(`metadata.name=${ctx.info.name.replace(/[\\,=]/g, (c) => `\\${c}`)}`);
  }
  const encode = eventEncoder(ctx, target, includeObjectOf(ctx.query, target));
  if (!isStreamable(target)) throw notAcceptable(STREAM_OUTPUT_TYPES);

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
    logRequest(ctx.req.log, ctx.req, 200, performance.now() - started, ctx.requestContext(false).user);
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
        if (!ended) raw.write(serialize({ type, object: type === 'ERROR' ? object : encode(object) }, { format: 'json', pretty: false }).payload);
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
