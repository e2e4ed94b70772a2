// The real kubectl (1.32) writing every writable kind: client-side `apply` (created / unchanged / configured, with
// the patch type kubectl picks from OpenAPI), `apply --server-side` (no-op twice, conflicts between managers,
// --force-conflicts), `diff -f` and `diff --server-side` (output text, nothing stored),
// `patch --type strategic` (415 for the config Image CRD, as kube-apiserver answers for CRDs), and `create` with an
// unknown field under --validate=strict, the default, warn and false; server-side for kinds with a PATCH operation,
// client-side (OpenAPI v2 protobuf) for the create-only kinds. The tag views (ImageStreamTag, ImageTag) get what
// openshift-apiserver lets through: strategic patches, client-side apply and diff of an ImageStreamTag; 422 for
// server-side apply of either and for re-applying an ImageTag.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isServed } from '../support/reference-kinds.js';
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

const NS = 'writes';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

interface WritableKind {
  title: string;
  /** The resource argument kubectl gets. */
  resource: string;
  /** How kubectl prints an object of the kind: `<singular>.<group>`. */
  printed: string;
  namespaced: boolean;
  /** A manifest whose one varying field holds `value`. */
  manifest(name: string, value: string): string;
  /** jsonpath of that field, and what it reads for a manifest value. */
  valuePath: string;
  stored(value: string): string;
  /** The lines `kubectl diff` prints for the field going from `from` to `to`. */
  diffLines(from: string, to: string): [string, string];
  /** What client-side apply sends for an existing object: picked from the OpenAPI PATCH content types. */
  applyPatchType: string;
  /** A strategic merge patch, the jsonpath it changes and the value after it; or the 415 kubectl prints. */
  strategic: { patch: string; path: string; value: string } | { refused: string };
  /** The field path a second field manager conflicts on (structured-merge-diff's rendering). */
  conflict: string;
  /** The manifest with an unknown field, and how kube names that field. */
  unknown(name: string): { yaml: string; field: string };
}

const configImage: WritableKind = {
  title: 'config.openshift.io Image',
  resource: 'images.config.openshift.io',
  printed: 'image.config.openshift.io',
  namespaced: false,
  manifest: (name, value) => `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: ${name}
spec:
  externalRegistryHostnames:
  - ${value}
`,
  valuePath: '{.spec.externalRegistryHostnames[0]}',
  stored: (v) => v,
  diffLines: (from, to) => [`-  - ${from}`, `+  - ${to}`],
  applyPatchType: 'application/merge-patch+json',
  conflict: '.spec.externalRegistryHostnames',
  strategic: {
    refused:
      'error: application/strategic-merge-patch+json is not supported by config.openshift.io/v1, Kind=Image: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  },
  unknown: (name) => ({ yaml: configImage.manifest(name, 'a.example.com').replace('spec:\n', 'spec:\n  bogus: 1\n'), field: 'spec.bogus' }),
};

const image: WritableKind = {
  title: 'image.openshift.io Image',
  resource: 'images.image.openshift.io',
  printed: 'image.image.openshift.io',
  namespaced: false,
  manifest: (name, value) => `apiVersion: image.openshift.io/v1
kind: Image
metadata:
  name: ${name}
  labels:
    app: ${value}
dockerImageReference: registry.example.com/writes/app@${name}
`,
  valuePath: '{.metadata.labels.app}',
  stored: (v) => v,
  diffLines: (from, to) => [`-    app: ${from}`, `+    app: ${to}`],
  applyPatchType: 'application/strategic-merge-patch+json',
  conflict: '.metadata.labels.app',
  strategic: { patch: '{"metadata":{"labels":{"tier":"gold"}}}', path: '{.metadata.labels.tier}', value: 'gold' },
  unknown: (name) => ({ yaml: `${image.manifest(name, 'x')}bogus: 1\n`, field: 'bogus' }),
};

const imageStream: WritableKind = {
  title: 'ImageStream',
  resource: 'imagestreams',
  printed: 'imagestream.image.openshift.io',
  namespaced: true,
  manifest: (name, value) => `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  tags:
  - name: latest
    from:
      kind: DockerImage
      name: registry.example.com/writes/app:${value}
`,
  valuePath: '{.spec.tags[?(@.name=="latest")].from.name}',
  stored: (v) => `registry.example.com/writes/app:${v}`,
  diffLines: (from, to) => [`-      name: registry.example.com/writes/app:${from}`, `+      name: registry.example.com/writes/app:${to}`],
  applyPatchType: 'application/strategic-merge-patch+json',
  // Tags are a map list keyed by name; `from` is an atomic ObjectReference.
  conflict: '.spec.tags[name="latest"].from',
  // Merged by name: the new tag joins `latest`.
  strategic: { patch: '{"spec":{"tags":[{"name":"extra","from":{"kind":"DockerImage","name":"registry.example.com/x:1"}}]}}', path: '{.spec.tags[*].name}', value: 'extra latest' },
  unknown: (name) => ({ yaml: imageStream.manifest(name, '1').replace('spec:\n', 'spec:\n  bogus: 1\n'), field: 'spec.bogus' }),
};

const KINDS = [configImage, image, imageStream];

/** A name per kind and purpose (images are named by digest). */
const nameFor = (kind: WritableKind, purpose: string) => {
  if (kind !== image) return `${purpose}-x`;
  const seeds: Record<string, string> = { apply: 'a', diff: 'b', ssdiff: 'c', patch: 'd', strict: 'e', warn: 'f', ssa: '1' };
  return digest(seeds[purpose]);
};

async function ok(args: string[], stdin?: string): Promise<string> {
  const res = await kubectl.run(args, stdin);
  assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
}

const ns = (kind: WritableKind) => (kind.namespaced ? ['-n', NS] : []);
const value = (kind: WritableKind, name: string) => ok(['get', kind.resource, name, ...ns(kind), '-o', `jsonpath=${kind.valuePath}`]);
const resourceVersion = (kind: WritableKind, name: string) => ok(['get', kind.resource, name, ...ns(kind), '-o', 'jsonpath={.metadata.resourceVersion}']);

for (const kind of KINDS) {
  describe(kind.title, () => {
    test('apply: created, unchanged, configured with the patch type from OpenAPI', async () => {
      const name = nameFor(kind, 'apply');
      assert.equal(await ok(['apply', '-f', '-'], kind.manifest(name, 'one')), `${kind.printed}/${name} created\n`);
      const rv = await resourceVersion(kind, name);
      assert.equal(await ok(['apply', '-f', '-'], kind.manifest(name, 'one')), `${kind.printed}/${name} unchanged\n`);
      assert.equal(await resourceVersion(kind, name), rv);
      const changed = await kubectl.run(['apply', '-f', '-', '-v=8'], kind.manifest(name, 'two'));
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal(changed.stdout, `${kind.printed}/${name} configured\n`);
      assert.match(changed.stderr, / PATCH http:\/\/\S+\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict\n/);
      assert.match(changed.stderr, new RegExp(`Content-Type: ${kind.applyPatchType.replace(/[+.]/g, '\\$&')}\\n`));
      assert.equal(await value(kind, name), kind.stored('two'));
      const annotation = JSON.parse(await ok(['get', kind.resource, name, ...ns(kind), '-o', "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"]));
      assert.equal(annotation.metadata.name, name);
    });

    test('diff -f: the changed line, exit 1; nothing stored; identical manifest: no output, exit 0', async () => {
      const name = nameFor(kind, 'diff');
      await ok(['apply', '-f', '-'], kind.manifest(name, 'one'));
      const rv = await resourceVersion(kind, name);
      const same = await kubectl.run(['diff', '-f', '-'], kind.manifest(name, 'one'));
      assert.equal(same.code, 0, same.stderr);
      assert.equal(same.stdout, '');
      const diff = await kubectl.run(['diff', '-f', '-'], kind.manifest(name, 'two'));
      assert.equal(diff.code, 1, diff.stderr);
      const lines = diff.stdout.split('\n');
      assert.match(lines[0], new RegExp(`^diff -u -N \\S+/LIVE-\\d+/\\S+ \\S+/MERGED-\\d+/\\S+$`));
      const [removed, added] = kind.diffLines('one', 'two');
      assert.ok(lines.includes(removed), diff.stdout);
      assert.ok(lines.includes(added), diff.stdout);
      // Only the field and, where the kind has one, the generation change.
      const changes = lines.filter((l) => /^[-+] /.test(l) || /^[-+]\s/.test(l)).filter((l) => !l.startsWith('---') && !l.startsWith('+++'));
      assert.deepEqual(changes.filter((l) => !/generation: \d+$/.test(l)), [removed, added]);
      assert.equal(await resourceVersion(kind, name), rv, 'diff is a dry run');
      assert.equal(await value(kind, name), kind.stored('one'));
    });

    test('diff --server-side: the changed line, exit 1, nothing stored', async () => {
      const name = nameFor(kind, 'ssdiff');
      await ok(['apply', '--server-side', '-f', '-'], kind.manifest(name, 'one'));
      const rv = await resourceVersion(kind, name);
      const same = await kubectl.run(['diff', '--server-side', '-f', '-'], kind.manifest(name, 'one'));
      assert.equal(same.code, 0, same.stderr);
      assert.equal(same.stdout, '');
      const diff = await kubectl.run(['diff', '--server-side', '-f', '-'], kind.manifest(name, 'two'));
      assert.equal(diff.code, 1, diff.stderr);
      const [removed, added] = kind.diffLines('one', 'two');
      assert.ok(diff.stdout.split('\n').includes(removed), diff.stdout);
      assert.ok(diff.stdout.split('\n').includes(added), diff.stdout);
      assert.equal(await resourceVersion(kind, name), rv);
      assert.equal(await value(kind, name), kind.stored('one'));
    });

    test('apply --server-side: twice is a no-op, a second manager conflicts, --force-conflicts takes over', async () => {
      const name = nameFor(kind, 'ssa');
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], kind.manifest(name, 'one')), `${kind.printed}/${name} serverside-applied\n`);
      const rv = await resourceVersion(kind, name);
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], kind.manifest(name, 'one')), `${kind.printed}/${name} serverside-applied\n`);
      assert.equal(await resourceVersion(kind, name), rv, 'the second apply writes nothing');
      const managers = await ok(['get', kind.resource, name, ...ns(kind), '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}/{.metadata.managedFields[*].operation}']);
      assert.equal(managers, 'kubectl/Apply');

      const conflict = await kubectl.run(['apply', '--server-side', '--field-manager=other', '-f', '-'], kind.manifest(name, 'two'));
      assert.equal(conflict.code, 1);
      assert.ok(conflict.stderr.startsWith(`error: Apply failed with 1 conflict: conflict with "kubectl": ${kind.conflict}\nPlease review the fields above--they currently have other managers.`), conflict.stderr);
      assert.equal(await value(kind, name), kind.stored('one'));
      // The same value is shared ownership, not a conflict.
      assert.equal(await ok(['apply', '--server-side', '--field-manager=other', '-f', '-'], kind.manifest(name, 'one')), `${kind.printed}/${name} serverside-applied\n`);

      assert.equal(await ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], kind.manifest(name, 'two')), `${kind.printed}/${name} serverside-applied\n`);
      assert.equal(await value(kind, name), kind.stored('two'));
      const back = await kubectl.run(['apply', '--server-side', '-f', '-'], kind.manifest(name, 'one'));
      assert.equal(back.code, 1);
      assert.match(back.stderr, new RegExp(`^error: Apply failed with 1 conflict: conflict with "other": ${kind.conflict.replace(/[.[\]"]/g, '\\$&')}\n`));
    });

    test('patch --type strategic', async () => {
      const name = nameFor(kind, 'patch');
      await ok(['apply', '-f', '-'], kind.manifest(name, 'one'));
      const strategic = kind.strategic;
      if ('refused' in strategic) {
        const res = await kubectl.run(['patch', kind.resource, name, ...ns(kind), '--type', 'strategic', '-p', '{"spec":{"externalRegistryHostnames":["b.example.com"]}}']);
        assert.equal(res.code, 1);
        assert.equal(res.stderr.trim(), strategic.refused);
        // kubectl patch's default type is strategic too.
        const byDefault = await kubectl.run(['patch', kind.resource, name, ...ns(kind), '-p', '{"spec":{"externalRegistryHostnames":["b.example.com"]}}']);
        assert.equal(byDefault.stderr.trim(), strategic.refused);
        assert.equal(await value(kind, name), kind.stored('one'));
        return;
      }
      assert.equal(await ok(['patch', kind.resource, name, ...ns(kind), '--type', 'strategic', '-p', strategic.patch]), `${kind.printed}/${name} patched\n`);
      assert.equal(await ok(['get', kind.resource, name, ...ns(kind), '-o', `jsonpath=${strategic.path}`]), strategic.value);
      assert.equal(await value(kind, name), kind.stored('one'), 'the rest is merged, not replaced');
      assert.equal(await ok(['patch', kind.resource, name, ...ns(kind), '--type', 'strategic', '-p', strategic.patch]), `${kind.printed}/${name} patched (no change)\n`);
    });

    test('create with an unknown field: --validate=strict and the default fail, warn warns, false drops it', async () => {
      const strict = kind.unknown(nameFor(kind, 'strict'));
      const kindName = kind === imageStream ? 'ImageStream' : 'Image';
      // kube words it "as a <Kind>" whatever the kind's first letter.
      const message = `Error from server (BadRequest): error when creating "STDIN": ${kindName} in version "v1" cannot be handled as a ${kindName}: strict decoding error: unknown field "${strict.field}"`;
      for (const flags of [['--validate=strict'], [], ['--validate=true']]) {
        const res = await kubectl.run(['create', ...flags, '-f', '-'], strict.yaml);
        assert.equal(res.code, 1, flags.join(' '));
        assert.equal(res.stderr.trim(), message, flags.join(' '));
      }
      const warn = await kubectl.run(['create', '--validate=warn', '-f', '-'], strict.yaml);
      assert.equal(warn.code, 0, warn.stderr);
      assert.equal(warn.stderr, `Warning: unknown field "${strict.field}"\n`);
      assert.equal(warn.stdout, `${kind.printed}/${nameFor(kind, 'strict')} created\n`);
      const other = kind.unknown(nameFor(kind, 'warn'));
      const ignored = await kubectl.run(['create', '--validate=false', '-f', '-'], other.yaml);
      assert.equal(ignored.code, 0, ignored.stderr);
      assert.equal(ignored.stderr, '');
    });
  });
}

describe('create-only kinds: kubectl validates client-side against the OpenAPI v2 protobuf document', () => {
  test('ImageSignature: created; an unknown field is reported by kubectl before any request', async () => {
    const name = digest('9');
    const created = await srv.request('POST', '/apis/image.openshift.io/v1/images', { body: { metadata: { name }, dockerImageReference: `registry.example.com/writes/app@${name}` } });
    assert.equal(created.status, 201, created.text);
    const signature = `apiVersion: image.openshift.io/v1
kind: ImageSignature
metadata:
  name: ${name}@sig
type: atomic
content: aGVsbG8=
`;
    assert.equal(await ok(['create', '-f', '-'], signature), `imagesignature.image.openshift.io/${name}@sig created\n`);
    const res = await kubectl.run(['create', '-f', '-'], signature.replace('@sig', '@other') + 'bogus: 1\n');
    assert.equal(res.code, 1);
    assert.equal(
      res.stderr.trim(),
      'error: error validating "STDIN": error validating data: ValidationError(ImageSignature): unknown field "bogus" in com.github.openshift.api.image.v1.ImageSignature; if you choose to ignore these errors, turn validation off with --validate=false',
    );
    const missing = await kubectl.run(['create', '-f', '-'], signature.replace('@sig', '@other').replace('type: atomic\n', ''));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ValidationError\(ImageSignature\): missing required field "type" in com\.github\.openshift\.api\.image\.v1\.ImageSignature/);
  });

  test('ImageStreamMapping: created (kubectl prints the Status it gets back); unknown field refused', { skip: !isServed('image.openshift.io', 'ImageStreamMapping') }, async () => {
    const name = digest('8');
    const stream = await srv.request('POST', `/apis/image.openshift.io/v1/namespaces/${NS}/imagestreams`, { body: { metadata: { name: 'mapped' } } });
    assert.equal(stream.status, 201, stream.text);
    const mapping = `apiVersion: image.openshift.io/v1
kind: ImageStreamMapping
metadata:
  name: mapped
  namespace: ${NS}
tag: v1
image:
  metadata:
    name: ${name}
  dockerImageReference: registry.example.com/writes/mapped@${name}
`;
    assert.equal(await ok(['create', '-f', '-'], mapping), 'status/<unknown> created\n');
    const res = await kubectl.run(['create', '-f', '-'], mapping.replace('tag: v1\n', 'tag: v1\nbogus: 1\n'));
    assert.equal(res.code, 1);
    assert.match(res.stderr, /ValidationError\(ImageStreamMapping\): unknown field "bogus" in com\.github\.openshift\.api\.image\.v1\.ImageStreamMapping/);
  });
});

describe('tag views: patch --type strategic, apply, diff', { skip: !isServed('image.openshift.io', 'ImageStreamTag') }, () => {
  const IMAGE = digest('7');
  before(async () => {
    // A pushed image in the stream's history (written through imagestreams/status), and a spec tag tracking it.
    const stream = await srv.request('POST', `/apis/image.openshift.io/v1/namespaces/${NS}/imagestreams`, { body: { metadata: { name: 'tagged' } } });
    assert.equal(stream.status, 201, stream.text);
    const img = await srv.request('POST', '/apis/image.openshift.io/v1/images', { body: { metadata: { name: IMAGE }, dockerImageReference: `registry.example.com/writes/tagged@${IMAGE}` } });
    assert.equal(img.status, 201, img.text);
    const current = (await srv.request('GET', `/apis/image.openshift.io/v1/namespaces/${NS}/imagestreams/tagged`)).json;
    current.status = {
      dockerImageRepository: '',
      tags: [{ tag: 'pushed', items: [{ created: '2024-01-01T00:00:00Z', dockerImageReference: `registry.example.com/writes/tagged@${IMAGE}`, image: IMAGE, generation: 1 }] }],
    };
    const status = await srv.request('PUT', `/apis/image.openshift.io/v1/namespaces/${NS}/imagestreams/tagged/status`, { body: current });
    assert.equal(status.status, 200, status.text);
    const istag = `apiVersion: image.openshift.io/v1
kind: ImageStreamTag
metadata:
  name: tagged:copy
  namespace: ${NS}
tag:
  from:
    kind: ImageStreamTag
    name: tagged:pushed
`;
    const res = await kubectl.run(['create', '-f', '-'], istag);
    assert.equal(res.code, 0, res.stderr);
  });

  test('ImageStreamTag: annotations merge into metadata and the spec tag', async () => {
    assert.equal(await ok(['patch', 'istag', 'tagged:copy', '-n', NS, '--type', 'strategic', '-p', '{"metadata":{"annotations":{"note":"one"}}}']), 'imagestreamtag.image.openshift.io/tagged:copy patched\n');
    assert.equal(await ok(['get', 'istag', 'tagged:copy', '-n', NS, '-o', 'jsonpath={.metadata.annotations.note}/{.tag.annotations.note}/{.image.metadata.name}']), `one/one/${IMAGE}`);
    const unknown = await kubectl.run(['create', '-f', '-'], `apiVersion: image.openshift.io/v1\nkind: ImageStreamTag\nmetadata:\n  name: tagged:other\n  namespace: ${NS}\nbogus: 1\n`);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'Error from server (BadRequest): error when creating "STDIN": ImageStreamTag in version "v1" cannot be handled as a ImageStreamTag: strict decoding error: unknown field "bogus"');
  });

  test('ImageTag: the spec merges field by field', { skip: !isServed('image.openshift.io', 'ImageTag') }, async () => {
    assert.equal(await ok(['patch', 'itag', 'tagged:copy', '-n', NS, '--type', 'strategic', '-p', '{"spec":{"referencePolicy":{"type":"Local"}}}']), 'imagetag.image.openshift.io/tagged:copy patched\n');
    assert.equal(await ok(['get', 'itag', 'tagged:copy', '-n', NS, '-o', 'jsonpath={.spec.referencePolicy.type}/{.spec.from.name}']), 'Local/tagged:pushed');
  });

  // The tag views are writable but their metadata is the stream's (ImageTag) or fixed but for annotations
  // (ImageStreamTag). openshift-apiserver's update validation compares that metadata, managedFields included, so
  // only what leaves it alone goes through: client-side apply and diff of an ImageStreamTag (its annotations),
  // not server-side apply (it writes managedFields), and nothing that sets the last-applied annotation on an ImageTag.
  describe('apply and diff as openshift-apiserver allows them', () => {
    const istag = (note: string) => `apiVersion: image.openshift.io/v1
kind: ImageStreamTag
metadata:
  name: tagged:applied
  namespace: ${NS}
  annotations:
    note: ${note}
tag:
  from:
    kind: ImageStreamTag
    name: tagged:pushed
`;
    const istagRV = () => ok(['get', 'istag', 'tagged:applied', '-n', NS, '-o', 'jsonpath={.metadata.resourceVersion}']);

    test('ImageStreamTag: apply created, configured, unchanged; diff shows the annotation; nothing stored by diff', async () => {
      assert.equal(await ok(['apply', '-f', '-'], istag('one')), 'imagestreamtag.image.openshift.io/tagged:applied created\n');
      // Create stores only the tag (metadata annotations are not copied), so kubectl adds its annotation next time.
      const second = await kubectl.run(['apply', '-f', '-'], istag('one'));
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stdout, 'imagestreamtag.image.openshift.io/tagged:applied configured\n');
      assert.match(second.stderr, /^Warning: resource imagestreamtags\/tagged:applied is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation/);
      assert.equal(await ok(['apply', '-f', '-'], istag('one')), 'imagestreamtag.image.openshift.io/tagged:applied unchanged\n');

      const rv = await istagRV();
      const same = await kubectl.run(['diff', '-f', '-'], istag('one'));
      assert.equal(same.code, 0, same.stderr);
      assert.equal(same.stdout, '');
      const diff = await kubectl.run(['diff', '-f', '-'], istag('two'));
      assert.equal(diff.code, 1, diff.stderr);
      const lines = diff.stdout.split('\n');
      assert.match(lines[0], /^diff -u -N \S+\/LIVE-\d+\/image\.openshift\.io\.v1\.ImageStreamTag\.writes\.tagged:applied \S+\/MERGED-\d+\/\S+$/);
      // metadata.annotations and tag.annotations (4 spaces), the image's annotations (6).
      assert.equal(lines.filter((l) => l === '-    note: one').length, 2, diff.stdout);
      assert.equal(lines.filter((l) => l === '+    note: two').length, 2, diff.stdout);
      assert.equal(await istagRV(), rv, 'diff is a dry run');

      const changed = await kubectl.run(['apply', '-f', '-', '-v=8'], istag('two'));
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal(changed.stdout, 'imagestreamtag.image.openshift.io/tagged:applied configured\n');
      assert.match(changed.stderr, /Content-Type: application\/strategic-merge-patch\+json\n/);
      assert.equal(await ok(['get', 'istag', 'tagged:applied', '-n', NS, '-o', 'jsonpath={.metadata.annotations.note}/{.tag.annotations.note}']), 'two/two');
    });

    test('ImageStreamTag: apply --server-side and diff --server-side are refused (managedFields are metadata)', async () => {
      const message = 'The ImageStreamTag "tagged:applied" is invalid: metadata: Invalid value: "": may not update fields other than metadata.annotations';
      const rv = await istagRV();
      const ssa = await kubectl.run(['apply', '--server-side', '-f', '-'], istag('three'));
      assert.equal(ssa.code, 1);
      assert.equal(ssa.stderr.trim(), message);
      const diff = await kubectl.run(['diff', '--server-side', '-f', '-'], istag('three'));
      assert.ok(diff.code > 1, `diff exit ${diff.code}`);
      assert.equal(diff.stderr.trim(), message);
      assert.equal(diff.stdout, '');
      assert.equal(await istagRV(), rv);
    });

    test('ImageTag: apply creates the spec tag; re-applying and server-side apply are refused', { skip: !isServed('image.openshift.io', 'ImageTag') }, async () => {
      const itag = `apiVersion: image.openshift.io/v1
kind: ImageTag
metadata:
  name: tagged:itag
  namespace: ${NS}
spec:
  from:
    kind: ImageStreamTag
    name: tagged:pushed
`;
      assert.equal(await ok(['apply', '-f', '-'], itag), 'imagetag.image.openshift.io/tagged:itag created\n');
      const message = 'The ImageTag "tagged:itag" is invalid: metadata: Invalid value: "": may not update fields other than spec';
      // kubectl's last-applied annotation would land on the stream's metadata, which an ImageTag may not change.
      const again = await kubectl.run(['apply', '-f', '-'], itag);
      assert.equal(again.code, 1);
      assert.ok(again.stderr.trim().endsWith(message), again.stderr);
      const ssa = await kubectl.run(['apply', '--server-side', '-f', '-'], itag);
      assert.equal(ssa.code, 1);
      assert.equal(ssa.stderr.trim(), message);
      assert.equal(await ok(['get', 'itag', 'tagged:itag', '-n', NS, '-o', 'jsonpath={.spec.from.kind}/{.spec.from.name}/{.metadata.annotations}']), 'ImageStreamTag/tagged:pushed/');
    });
  });
});
