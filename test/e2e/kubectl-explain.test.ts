// The real kubectl (1.32) explaining every served kind from the OpenAPI v3 documents (and v2 protobuf for
// --output=plaintext-openapiv2): headers, descriptions, the top-level field list, and nested fields with their
// types, enums and -required- markers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resourceDefinitions } from '../../src/apis/index.js';
import { isServed, servedReferenceKinds } from '../support/reference-kinds.js';
import { Kubectl } from '../support/kubectl.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
let kubectl: Kubectl;
before(async () => {
  srv = await startTestServer();
  kubectl = new Kubectl(srv.url);
});
after(async () => {
  await srv.close();
});

async function explain(...args: string[]): Promise<string> {
  const res = await kubectl.run(['explain', ...args]);
  assert.equal(res.code, 0, res.stderr);
  return res.stdout;
}

/** `name <type>[ -required-]` of each field listed at the top level of FIELDS. */
function fieldList(out: string): string[] {
  const fields = out.slice(out.indexOf('\nFIELDS:\n'));
  return [...fields.matchAll(/^ {2}(\S+)\t<([^>]+)>( -required-)?$/gm)].map((m) => `${m[1]} <${m[2]}>${m[3] ?? ''}`);
}

/** The DESCRIPTION block, unwrapped into one line per paragraph line kubectl printed. */
function description(out: string): string {
  const start = out.indexOf('DESCRIPTION:\n') + 'DESCRIPTION:\n'.length;
  const end = out.indexOf('\nFIELDS:', start);
  return out
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .map((l) => l.trim())
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const schemaDescription = (group: string, kind: string) => {
  const def = resourceDefinitions.find((d) => d.group === group && d.kind === kind)!;
  return (def.schema as { description: string }).description;
};

describe('every served kind', () => {
  for (const ref of servedReferenceKinds()) {
    test(`explain ${ref.plural}.${ref.group}: header, description, every top-level field`, async () => {
      const out = await explain(`${ref.plural}.${ref.group}`);
      assert.ok(out.startsWith(`GROUP:      ${ref.group}\nKIND:       ${ref.kind}\nVERSION:    v1\n\nDESCRIPTION:\n`), out);
      const words = schemaDescription(ref.group, ref.kind).replace(/\s+/g, ' ');
      assert.ok(description(out).startsWith(words.slice(0, 120)), description(out));
      const def = resourceDefinitions.find((d) => d.group === ref.group && d.kind === ref.kind)!;
      const properties = Object.keys((def.schema as unknown as { properties: object }).properties).sort();
      assert.deepEqual(fieldList(out).map((f) => f.split(' ')[0]), properties);
      assert.ok(fieldList(out).includes('apiVersion <string>'));
      assert.ok(fieldList(out).includes('metadata <ObjectMeta>'));
      // The same through --api-version and the short or plural name alone.
      const short = ref.shortNames[0] ?? ref.plural;
      if (ref.group === 'image.openshift.io' || ref.kind !== 'Image') {
        assert.equal(await explain(short, `--api-version=${ref.group}/v1`), out);
      }
    });
  }
});

describe('nested fields', () => {
  test('imagestreams.spec.tags: field text, then the item type; the TagReference fields', async () => {
    const out = await explain('imagestreams.spec.tags', '--api-version=image.openshift.io/v1');
    assert.match(out, /^GROUP: {6}image\.openshift\.io\nKIND: {7}ImageStream\nVERSION: {4}v1\n\nFIELD: tags <\[\]TagReference>\n/);
    assert.equal(
      description(out),
      'tags map arbitrary string values to specific image locators TagReference specifies optional annotations for images using this tag and an optional reference to an ImageStreamTag, ImageStreamImage, or DockerImage this tag should track.',
    );
    assert.deepEqual(fieldList(out), [
      'annotations <map[string]string>',
      'from <ObjectReference>',
      'generation <integer>',
      'importPolicy <TagImportPolicy>',
      'name <string> -required-',
      'reference <boolean>',
      'referencePolicy <TagReferencePolicy>',
    ]);
    assert.match(out, /^ {2}name\t<string> -required-\n {4}name of the tag\n/m);
  });

  test('imagestreams.spec.tags.from: the field\'s own description before the ObjectReference one', async () => {
    const out = await explain('is.spec.tags.from');
    assert.match(out, /\nFIELD: from <ObjectReference>\n/);
    assert.equal(
      description(out),
      'Optional; if specified, a reference to another image that this tag should point to. Valid values are ImageStreamTag, ImageStreamImage, and DockerImage. ImageStreamTag references can only reference a tag within this same ImageStream. ObjectReference contains enough information to let you inspect or modify the referred object.',
    );
    assert.deepEqual(fieldList(out).map((f) => f.split(' ')[0]), ['apiVersion', 'fieldPath', 'kind', 'name', 'namespace', 'resourceVersion', 'uid']);
  });

  test('imagestreams.spec and .status: one description each, no repetition', async () => {
    assert.equal(description(await explain('is.spec')), 'spec describes the desired state of this stream ImageStreamSpec represents options for ImageStreams.');
    const status = await explain('is.status');
    assert.equal(description(status), 'status describes the current state of this stream ImageStreamStatus contains information about the state of this image stream.');
    assert.deepEqual(fieldList(status), ['dockerImageRepository <string> -required-', 'publicDockerImageRepository <string>', 'tags <[]NamedTagEventList>']);
    const top = await explain('is');
    assert.match(top, /^ {2}metadata\t<ObjectMeta>\n {4}<no description>\n/m);
  });

  test('images.image.openshift.io: signatures and their conditions, layers', async () => {
    const out = await explain('images.image.openshift.io.signatures');
    assert.match(out, /\nFIELD: signatures <\[\]ImageSignature>\n/);
    assert.ok(fieldList(out).includes('content <string> -required-'));
    assert.ok(fieldList(out).includes('type <string> -required-'));
    const conditions = await explain('images.image.openshift.io.signatures.conditions');
    assert.match(conditions, /\nFIELD: conditions <\[\]SignatureCondition>\n/);
    assert.deepEqual(fieldList(conditions), [
      'lastProbeTime <string>',
      'lastTransitionTime <string>',
      'message <string>',
      'reason <string>',
      'status <string> -required-',
      'type <string> -required-',
    ]);
    assert.deepEqual(fieldList(await explain('images.image.openshift.io.dockerImageLayers')), ['mediaType <string> -required-', 'name <string> -required-', 'size <integer> -required-']);
  });

  test('images.config.openshift.io: CRD metadata text, spec.registrySources lists, the import mode enum', async () => {
    const top = await explain('images.config.openshift.io');
    assert.match(top, /^ {2}metadata\t<ObjectMeta>\n {4}Standard object's metadata\. More info:\n {4}https:\/\/git\.k8s\.io\/community\/contributors\/devel\/sig-architecture\/api-conventions\.md#metadata\n/m);
    assert.match(top, /^ {2}spec\t<Object> -required-\n {4}spec holds user settable values for configuration\n/m);
    const sources = await explain('images.config.openshift.io.spec.registrySources');
    assert.match(sources, /\nFIELD: registrySources <Object>\n/);
    assert.deepEqual(fieldList(sources), [
      'allowedRegistries <[]string>',
      'blockedRegistries <[]string>',
      'containerRuntimeSearchRegistries <[]string>',
      'insecureRegistries <[]string>',
    ]);
    const mode = await explain('images.config.openshift.io.spec.imageStreamImportMode');
    assert.match(mode, /\nFIELD: imageStreamImportMode <string>\nENUM:\n {4}""\n {4}Legacy\n {4}PreserveOriginal\n\nDESCRIPTION:\n {4}imageStreamImportMode controls the import mode behaviour of imagestreams\./);
    const status = await explain('images.config.openshift.io.status');
    assert.deepEqual(fieldList(status), ['externalRegistryHostnames <[]string>', 'imageStreamImportMode <string>', 'internalRegistryHostname <string>']);
  });

  test('imagestreamimages.image and imagesignatures.issuedBy: the field texts', async () => {
    assert.match(description(await explain('isimage.image')), /^image associated with the ImageStream and image name\. Image is an immutable representation/);
    const issuedBy = await explain('imagesignatures.issuedBy');
    assert.match(issuedBy, /\nFIELD: issuedBy <SignatureIssuer>\n/);
    assert.deepEqual(fieldList(issuedBy), ['commonName <string>', 'organization <string>']);
  });

  test('imagestreamtags and imagetags: tag, spec and status', { skip: !isServed('image.openshift.io', 'ImageStreamTag') }, async () => {
    const tag = await explain('istag.tag');
    assert.match(tag, /\nFIELD: tag <TagReference>\n/);
    assert.ok(fieldList(tag).includes('name <string> -required-'));
    if (isServed('image.openshift.io', 'ImageTag')) {
      assert.match(await explain('itag.spec'), /\nFIELD: spec <TagReference>\n/);
      assert.match(await explain('itag.status'), /\nFIELD: status <NamedTagEventList>\n/);
    }
  });

  test('--recursive prints the nested names indented', async () => {
    const out = await explain('is', '--recursive');
    assert.match(out, /^ {2}spec\t<ImageStreamSpec>\n {4}dockerImageRepository\t<string>\n {4}lookupPolicy\t<ImageLookupPolicy>\n {6}local\t<boolean> -required-\n {4}tags\t<\[\]TagReference>\n {6}annotations\t<map\[string\]string>\n/m);
  });

  test('--output=plaintext-openapiv2 reads the v2 protobuf document', async () => {
    const out = await explain('imagestreams.spec', '--output=plaintext-openapiv2');
    assert.match(out, /^KIND: {5}ImageStream\nVERSION: {2}image\.openshift\.io\/v1\n\nRESOURCE: spec <Object>\n\nDESCRIPTION:\n {5}spec describes the desired state of this stream\n\n {5}ImageStreamSpec represents options for ImageStreams\.\n/);
    assert.match(out, /^ {3}tags\t<\[\]Object>\n {5}tags map arbitrary string values to specific image locators\n/m);
  });

  test('a field that does not exist', async () => {
    const res = await kubectl.run(['explain', 'is.spec.bogus']);
    assert.equal(res.code, 1);
    assert.equal(res.stderr.trim(), 'error: field "bogus" does not exist');
  });
});
