// Content negotiation as k8s.io/apiserver pkg/endpoints/handlers/negotiation does it, for the media types served here.

export type OutputFormat = 'json' | 'yaml';

export interface OutputTarget {
  format: OutputFormat;
  pretty: boolean;
}

export const SERVED_OUTPUT_TYPES = ['application/json', 'application/yaml'];
export const STREAM_OUTPUT_TYPES = ['application/json;stream=watch'];

interface AcceptClause {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
  order: number;
}

export function parseAccept(header: string | undefined): AcceptClause[] {
  if (!header || !header.trim()) return [];
  const clauses: AcceptClause[] = [];
  header.split(',').forEach((raw, order) => {
    const [media, ...paramParts] = raw.trim().split(';');
    if (!media) return;
    const [type = '', subtype = ''] = media.trim().toLowerCase().split('/');
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      if (k === 'q') q = Number(v);
      else params[k] = v;
    }
    if (!Number.isNaN(q) && q > 0) clauses.push({ type, subtype, params, q, order });
  });
  // Higher q first, then more specific, then header order.
  const specificity = (c: AcceptClause) => (c.type === '*' ? 0 : c.subtype === '*' ? 1 : 2) + Object.keys(c.params).length / 100;
  return clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.order - b.order);
}

/** Parameters a clause may carry and still be served as a plain object (no conversion). */
function plainParamsOK(params: Record<string, string>, stream: boolean): boolean {
  for (const [k, v] of Object.entries(params)) {
    if (k === 'pretty' || k === 'charset') continue;
    if (k === 'stream') {
      if (!stream || v !== 'watch') return false;
      continue;
    }
    return false;
  }
  return true;
}

function matchType(c: AcceptClause, type: string, subtype: string): boolean {
  return (c.type === '*' || c.type === type) && (c.subtype === '*' || c.subtype === subtype);
}

/**
 * Picks the output for an object/list response. Returns undefined when nothing acceptable exists (406).
 * Conversions (Table, PartialObjectMetadata) are not served: such clauses are skipped so a later plain clause wins.
 */
export function negotiateOutput(accept: string | undefined, opts: { stream: boolean; prettyQuery: boolean; userAgent?: string }): OutputTarget | undefined {
  const clauses = parseAccept(accept);
  const prettyUA = /^(curl|Wget|Mozilla\/5\.0)/.test(opts.userAgent ?? '');
  if (clauses.length === 0) return { format: 'json', pretty: opts.prettyQuery || prettyUA };
  for (const c of clauses) {
    if (!plainParamsOK(c.params, opts.stream)) continue;
    const pretty = opts.prettyQuery || prettyUA || c.params.pretty === '1' || c.params.pretty === 'true';
    if (matchType(c, 'application', 'json')) return { format: 'json', pretty };
    if (!opts.stream && (matchType(c, 'application', 'yaml') && c.type !== '*' && c.subtype !== '*')) return { format: 'yaml', pretty };
  }
  return undefined;
}

export type InputFormat = 'json' | 'yaml';

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
