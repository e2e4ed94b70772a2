// Request options from the query string with kube's conventions: the runtime string conversions
// (k8s.io/apimachinery pkg/runtime/conversion.go), ListOptions decoding, WatchList defaulting and
// validation (pkg/apis/meta/internalversion), and the storage's continue/resourceVersion checks.
import { decodeContinue, type DecodedContinue } from './continue.js';
import { parseGoDuration } from './duration.js';
import { badRequest, invalidOptions } from './errors.js';
import { forbidden, notSupported, type ErrorList } from './field.js';
import {
  checkFieldSelectorFields,
  goQuote,
  parseFieldSelector,
  parseLabelSelector,
  type FieldSelector,
  type FieldSelectorPolicy,
  type LabelSelector,
} from './selectors.js';

/** A parsed query string: URLSearchParams, or the object Fastify/querystring produce. */
export type QueryValues = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Every value of a repeated parameter, in order (`dryRun=All&dryRun=All`). */
export function allValues(q: QueryValues, name: string): string[] {
  if (q instanceof URLSearchParams) return q.getAll(name);
  const v = Object.hasOwn(q, name) ? q[name] : undefined;
  if (v === undefined) return [];
  return typeof v === 'string' ? [v] : [...v];
}

/** The value kube uses for a repeated parameter: the first one. */
export function firstValue(q: QueryValues, name: string): string | undefined {
  return allValues(q, name)[0];
}

/** Convert_Slice_string_To_bool: absent → undefined; `0` and `false` (any case) → false; else true, even ``. */
export function queryBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

// strconv.ParseInt / ParseUint (base 10, 64 bits) with Go's NumError texts, which kube returns verbatim.

const MAX_UINT64 = (1n << 64n) - 1n;
const numError = (fn: string, num: string, reason: 'invalid syntax' | 'value out of range') =>
  new Error(`strconv.${fn}: parsing ${goQuote(num)}: ${reason}`);

function parseUnsigned(s: string, fn: string, original: string): { value: bigint; overflow: boolean } {
  if (s === '') throw numError(fn, original, 'invalid syntax');
  const cutoff = MAX_UINT64 / 10n + 1n;
  let n = 0n;
  for (const c of s) {
    if (c < '0' || c > '9') throw numError(fn, original, 'invalid syntax');
    // Go stops at the first overflowing digit, before looking at later characters.
    if (n >= cutoff) return { value: MAX_UINT64, overflow: true };
    n = n * 10n + BigInt(c.charCodeAt(0) - 48);
    if (n > MAX_UINT64) return { value: MAX_UINT64, overflow: true };
  }
  return { value: n, overflow: false };
}

/** strconv.ParseUint(s, 10, 64); throws `strconv.ParseUint: parsing "x": invalid syntax`. */
export function parseGoUint64(s: string): bigint {
  const { value, overflow } = parseUnsigned(s, 'ParseUint', s);
  if (overflow) throw numError('ParseUint', s, 'value out of range');
  return value;
}

/** strconv.ParseInt(s, 10, 64); throws `strconv.ParseInt: parsing "x": invalid syntax`. */
export function parseGoInt64(s: string): bigint {
  if (s === '') throw numError('ParseInt', s, 'invalid syntax');
  const neg = s[0] === '-';
  const digits = s[0] === '+' || s[0] === '-' ? s.slice(1) : s;
  const { value } = parseUnsigned(digits, 'ParseInt', s);
  const cutoff = 1n << 63n;
  if ((!neg && value >= cutoff) || (neg && value > cutoff)) throw numError('ParseInt', s, 'value out of range');
  return neg ? -value : value;
}

/**
 * An int64 parameter (`limit`, `timeoutSeconds`, `gracePeriodSeconds`): absent → undefined, bad →
 * 400 BadRequest with the bare strconv text (kube names no parameter in it, so `name` only documents
 * the call site). Values beyond 2^53 lose precision.
 */
export function queryInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  try {
    return Number(parseGoInt64(v));
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}

/**
 * The deadline of a non-long-running request (WithRequestDeadline): `timeout` can only shorten
 * `maxMs`; `0s`, negative or absent values keep it. Unparsable → 400.
 */
export function requestTimeoutMs(timeout: string | undefined, maxMs: number): number {
  if (!timeout) return maxMs;
  let ms: number;
  try {
    ms = parseGoDuration(timeout);
  } catch (e) {
    throw badRequest(`invalid timeout specified in the request URL - ${(e as Error).message}`);
  }
  return ms > 0 && ms < maxMs ? ms : maxMs;
}

// ---------------------------------------------------------------------------------------------
// ListOptions for list, watch and deletecollection.

export interface ListOptions {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  /** 0 (or negative) = no limit. */
  limit: number;
  continue: string;
  /** The decoded `continue` token (lists only, when a keyPrefix was given). */
  continueToken?: DecodedContinue;
  resourceVersion: string;
  /** '' | 'Exact' | 'NotOlderThan' after validation; watches may get 'NotOlderThan' by defaulting. */
  resourceVersionMatch: string;
  watch: boolean;
  allowWatchBookmarks: boolean;
  /** Absent unless given, or defaulted to true for watches from "now" (WatchList). */
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export interface ListRequestContext {
  /**
   * The request came in on the legacy `/watch/` path, so it is a watch whatever `watch=` says.
   * As in kube's handler, defaulting and validation still look at the `watch` parameter only.
   */
  watch: boolean;
  /** The list's storage key prefix; with it, a `continue` token is decoded (400 when bad). */
  keyPrefix?: string;
  /** When given, fieldSelector terms are checked against these fields (see checkFieldSelectorFields). */
  fieldSelectors?: { allowed: readonly string[] } & FieldSelectorPolicy;
}

/** ValidateListOptions for a list (WatchList feature on). */
function listErrors(o: { rv: string; match: string; cont: string; sendInitialEvents?: boolean }): ErrorList {
  const errs: ErrorList = [];
  if (o.match) {
    if (o.rv === '') {
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    }
    if (o.cont) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (o.match !== 'Exact' && o.match !== 'NotOlderThan') {
      errs.push(notSupported('resourceVersionMatch', o.match, ['Exact', 'NotOlderThan', '']));
    }
    if (o.match === 'Exact' && o.rv === '0') {
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (o.sendInitialEvents !== undefined) {
    errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  return errs;
}

/** validateWatchOptions (WatchList feature on, so no feature-gate error). */
function watchErrors(o: { match: string; cont: string; sendInitialEvents?: boolean }): ErrorList {
  const errs: ErrorList = [];
  if (o.sendInitialEvents !== undefined && o.match !== 'NotOlderThan') {
    errs.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (o.match) {
    if (o.sendInitialEvents === undefined) {
      errs.push(
        forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'),
      );
    }
    if (o.match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', o.match, ['NotOlderThan']));
    if (o.cont) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return errs;
}

/**
 * Decodes, defaults and validates list/watch options in kube-apiserver's order, so the first
 * error a request hits is the one kube would report:
 *  1. int parameters (400 strconv text), then labelSelector and fieldSelector syntax (400);
 *  2. WatchList defaulting: a watch from "now" (resourceVersion unset or "0") without
 *     sendInitialEvents/resourceVersionMatch gets sendInitialEvents=true, match NotOlderThan;
 *  3. validation → 422 `ListOptions.meta.k8s.io "" is invalid: ...`;
 *  4. field selector fields (400), when `ctx.fieldSelectors` is given;
 *  5. for lists with `continue`: the token (400, with `ctx.keyPrefix`), then a resourceVersion
 *     other than ""/"0" → 400; otherwise a non-numeric resourceVersion → 400.
 */
export function parseListOptions(query: QueryValues, ctx: ListRequestContext): ListOptions {
  const text = (name: string) => firstValue(query, name) ?? '';
  // url.Values → metav1.ListOptions, in the generated conversion's field order.
  const watchParam = queryBool(firstValue(query, 'watch')) ?? false;
  const allowWatchBookmarks = queryBool(firstValue(query, 'allowWatchBookmarks')) ?? false;
  const resourceVersion = text('resourceVersion');
  let resourceVersionMatch = text('resourceVersionMatch');
  const timeoutSeconds = queryInt('timeoutSeconds', firstValue(query, 'timeoutSeconds'));
  const limit = queryInt('limit', firstValue(query, 'limit')) ?? 0;
  const cont = text('continue');
  let sendInitialEvents = queryBool(firstValue(query, 'sendInitialEvents'));
  // metav1 → internal ListOptions parses the selectors.
  const labelSelector = parseLabelSelector(text('labelSelector'));
  const fieldSelector = parseFieldSelector(text('fieldSelector'));

  const fromNow = resourceVersion === '' || resourceVersion === '0';
  if (watchParam && sendInitialEvents === undefined && resourceVersionMatch === '' && fromNow) {
    sendInitialEvents = true;
    resourceVersionMatch = 'NotOlderThan';
  }

  const facts = { rv: resourceVersion, match: resourceVersionMatch, cont, sendInitialEvents };
  const errs = watchParam ? watchErrors(facts) : listErrors(facts);
  if (errs.length) throw invalidOptions('ListOptions', errs);

  if (ctx.fieldSelectors) checkFieldSelectorFields(fieldSelector, ctx.fieldSelectors.allowed, ctx.fieldSelectors);

  const watch = watchParam || ctx.watch;
  let continueToken: DecodedContinue | undefined;
  if (!watch && cont) {
    if (ctx.keyPrefix !== undefined) continueToken = decodeContinue(cont, ctx.keyPrefix);
    if (!fromNow) throw badRequest('specifying resource version is not allowed when using continue');
  } else if (!fromNow) {
    try {
      parseGoUint64(resourceVersion);
    } catch (e) {
      // APIObjectVersioner wraps the strconv error in a field error; the storage prefixes it.
      const detail = `resourceVersion: Invalid value: ${goQuote(resourceVersion)}: ${(e as Error).message}`;
      throw badRequest(`invalid resource version: ${detail}`);
    }
  }

  return {
    labelSelector,
    fieldSelector,
    limit,
    continue: cont,
    ...(continueToken ? { continueToken } : {}),
    resourceVersion,
    resourceVersionMatch,
    watch,
    allowWatchBookmarks,
    ...(sendInitialEvents !== undefined ? { sendInitialEvents } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}
