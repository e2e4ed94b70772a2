// Field errors as k8s.io/apimachinery/pkg/util/validation/field renders them.

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueForbidden'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueNotFound'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value, rendered by `renderValue` (omitted for Required/Forbidden/...). */
  value?: unknown;
  detail?: string;
  /** Internal: pre-rendered body overriding the generic rendering. */
  body?: string;
}

export type ErrorList = FieldError[];

/** A field path builder: `root('spec').child('tags').index(0).key('latest')`. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(name: string): FieldPath {
    return new FieldPath(name);
  }
  child(name: string, ...more: string[]): FieldPath {
    let t = this.text ? `${this.text}.${name}` : name;
    for (const m of more) t = `${t}.${m}`;
    return new FieldPath(t);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}

type P = FieldPath | string;
const s = (p: P) => String(p);

export const required = (p: P, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: s(p), detail });
export const forbidden = (p: P, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: s(p), detail });
export const invalid = (p: P, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field: s(p),
  value,
  detail,
});
export const notSupported = (p: P, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field: s(p),
  value,
  detail: supported.length ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : '',
});
export const duplicate = (p: P, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: s(p), value });
export const notFound = (p: P, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: s(p), value });
export const tooLong = (p: P, value: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field: s(p),
  value,
  detail: `may not be more than ${max} bytes`,
});
export const tooMany = (p: P, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field: s(p),
  value: actual,
  detail: `must have at most ${max} items`,
});
export const typeInvalid = (p: P, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueTypeInvalid',
  field: s(p),
  value,
  detail,
});
export const internalError = (p: P, detail: string): FieldError => ({ type: 'InternalError', field: s(p), detail });

/** Renders a value the way field.Error does: quoted strings, bare numbers/bools, `null`, JSON otherwise. */
export function renderValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** The message body of one error, without the field path (`Invalid value: "x": detail`). */
export function errorBody(e: FieldError): string {
  if (e.body !== undefined) return e.body;
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueInvalid':
      return `Invalid value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${renderValue(e.value)}`;
    case 'FieldValueNotFound':
      return `Not found: ${renderValue(e.value)}`;
    case 'FieldValueTooLong':
      return `Too long: ${e.detail}`;
    case 'FieldValueTooMany':
      return `Too many: ${renderValue(e.value)}: ${e.detail}`;
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${renderValue(e.value)}: ${e.detail}`;
    case 'InternalError':
      return `Internal error: ${e.detail}`;
  }
}

/** `<field>: <body>` as in the aggregate message. */
export function errorString(e: FieldError): string {
  return e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e);
}

/** Joins errors as utilerrors.NewAggregate does: one error bare, several in `[a, b]`, duplicates dropped. */
export function aggregateMessage(errs: ErrorList): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const e of errs) {
    const t = errorString(e);
    if (!seen.has(t)) {
      seen.add(t);
      parts.push(t);
    }
  }
  return parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
}

/** Prefixes every error's field path (for validating embedded objects). */
export function prefixErrors(prefix: string, errs: ErrorList): ErrorList {
  return errs.map((e) => ({ ...e, field: e.field ? `${prefix}.${e.field}` : prefix }));
}
