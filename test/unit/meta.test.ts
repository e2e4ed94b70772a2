import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, type ErrorList } from '../../src/machinery/field.js';
import { invalid, invalidOptions } from '../../src/machinery/errors.js';
import type { ObjectMeta } from '../../src/machinery/object.js';
import {
  defaultFieldManager,
  prepareCreateMeta,
  prepareUpdateMeta,
  validateDryRun,
  validateFieldManager,
  validateFieldValidation,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type ObjectMetaRules,
} from '../../src/machinery/meta.js';

const strings = (errs: ErrorList) => errs.map(errorString);

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAMESPACE_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const NAMESPACED: ObjectMetaRules = { namespaced: true, nameRule: 'dns-subdomain' };
const CLUSTER: ObjectMetaRules = { namespaced: false, nameRule: 'path-segment' };

const createCases: [string, ObjectMeta, ObjectMetaRules, string[]][] = [
  ['valid namespaced object', { name: 'alpha', namespace: 'ns', labels: { app: 'x', 'example.com/tier': '' } }, NAMESPACED, []],
  ['valid image name (path segment)', { name: 'sha256:0123' }, CLUSTER, []],
  ['name or generateName required', { namespace: 'ns' }, NAMESPACED, ['metadata.name: Required value: name or generateName is required']],
  ['name not a subdomain', { name: 'Bad_Name', namespace: 'ns' }, NAMESPACED, [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`]],
  ['path-segment name with a slash', { name: 'foo/bar' }, CLUSTER, [`metadata.name: Invalid value: "foo/bar": may not contain '/'`]],
  ['path-segment name ..', { name: '..' }, CLUSTER, [`metadata.name: Invalid value: "..": may not be '..'`]],
  [
    'generateName is checked as a prefix, before the name',
    { generateName: 'Bad-', name: 'Bad-abcde', namespace: 'ns' },
    NAMESPACED,
    [`metadata.generateName: Invalid value: "Bad-": ${SUBDOMAIN_MSG}`, `metadata.name: Invalid value: "Bad-abcde": ${SUBDOMAIN_MSG}`],
  ],
  ['generateName ending in a dash is fine', { generateName: 'foo-', name: 'foo-x7k2p', namespace: 'ns' }, NAMESPACED, []],
  ['namespace required', { name: 'a' }, NAMESPACED, ['metadata.namespace: Required value']],
  ['namespace not a label (image-api-behavior §1.4)', { name: 'a', namespace: '!$' }, NAMESPACED, [`metadata.namespace: Invalid value: "!$": ${NAMESPACE_MSG}`]],
  ['namespace forbidden on cluster-scoped kinds', { name: 'a', namespace: 'ns' }, CLUSTER, ['metadata.namespace: Forbidden: not allowed on this type']],
  ['negative generation', { name: 'a', generation: -1 }, CLUSTER, ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']],
  ['bad label key', { name: 'a', labels: { '-x': 'ok' } }, CLUSTER, [`metadata.labels: Invalid value: "-x": ${NAME_PART_MSG}`]],
  ['bad label value', { name: 'a', labels: { a: '-x' } }, CLUSTER, [`metadata.labels: Invalid value: "-x": ${LABEL_VALUE_MSG}`]],
  ['annotation keys are checked lower-cased', { name: 'a', annotations: { 'Example.COM/Key': 'v' } }, CLUSTER, []],
  ['bad annotation key keeps its spelling', { name: 'a', annotations: { 'A B': 'v' } }, CLUSTER, [`metadata.annotations: Invalid value: "A B": ${NAME_PART_MSG}`]],
  ['annotations at the size limit', { name: 'a', annotations: { k: 'v'.repeat(262143) } }, CLUSTER, []],
  ['annotations over the size limit', { name: 'a', annotations: { k: 'v'.repeat(262144) } }, CLUSTER, ['metadata.annotations: Too long: may not be more than 262144 bytes']],
  ['finalizer must be a qualified name', { name: 'a', finalizers: ['a/b/c/d', 'kubernetes.io/x'] }, CLUSTER, [
    `metadata.finalizers: Invalid value: "a/b/c/d": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
  ]],
  [
    'orphan and foregroundDeletion together',
    { name: 'a', finalizers: ['orphan', 'foregroundDeletion'] },
    CLUSTER,
    ['metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set'],
  ],
  [
    'owner reference fields must be set (no index in the path)',
    { name: 'a', ownerReferences: [{ apiVersion: 'apps/', kind: '', name: '', uid: '' }] },
    CLUSTER,
    [
      'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ],
  ],
  [
    'owner apiVersion with two slashes has no version',
    { name: 'a', ownerReferences: [{ apiVersion: 'a/b/c', kind: 'K', name: 'n', uid: 'u' }] },
    CLUSTER,
    ['metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty'],
  ],
];

for (const [title, meta, rules, want] of createCases) {
  test(`validateObjectMeta: ${title}`, () => {
    assert.deepEqual(strings(validateObjectMeta(meta, rules)), want);
  });
}

test('validateObjectMeta: only one owner reference may be the controller', () => {
  const refs = [
    { apiVersion: 'v1', kind: 'K', name: 'a', uid: '1', controller: true },
    { apiVersion: 'v1', kind: 'K', name: 'b', uid: '2', controller: true },
    { apiVersion: 'v1', kind: 'K', name: 'c', uid: '3', controller: false },
  ];
  const errs = validateObjectMeta({ name: 'x', ownerReferences: refs }, CLUSTER);
  assert.equal(errs.length, 1);
  assert.equal(errs[0].field, 'metadata.ownerReferences');
  assert.equal(errs[0].type, 'FieldValueInvalid');
  assert.equal(errs[0].detail, 'Only one reference can have Controller set to true. Found "true" in references for K/a and K/b');
});

test('validateObjectMeta: core/v1 Events cannot own objects', () => {
  const errs = validateObjectMeta({ name: 'x', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' }] }, CLUSTER);
  assert.deepEqual(
    errs.map((e) => [e.field, e.detail]),
    [['metadata.ownerReferences', '/v1, Kind=Event is disallowed from being an owner']],
  );
});

test('validateObjectMeta: managedFields entries', () => {
  const meta: ObjectMeta = {
    name: 'x',
    managedFields: [
      { manager: 'ok', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} },
      { manager: `a\u0007${'m'.repeat(128)}`, operation: 'Patch' as 'Update', fieldsType: 'FieldsV2' as 'FieldsV1', subresource: 's'.repeat(257) },
    ],
  };
  assert.deepEqual(strings(validateObjectMeta(meta, CLUSTER)), [
    'metadata.managedFields[1].operation: Invalid value: "Patch": must be `Apply` or `Update`',
    'metadata.managedFields[1].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
    'metadata.managedFields[1].manager: Too long: may not be more than 128 bytes',
    `metadata.managedFields[1].manager: Invalid value: "a\\a${'m'.repeat(128)}": invalid character U+0007 (at position 1)`,
    'metadata.managedFields[1].subresource: Too long: may not be more than 256 bytes',
  ]);
});

test('validateObjectMeta: errors come in upstream order and aggregate into one 422', () => {
  const errs = validateObjectMeta({ name: 'bad', namespace: 'ns', generation: -2, labels: { a: '-x' } }, CLUSTER);
  assert.deepEqual(strings(errs), [
    'metadata.namespace: Forbidden: not allowed on this type',
    'metadata.generation: Invalid value: -2: must be greater than or equal to 0',
    `metadata.labels: Invalid value: "-x": ${LABEL_VALUE_MSG}`,
  ]);
  const status = invalid('image.openshift.io', 'Image', 'bad', errs).status;
  assert.equal(status.code, 422);
  assert.equal(status.details?.causes?.length, 3);
  assert.match(status.message ?? '', /^Image\.image\.openshift\.io "bad" is invalid: \[metadata\.namespace: Forbidden: not allowed on this type, /);
});

const stored: ObjectMeta = {
  name: 'alpha',
  namespace: 'ns',
  uid: '11111111-2222-3333-4444-555555555555',
  resourceVersion: '7',
  generation: 3,
  creationTimestamp: '2025-01-02T03:04:05Z',
};

const updateCases: [string, ObjectMeta, ObjectMeta, string[]][] = [
  ['unchanged', { ...stored }, stored, []],
  ['name is immutable', { ...stored, name: 'beta' }, stored, ['metadata.name: Invalid value: "beta": field is immutable']],
  ['namespace is immutable', { ...stored, namespace: 'other' }, stored, ['metadata.namespace: Invalid value: "other": field is immutable']],
  ['uid is immutable', { ...stored, uid: 'new' }, stored, ['metadata.uid: Invalid value: "new": field is immutable']],
  [
    'creationTimestamp is immutable (printed as Go time)',
    { ...stored, creationTimestamp: '2026-01-01T00:00:00Z' },
    stored,
    ['metadata.creationTimestamp: Invalid value: 2026-01-01 00:00:00 +0000 UTC: field is immutable'],
  ],
  ['same instant in another spelling is unchanged', { ...stored, creationTimestamp: '2025-01-02T03:04:05.000Z' }, stored, []],
  [
    'clients cannot set deletionTimestamp',
    { ...stored, deletionTimestamp: '2025-01-02T03:04:06Z' },
    stored,
    ['metadata.deletionTimestamp: Invalid value: 2025-01-02 03:04:06 +0000 UTC: field is immutable'],
  ],
  [
    'clients cannot remove deletionTimestamp',
    { ...stored },
    { ...stored, deletionTimestamp: '2025-01-02T03:04:06Z' },
    ['metadata.deletionTimestamp: Invalid value: null: field is immutable'],
  ],
  [
    'clients cannot set deletionGracePeriodSeconds',
    { ...stored, deletionGracePeriodSeconds: 30 },
    stored,
    ['metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable'],
  ],
  ['generation may not go down', { ...stored, generation: 1 }, stored, ['metadata.generation: Invalid value: 1: must not be decremented']],
  ['resourceVersion is required', { ...stored, resourceVersion: '' }, stored, ['metadata.resourceVersion: Invalid value: "": must be specified for an update']],
  [
    'no new finalizers while terminating',
    { ...stored, deletionTimestamp: '2025-02-01T00:00:00Z', finalizers: ['keep', 'x'] },
    { ...stored, deletionTimestamp: '2025-02-01T00:00:00Z', finalizers: ['keep'] },
    ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x"}'],
  ],
  [
    'several new finalizers are listed sorted',
    { ...stored, deletionTimestamp: '2025-02-01T00:00:00Z', finalizers: ['z.io/b', 'a.io/a'] },
    { ...stored, deletionTimestamp: '2025-02-01T00:00:00Z' },
    ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"a.io/a", "z.io/b"}'],
  ],
  [
    'removing finalizers while terminating is fine',
    { ...stored, deletionTimestamp: '2025-02-01T00:00:00Z', finalizers: [] },
    { ...stored, deletionTimestamp: '2025-02-01T00:00:00Z', finalizers: ['a', 'b'] },
    [],
  ],
  ['adding finalizers to a live object is fine', { ...stored, finalizers: ['x'] }, stored, []],
  ['labels are validated on update too', { ...stored, labels: { a: '-x' } }, stored, [`metadata.labels: Invalid value: "-x": ${LABEL_VALUE_MSG}`]],
];

for (const [title, meta, old, want] of updateCases) {
  test(`validateObjectMetaUpdate: ${title}`, () => {
    assert.deepEqual(strings(validateObjectMetaUpdate(meta, old)), want);
  });
}

test('validateObjectMetaUpdate: the immutable-uid cause matches apiserver-semantics §4.3', () => {
  const status = invalid('image.openshift.io', 'ImageStream', 'alpha', validateObjectMetaUpdate({ ...stored, uid: 'x' }, stored)).status;
  assert.deepEqual(status.details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "x": field is immutable', field: 'metadata.uid' }]);
});

test('prepareCreateMeta wipes system fields, sets uid and creationTimestamp, keeps resourceVersion', () => {
  const meta: ObjectMeta = {
    name: 'a',
    labels: { x: 'y' },
    uid: 'client-uid',
    creationTimestamp: '2000-01-01T00:00:00Z',
    deletionTimestamp: '2000-01-01T00:00:00Z',
    deletionGracePeriodSeconds: 5,
    selfLink: '/apis/x',
    resourceVersion: '12',
  };
  prepareCreateMeta(meta, { now: new Date('2025-03-04T05:06:07.890Z'), uid: 'u-1' });
  assert.deepEqual(meta, { name: 'a', labels: { x: 'y' }, uid: 'u-1', creationTimestamp: '2025-03-04T05:06:07Z', resourceVersion: '12' });
});

test('prepareUpdateMeta applies the BeforeUpdate rules', () => {
  const old: ObjectMeta = { ...stored, deletionTimestamp: '2025-02-01T00:00:00Z', deletionGracePeriodSeconds: 0 };
  const meta: ObjectMeta = { name: 'alpha', namespace: 'ns', resourceVersion: '7', generation: 99, creationTimestamp: '1999-01-01T00:00:00Z', labels: { a: 'b' } };
  prepareUpdateMeta(meta, old);
  assert.deepEqual(meta, {
    name: 'alpha',
    namespace: 'ns',
    resourceVersion: '7',
    generation: 3,
    creationTimestamp: '2025-01-02T03:04:05Z',
    labels: { a: 'b' },
    uid: stored.uid,
    deletionTimestamp: '2025-02-01T00:00:00Z',
    deletionGracePeriodSeconds: 0,
  });
  assert.deepEqual(validateObjectMetaUpdate(meta, old), []);
});

test('prepareUpdateMeta keeps a different uid (caught as a precondition or by validation) and drops generation the old object lacks', () => {
  const meta: ObjectMeta = { name: 'a', uid: 'other', generation: 4, deletionGracePeriodSeconds: 10 };
  const old: ObjectMeta = { name: 'a', uid: 'mine', deletionGracePeriodSeconds: 30, deletionTimestamp: '2025-01-01T00:00:00Z' };
  prepareUpdateMeta(meta, old);
  assert.equal(meta.uid, 'other');
  assert.equal(meta.generation, undefined);
  assert.equal(meta.deletionGracePeriodSeconds, 10, 'a grace period in the request is kept (validation rejects the change)');
  assert.equal(meta.deletionTimestamp, '2025-01-01T00:00:00Z');
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...meta, resourceVersion: '1' }, old)), [
    'metadata.uid: Invalid value: "other": field is immutable',
    'metadata.deletionGracePeriodSeconds: Invalid value: 10: field is immutable',
  ]);
});

const fieldManagerCases: [string, string, string[]][] = [
  ['typical', 'kubectl-client-side-apply', []],
  ['128 bytes', 'm'.repeat(128), []],
  ['129 bytes', 'm'.repeat(129), ['fieldManager: Too long: may not be more than 128 bytes']],
  ['bytes, not characters', 'é'.repeat(65), ['fieldManager: Too long: may not be more than 128 bytes']],
  ['bell character (apiserver-semantics §5.4)', 'abc\u0007', ['fieldManager: Invalid value: "abc\\a": invalid character U+0007 (at position 3)']],
  ['positions are byte offsets', 'é\u0001', ['fieldManager: Invalid value: "é\\x01": invalid character U+0001 (at position 2)']],
  ['non-ASCII space is not printable', 'a\u00a0b', ['fieldManager: Invalid value: "a\\u00a0b": invalid character U+00A0 (at position 1)']],
];

for (const [title, name, want] of fieldManagerCases) {
  test(`validateFieldManager: ${title}`, () => {
    assert.deepEqual(strings(validateFieldManager(name)), want);
  });
}

const userAgentCases: [string, string | undefined, string][] = [
  ['kubectl', 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07', 'kubectl'],
  ['no slash', 'curl', 'curl'],
  ['absent', undefined, 'unknown'],
  ['empty', '', 'unknown'],
  ['nothing before the slash', '/v1', 'unknown'],
  ['non-printables dropped', 'my\tagent\u0000/1.0', 'myagent'],
  ['cut at 128 bytes', 'x'.repeat(200), 'x'.repeat(128)],
  ['a character that does not fit is left out', `${'x'.repeat(127)}é`, 'x'.repeat(127)],
];

for (const [title, ua, want] of userAgentCases) {
  test(`defaultFieldManager: ${title}`, () => {
    assert.equal(defaultFieldManager(ua), want);
  });
}

test('validateDryRun accepts only All and prints the whole list', () => {
  assert.deepEqual(validateDryRun([]), []);
  assert.deepEqual(validateDryRun(['All', 'All']), []);
  assert.deepEqual(strings(validateDryRun(['X'])), ['dryRun: Unsupported value: ["X"]: supported values: "All"']);
  assert.deepEqual(strings(validateDryRun(['All', 'x'])), ['dryRun: Unsupported value: ["All","x"]: supported values: "All"']);
  assert.equal(
    invalidOptions('CreateOptions', validateDryRun(['X'])).status.message,
    'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["X"]: supported values: "All"',
  );
});

test('validateFieldValidation accepts "", Ignore, Warn, Strict', () => {
  for (const v of ['', 'Ignore', 'Warn', 'Strict']) assert.deepEqual(validateFieldValidation(v), [], v);
  assert.equal(
    invalidOptions('UpdateOptions', validateFieldValidation('strict')).status.message,
    'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
  );
});
