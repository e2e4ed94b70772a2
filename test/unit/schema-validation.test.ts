// compileSchemaValidator: CRD mode (kube-openapi + list types + CEL, with ratcheting) and typed mode
// (encoding/json decode errors), on small schemas built for each behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type, type TSchema } from '@sinclair/typebox';
import { errorString } from '../../src/machinery/field.js';
import { compileSchemaValidator, type SchemaResult } from '../../src/machinery/schema-validation.js';

const NOT_CHECKED =
  '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

const messages = (r: SchemaResult) => r.errors.map(errorString);
const rule = (text: string, extra: Record<string, unknown> = {}) => ({ 'x-kubernetes-validations': [{ rule: text, ...extra }] });

/** A resource whose spec is `spec`. */
const resource = (spec: TSchema, opts: Record<string, unknown> = {}) =>
  Type.Object({ apiVersion: Type.Optional(Type.String()), kind: Type.Optional(Type.String()), metadata: Type.Optional(Type.Object({})), spec: Type.Optional(spec) }, opts);

const crd = (spec: TSchema, opts?: Record<string, unknown>) => compileSchemaValidator(resource(spec, opts), 'crd');
const check = (spec: TSchema, value: unknown, old?: unknown) =>
  messages(crd(spec).validate({ spec: value }, old === undefined ? undefined : { spec: old }));

// ---- CRD mode: OpenAPI keywords ---------------------------------------------------------------------

test('crd: a wrong JSON type is a TypeInvalid error worded like kube-openapi', () => {
  const spec = Type.Object({ x: Type.Optional(Type.Integer()), b: Type.Optional(Type.Boolean()) });
  assert.deepEqual(check(spec, { x: 'a' }), ['spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"']);
  assert.deepEqual(check(spec, { x: 1.5 }), ['spec.x: Invalid value: "number": spec.x in body must be of type integer: "number"']);
  assert.deepEqual(check(spec, { b: [] }), ['spec.b: Invalid value: "array": spec.b in body must be of type boolean: "array"']);
  assert.deepEqual(check(spec, 'oops'), ['spec: Invalid value: "string": spec in body must be of type object: "string"']);
  const r = crd(spec).validate([]);
  assert.deepEqual(messages(r), ['<nil>: Invalid value: "array":  in body must be of type object: "array"']);
});

test('crd: integers pass where numbers are allowed; nullable allows null', () => {
  const spec = Type.Object({ n: Type.Optional(Type.Number()), s: Type.Optional(Type.Union([Type.String(), Type.Null()])) });
  assert.deepEqual(check(spec, { n: 3, s: null }), []);
});

test('crd: enum, required, minLength, maxLength, pattern', () => {
  const spec = Type.Object({
    mode: Type.Optional(Type.String({ enum: ['', 'A'] })),
    name: Type.String({ minLength: 2, maxLength: 4, pattern: '^[a-z]+$' }),
  });
  assert.deepEqual(check(spec, { mode: 'B', name: 'ab' }), ['spec.mode: Unsupported value: "B": supported values: "", "A"']);
  assert.deepEqual(check(spec, {}), ['spec.name: Required value']);
  assert.deepEqual(check(spec, { name: 'a' }), ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long']);
  assert.deepEqual(check(spec, { name: 'abcde' }), ['spec.name: Too long: may not be more than 4 bytes']);
  assert.deepEqual(check(spec, { name: 'AB' }), ["spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"]);
  // Lengths count characters (runes), not UTF-16 units.
  assert.deepEqual(check(spec, { name: '🙂🙂' }).length, 1);
  assert.match(check(spec, { name: '🙂🙂' })[0], /should match/);
});

test('crd: array and number bounds', () => {
  const spec = Type.Object({
    l: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 2 })),
    n: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, multipleOf: 2 })),
    e: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  });
  assert.deepEqual(check(spec, { l: [] }), ['spec.l: Invalid value: 0: spec.l in body should have at least 1 items']);
  assert.deepEqual(check(spec, { l: ['a', 'b', 'c'] }), ['spec.l: Too many: 3: must have at most 2 items']);
  assert.deepEqual(check(spec, { n: 12 }), ['spec.n: Invalid value: 12: spec.n in body should be less than or equal to 10']);
  assert.deepEqual(check(spec, { n: 3 }), ['spec.n: Invalid value: 3: spec.n in body should be a multiple of 2']);
  assert.deepEqual(check(spec, { n: 0 }), ['spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1']);
  assert.deepEqual(check(spec, { e: 0 }), ['spec.e: Invalid value: 0: spec.e in body should be greater than 0']);
});

test('crd: item and map-value paths as kube-openapi prints them', () => {
  const spec = Type.Object({
    items: Type.Optional(Type.Array(Type.Object({ port: Type.Optional(Type.Integer()) }))),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  });
  assert.deepEqual(check(spec, { items: [{ port: 1 }, { port: 'x' }], labels: { a: 'b', c: 1 } }), [
    'spec.items[1].port: Invalid value: "string": spec.items[1].port in body must be of type integer: "string"',
    'spec.labels.c: Invalid value: "integer": spec.labels.c in body must be of type string: "integer"',
  ]);
});

test('crd: a known format is checked on strings (TypeInvalid); on an array it lets a string through', () => {
  const spec = Type.Object({
    host: Type.Optional(Type.String({ format: 'hostname' })),
    hosts: Type.Optional(Type.Array(Type.String(), { format: 'hostname' })),
    when: Type.Optional(Type.String({ format: 'date-time' })),
    any: Type.Optional(Type.String({ format: 'no-such-format' })),
  });
  assert.deepEqual(check(spec, { host: 'my.example.com', when: '2024-01-02T03:04:05Z', any: 'x' }), []);
  assert.deepEqual(check(spec, { host: 'bad_host' }), [
    'spec.host: Invalid value: "bad_host": spec.host in body must be of type hostname: "bad_host"',
  ]);
  assert.deepEqual(check(spec, { when: 'yesterday' }), [
    'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
  ]);
  assert.deepEqual(check(spec, { hosts: ['bad_host'] }), []);
  assert.deepEqual(check(spec, { hosts: 'example.com' }), []);
  assert.deepEqual(check(spec, { hosts: 5 }), ['spec.hosts: Invalid value: "integer": spec.hosts in body must be of type array: "integer"']);
});

test('crd: null non-nullable properties count as absent (kube prunes them before validating)', () => {
  const spec = Type.Object({ name: Type.String(), opt: Type.Optional(Type.Integer()) });
  assert.deepEqual(check(spec, { name: null, opt: null }), ['spec.name: Required value']);
  assert.deepEqual(check(spec, null), []);
});

test('crd: the root metadata is only checked to be an object', () => {
  const v = compileSchemaValidator(
    Type.Object({ metadata: Type.Optional(Type.Object({ name: Type.Optional(Type.Integer()) })) }),
    'crd',
  );
  assert.deepEqual(messages(v.validate({ metadata: { name: 'not-an-int' } })), []);
  assert.deepEqual(messages(v.validate({ metadata: 'x' })), [
    'metadata: Invalid value: "string": metadata in body must be of type object: "string"',
  ]);
});

test('crd: x-kubernetes-list-type set and map report each repeat once', () => {
  const spec = Type.Object({
    set: Type.Optional(Type.Array(Type.String(), { 'x-kubernetes-list-type': 'set' })),
    ports: Type.Optional(
      Type.Array(Type.Object({ name: Type.Optional(Type.String()), port: Type.Optional(Type.Integer()) }), {
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    ),
  });
  assert.deepEqual(check(spec, { set: ['a', 'b', 'a', 'a', 'b'] }), [
    'spec.set[2]: Duplicate value: "a"',
    'spec.set[4]: Duplicate value: "b"',
  ]);
  assert.deepEqual(check(spec, { ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }] }), [
    'spec.ports[1]: Duplicate value: {"name":"a"}',
  ]);
  // The schema's type error and the list-type check both report the stray entry.
  assert.deepEqual(check(spec, { ports: [{ name: 'a' }, 'x'] }), [
    'spec.ports[1]: Invalid value: "string": spec.ports[1] in body must be of type object: "string"',
    'spec.ports[1]: Invalid value: "x": must be an object for an array of list-type map',
  ]);
});

// ---- CRD mode: CEL rules ------------------------------------------------------------------------------

test('crd: a failing rule reports the node type and the rule message; without message, the rule', () => {
  const spec = Type.Object({ a: Type.Optional(Type.Integer()) }, rule('self.a > 1', { message: 'a must be above 1' }));
  assert.deepEqual(check(spec, { a: 1 }), ['spec: Invalid value: "object": a must be above 1']);
  assert.deepEqual(check(spec, { a: 2 }), []);
  const bare = Type.Object({ s: Type.Optional(Type.String(rule("self != 'x'"))) });
  assert.deepEqual(check(bare, { s: 'x' }), ['spec.s: Invalid value: "string": failed rule: self != \'x\'']);
});

test('crd: integer fields are CEL ints, so int arithmetic works', () => {
  const spec = Type.Object({ replicas: Type.Optional(Type.Integer()) }, rule('self.replicas + 1 == 4'));
  assert.deepEqual(check(spec, { replicas: 3 }), []);
});

test('crd: union members and int-or-string are typed by the value they hold', () => {
  const spec = Type.Object(
    {
      u: Type.Optional(Type.Union([Type.Object({ n: Type.Optional(Type.Integer()) }), Type.String()])),
      port: Type.Optional(Type.Unsafe({ 'x-kubernetes-int-or-string': true })),
    },
    rule("self.u == 'skip' || self.u.n + 1 == 2", { message: 'n must be 1' }),
  );
  assert.deepEqual(check(spec, { u: { n: 1 }, port: 'http' }), []);
  assert.deepEqual(check(spec, { u: 'skip', port: 80 }), []);
  assert.deepEqual(check(spec, { u: { n: 2 } }), ['spec: Invalid value: "object": n must be 1']);
  assert.deepEqual(check(spec, { u: true, port: 1.5 }), [
    'spec.u: Invalid value: "boolean": spec.u in body must be of type object,string: "boolean"',
    'spec.port: Invalid value: "number": spec.port in body must be of type integer,string: "number"',
    NOT_CHECKED,
  ]);
});

test('crd: has() is presence: an empty list is set', () => {
  const spec = Type.Object(
    { a: Type.Optional(Type.Array(Type.String())), b: Type.Optional(Type.Array(Type.String())) },
    rule('has(self.a) ? !has(self.b) : true', { message: 'only one' }),
  );
  assert.deepEqual(check(spec, { a: [], b: ['x'] }), ['spec: Invalid value: "object": only one']);
  assert.deepEqual(check(spec, { b: ['x'] }), []);
});

test('crd: an evaluation error is reported like cel-go (no such key ... evaluating rule)', () => {
  const spec = Type.Object(
    { a: Type.Optional(Type.Array(Type.String())), b: Type.Optional(Type.Array(Type.String())) },
    rule('self.a.size() == 0 || self.b.size() == 0', { message: 'only one' }),
  );
  assert.deepEqual(check(spec, { b: ['x'] }), ['spec: Invalid value: "object": no such key: a evaluating rule: only one']);
});

test('crd: rules run on every list item, each at its own index', () => {
  const spec = Type.Object({ l: Type.Optional(Type.Array(Type.String(rule("self.startsWith('x')", { message: 'must start with x' })))) });
  assert.deepEqual(check(spec, { l: ['xa', 'b', 'xc', 'd'] }), [
    'spec.l[1]: Invalid value: "string": must start with x',
    'spec.l[3]: Invalid value: "string": must start with x',
  ]);
});

test('crd: rules on map values report the key in brackets', () => {
  const spec = Type.Object({ m: Type.Optional(Type.Record(Type.String(), Type.String(rule("self != ''", { message: 'empty' })))) });
  assert.deepEqual(check(spec, { m: { ok: 'v', bad: '' } }), ['spec.m[bad]: Invalid value: "string": empty']);
});

test('crd: blocking schema errors skip the rules and add the <nil> note; others do not', () => {
  const spec = Type.Object(
    { n: Type.Optional(Type.Integer()), s: Type.Optional(Type.String({ minLength: 3 })) },
    rule('false', { message: 'never' }),
  );
  assert.deepEqual(check(spec, { n: 'x' }), [
    'spec.n: Invalid value: "string": spec.n in body must be of type integer: "string"',
    NOT_CHECKED,
  ]);
  assert.deepEqual(check(spec, { s: 'a' }), [
    'spec.s: Invalid value: "a": spec.s in body should be at least 3 chars long',
    'spec: Invalid value: "object": never',
  ]);
});

test('crd: without any rule in the schema there is no <nil> note', () => {
  const spec = Type.Object({ n: Type.Optional(Type.Integer()) });
  assert.deepEqual(check(spec, { n: 'x' }), ['spec.n: Invalid value: "string": spec.n in body must be of type integer: "string"']);
});

test('crd: reason, fieldPath and messageExpression shape the error', () => {
  const spec = Type.Object(
    { a: Type.Optional(Type.Object({ b: Type.Optional(Type.String()) })) },
    {
      'x-kubernetes-validations': [
        { rule: "self.a.b != 'x'", message: 'no x', reason: 'FieldValueForbidden', fieldPath: '.a.b' },
        { rule: "self.a.b != 'x'", messageExpression: "'got ' + self.a.b" },
        { rule: "self.a.b != 'x'", message: 'fallback', messageExpression: '1 + 1' },
      ],
    },
  );
  assert.deepEqual(check(spec, { a: { b: 'x' } }), [
    'spec.a.b: Forbidden: no x',
    'spec: Invalid value: "object": got x',
    'spec: Invalid value: "object": fallback',
  ]);
});

test('crd: a rule that does not compile is reported where it applies', () => {
  const spec = Type.Object({ a: Type.Optional(Type.String()) }, rule('self.(', { message: 'm' }));
  const errs = check(spec, { a: 'x' });
  assert.equal(errs.length, 1);
  assert.match(errs[0], /^spec: Invalid value: "object": rule compile error: /);
});

test('crd: transition rules (oldSelf) only run on update and are never ratcheted', () => {
  const spec = Type.Object({ v: Type.Optional(Type.String(rule('self == oldSelf', { message: 'immutable' }))) });
  assert.deepEqual(check(spec, { v: 'a' }), []);
  assert.deepEqual(check(spec, { v: 'b' }, { v: 'a' }), ['spec.v: Invalid value: "string": immutable']);
  assert.deepEqual(check(spec, { v: 'a' }, { v: 'a' }), []);
  const optional = Type.Object({
    v: Type.Optional(Type.String(rule("oldSelf.hasValue() || self == 'init'", { message: 'starts at init', optionalOldSelf: true }))),
  });
  assert.deepEqual(check(optional, { v: 'x' }), ['spec.v: Invalid value: "string": starts at init']);
  assert.deepEqual(check(optional, { v: 'x' }, { v: 'y' }), []);
});

// ---- CRD mode: ratcheting ----------------------------------------------------------------------------

test('ratcheting: an unchanged invalid value passes; a changed one fails', () => {
  const spec = Type.Object({ a: Type.Optional(Type.String({ maxLength: 2 })), b: Type.Optional(Type.String()) });
  assert.deepEqual(check(spec, { a: 'long', b: 'new' }, { a: 'long', b: 'old' }), []);
  assert.deepEqual(check(spec, { a: 'longer' }, { a: 'long' }), ['spec.a: Too long: may not be more than 2 bytes']);
  assert.deepEqual(check(spec, { a: 'long' }, { b: 'x' }), ['spec.a: Too long: may not be more than 2 bytes']);
});

test('ratcheting: atomic lists are compared whole; map lists item by item', () => {
  const item = Type.String({ maxLength: 2 });
  const spec = Type.Object({
    atomic: Type.Optional(Type.Array(item)),
    byName: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), v: Type.Optional(item) }), {
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    ),
  });
  assert.deepEqual(check(spec, { atomic: ['long', 'ok'] }, { atomic: ['long'] }), ['spec.atomic[0]: Too long: may not be more than 2 bytes']);
  assert.deepEqual(check(spec, { atomic: ['long'] }, { atomic: ['long'] }), []);
  const old = { byName: [{ name: 'a', v: 'long' }, { name: 'b', v: 'ok' }] };
  // Reordered and one item changed: the unchanged invalid item is still forgiven.
  assert.deepEqual(check(spec, { byName: [{ name: 'b', v: 'no' }, { name: 'a', v: 'long' }] }, old), []);
  assert.deepEqual(check(spec, { byName: [{ name: 'a', v: 'longer' }] }, old), ['spec.byName[0].v: Too long: may not be more than 2 bytes']);
});

test('ratcheting: an object rule is re-evaluated when anything below it changed, and forgiven (as a warning) otherwise', () => {
  const spec = Type.Object(
    { a: Type.Optional(Type.Integer()), b: Type.Optional(Type.Integer()) },
    rule('self.a < self.b', { message: 'a must be below b' }),
  );
  const v = crd(Type.Object({ inner: Type.Optional(spec), other: Type.Optional(Type.String()) }));
  const stored = { spec: { inner: { a: 2, b: 1 }, other: 'x' } };
  const same = v.validate({ spec: { inner: { a: 2, b: 1 }, other: 'y' } }, stored);
  assert.deepEqual(messages(same), []);
  assert.deepEqual(same.warnings, ['spec.inner: Invalid value: "object": a must be below b']);
  const changed = v.validate({ spec: { inner: { a: 3, b: 1 }, other: 'x' } }, stored);
  assert.deepEqual(messages(changed), ['spec.inner: Invalid value: "object": a must be below b']);
  assert.equal(changed.warnings, undefined);
});

test('ratcheting: item rules of an atomic list are forgiven only while the list is unchanged', () => {
  const spec = Type.Object({ l: Type.Optional(Type.Array(Type.String(rule("self != 'bad'", { message: 'bad item' })))) });
  assert.deepEqual(check(spec, { l: ['bad'] }, { l: ['bad'] }), []);
  assert.deepEqual(check(spec, { l: ['bad', 'good'] }, { l: ['bad'] }), ['spec.l[0]: Invalid value: "string": bad item']);
});

test('ratcheting: set uniqueness is only enforced when the stored object had no repeats', () => {
  const spec = Type.Object({ s: Type.Optional(Type.Array(Type.String(), { 'x-kubernetes-list-type': 'set' })) });
  assert.deepEqual(check(spec, { s: ['a', 'a', 'b'] }, { s: ['a', 'a'] }), []);
  assert.deepEqual(check(spec, { s: ['a', 'a'] }, { s: ['a'] }), ['spec.s[1]: Duplicate value: "a"']);
});

test('ratcheting: apiVersion and kind at the root are validated whenever the object changed', () => {
  const v = compileSchemaValidator(
    Type.Object({ kind: Type.Optional(Type.String({ enum: ['Thing'] })), n: Type.Optional(Type.Integer()) }),
    'crd',
  );
  assert.deepEqual(messages(v.validate({ kind: 'Other', n: 2 }, { kind: 'Other', n: 1 })), [
    'kind: Unsupported value: "Other": supported values: "Thing"',
  ]);
  // A no-op update is unchanged from the root down: nothing is failed again.
  assert.deepEqual(messages(v.validate({ kind: 'Other', n: 1 }, { kind: 'Other', n: 1 })), []);
});

// ---- typed mode --------------------------------------------------------------------------------------

const def = (name: string) => ({ 'x-openapi-definition': `com.example.api.v1.${name}` });
const Item = Type.Object({ name: Type.Optional(Type.String()) }, def('Item'));
const ThingSpec = Type.Object(
  {
    replicas: Type.Optional(Type.Integer({ format: 'int64' })),
    port: Type.Optional(Type.Integer({ format: 'int32' })),
    ratio: Type.Optional(Type.Number()),
    enabled: Type.Optional(Type.Boolean()),
    mode: Type.Optional(Type.String({ enum: ['A'], minLength: 5 })),
    items: Type.Optional(Type.Array(Item)),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    nested: Type.Optional(Type.Object({ deep: Type.Optional(Type.String()) })),
  },
  { ...def('ThingSpec'), required: ['mode'] },
);
const Thing = Type.Object({ kind: Type.Optional(Type.String()), spec: Type.Optional(ThingSpec) }, def('Thing'));
const typed = compileSchemaValidator(Thing, 'typed');
const decode = (spec: unknown) => typed.validate({ kind: 'Thing', spec }).decodeError;

test('typed: a JSON type that does not fit is a Go decode error; no field errors', () => {
  const r = typed.validate({ spec: { replicas: 'three' } });
  assert.equal(r.decodeError, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.replicas of type int64');
  assert.deepEqual(r.errors, []);
  assert.equal(decode({ enabled: 'yes' }), 'json: cannot unmarshal string into Go struct field ThingSpec.spec.enabled of type bool');
  assert.equal(decode({ ratio: true }), 'json: cannot unmarshal bool into Go struct field ThingSpec.spec.ratio of type float64');
  assert.equal(decode('x'), 'json: cannot unmarshal string into Go struct field Thing.spec of type v1.ThingSpec');
});

test('typed: numbers that do not fit an int are quoted with their value', () => {
  assert.equal(decode({ replicas: 1.5 }), 'json: cannot unmarshal number 1.5 into Go struct field ThingSpec.spec.replicas of type int64');
  assert.equal(decode({ port: 2 ** 31 }), 'json: cannot unmarshal number 2147483648 into Go struct field ThingSpec.spec.port of type int32');
  assert.equal(decode({ port: 2 ** 31 - 1, ratio: 1 }), undefined);
});

test('typed: list items and map values keep the field path without index or key', () => {
  assert.equal(decode({ items: [{ name: 'a' }, 'b'] }), 'json: cannot unmarshal string into Go struct field ThingSpec.spec.items of type v1.Item');
  assert.equal(decode({ items: [{ name: 5 }] }), 'json: cannot unmarshal number into Go struct field Item.spec.items.name of type string');
  assert.equal(decode({ items: {} }), 'json: cannot unmarshal object into Go struct field ThingSpec.spec.items of type []v1.Item');
  assert.equal(decode({ labels: { a: 1 } }), 'json: cannot unmarshal number into Go struct field ThingSpec.spec.labels of type string');
  assert.equal(decode({ labels: [] }), 'json: cannot unmarshal array into Go struct field ThingSpec.spec.labels of type map[string]string');
});

test('typed: a struct without a definition name gets a Go-like name', () => {
  assert.equal(decode({ nested: { deep: 1 } }), 'json: cannot unmarshal number into Go struct field Nested.spec.nested.deep of type string');
  assert.equal(decode({ nested: 1 }), 'json: cannot unmarshal number into Go struct field ThingSpec.spec.nested of type v1.Nested');
});

test('typed: the whole body of the wrong type', () => {
  assert.equal(typed.validate([]).decodeError, 'json: cannot unmarshal array into Go value of type v1.Thing');
});

test('typed: null, enums, lengths and required are not the decoder’s business', () => {
  assert.deepEqual(typed.validate({ spec: { mode: 'zz', replicas: null, items: null } }), { errors: [] });
  assert.deepEqual(typed.validate({ spec: {} }), { errors: [] });
});

test('typed: the first mismatch in document order wins', () => {
  assert.equal(decode({ enabled: 1, replicas: 'x' }), 'json: cannot unmarshal number into Go struct field ThingSpec.spec.enabled of type bool');
  assert.equal(decode({ replicas: 'x', enabled: 1 }), 'json: cannot unmarshal string into Go struct field ThingSpec.spec.replicas of type int64');
});

test('typed: nullable unions decode as their non-null type', () => {
  const v = compileSchemaValidator(
    Type.Object({ when: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])) }, def('Event')),
    'typed',
  );
  assert.deepEqual(v.validate({ when: null }), { errors: [] });
  assert.equal(v.validate({ when: 5 }).decodeError, 'json: cannot unmarshal number into Go struct field Event.when of type string');
});

// ---- both modes -----------------------------------------------------------------------------------------

test('schemas with local $ref are followed; others are refused at compile time', () => {
  const schema = {
    type: 'object',
    properties: { a: { $ref: '#/definitions/A' } },
    definitions: { A: { type: 'integer' } },
  };
  assert.deepEqual(messages(compileSchemaValidator(schema, 'crd').validate({ a: 'x' })), [
    'a: Invalid value: "string": a in body must be of type integer: "string"',
  ]);
  assert.throws(() => compileSchemaValidator({ type: 'object', properties: { a: { $ref: 'other.json' } } }, 'crd'), /unsupported \$ref/);
});
