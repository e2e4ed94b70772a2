// meta.k8s.io Table rendering (server-side printing for `kubectl get`): column definitions, rows with their
// embedded objects per includeObject, the default convertors of k8s.io/apiserver (pkg/registry/rest/table.go) and
// of CRDs (k8s.io/apiextensions-apiserver tableconvertor), and the two human duration formats cells use.
import { badRequest } from './errors.js';
import { errorString, invalid } from './field.js';
import type { KubeObject, ListMeta } from './object.js';
import {
  asPartialObjectMetadata,
  asPartialObjectMetadataList,
  carriedListMeta,
  isListLike,
  toPartialObjectMetadata,
  type MetaVersion,
} from './partial-object-metadata.js';

export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: string, integer, number, boolean, date. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** `name` marks the name column; otherwise an OpenAPI format or ''. */
  format: string;
  description: string;
  /** 0 = always shown; > 0 only with `-o wide`. */
  priority: number;
}

/**
 * What a kind contributes to Table output (`ResourceDefinition.table`): every column, the name column included,
 * and the cells of one object in column order. Cells are JSON values; null prints as `<none>`.
 */
export interface TableConvertor<T extends KubeObject = KubeObject> {
  columns: TableColumnDefinition[];
  cells: (obj: T, now: Date) => unknown[];
}

export interface TableRow {
  cells: unknown[];
  /** PartialObjectMetadata, the full object, or null, per includeObject. */
  object: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: ListMeta;
  /** null on every watch event after the first (TableOptions.NoHeaders), as Go marshals a nil slice. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  includeObject: IncludeObject;
  noHeaders: boolean;
}

/** metav1.ObjectMeta{}.SwaggerDoc() entries the standard columns use as their descriptions. */
export const OBJECT_META_DESCRIPTIONS = {
  name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  creationTimestamp:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
} as const;

/** The first column of every convertor: metadata.name, format `name`. */
export const NAME_COLUMN: TableColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: OBJECT_META_DESCRIPTIONS.name,
  priority: 0,
};

/** A column with kube's defaults for the fields most columns leave empty. */
export function column(name: string, description: string, opts: Partial<Pick<TableColumnDefinition, 'type' | 'format' | 'priority'>> = {}): TableColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

// ---- durations -------------------------------------------------------------------------------------

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Go's int(x) and integer division truncate toward zero. */
const int = (x: number) => Math.trunc(x);

/**
 * k8s.io/apimachinery pkg/util/duration HumanDuration (2–3 significant figures: `45s`, `5m12s`, `17m`, `3h5m`,
 * `2d4h`, `400d`, `2y10d`): the Age column of CRDs and kube's own printers.
 */
export function humanDuration(ms: number): string {
  const seconds = int(ms / SECOND);
  // Up to 2 s in the future is clock skew, not an error.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = int(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = int(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${int(hours / 24)}d` : `${int(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${int(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = int(hours / 24) % 365;
    return dy === 0 ? `${int(hours / 24 / 365)}y` : `${int(hours / 24 / 365)}y${dy}d`;
  }
  return `${int(hours / 24 / 365)}y`;
}

/**
 * github.com/docker/go-units HumanDuration (`Less than a second`, `About a minute`, `3 hours`, `2 weeks`), which
 * openshift-apiserver's image printers use for their "Updated" columns.
 */
export function dockerHumanDuration(ms: number): string {
  const seconds = int(ms / SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = int(ms / MINUTE);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = int(ms / HOUR + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${int(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${int(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${int(hours / 24 / 30)} months`;
  // Go uses the unrounded hours here.
  return `${int(int(ms / HOUR) / 24 / 365)} years`;
}

/** Milliseconds of an RFC 3339 timestamp; undefined when absent (Go's zero time) and NaN when unparsable. */
function parseTime(ts: string | null | undefined): number | undefined {
  if (ts === undefined || ts === null || ts === '' || ts === 'null') return undefined;
  return Date.parse(ts);
}

/** Go's zero time.Time, 0001-01-01T00:00:00Z. */
const GO_ZERO_TIME_MS = -62135596800000;
/** time.Duration is int64 nanoseconds: Time.Sub saturates at about ±292 years. */
const MAX_DURATION_MS = 9223372036854.775;

/** now.Sub(t) in milliseconds, saturating like Go. */
function since(t: number, now: Date): number {
  return Math.max(-MAX_DURATION_MS, Math.min(MAX_DURATION_MS, now.getTime() - t));
}

/** metatable.ConvertToHumanReadableDateType: the age of a timestamp, `<unknown>` for none. */
export function humanAge(ts: string | null | undefined, now: Date): string {
  const t = parseTime(ts);
  if (t === undefined || Number.isNaN(t)) return '<unknown>';
  return humanDuration(since(t, now));
}

/** openshift-apiserver's `fmt.Sprintf("%s ago", formatRelativeTime(t))`; a missing time is Go's zero time. */
export function timeAgo(ts: string | null | undefined, now: Date): string {
  const t = parseTime(ts);
  return `${dockerHumanDuration(since(t === undefined || Number.isNaN(t) ? GO_ZERO_TIME_MS : t, now))} ago`;
}

/** Go's time.Time.UTC().Format(time.RFC3339): the zero time for a missing timestamp. */
function rfc3339(ts: string | null | undefined): string {
  const t = parseTime(ts);
  if (t === undefined || Number.isNaN(t)) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- convertors ----------------------------------------------------------------------------------------

/** rest.NewDefaultTableConvertor: for kinds without their own columns. */
export const defaultTableConvertor: TableConvertor = {
  columns: [NAME_COLUMN, column('Created At', OBJECT_META_DESCRIPTIONS.creationTimestamp, { type: 'date' })],
  cells: (obj) => [obj.metadata?.name ?? '', rfc3339(obj.metadata?.creationTimestamp)],
};

/**
 * A CustomResourceDefinition version without additionalPrinterColumns: kube-apiserver serves the default `Age`
 * column (`.metadata.creationTimestamp`, type date) after `Name`, with the date rendered as a human age.
 */
export const crdDefaultTableConvertor: TableConvertor = {
  columns: [NAME_COLUMN, column('Age', OBJECT_META_DESCRIPTIONS.creationTimestamp, { type: 'date' })],
  cells: (obj, now) => [obj.metadata?.name ?? '', crdDateCell(obj.metadata?.creationTimestamp, now)],
};

/** tableconvertor.cellForJSONValue for a date column: null when missing, `<invalid>` when unparsable. */
function crdDateCell(ts: string | null | undefined, now: Date): string | null {
  if (typeof ts !== 'string') return null;
  const t = parseTime(ts);
  if (t !== undefined && Number.isNaN(t)) return '<invalid>';
  return humanAge(ts, now);
}

// ---- Table options and rendering -------------------------------------------------------------------------

/** TableOptions from the query string, validated as ValidateTableOptions does (400 otherwise). */
export function parseIncludeObject(value: string | undefined): IncludeObject {
  switch (value ?? '') {
    case '':
    case 'Metadata':
      return 'Metadata';
    case 'None':
      return 'None';
    case 'Object':
      return 'Object';
    default: {
      const err = invalid('includeObject', value, "must be 'Metadata', 'Object', 'None', or empty");
      throw badRequest(`Unable to convert to Table as requested: ${errorString(err)}`);
    }
  }
}

function rowObject(obj: KubeObject, include: IncludeObject, version: MetaVersion): unknown {
  switch (include) {
    case 'Object':
      return obj;
    case 'None':
      return null;
    case 'Metadata':
      return toPartialObjectMetadata(obj, version);
  }
}

/**
 * A Table of `objects` (one row each). `listMeta` is the list's metadata, or for a single object its
 * resourceVersion only, as the convertors fill it.
 */
export function buildTable(
  objects: KubeObject[],
  listMeta: ListMeta | undefined,
  convertor: TableConvertor,
  opts: TableOptions & { version: MetaVersion; now: Date },
): Table {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: carriedListMeta(listMeta),
    columnDefinitions: opts.noHeaders ? null : convertor.columns,
    rows: objects.map((obj) => ({ cells: convertor.cells(obj, opts.now), object: rowObject(obj, opts.includeObject, opts.version) })),
  };
}

// ---- conversions of response bodies ------------------------------------------------------------------------

export type ConversionKind = 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

/** An `as=<kind>;g=meta.k8s.io;v=<version>` conversion negotiated from the Accept header. */
export interface Conversion {
  kind: ConversionKind;
  version: MetaVersion;
}

export interface ConversionContext {
  /** The kind's columns; the default convertor when it has none of its own. */
  convertor?: TableConvertor;
  /** Kinds served as CRDs are unstructured objects in Go, which the 406 messages name. */
  unstructured: boolean;
  includeObject: IncludeObject;
  noHeaders: boolean;
  now: Date;
}

const isStatus = (body: unknown) => !!body && typeof body === 'object' && (body as { kind?: unknown }).kind === 'Status' && (body as { apiVersion?: unknown }).apiVersion === 'v1';

/**
 * doTransformObject: converts a response body (one object or a list) as negotiated. Status objects pass
 * unchanged; a single object becomes a one-row Table carrying its resourceVersion. Throws 406 when the body's
 * shape does not fit the PartialObjectMetadata[List] asked for.
 */
export function convertForOutput(body: unknown, conversion: Conversion, ctx: ConversionContext): unknown {
  if (isStatus(body)) return body;
  switch (conversion.kind) {
    case 'PartialObjectMetadata':
      return asPartialObjectMetadata(body, conversion.version, ctx.unstructured);
    case 'PartialObjectMetadataList':
      return asPartialObjectMetadataList(body, conversion.version, ctx.unstructured);
    case 'Table': {
      const convertor = ctx.convertor ?? defaultTableConvertor;
      const opts = { includeObject: ctx.includeObject, noHeaders: ctx.noHeaders, version: conversion.version, now: ctx.now };
      if (isListLike(body)) return buildTable(body.items as KubeObject[], body.metadata, convertor, opts);
      const obj = body as KubeObject;
      return buildTable([obj], { resourceVersion: obj.metadata?.resourceVersion }, convertor, opts);
    }
  }
}
