import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import m from 'ajv-formats';
import { invalid as invalidStatus } from '../../src/machinery/errors.js';
import { errorString } from '../../src/machinery/field.js';
import type { KubeObject } from '../../src/machinery/object.js';
import { OPENAPI_DEFINITION } from '../../src/apis/meta/v1/object-meta.js';
import { ObjectReferenceSchema } from '../../src/apis/image/v1/object-reference.js';
import { imageStreamDefinition } from '../../src/apis/image/v1/imagestream/index.js';
import { validateImageStreamName } from '../../src/apis/image/v1/imagestream/strategy.js';
import {
  ImageLookupPolicySchema,
  ImageStreamSchema,
  ImageStreamSpecSchema,
  ImageStreamStatusSchema,
  NamedTagEventListSchema,
  TagEventConditionSchema,
  TagEventSchema,
  TagImportPolicySchema,
  TagReferencePolicySchema,
  TagReferenceSchema,
} from '../../src/apis/image/v1/imagestream/types.js';

const addFormats = m.default;

function compile(schema: object) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** What `oc get is -o json` shows for a stream with an external tag and a tag following it. */
function realisticImageStream(): Record<string, unknown> {
  const digest = 'sha256:4b6dcd5c4b1d5e1a9f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
  return {
    kind: 'ImageStream',
    apiVersion: 'image.openshift.io/v1',
    metadata: { name: 'ruby', namespace: 'demo' },
    spec: {
      lookupPolicy: { local: false },
      tags: [
        {
          name: '3.3',
          annotations: { description: 'Ruby 3.3', 'openshift.io/display-name': 'Ruby 3.3' },
          from: { kind: 'DockerImage', name: 'registry.example.com/ubi9/ruby-33:latest' },
          generation: 2,
          importPolicy: { scheduled: true, importMode: 'Legacy' },
          referencePolicy: { type: 'Local' },
        },
        {
          name: 'latest',
          annotations: null,
          from: { kind: 'ImageStreamTag', name: '3.3', namespace: 'demo' },
          generation: null,
          importPolicy: {},
          referencePolicy: { type: 'Source' },
          reference: true,
        },
      ],
    },
    status: {
      dockerImageRepository: 'image-registry.openshift-image-registry.svc:5000/demo/ruby',
      publicDockerImageRepository: 'registry.apps.example.com/demo/ruby',
      tags: [
        {
          tag: '3.3',
          items: [
            {
              created: '2024-01-02T03:04:05Z',
              dockerImageReference: `registry.example.com/ubi9/ruby-33@${digest}`,
              image: digest,
              generation: 2,
            },
          ],
          conditions: [
            {
              type: 'ImportSuccess',
              status: 'False',
              lastTransitionTime: '2024-01-03T00:00:00Z',
              reason: 'NotFound',
              message: 'dockerimage.image.openshift.io "registry.example.com/ubi9/ruby-33:latest" not found',
              generation: 3,
            },
          ],
        },
        { tag: 'pushed-only', items: null },
      ],
    },
  };
}

// The shared ObjectMeta schema is validated by its own owner; swapping in a permissive metadata keeps
// these tests about the ImageStream part of the schema.
const withOpenMetadata = {
  ...ImageStreamSchema,
  properties: { ...ImageStreamSchema.properties, metadata: { type: 'object' } },
};

test('a realistic ImageStream (DockerImage and ImageStreamTag spec tags, status history and conditions) validates', () => {
  const validate = compile(withOpenMetadata);
  assert.equal(validate(realisticImageStream()), true, JSON.stringify(validate.errors));
});

test('an empty ImageStream and one with empty spec and status structs validate', () => {
  const validate = compile(withOpenMetadata);
  assert.equal(validate({ metadata: { name: 'x' } }), true, JSON.stringify(validate.errors));
  assert.equal(validate({ metadata: { name: 'x' }, spec: {}, status: { dockerImageRepository: '' } }), true);
});

function errorsFor(mutate: (is: any) => void) {
  const validate = compile(withOpenMetadata);
  const is = realisticImageStream();
  mutate(is);
  assert.equal(validate(is), false, 'expected the object to be rejected');
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
}

test('wrong JSON types are rejected at the offending path', () => {
  assert.ok(errorsFor((is) => (is.spec.tags = { name: 'x' })).includes('/spec/tags type'));
  assert.ok(errorsFor((is) => (is.spec.lookupPolicy.local = 'true')).includes('/spec/lookupPolicy/local type'));
  assert.ok(errorsFor((is) => (is.spec.tags[0].generation = '2')).some((e) => e.startsWith('/spec/tags/0/generation')));
  assert.ok(errorsFor((is) => (is.spec.tags[0].from.kind = 7)).includes('/spec/tags/0/from/kind type'));
  assert.ok(errorsFor((is) => (is.spec.tags[0].annotations.description = 1)).some((e) => e.startsWith('/spec/tags/0/annotations')));
  assert.ok(errorsFor((is) => (is.spec.tags[0].importPolicy.insecure = 'yes')).includes('/spec/tags/0/importPolicy/insecure type'));
  assert.ok(errorsFor((is) => (is.spec.tags[0].referencePolicy.type = ['Local'])).includes('/spec/tags/0/referencePolicy/type type'));
  assert.ok(errorsFor((is) => (is.spec.dockerImageRepository = 5)).includes('/spec/dockerImageRepository type'));
  assert.ok(errorsFor((is) => (is.status.tags[0].items[0].generation = 1.5)).includes('/status/tags/0/items/0/generation type'));
  assert.ok(errorsFor((is) => (is.status.tags[0].items[0].created = 'yesterday')).some((e) => e.startsWith('/status/tags/0/items/0/created')));
  assert.ok(errorsFor((is) => (is.status.tags[0].conditions = {})).includes('/status/tags/0/conditions type'));
  assert.ok(errorsFor((is) => (is.status.tags[0].conditions[0].generation = null)).includes('/status/tags/0/conditions/0/generation type'));
  assert.ok(errorsFor((is) => (is.status.publicDockerImageRepository = null)).includes('/status/publicDockerImageRepository type'));
});

test('unknown fields are rejected at every level', () => {
  assert.ok(errorsFor((is) => (is.extra = 1)).includes(' additionalProperties'));
  assert.ok(errorsFor((is) => (is.spec.tags[0].form = {})).includes('/spec/tags/0 additionalProperties'));
  assert.ok(errorsFor((is) => (is.spec.tags[0].from.tag = 'x')).includes('/spec/tags/0/from additionalProperties'));
  assert.ok(errorsFor((is) => (is.status.tags[0].items[0].platforms = [])).includes('/status/tags/0/items/0 additionalProperties'));
});

test('upstream required fields are listed for OpenAPI', () => {
  const validate = compile(withOpenMetadata);
  assert.equal(validate({ metadata: {}, spec: { tags: [{ from: { kind: 'DockerImage', name: 'x' } }] } }), false);
  assert.ok(validate.errors?.some((e) => e.instancePath === '/spec/tags/0' && e.keyword === 'required'));
  const required = (s: object) => (s as { required?: string[] }).required;
  assert.deepEqual(required(ImageStreamSchema), undefined);
  assert.deepEqual(required(ImageStreamSpecSchema), undefined);
  assert.deepEqual(required(ImageLookupPolicySchema), ['local']);
  assert.deepEqual(required(TagReferenceSchema), ['name']);
  assert.deepEqual(required(TagImportPolicySchema), undefined);
  assert.deepEqual(required(TagReferencePolicySchema), ['type']);
  assert.deepEqual(required(ImageStreamStatusSchema), ['dockerImageRepository']);
  assert.deepEqual(required(NamedTagEventListSchema), ['tag', 'items']);
  assert.deepEqual(required(TagEventSchema), ['created', 'dockerImageReference', 'image', 'generation']);
  assert.deepEqual(required(TagEventConditionSchema), ['type', 'status', 'generation']);
  assert.deepEqual(required(ObjectReferenceSchema), undefined);
});

test('patch markers: spec.tags by name, status.tags by tag, conditions and items replaced whole', () => {
  const specTags = ImageStreamSpecSchema.properties.tags as Record<string, unknown>;
  assert.equal(specTags['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(specTags['x-kubernetes-patch-strategy'], 'merge');
  // No +listType in openshift/api: the merge key alone makes both a map list for server-side apply.
  assert.equal(specTags['x-kubernetes-list-type'], undefined);
  assert.equal(specTags['x-kubernetes-list-map-keys'], undefined);
  const statusTags = ImageStreamStatusSchema.properties.tags as Record<string, unknown>;
  assert.equal(statusTags['x-kubernetes-patch-merge-key'], 'tag');
  assert.equal(statusTags['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(statusTags['x-kubernetes-list-type'], undefined);
  assert.equal(statusTags['x-kubernetes-list-map-keys'], undefined);
  for (const list of [NamedTagEventListSchema.properties.conditions, NamedTagEventListSchema.properties.items]) {
    assert.equal((list as Record<string, unknown>)['x-kubernetes-patch-merge-key'], undefined);
    assert.equal((list as Record<string, unknown>)['x-kubernetes-patch-strategy'], undefined);
  }
  assert.equal((ObjectReferenceSchema as Record<string, unknown>)['x-kubernetes-map-type'], 'atomic');
});

test('int64 fields carry the int64 format and times are date-time strings', () => {
  const validate = compile(withOpenMetadata);
  const is = realisticImageStream() as any;
  is.status.tags[0].items[0].created = null;
  is.status.tags[0].conditions[0].lastTransitionTime = null;
  assert.equal(validate(is), true, JSON.stringify(validate.errors));
  assert.equal((TagEventSchema.properties.generation as { format?: string }).format, 'int64');
  assert.equal((TagEventConditionSchema.properties.generation as { format?: string }).format, 'int64');
  const tagGeneration = TagReferenceSchema.properties.generation as { anyOf: { format?: string }[] };
  assert.equal(tagGeneration.anyOf[0].format, 'int64');
  const created = TagEventSchema.properties.created as { anyOf: { format?: string }[] };
  assert.equal(created.anyOf[0].format, 'date-time');
});

test('every embedded type is named as its OpenAPI definition', () => {
  const names = [
    ImageStreamSchema,
    ImageStreamSpecSchema,
    ImageLookupPolicySchema,
    TagReferenceSchema,
    TagImportPolicySchema,
    TagReferencePolicySchema,
    ImageStreamStatusSchema,
    NamedTagEventListSchema,
    TagEventSchema,
    TagEventConditionSchema,
    ObjectReferenceSchema,
  ].map((s) => (s as Record<string, unknown>)[OPENAPI_DEFINITION]);
  assert.deepEqual(names, [
    'com.github.openshift.api.image.v1.ImageStream',
    'com.github.openshift.api.image.v1.ImageStreamSpec',
    'com.github.openshift.api.image.v1.ImageLookupPolicy',
    'com.github.openshift.api.image.v1.TagReference',
    'com.github.openshift.api.image.v1.TagImportPolicy',
    'com.github.openshift.api.image.v1.TagReferencePolicy',
    'com.github.openshift.api.image.v1.ImageStreamStatus',
    'com.github.openshift.api.image.v1.NamedTagEventList',
    'com.github.openshift.api.image.v1.TagEvent',
    'com.github.openshift.api.image.v1.TagEventCondition',
    'io.k8s.api.core.v1.ObjectReference',
  ]);
});

const MUST_MATCH = 'must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"';

test('image stream names must be one repository path component', () => {
  for (const name of ['g', 'ruby', 'a.b_c-d', 'abcdefghijklmnopqrstuvwxyz-1234567890.dot_underscore-dash', '0']) {
    assert.deepEqual(validateImageStreamName({ name, namespace: 'f' }), [], name);
  }
  for (const name of ['Ruby', 'web-', '-web', 'a..b', 'a-_b', 'a b', 'é', '_']) {
    assert.deepEqual(
      validateImageStreamName({ name, namespace: 'ns' }).map(errorString),
      [`metadata.name: Invalid value: ${JSON.stringify(name)}: ${MUST_MATCH}`],
      name,
    );
  }
});

test('path-segment failures are left to the ObjectMeta rules, as upstream stops there', () => {
  for (const name of ['a/b', 'a%b', '.', '..']) assert.deepEqual(validateImageStreamName({ name, namespace: 'ns' }), [], name);
  assert.deepEqual(validateImageStreamName({ namespace: 'ns' }), []);
  assert.deepEqual(validateImageStreamName({ name: '', namespace: 'ns' }), []);
});

test('generateName is checked as a prefix: a trailing separator is refused', () => {
  assert.deepEqual(
    validateImageStreamName({ generateName: 'web-', name: 'web-x7k2p', namespace: 'ns' }).map(errorString),
    [`metadata.generateName: Invalid value: "web-": ${MUST_MATCH}`],
  );
  assert.deepEqual(validateImageStreamName({ generateName: 'web', name: 'webx7k2p', namespace: 'ns' }), []);
  // '.' is a valid path-segment prefix but not a repository component.
  assert.deepEqual(validateImageStreamName({ generateName: '.', name: '.x7k2p', namespace: 'ns' }).map((e) => e.field), [
    'metadata.generateName',
    'metadata.name',
  ]);
  assert.deepEqual(validateImageStreamName({ generateName: 'a/', name: 'ok', namespace: 'ns' }), []);
});

test("'namespace/name' may not exceed 255 bytes", () => {
  const ns = 'n'.repeat(63);
  assert.deepEqual(validateImageStreamName({ name: 'a'.repeat(191), namespace: ns }), []);
  const long = 'a'.repeat(192);
  const errs = validateImageStreamName({ name: long, namespace: ns });
  assert.deepEqual(errs.map(errorString), [
    `metadata.name: Invalid value: "${long}": 'namespace/name' cannot be longer than 255 characters`,
  ]);
  // Both rules report independently.
  const both = validateImageStreamName({ name: 'A'.repeat(192), namespace: ns });
  assert.deepEqual(both.map((e) => e.detail), [MUST_MATCH, "'namespace/name' cannot be longer than 255 characters"]);
});

test('the 422 a client sees for a bad name', () => {
  const errs = validateImageStreamName({ name: 'Ruby', namespace: 'demo' });
  const status = invalidStatus('image.openshift.io', 'ImageStream', 'Ruby', errs).status;
  assert.equal(status.message, `ImageStream.image.openshift.io "Ruby" is invalid: metadata.name: Invalid value: "Ruby": ${MUST_MATCH}`);
  assert.deepEqual(status.details?.causes, [
    { reason: 'FieldValueInvalid', message: `Invalid value: "Ruby": ${MUST_MATCH}`, field: 'metadata.name' },
  ]);
});

test('the strategy applies the name rules on create and update only', async () => {
  const strategy = imageStreamDefinition.strategy;
  const ctx = { namespace: 'demo', user: '', groups: [], dryRun: false };
  const bad: KubeObject = { metadata: { name: 'Bad', namespace: 'demo' } };
  const good: KubeObject = { metadata: { name: 'good', namespace: 'demo' } };
  assert.equal((await strategy.validate!(bad, ctx)).length, 1);
  assert.equal((await strategy.validate!(good, ctx)).length, 0);
  assert.equal((await strategy.validateUpdate!(bad, bad, ctx)).length, 1);
  assert.equal((await strategy.validateUpdate!(good, good, ctx)).length, 0);
  assert.equal(strategy.allowCreateOnUpdate, false);
  assert.equal(strategy.allowUnconditionalUpdate, false);
  assert.equal(strategy.generation, 'spec');
  assert.equal(strategy.nameRule, 'path-segment');
});

test('the resource definition', () => {
  const d = imageStreamDefinition;
  assert.deepEqual(
    [d.group, d.version, d.kind, d.listKind, d.plural, d.singular, d.namespaced],
    ['image.openshift.io', 'v1', 'ImageStream', 'ImageStreamList', 'imagestreams', 'imagestream', true],
  );
  assert.deepEqual(d.shortNames, ['is']);
  assert.deepEqual(d.categories, ['all']);
  assert.deepEqual([...d.verbs].sort(), ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  assert.deepEqual(
    d.subresources?.map(({ name, kind, verbs }) => ({ name, kind, verbs })),
    [
      { name: 'status', kind: 'ImageStream', verbs: ['get', 'patch', 'update'] },
      { name: 'layers', kind: 'ImageStreamLayers', verbs: ['get'] },
      { name: 'secrets', kind: 'SecretList', verbs: ['get'] },
    ],
  );
  assert.equal(d.openAPIName, 'com.github.openshift.api.image.v1.ImageStream');
  assert.equal(d.schema, ImageStreamSchema);
  assert.equal(d.validation, 'typed');
  assert.equal(d.strategicMergePatch, true);
  assert.deepEqual(d.selectableFields!({ metadata: { name: 'x' } }), {
    'spec.dockerImageRepository': '',
    'status.dockerImageRepository': '',
  });
  assert.deepEqual(
    d.selectableFields!({
      metadata: { name: 'x' },
      spec: { dockerImageRepository: 'docker.io/library/ruby' },
      status: { dockerImageRepository: '172.30.1.1:5000/demo/x' },
    }),
    { 'spec.dockerImageRepository': 'docker.io/library/ruby', 'status.dockerImageRepository': '172.30.1.1:5000/demo/x' },
  );
});
