// Content negotiation as k8s.io/apiserver pkg/endpoints/handlers/negotiation does it, for the media types served
// here, including the `as=Table` / `as=PartialObjectMetadata[List]` conversions of resource endpoints.
import type { Conversion } from '../machinery/table.js';

export type OutputFormat = 'json' | 'yaml';

export interface OutputTarget {
  format: OutputFormat;
  pretty: boolean;
  /** Absent: the object as it is. The response Content-Type stays the bare serializer type either way. */
  convert?: Conversion;
}

export const SERVED_OUTPUT_TYPES = ['application/json', 'application/yaml'];
export const STREAM_OUTPUT_TYPES = ['application/json;stream=watch'];

/** Serializers in the order the server offers them; only JSON has a stream (watch) form. */
const SERIALIZERS: { format: OutputFormat; type: string; subtype: string; streams: boolean }[] = [
  { format: 'json', type: 'application', subtype: 'json', streams: true },
  { format: 'yaml', type: 'application', subtype: 'yaml', streams: false },
];

interface AcceptClause {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

/** munnerz/goautoneg ParseAccept: clauses sorted by q, then by specificity; parameters (other than q) don't count. */
export function parseAccept(header: string | undefined): AcceptClause[] {
  if (!header) return [];
  const clauses: AcceptClause[] = [];
  for (const part of header.split(',')) {
    const [range, ...rawParams] = part.split(';');
    const slash = range.split('/');
    const type = slash[0].trim();
    let subtype: string;
    if (slash.length === 1 && type === '*') subtype = '*';
    else if (slash.length === 2) subtype = slash[1].trim();
    else continue;
    const clause: AcceptClause = { type, subtype, params: {}, q: 1 };
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const token = p.slice(0, eq).trim();
      const value = p.slice(eq + 1);
      // strconv.ParseFloat: anything but a plain number is an error, read as 0 (the clause is kept, sorted last).
      if (token === 'q') clause.q = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : 0;
      else clause.params[token] = value.trim();
    }
    clauses.push(clause);
  }
  // Go's sort.Sort on short slices is an insertion sort and goautoneg's Less is not a strict order,
  // so only the same algorithm gives the same order.
  const less = (a: AcceptClause, b: AcceptClause) =>
    a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subtype !== '*' && b.subtype === '*');
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0 && less(clauses[j], clauses[j - 1]); j--) [clauses[j], clauses[j - 1]] = [clauses[j - 1], clauses[j]];
  }
  return clauses;
}

/** What the endpoint can convert to. Without it, any clause asking for a conversion is skipped. */
export interface ConversionSupport {
  /** The resource has a table convertor (every stored kind does; own-handler subresources do not). */
  table: boolean;
}

/**
 * RequestScope.AllowsMediaTypeTransform: a target must be meta.k8s.io v1/v1beta1; Table only as JSON or YAML and
 * only with a table convertor; PartialObjectMetadata[List] in any serialization. Lists vs objects are checked later.
 */
function allowedConversion(params: Record<string, string>, format: OutputFormat, support: ConversionSupport | undefined): Conversion | null | undefined {
  if (params.as === undefined && params.g === undefined && params.v === undefined) return null;
  if (!support) return undefined;
  if (params.g !== 'meta.k8s.io' || (params.v !== 'v1' && params.v !== 'v1beta1')) return undefined;
  const version = params.v;
  switch (params.as) {
    case 'Table':
      return support.table && (format === 'json' || format === 'yaml') ? { kind: 'Table', version } : undefined;
    case 'PartialObjectMetadata':
    case 'PartialObjectMetadataList':
      return { kind: params.as, version };
    default:
      return undefined;
  }
}

/** acceptMediaTypeOptions: the clause's parameters against one serializer; undefined = the clause does not fit. */
function acceptClause(
  params: Record<string, string>,
  serializer: (typeof SERIALIZERS)[number],
  support: ConversionSupport | undefined,
): { convert?: Conversion; pretty: boolean } | undefined {
  // Only `stream=watch`, and only for a serializer with a stream form; `sv` only names meta's own version.
  if (params.stream && (!serializer.streams || params.stream !== 'watch')) return undefined;
  if (params.sv && params.sv !== 'v1') return undefined;
  const convert = allowedConversion(params, serializer.format, support);
  if (convert === undefined) return undefined;
  return { ...(convert ? { convert } : {}), pretty: params.pretty === '1' };
}

/**
 * Picks the output for a response: the first clause (in goautoneg order) that fits a served serializer.
 * Returns undefined when nothing acceptable exists (406). An empty Accept means JSON.
 */
export function negotiateOutput(
  accept: string | undefined,
  opts: { prettyQuery: boolean; userAgent?: string; conversions?: ConversionSupport },
): OutputTarget | undefined {
  const prettyRequest = opts.prettyQuery || /^(curl|Wget|Mozilla\/5\.0)/.test(opts.userAgent ?? '');
  if (!accept) return { format: 'json', pretty: prettyRequest };
  for (const c of parseAccept(accept)) {
    for (const s of SERIALIZERS) {
      const matches = (c.type === s.type && (c.subtype === s.subtype || c.subtype === '*')) || (c.type === '*' && c.subtype === '*');
      if (!matches) continue;
      const fit = acceptClause(c.params, s, opts.conversions);
      if (fit) return { format: s.format, pretty: prettyRequest || fit.pretty, ...(fit.convert ? { convert: fit.convert } : {}) };
    }
  }
  return undefined;
}

/** NegotiateOutputMediaTypeStream: the negotiated serializer must have a stream form (JSON does, YAML does not). */
export function isStreamable(target: OutputTarget): boolean {
  return SERIALIZERS.some((s) => s.format === target.format && s.streams);
}

export type InputFormat = 'json' | 'yaml';

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
