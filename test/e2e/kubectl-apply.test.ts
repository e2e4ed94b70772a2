// The real kubectl (1.32) doing server-side apply: apply --server-side, conflicts between field managers,
// --force-conflicts, diff --server-side, and the upgrade from client-side apply.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

const RESOURCE = 'images.config.openshift.io';

const manifest = (name: string, ca: string, mode = 'Legacy') => `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: ${name}
spec:
  additionalTrustedCA:
    name: ${ca}
  imageStreamImportMode: ${mode}
`;

async function resourceVersion(name: string): Promise<string> {
  const res = await kubectl.run(['get', RESOURCE, name, '-o', 'jsonpath={.metadata.resourceVersion}']);
  assert.equal(res.code, 0, res.stderr);
  return res.stdout;
}

test('apply --server-side twice: serverside-applied both times, the second without a write', async () => {
  const first = await kubectl.run(['apply', '--server-side', '-f', '-'], manifest('ssa-twice', 'ca'));
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), 'image.config.openshift.io/ssa-twice serverside-applied');
  const before = await resourceVersion('ssa-twice');
  const second = await kubectl.run(['apply', '--server-side', '-f', '-'], manifest('ssa-twice', 'ca'));
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout.trim(), 'image.config.openshift.io/ssa-twice serverside-applied');
  assert.equal(await resourceVersion('ssa-twice'), before);
  const managers = await kubectl.run(['get', RESOURCE, 'ssa-twice', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}/{.metadata.managedFields[*].operation}']);
  assert.equal(managers.stdout, 'kubectl/Apply');
});

test('a second field manager conflicts with kubectl\'s wording, and --force-conflicts takes over', async () => {
  const created = await kubectl.run(['apply', '--server-side', '-f', '-'], manifest('ssa-conflict', 'one'));
  assert.equal(created.code, 0, created.stderr);
  const conflict = await kubectl.run(['apply', '--server-side', '--field-manager=other', '-f', '-'], manifest('ssa-conflict', 'two'));
  assert.equal(conflict.code, 1);
  assert.match(
    conflict.stderr,
    /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.additionalTrustedCA\.name\nPlease review the fields above--they currently have other managers\./,
  );
  assert.match(conflict.stderr, /re-run the apply\n {2}command with the `--force-conflicts` flag\./);

  const forced = await kubectl.run(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], manifest('ssa-conflict', 'two'));
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(forced.stdout.trim(), 'image.config.openshift.io/ssa-conflict serverside-applied');
  const ca = await kubectl.run(['get', RESOURCE, 'ssa-conflict', '-o', 'jsonpath={.spec.additionalTrustedCA.name}']);
  assert.equal(ca.stdout, 'two');
});

test('diff --server-side shows a pending change and changes nothing', async () => {
  const created = await kubectl.run(['apply', '--server-side', '-f', '-'], manifest('ssa-diff', 'ca'));
  assert.equal(created.code, 0, created.stderr);
  const before = await resourceVersion('ssa-diff');
  const same = await kubectl.run(['diff', '--server-side', '-f', '-'], manifest('ssa-diff', 'ca'));
  assert.equal(same.code, 0, same.stderr + same.stdout);
  assert.equal(same.stdout, '');
  const changed = await kubectl.run(['diff', '--server-side', '-f', '-'], manifest('ssa-diff', 'ca', 'PreserveOriginal'));
  assert.equal(changed.code, 1, changed.stderr);
  assert.match(changed.stdout, /^-\s+imageStreamImportMode: Legacy$/m);
  assert.match(changed.stdout, /^\+\s+imageStreamImportMode: PreserveOriginal$/m);
  assert.equal(await resourceVersion('ssa-diff'), before);
});

test('client-side apply, then apply --server-side of a changed manifest: no conflict, the annotation follows', async () => {
  const csa = await kubectl.run(['apply', '-f', '-'], manifest('ssa-upgrade', 'one'));
  assert.equal(csa.code, 0, csa.stderr);
  const ssa = await kubectl.run(['apply', '--server-side', '-f', '-'], manifest('ssa-upgrade', 'two'));
  assert.equal(ssa.code, 0, ssa.stderr);
  assert.equal(ssa.stdout.trim(), 'image.config.openshift.io/ssa-upgrade serverside-applied');
  const got = await kubectl.run(['get', RESOURCE, 'ssa-upgrade', '-o', 'json']);
  const obj = JSON.parse(got.stdout);
  assert.equal(obj.spec.additionalTrustedCA.name, 'two');
  const recorded = JSON.parse(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
  assert.equal(recorded.spec.additionalTrustedCA.name, 'two');
  const managers = await kubectl.run(['get', RESOURCE, 'ssa-upgrade', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
  assert.doesNotMatch(managers.stdout, /kubectl-client-side-apply/, 'kubectl migrated the client-side entry');
});
