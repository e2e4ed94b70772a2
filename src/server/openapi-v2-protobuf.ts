// `/openapi/v2` in its protobuf form: the Swagger document as gnostic's openapi_v2.Document message
// (github.com/google/gnostic-models openapiv2/OpenAPIv2.proto), which kube-openapi serves by parsing its
// JSON with openapi_v2.ParseDocument and marshalling the result. kubectl asks for nothing else on v2: it
// validates create-only kinds client-side against it (their GVK has no PATCH operation for the
// fieldValidation probe of v3), and looks up PATCH `consumes` there when v3 offers no strategic merge patch.
//
// Values gnostic keeps as YAML (defaults, enums, examples, x- extensions) are written as JSON text, which
// is YAML that every reader decodes to the same value.
import {
  boolField,
  doubleField,
  type Fields,
  int64Field,
  message,
  messageField,
  oneofBool,
  repeatedMessage,
  repeatedString,
  stringField,
} from '../machinery/protobuf.js';
import type { Schema, SwaggerDocument } from './openapi.js';

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const bool = (v: unknown) => v === true;
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const entries = (v: unknown) => (isObject(v) ? Object.entries(v) : []);

/** Any { yaml = 2 } */
const anyValue = (value: unknown): Fields => stringField(2, JSON.stringify(value));

/** NamedAny { name = 1; Any value = 2 } for every `x-` key of `node`. */
function vendorExtensions(node: Schema): Fields[] {
  return Object.entries(node)
    .filter(([k]) => k.startsWith('x-'))
    .map(([name, value]) => [...stringField(1, name), ...messageField(2, anyValue(value))]);
}

/** Schema (fields 1–31). */
function schema(node: Schema): Fields {
  const additional = node.additionalProperties;
  const items = node.items;
  return [
    ...stringField(1, str(node.$ref)),
    ...stringField(2, str(node.format)),
    ...stringField(3, str(node.title)),
    ...stringField(4, str(node.description)),
    ...messageField(5, 'default' in node ? anyValue(node.default) : undefined),
    ...doubleField(6, num(node.multipleOf)),
    ...doubleField(7, num(node.maximum)),
    ...boolField(8, bool(node.exclusiveMaximum)),
    ...doubleField(9, num(node.minimum)),
    ...boolField(10, bool(node.exclusiveMinimum)),
    ...int64Field(11, num(node.maxLength)),
    ...int64Field(12, num(node.minLength)),
    ...stringField(13, str(node.pattern)),
    ...int64Field(14, num(node.maxItems)),
    ...int64Field(15, num(node.minItems)),
    ...boolField(16, bool(node.uniqueItems)),
    ...int64Field(17, num(node.maxProperties)),
    ...int64Field(18, num(node.minProperties)),
    ...repeatedString(19, strings(node.required)),
    ...repeatedMessage(20, (Array.isArray(node.enum) ? node.enum : []).map(anyValue)),
    // AdditionalPropertiesItem { oneof { Schema schema = 1; bool boolean = 2 } }
    ...messageField(21, isObject(additional) ? messageField(1, schema(additional)) : typeof additional === 'boolean' ? oneofBool(2, additional) : undefined),
    // TypeItem { repeated string value = 1 }
    ...messageField(22, node.type === undefined ? undefined : repeatedString(1, Array.isArray(node.type) ? strings(node.type) : strings([node.type]))),
    // ItemsItem { repeated Schema schema = 1 }
    ...messageField(23, items === undefined ? undefined : repeatedMessage(1, (Array.isArray(items) ? items : [items]).filter(isObject).map(schema))),
    ...repeatedMessage(24, (Array.isArray(node.allOf) ? node.allOf : []).filter(isObject).map(schema)),
    // Properties { repeated NamedSchema additional_properties = 1 }
    ...messageField(25, isObject(node.properties) ? repeatedMessage(1, entries(node.properties).map(([name, s]) => namedSchema(name, s))) : undefined),
    ...stringField(26, str(node.discriminator)),
    ...boolField(27, bool(node.readOnly)),
    ...messageField(30, 'example' in node ? anyValue(node.example) : undefined),
    ...repeatedMessage(31, vendorExtensions(node)),
  ];
}

/** NamedSchema { name = 1; Schema value = 2 } */
const namedSchema = (name: string, value: unknown): Fields => [...stringField(1, name), ...messageField(2, schema(isObject(value) ? value : {}))];

/** ParametersItem { Parameter parameter = 1 } -> Parameter { BodyParameter = 1 | NonBodyParameter = 2 }. */
function parameter(p: Schema): Fields {
  if (p.in === 'body') {
    const body: Fields = [
      ...stringField(1, str(p.description)),
      ...stringField(2, str(p.name)),
      ...stringField(3, 'body'),
      ...boolField(4, bool(p.required)),
      ...messageField(5, isObject(p.schema) ? schema(p.schema) : undefined),
      ...repeatedMessage(6, vendorExtensions(p)),
    ];
    return messageField(1, messageField(1, body));
  }
  // NonBodyParameter { header = 1; formData = 2; query = 3; path = 4 }; the sub-schemas number their fields differently.
  const query = p.in === 'query';
  const sub: Fields = [
    ...boolField(1, bool(p.required)),
    ...stringField(2, str(p.in)),
    ...stringField(3, str(p.description)),
    ...stringField(4, str(p.name)),
    ...(query ? stringField(6, str(p.type)) : stringField(5, str(p.type))),
    ...(query ? stringField(7, str(p.format)) : stringField(6, str(p.format))),
    ...(query ? boolField(20, bool(p.uniqueItems)) : boolField(19, bool(p.uniqueItems))),
    ...repeatedMessage(query ? 23 : 22, vendorExtensions(p)),
  ];
  const which = query ? 3 : p.in === 'path' ? 4 : p.in === 'header' ? 1 : 2;
  return messageField(1, messageField(2, messageField(which, sub)));
}

/** Responses { repeated NamedResponseValue response_code = 1 }; ResponseValue { Response response = 1 }. */
function responses(node: unknown): Fields {
  return repeatedMessage(
    1,
    entries(node).map(([code, r]) => {
      const response = isObject(r) ? r : {};
      const body: Fields = [
        ...stringField(1, str(response.description)),
        // SchemaItem { Schema schema = 1 }
        ...messageField(2, isObject(response.schema) ? messageField(1, schema(response.schema)) : undefined),
      ];
      return [...stringField(1, code), ...messageField(2, messageField(1, body))];
    }),
  );
}

/** Operation (fields 1–13). */
function operation(op: Schema): Fields {
  return [
    ...repeatedString(1, strings(op.tags)),
    ...stringField(2, str(op.summary)),
    ...stringField(3, str(op.description)),
    ...stringField(5, str(op.operationId)),
    ...repeatedString(6, strings(op.produces)),
    ...repeatedString(7, strings(op.consumes)),
    ...repeatedMessage(8, (Array.isArray(op.parameters) ? op.parameters : []).filter(isObject).map(parameter)),
    ...messageField(9, op.responses === undefined ? undefined : responses(op.responses)),
    ...repeatedString(10, strings(op.schemes)),
    ...boolField(11, bool(op.deprecated)),
    ...repeatedMessage(13, vendorExtensions(op)),
  ];
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** PathItem: `_ref` = 1, one field per method, parameters = 9. */
function pathItem(item: Schema): Fields {
  const fields: Fields = [...stringField(1, str(item.$ref))];
  for (const [method, number] of Object.entries(METHOD_FIELDS).sort((a, b) => a[1] - b[1])) {
    if (isObject(item[method])) fields.push(...messageField(number, operation(item[method] as Schema)));
  }
  fields.push(...repeatedMessage(9, (Array.isArray(item.parameters) ? item.parameters : []).filter(isObject).map(parameter)));
  fields.push(...repeatedMessage(10, vendorExtensions(item)));
  return fields;
}

/** SecurityDefinitionsItem: only the apiKey form (2) is used by kube servers. */
function securityDefinition(def: Schema): Fields {
  const apiKey: Fields = [
    ...stringField(1, str(def.type)),
    ...stringField(2, str(def.name)),
    ...stringField(3, str(def.in)),
    ...stringField(4, str(def.description)),
    ...repeatedMessage(5, vendorExtensions(def)),
  ];
  return messageField(2, apiKey);
}

/** The protobuf bytes kube-openapi serves for this Swagger document. */
export function swaggerToProtobuf(doc: SwaggerDocument): Uint8Array {
  const d = doc as unknown as Schema;
  const info = isObject(d.info) ? d.info : {};
  return message([
    ...stringField(1, str(d.swagger)),
    ...messageField(2, [...stringField(1, str(info.title)), ...stringField(2, str(info.version)), ...stringField(3, str(info.description))]),
    ...stringField(3, str(d.host)),
    ...stringField(4, str(d.basePath)),
    ...repeatedString(5, strings(d.schemes)),
    ...repeatedString(6, strings(d.consumes)),
    ...repeatedString(7, strings(d.produces)),
    // Paths { repeated NamedPathItem path = 2 }
    ...messageField(8, isObject(d.paths) ? repeatedMessage(2, entries(d.paths).map(([name, item]) => [...stringField(1, name), ...messageField(2, pathItem(isObject(item) ? item : {}))])) : undefined),
    // Definitions { repeated NamedSchema additional_properties = 1 }
    ...messageField(9, isObject(d.definitions) ? repeatedMessage(1, entries(d.definitions).map(([name, s]) => namedSchema(name, s))) : undefined),
    // SecurityRequirement { repeated NamedStringArray additional_properties = 1 }; StringArray { repeated string value = 1 }
    ...repeatedMessage(
      12,
      (Array.isArray(d.security) ? d.security : []).filter(isObject).map((req) => repeatedMessage(1, entries(req).map(([name, scopes]) => [...stringField(1, name), ...messageField(2, repeatedString(1, strings(scopes)))]))),
    ),
    ...messageField(13, isObject(d.securityDefinitions) ? repeatedMessage(1, entries(d.securityDefinitions).map(([name, def]) => [...stringField(1, name), ...messageField(2, securityDefinition(isObject(def) ? def : {}))])) : undefined),
    ...repeatedMessage(16, vendorExtensions(d)),
  ]);
}
