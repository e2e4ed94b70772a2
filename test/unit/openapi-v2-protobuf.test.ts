// The protobuf wire encoder (vectors from the protobuf encoding guide) and the Swagger document as gnostic's
// openapi_v2.Document, read back with a small wire-format reader the way kubectl's models read it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resourceDefinitions } from '../../src/apis/index.js';
import { subresourceSchemas } from '../../src/apis/subresource-schemas.js';
import { boolField, doubleField, int64Field, message, messageField, oneofBool, repeatedString, stringField, varint } from '../../src/machinery/protobuf.js';
import { supportedPatchTypes } from '../../src/server/handlers/write.js';
import { openAPIv2 } from '../../src/server/openapi.js';
import { swaggerToProtobuf } from '../../src/server/openapi-v2-protobuf.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('wire format: varints, strings, bools, doubles, embedded messages, zero values left out', () => {
  assert.equal(hex(varint(1)), '01');
  assert.equal(hex(varint(150)), '9601');
  assert.equal(hex(varint(300)), 'ac02');
  assert.equal(hex(varint(-1)), 'ffffffffffffffffff01');
  assert.equal(hex(message(int64Field(1, 150))), '089601');
  assert.equal(hex(message(stringField(2, 'testing'))), '120774657374696e67');
  assert.equal(hex(message(boolField(4, true))), '2001');
  assert.equal(hex(message(doubleField(7, 1.5))), '39000000000000f83f');
  assert.equal(hex(message(messageField(3, int64Field(1, 150)))), '1a03089601');
  assert.equal(hex(message(messageField(3, []))), '1a00', 'a present empty message keeps its tag');
  assert.equal(hex(message(repeatedString(5, ['a', 'b']))), '2a01612a0162');
  assert.equal(hex(message(oneofBool(2, false))), '1000', 'a oneof member is written even when false');
  for (const zero of [stringField(1, ''), boolField(1, false), int64Field(1, 0), doubleField(1, 0), repeatedString(1, []), messageField(1, undefined)]) {
    assert.deepEqual(zero, []);
  }
});

// A reader for what the test needs: field number -> raw values, in order.
type Raw = number | bigint | Uint8Array;
function read(bytes: Uint8Array): Map<number, Raw[]> {
  const fields = new Map<number, Raw[]>();
  let at = 0;
  const readVarint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[at++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const key = Number(readVarint());
    const [field, wire] = [key >> 3, key & 7];
    let value: Raw;
    if (wire === 0) value = readVarint();
    else if (wire === 1) {
      value = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getFloat64(0, true);
      at += 8;
    } else if (wire === 2) {
      const length = Number(readVarint());
      value = bytes.subarray(at, at + length);
      at += length;
    } else throw new Error(`wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}
const text = (v: Raw | undefined) => new TextDecoder().decode(v as Uint8Array);
const sub = (m: Map<number, Raw[]>, field: number) => read((m.get(field) ?? [new Uint8Array()])[0] as Uint8Array);
const all = (m: Map<number, Raw[]>, field: number) => (m.get(field) ?? []).map((v) => read(v as Uint8Array));
/** NamedX list -> name -> value message. */
const named = (items: Map<number, Raw[]>[]) => new Map(items.map((n) => [text(n.get(1)![0]), sub(n, 2)]));
/** vendor extensions (NamedAny list) -> name -> decoded YAML (JSON) value. */
const extensions = (items: Map<number, Raw[]>[]) => new Map(items.map((n) => [text(n.get(1)![0]), JSON.parse(text(sub(n, 2).get(2)![0]))]));

const swagger = openAPIv2(resourceDefinitions, { patchTypes: supportedPatchTypes, subresourceSchemas });
const doc = read(swaggerToProtobuf(swagger));

test('Document: swagger version, info, every definition with its GVK extension, security', () => {
  assert.equal(text(doc.get(1)![0]), '2.0');
  assert.equal(text(sub(doc, 2).get(1)![0]), swagger.info.title);
  const definitions = named(all(sub(doc, 9), 1));
  assert.deepEqual([...definitions.keys()], Object.keys(swagger.definitions));
  for (const def of resourceDefinitions) {
    const schema = definitions.get(def.openAPIName)!;
    assert.ok(schema, def.openAPIName);
    assert.deepEqual(extensions(all(schema, 31)).get('x-kubernetes-group-version-kind'), [{ group: def.group, kind: def.kind, version: def.version }]);
    assert.deepEqual(all(schema, 22).flatMap((t) => (t.get(1) ?? []).map(text)), ['object']);
  }
  const security = named(all(sub(doc, 13), 1)).get('BearerToken')!;
  const apiKey = sub(security, 2);
  assert.deepEqual([1, 2, 3].map((f) => text(apiKey.get(f)![0])), ['apiKey', 'authorization', 'header']);
});

test('Schema: $ref, description, properties, required, items, additionalProperties, patch markers', () => {
  const definitions = named(all(sub(doc, 9), 1));
  const image = definitions.get('com.github.openshift.api.image.v1.Image')!;
  const props = named(all(sub(image, 25), 1));
  assert.deepEqual([...props.keys()], Object.keys((swagger.definitions['com.github.openshift.api.image.v1.Image'] as any).properties));
  assert.equal(text(props.get('metadata')!.get(1)![0]), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  const signatures = props.get('signatures')!;
  assert.equal(text(signatures.get(4)![0]), 'signatures holds all signatures of the image.');
  const ext = extensions(all(signatures, 31));
  assert.equal(ext.get('x-kubernetes-patch-strategy'), 'merge');
  assert.equal(ext.get('x-kubernetes-patch-merge-key'), 'name');
  const items = all(sub(signatures, 23), 1);
  assert.equal(items.length, 1);
  assert.equal(text(items[0].get(1)![0]), '#/definitions/com.github.openshift.api.image.v1.ImageSignature');
  const signature = definitions.get('com.github.openshift.api.image.v1.ImageSignature')!;
  assert.deepEqual((signature.get(19) ?? []).map(text), ['type', 'content']);
  const labels = named(all(sub(definitions.get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')!, 25), 1)).get('labels')!;
  const additional = sub(sub(labels, 21), 1);
  assert.deepEqual(all(additional, 22).flatMap((t) => (t.get(1) ?? []).map(text)), ['string']);
});

test('Paths: PATCH operations carry their GVK and consumes (kubectl picks the patch type by them)', () => {
  const paths = named(all(sub(doc, 8), 2));
  assert.deepEqual([...paths.keys()], Object.keys(swagger.paths));
  for (const def of resourceDefinitions.filter((d) => d.verbs.includes('patch'))) {
    const scope = def.namespaced ? `namespaces/{namespace}/${def.plural}` : def.plural;
    const item = paths.get(`/apis/${def.group}/${def.version}/${scope}/{name}`)!;
    const patch = sub(item, 8);
    assert.deepEqual(extensions(all(patch, 13)).get('x-kubernetes-group-version-kind'), { group: def.group, kind: def.kind, version: def.version });
    assert.deepEqual((patch.get(7) ?? []).map(text), supportedPatchTypes(def));
    // Query parameters are NonBodyParameter.query_parameter_sub_schema (name = 4, in = 2); the body is BodyParameter.
    const parameters = all(patch, 8).map((p) => sub(p, 1));
    const query = parameters.filter((p) => p.has(2)).map((p) => sub(sub(p, 2), 3));
    assert.ok(query.some((q) => text(q.get(4)![0]) === 'fieldValidation' && text(q.get(2)![0]) === 'query'));
    const body = parameters.find((p) => p.has(1))!;
    assert.equal(text(sub(body, 1).get(2)![0]), 'body');
    const responses = named(all(sub(patch, 9), 1));
    assert.deepEqual([...responses.keys()], ['200', '201', '401']);
    // ResponseValue.response -> Response.schema (SchemaItem) -> SchemaItem.schema -> Schema._ref
    const okSchema = sub(sub(sub(responses.get('200')!, 1), 2), 1);
    assert.equal(text(okSchema.get(1)![0]), `#/definitions/${def.openAPIName}`);
  }
});
