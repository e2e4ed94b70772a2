// ObjectMeta on create and update, and the request options that shape writes.
// Upstream: k8s.io/apimachinery pkg/api/validation/objectmeta.go, pkg/apis/meta/v1/validation/validation.go;
// k8s.io/apiserver pkg/registry/rest/{create,update,meta}.go, pkg/endpoints/handlers/create.go.
import * as field from './field.js';
import type { ErrorList, FieldError } from './field.js';
import { timestamp, type ObjectMeta, type OwnerReference, type ManagedFieldsEntry } from './object.js';
import { isQualifiedName, isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain, validatePathSegmentName } from './names.js';

export type NameRule = 'path-segment' | 'dns-subdomain';

export interface ObjectMetaRules {
  namespaced: boolean;
  nameRule: NameRule;
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const FIELD_MANAGER_MAX_LENGTH = 128;
const MAX_SUBRESOURCE_NAME_LENGTH = 256;
const FIELD_IMMUTABLE = 'field is immutable';
const FINALIZER_ORPHAN = 'orphan';
const FINALIZER_FOREGROUND = 'foregroundDeletion';

const nameValidator = (rule: NameRule) => (rule === 'dns-subdomain' ? nameIsDNSSubdomain : validatePathSegmentName);
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
const sortedKeys = (m: Record<string, string> | undefined) => Object.keys(m ?? {}).sort();

/** unicode.IsPrint: categories L, M, N, P, S plus the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const isPrintable = (ch: string) => PRINTABLE.test(ch);

/** Go's strconv.Quote, which is how field errors print string values (`%q`). */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (isPrintable(ch)) out += ch;
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 10) out += '\\n';
    else if (cp === 13) out += '\\r';
    else if (cp === 9) out += '\\t';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Go's `%#v` of a []string. */
const goStringSlice = (items: string[]) => `[]string{${items.map(goQuote).join(', ')}}`;

/** An Invalid error whose value is a string rendered exactly as Go's %q does. */
function invalidString(path: string, value: string, detail: string): FieldError {
  return { ...field.invalid(path, value, detail), body: `Invalid value: ${goQuote(value)}: ${detail}` };
}

/** metav1.Time prints through time.Time.String() (the server runs in UTC). */
function goTimeString(t: string | null | undefined): string {
  const ms = t ? Date.parse(t) : NaN;
  if (Number.isNaN(ms)) return '0001-01-01 00:00:00 +0000 UTC';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** metav1.Time semantic equality: same instant; null and absent are both the zero time. */
function sameTime(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const ma = Date.parse(a);
  const mb = Date.parse(b);
  return Number.isNaN(ma) || Number.isNaN(mb) ? a === b : ma === mb;
}

// ---------------------------------------------------------------------------------------------
// Field-level validators shared by create and update.

export function validateLabels(labels: Record<string, string> | undefined, path: string): ErrorList {
  const errs: ErrorList = [];
  for (const k of sortedKeys(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalidString(path, k, msg));
    for (const msg of isValidLabelValue(labels![k])) errs.push(invalidString(path, labels![k], msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): ErrorList {
  const errs: ErrorList = [];
  let total = 0;
  for (const k of sortedKeys(annotations)) {
    // Annotation keys are qualified names compared case-insensitively.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalidString(path, k, msg));
    total += byteLength(k) + byteLength(annotations![k]);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(field.tooLong(path, '', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** schema.ParseGroupVersion's version part ('' when the string is malformed). */
function versionOf(apiVersion: string): string {
  if (apiVersion === '' || apiVersion === '/') return '';
  const slashes = apiVersion.split('/').length - 1;
  if (slashes === 0) return apiVersion;
  if (slashes === 1) return apiVersion.slice(apiVersion.indexOf('/') + 1);
  return '';
}

function validateOwnerReference(ref: OwnerReference, path: string): ErrorList {
  const errs: ErrorList = [];
  const apiVersion = ref.apiVersion ?? '';
  if (versionOf(apiVersion) === '') errs.push(invalidString(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
  if (!ref.kind) errs.push(invalidString(`${path}.kind`, ref.kind ?? '', 'must not be empty'));
  if (!ref.name) errs.push(invalidString(`${path}.name`, ref.name ?? '', 'must not be empty'));
  if (!ref.uid) errs.push(invalidString(`${path}.uid`, ref.uid ?? '', 'must not be empty'));
  // BannedOwners: core/v1 Events would make garbage collection chase high-churn objects.
  if (apiVersion === 'v1' && ref.kind === 'Event') errs.push(field.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
  return errs;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): ErrorList {
  const errs: ErrorList = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController !== '') {
        errs.push(
          field.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, path: string): ErrorList {
  const errs: ErrorList = [];
  for (const f of finalizers ?? []) for (const msg of isQualifiedName(f)) errs.push(invalidString(path, f, msg));
  const list = finalizers ?? [];
  if (list.includes(FINALIZER_ORPHAN) && list.includes(FINALIZER_FOREGROUND)) {
    errs.push(field.invalid(path, list, `finalizer ${FINALIZER_ORPHAN} and ${FINALIZER_FOREGROUND} cannot be both set`));
  }
  return errs;
}

function fieldManagerErrors(manager: string, path: string): ErrorList {
  const errs: ErrorList = [];
  if (byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) errs.push(field.tooLong(path, manager, FIELD_MANAGER_MAX_LENGTH));
  let offset = 0; // Go ranges over bytes: positions are byte offsets
  for (const ch of manager) {
    if (!isPrintable(ch)) {
      const cp = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      errs.push(invalidString(path, manager, `invalid character U+${cp} (at position ${offset})`));
    }
    offset += byteLength(ch);
  }
  return errs;
}

export function validateManagedFields(entries: ManagedFieldsEntry[] | undefined, path: string): ErrorList {
  const errs: ErrorList = [];
  (entries ?? []).forEach((e, i) => {
    const p = `${path}[${i}]`;
    const operation = e.operation ?? '';
    if (operation !== 'Apply' && operation !== 'Update') errs.push(invalidString(`${p}.operation`, operation, 'must be `Apply` or `Update`'));
    const fieldsType = e.fieldsType ?? '';
    if (fieldsType !== '' && fieldsType !== 'FieldsV1') errs.push(invalidString(`${p}.fieldsType`, fieldsType, 'must be `FieldsV1`'));
    errs.push(...fieldManagerErrors(e.manager ?? '', `${p}.manager`));
    const subresource = e.subresource ?? '';
    if (byteLength(subresource) > MAX_SUBRESOURCE_NAME_LENGTH) {
      errs.push(field.tooLong(`${p}.subresource`, subresource, MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta validation (ValidateObjectMetaAccessor / ValidateObjectMetaAccessorUpdate).

/** ObjectMeta rules on create (and, as upstream does, again on every update). Name generation has already run. */
export function validateObjectMeta(meta: ObjectMeta, rules: ObjectMetaRules): ErrorList {
  const errs: ErrorList = [];
  const nameFn = nameValidator(rules.nameRule);
  if (meta.generateName) {
    for (const msg of nameFn(meta.generateName, true)) errs.push(invalidString('metadata.generateName', meta.generateName, msg));
  }
  if (!meta.name) {
    errs.push(field.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameFn(meta.name, false)) errs.push(invalidString('metadata.name', meta.name, msg));
  }
  if (rules.namespaced) {
    if (!meta.namespace) errs.push(field.required('metadata.namespace', ''));
    else for (const msg of nameIsDNSLabel(meta.namespace, false)) errs.push(invalidString('metadata.namespace', meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(field.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if ((meta.generation ?? 0) < 0) errs.push(field.invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  errs.push(...validateManagedFields(meta.managedFields, 'metadata.managedFields'));
  return errs;
}

/**
 * ObjectMeta rules for an update, checked against the stored object after prepareUpdateMeta. Like
 * upstream it also requires metadata.resourceVersion, so call it once the resourceVersion is known.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): ErrorList {
  const errs: ErrorList = [];
  if (old.deletionTimestamp) {
    const known = new Set(old.finalizers ?? []);
    const added = [...new Set(meta.finalizers ?? [])].filter((f) => !known.has(f)).sort();
    if (added.length > 0) {
      errs.push(
        field.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`),
      );
    }
  }
  if (!meta.resourceVersion) errs.push(invalidString('metadata.resourceVersion', '', 'must be specified for an update'));
  if ((meta.generation ?? 0) < (old.generation ?? 0)) errs.push(field.invalid('metadata.generation', meta.generation ?? 0, 'must not be decremented'));

  const immutableString = (path: string, now: string | undefined, before: string | undefined) => {
    if ((now ?? '') !== (before ?? '')) errs.push(invalidString(path, now ?? '', FIELD_IMMUTABLE));
  };
  immutableString('metadata.name', meta.name, old.name);
  immutableString('metadata.namespace', meta.namespace, old.namespace);
  immutableString('metadata.uid', meta.uid, old.uid);
  if (!sameTime(meta.creationTimestamp, old.creationTimestamp)) {
    errs.push({
      ...field.invalid('metadata.creationTimestamp', meta.creationTimestamp ?? null, FIELD_IMMUTABLE),
      body: `Invalid value: ${goTimeString(meta.creationTimestamp)}: ${FIELD_IMMUTABLE}`,
    });
  }
  if (!sameTime(meta.deletionTimestamp, old.deletionTimestamp)) {
    errs.push({
      ...field.invalid('metadata.deletionTimestamp', meta.deletionTimestamp ?? null, FIELD_IMMUTABLE),
      body: `Invalid value: ${meta.deletionTimestamp ? goTimeString(meta.deletionTimestamp) : 'null'}: ${FIELD_IMMUTABLE}`,
    });
  }
  if ((meta.deletionGracePeriodSeconds ?? null) !== (old.deletionGracePeriodSeconds ?? null)) {
    errs.push(field.invalid('metadata.deletionGracePeriodSeconds', meta.deletionGracePeriodSeconds ?? null, FIELD_IMMUTABLE));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateManagedFields(meta.managedFields, 'metadata.managedFields'));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// System fields on create and update.

/**
 * WipeObjectMetaSystemFields + FillObjectMetaSystemFields: clients cannot choose uid, timestamps or
 * selfLink. resourceVersion is left for the caller, who must reject a non-empty one. Mutates `meta`,
 * like the Strategy hooks it runs next to.
 */
export function prepareCreateMeta(meta: ObjectMeta, system: { now: Date; uid: string }): void {
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  meta.uid = system.uid;
  meta.creationTimestamp = timestamp(system.now);
}

/**
 * The metadata part of rest.BeforeUpdate: generation is the stored one (the strategy may bump it),
 * a missing uid comes from the stored object, and creation/deletion facts cannot be changed (a
 * deletionGracePeriodSeconds the request does carry is left for validateObjectMetaUpdate to reject).
 * Mutates `meta`.
 */
export function prepareUpdateMeta(meta: ObjectMeta, old: ObjectMeta): void {
  if (old.generation) meta.generation = old.generation;
  else delete meta.generation;
  if (!meta.uid && old.uid) meta.uid = old.uid;
  if (old.creationTimestamp) meta.creationTimestamp = old.creationTimestamp;
  if (old.deletionTimestamp) meta.deletionTimestamp = old.deletionTimestamp;
  const oldGrace = old.deletionGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace !== null && (meta.deletionGracePeriodSeconds === undefined || meta.deletionGracePeriodSeconds === null)) {
    meta.deletionGracePeriodSeconds = oldGrace;
  }
}

// ---------------------------------------------------------------------------------------------
// Request options (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions). Callers wrap the
// errors with invalidOptions('<Kind>Options', errs) from errors.ts.

/** The `fieldManager` query parameter: at most 128 bytes, printable characters only. */
export function validateFieldManager(name: string): ErrorList {
  return fieldManagerErrors(name, 'fieldManager');
}

/**
 * The manager recorded when the request names none: the User-Agent up to the first '/', without
 * non-printable characters, cut to 128 bytes. An empty result is recorded as "unknown", which is what
 * the field manager substitutes for an empty name upstream.
 */
export function defaultFieldManager(userAgent: string | undefined): string {
  const head = (userAgent ?? '').split('/')[0];
  let out = '';
  let bytes = 0;
  for (const ch of head) {
    if (!isPrintable(ch)) continue;
    const n = byteLength(ch);
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out === '' ? 'unknown' : out;
}

/** `dryRun` may only repeat "All"; the error shows the whole list. */
export function validateDryRun(values: string[]): ErrorList {
  return values.every((v) => v === 'All') ? [] : [field.notSupported('dryRun', values, ['All'])];
}

const FIELD_VALIDATION_VALUES = ['', 'Ignore', 'Strict', 'Warn'];

/** `fieldValidation`: empty (= Warn), Ignore, Strict or Warn. */
export function validateFieldValidation(value: string): ErrorList {
  if (FIELD_VALIDATION_VALUES.includes(value)) return [];
  const err = field.notSupported('fieldValidation', value, FIELD_VALIDATION_VALUES);
  return [{ ...err, body: `Unsupported value: ${goQuote(value)}: ${err.detail}` }];
}
