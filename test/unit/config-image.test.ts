// config.openshift.io/v1 Image: the CRD schema run through the CRD-mode validator, case by case as the
// upstream CRD test suites (openshift/api config/v1/tests/images.config.openshift.io/AAA_ungated.yaml and
// ImageStreamImportMode.yaml) run them against a real kube-apiserver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageConfigDefinition } from '../../src/apis/config/v1/image/index.js';
import {
  ImageConfigSchema,
  ONLY_ONE_REGISTRY_LIST_MESSAGE,
  REGISTRY_SCOPE_MESSAGE,
} from '../../src/apis/config/v1/image/types.js';
import { invalid } from '../../src/machinery/errors.js';
import { errorString } from '../../src/machinery/field.js';
import { compileSchemaValidator, type SchemaResult } from '../../src/machinery/schema-validation.js';

const validator = compileSchemaValidator(ImageConfigSchema, 'crd');

const image = (spec: unknown) => ({
  apiVersion: 'config.openshift.io/v1',
  kind: 'Image',
  metadata: { name: 'cluster' },
  spec,
});

const messages = (r: SchemaResult) => r.errors.map(errorString);
const create = (spec: unknown) => messages(validator.validate(image(spec)));
const update = (oldSpec: unknown, newSpec: unknown) => messages(validator.validate(image(newSpec), image(oldSpec)));

const scopeError = (list: string, i: number) =>
  `spec.registrySources.${list}[${i}]: Invalid value: "string": ${REGISTRY_SCOPE_MESSAGE}`;
const tooShort = (list: string, i: number) =>
  `spec.registrySources.${list}[${i}]: Invalid value: "": spec.registrySources.${list}[${i}] in body should be at least 1 chars long`;
const onlyOne = `spec.registrySources: Invalid value: "object": ${ONLY_ONE_REGISTRY_LIST_MESSAGE}`;
const notChecked =
  '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

const LISTS = ['blockedRegistries', 'allowedRegistries', 'insecureRegistries'] as const;
const VALID_SCOPES = ['registry.io', 'registry.io/myrepo', '*.example.com', 'localhost:5000/repo'];

// ---- AAA_ungated.yaml: onCreate ------------------------------------------------------------------

test('onCreate: a minimal Image (spec: {}) is accepted', () => {
  assert.deepEqual(create({}), []);
});

for (const list of LISTS) {
  test(`onCreate: a tagged entry in ${list} is rejected at [0]`, () => {
    assert.deepEqual(create({ registrySources: { [list]: ['registry.io/myrepo:latest'] } }), [scopeError(list, 0)]);
  });
}

for (const list of LISTS) {
  test(`onCreate: a digest entry in ${list} is rejected at [0]`, () => {
    assert.deepEqual(create({ registrySources: { [list]: ['registry.io/myrepo@sha256:abc123'] } }), [scopeError(list, 0)]);
  });
}

for (const list of LISTS) {
  test(`onCreate: an empty string in ${list} fails minLength and the registry rule at [0]`, () => {
    // minLength is not a blocking error, so the CEL rule still runs on the same entry.
    assert.deepEqual(create({ registrySources: { [list]: [''] } }), [tooShort(list, 0), scopeError(list, 0)]);
  });
}

test('onCreate: valid blockedRegistries and insecureRegistries are accepted', () => {
  const spec = {
    registrySources: {
      blockedRegistries: VALID_SCOPES,
      insecureRegistries: ['insecure.registry.io', '*.insecure.example.com'],
    },
  };
  assert.deepEqual(create(spec), []);
});

test('onCreate: valid allowedRegistries are accepted', () => {
  assert.deepEqual(create({ registrySources: { allowedRegistries: VALID_SCOPES } }), []);
});

// ---- AAA_ungated.yaml: onUpdate (the stored objects came in through initialCRDPatches) -----------

const both = { registrySources: { blockedRegistries: ['test'], allowedRegistries: ['test'] } };

test('onUpdate: both lists stored, changing another field is accepted (ratcheting)', () => {
  const result = validator.validate(image({ ...both, externalRegistryHostnames: ['test'] }), image(both));
  assert.deepEqual(messages(result), []);
  assert.deepEqual(result.warnings, [onlyOne]);
});

test('onUpdate: both lists stored, removing blockedRegistries is accepted', () => {
  assert.deepEqual(update(both, { registrySources: { allowedRegistries: ['test'] } }), []);
});

test('onUpdate: both lists stored, changing blockedRegistries is rejected', () => {
  const next = { registrySources: { blockedRegistries: ['test', 'test2'], allowedRegistries: ['test'] } };
  assert.deepEqual(update(both, next), [onlyOne]);
});

test('onUpdate: allowedRegistries stored, adding blockedRegistries is rejected', () => {
  const next = { registrySources: { allowedRegistries: ['test'], blockedRegistries: ['test2'] } };
  assert.deepEqual(update({ registrySources: { allowedRegistries: ['test'] } }, next), [onlyOne]);
});

test('onUpdate: blockedRegistries stored, adding allowedRegistries is rejected', () => {
  const next = { registrySources: { blockedRegistries: ['test'], allowedRegistries: ['test2'] } };
  assert.deepEqual(update({ registrySources: { blockedRegistries: ['test'] } }, next), [onlyOne]);
});

for (const list of LISTS) {
  test(`onUpdate: a tagged entry stored in ${list}, changing another field is accepted`, () => {
    const stored = { registrySources: { [list]: ['registry.io/myrepo:latest'] } };
    assert.deepEqual(update(stored, { ...stored, externalRegistryHostnames: ['test'] }), []);
  });
}

test('onUpdate: a tagged entry stored, adding another tagged entry re-validates the whole list', () => {
  const stored = { registrySources: { blockedRegistries: ['registry.io/myrepo:latest'] } };
  const next = { registrySources: { blockedRegistries: ['registry.io/myrepo:latest', 'registry.io/other:v1'] } };
  assert.deepEqual(update(stored, next), [scopeError('blockedRegistries', 0), scopeError('blockedRegistries', 1)]);
});

test('onUpdate: a tagged entry stored, appending a valid entry still fails on the stored one (atomic list)', () => {
  const stored = { registrySources: { blockedRegistries: ['registry.io/myrepo:latest'] } };
  const next = { registrySources: { blockedRegistries: ['registry.io/myrepo:latest', 'registry.io'] } };
  assert.deepEqual(update(stored, next), [scopeError('blockedRegistries', 0)]);
});

for (const list of LISTS) {
  test(`onUpdate: an empty string stored in ${list}, changing another field is accepted`, () => {
    const stored = { registrySources: { [list]: [''] } };
    assert.deepEqual(update(stored, { ...stored, externalRegistryHostnames: ['test'] }), []);
  });
}

// ---- ImageStreamImportMode.yaml: onCreate ----------------------------------------------------------

test('ImageStreamImportMode: a minimal Image is accepted', () => {
  assert.deepEqual(create({}), []);
});

for (const mode of ['Legacy', 'PreserveOriginal', '']) {
  test(`ImageStreamImportMode: ${JSON.stringify(mode)} is accepted`, () => {
    assert.deepEqual(create({ imageStreamImportMode: mode }), []);
  });
}

test('ImageStreamImportMode: an unknown mode is rejected with the supported values', () => {
  assert.deepEqual(create({ imageStreamImportMode: 'InvalidValue' }), [
    'spec.imageStreamImportMode: Unsupported value: "InvalidValue": supported values: "", "Legacy", "PreserveOriginal"',
    notChecked,
  ]);
});

// ---- the other schema rules (image-api-behavior §6.2) -------------------------------------------

test('spec is required; an object without it is rejected', () => {
  const result = validator.validate({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' } });
  assert.deepEqual(messages(result), ['spec: Required value', notChecked]);
  assert.equal(
    invalid('config.openshift.io', 'Image', 'cluster', result.errors).message,
    `Image.config.openshift.io "cluster" is invalid: [spec: Required value, ${notChecked}]`,
  );
});

test('additionalTrustedCA, when present, needs a name ("" is enough)', () => {
  assert.deepEqual(create({ additionalTrustedCA: {} }), ['spec.additionalTrustedCA.name: Required value', notChecked]);
  assert.deepEqual(create({ additionalTrustedCA: { name: '' } }), []);
});

test('an empty blockedRegistries list counts as set for the one-of rule', () => {
  assert.deepEqual(create({ registrySources: { blockedRegistries: [], allowedRegistries: ['x.io'] } }), [onlyOne]);
  assert.deepEqual(create({ registrySources: { allowedRegistries: ['x.io'] } }), []);
});

test('registry entries are limited to 256 characters and 1024 per list; both block the CEL rules', () => {
  assert.deepEqual(create({ registrySources: { insecureRegistries: ['a'.repeat(257)] } }), [
    'spec.registrySources.insecureRegistries[0]: Too long: may not be more than 256 bytes',
    notChecked,
  ]);
  assert.deepEqual(create({ registrySources: { insecureRegistries: ['a'.repeat(256)] } }), []);
  const many = Array.from({ length: 1025 }, (_, i) => `r${i}.example.com`);
  assert.deepEqual(create({ registrySources: { allowedRegistries: many } }), [
    'spec.registrySources.allowedRegistries: Too many: 1025: must have at most 1024 items',
    notChecked,
  ]);
  assert.deepEqual(create({ registrySources: { allowedRegistries: many.slice(0, 1024) } }), []);
});

test('registry scope rule: accepted and rejected forms', () => {
  for (const ok of ['localhost', 'test', 'Registry.IO', 'host:5000', 'host/a__b/c-d.e', '*.com', '*.example.com']) {
    assert.deepEqual(create({ registrySources: { blockedRegistries: [ok] } }), [], ok);
  }
  for (const bad of ['*', '*.', '*example.com', '*.example.com:5000', '*.example.com/path', 'host//x', 'host/', 'host/Repo', 'https://host', '[::1]']) {
    assert.deepEqual(create({ registrySources: { blockedRegistries: [bad] } }), [scopeError('blockedRegistries', 0)], bad);
  }
});

test('containerRuntimeSearchRegistries: at least one item, no repeats, items not hostname-checked', () => {
  assert.deepEqual(create({ registrySources: { containerRuntimeSearchRegistries: [] } }), [
    'spec.registrySources.containerRuntimeSearchRegistries: Invalid value: 0: spec.registrySources.containerRuntimeSearchRegistries in body should have at least 1 items',
  ]);
  assert.deepEqual(create({ registrySources: { containerRuntimeSearchRegistries: ['a.io', 'b.io', 'a.io', 'a.io'] } }), [
    'spec.registrySources.containerRuntimeSearchRegistries[2]: Duplicate value: "a.io"',
  ]);
  assert.deepEqual(create({ registrySources: { containerRuntimeSearchRegistries: ['not_a_hostname!'] } }), []);
});

test('status.imageStreamImportMode has the same enum; other fields are free-form', () => {
  const obj = { ...image({}), status: { imageStreamImportMode: 'Other', internalRegistryHostname: 'x:5000' } };
  assert.deepEqual(messages(validator.validate(obj)), [
    'status.imageStreamImportMode: Unsupported value: "Other": supported values: "", "Legacy", "PreserveOriginal"',
    notChecked,
  ]);
});

test('allowedRegistriesForImport entries have no schema constraint on domainName', () => {
  assert.deepEqual(create({ allowedRegistriesForImport: [{ domainName: 'a:b:c' }, { insecure: true }] }), []);
});

// ---- the schema and the definition ----------------------------------------------------------------

test('the schema carries the CRD keywords', () => {
  const s = ImageConfigSchema as unknown as Record<string, any>;
  assert.deepEqual(s.required, ['spec']);
  const sources = s.properties.spec.properties.registrySources;
  assert.deepEqual(sources['x-kubernetes-validations'], [
    { rule: 'has(self.blockedRegistries) ? !has(self.allowedRegistries) : true', message: ONLY_ONE_REGISTRY_LIST_MESSAGE },
  ]);
  const blocked = sources.properties.blockedRegistries;
  assert.equal(blocked.maxItems, 1024);
  assert.equal(blocked['x-kubernetes-list-type'], 'atomic');
  assert.equal(blocked.items.minLength, 1);
  assert.equal(blocked.items.maxLength, 256);
  // Copied from the CRD YAML (image-api-types.md §1), independent of the constant in types.ts.
  const crdRule = String.raw`self.matches('^\\*(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$|^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$')`;
  assert.deepEqual(blocked.items['x-kubernetes-validations'], [{ rule: crdRule, message: REGISTRY_SCOPE_MESSAGE }]);
  const search = sources.properties.containerRuntimeSearchRegistries;
  assert.deepEqual([search.format, search.minItems, search['x-kubernetes-list-type'], search.items.format], ['hostname', 1, 'set', undefined]);
  assert.deepEqual(s.properties.spec.properties.imageStreamImportMode.enum, ['', 'Legacy', 'PreserveOriginal']);
  assert.deepEqual(s.properties.spec.properties.additionalTrustedCA.required, ['name']);
  assert.equal(s.properties.spec.required, undefined);
});

test('every property of the schema has a description', () => {
  const missing: string[] = [];
  const walk = (node: Record<string, any>, path: string) => {
    for (const [name, sub] of Object.entries<Record<string, any>>(node.properties ?? {})) {
      if (typeof sub.description !== 'string' || sub.description === '') missing.push(`${path}${name}`);
      walk(sub, `${path}${name}.`);
      if (sub.items) walk(sub.items, `${path}${name}[].`);
    }
  };
  walk(ImageConfigSchema as unknown as Record<string, any>, '');
  assert.deepEqual(missing, []);
});

test('the resource definition matches the CRD', () => {
  const d = imageConfigDefinition;
  assert.deepEqual(
    [d.group, d.version, d.kind, d.listKind, d.plural, d.singular, d.namespaced],
    ['config.openshift.io', 'v1', 'Image', 'ImageList', 'images', 'image', false],
  );
  assert.deepEqual([...d.verbs].sort(), ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  assert.deepEqual(d.subresources, [{ name: 'status', kind: 'Image', verbs: ['get', 'patch', 'update'] }]);
  assert.equal(d.shortNames, undefined);
  assert.equal(d.categories, undefined);
  assert.equal(d.openAPIName, 'com.github.openshift.api.config.v1.Image');
  assert.equal(d.validation, 'crd');
  assert.equal(d.strategicMergePatch, false);
  assert.equal(d.schema, ImageConfigSchema);
  assert.deepEqual(
    [d.strategy.allowCreateOnUpdate, d.strategy.allowUnconditionalUpdate, d.strategy.generation, d.strategy.nameRule],
    [false, false, 'spec', 'dns-subdomain'],
  );
});

test('the validator accepts the schema as JSON (as loaded from schemas/)', () => {
  const fromJson = compileSchemaValidator(JSON.parse(JSON.stringify(ImageConfigSchema)), 'crd');
  const r = fromJson.validate(image({ registrySources: { blockedRegistries: ['x:latest'] } }));
  assert.deepEqual(messages(r), [scopeError('blockedRegistries', 0)]);
});
