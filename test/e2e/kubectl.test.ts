// The real kubectl (1.32) against the server: create, get, watch, apply, patch, delete, dry-run, strict validation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, Kubectl } from '../support/kubectl.js';
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

const CONFIG_IMAGE = `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec:
  registrySources:
    insecureRegistries:
    - registry.local:5000
`;

const IMAGE = `apiVersion: image.openshift.io/v1
kind: Image
metadata:
  name: sha256:${'b'.repeat(64)}
  labels:
    app: demo
dockerImageReference: registry.example.com/demo/app@sha256:${'b'.repeat(64)}
`;

test('create -f, get, get -o yaml', async () => {
  const created = await kubectl.run(['create', '-f', '-'], CONFIG_IMAGE);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout.trim(), 'image.config.openshift.io/cluster created');

  const get = await kubectl.run(['get', 'images.config.openshift.io']);
  assert.equal(get.code, 0, get.stderr);
  assert.match(get.stdout, /^NAME\s+AGE\s*\ncluster\s+\S+/);

  const yaml = await kubectl.run(['get', 'images.config.openshift.io', 'cluster', '-o', 'yaml']);
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.match(yaml.stdout, /kind: Image\n/);
  assert.match(yaml.stdout, /insecureRegistries:\n\s+- registry\.local:5000/);
  assert.match(yaml.stdout, /generation: 1\n/);
});

test('get -w sees a later change', async () => {
  const watch = kubectl.start(['get', 'images.config.openshift.io', '-w', '-o', 'custom-columns=NAME:.metadata.name,HOSTS:.spec.externalRegistryHostnames']);
  try {
    await eventually(() => /cluster/.test(watch.output()));
    const patched = await kubectl.run(['patch', 'images.config.openshift.io', 'cluster', '--type', 'merge', '-p', '{"spec":{"externalRegistryHostnames":["watch.example.com"]}}']);
    assert.equal(patched.code, 0, patched.stderr);
    await eventually(() => /watch\.example\.com/.test(watch.output()));
  } finally {
    watch.stop();
  }
});

test('apply twice: configured/created then unchanged', async () => {
  const first = await kubectl.run(['apply', '-f', '-'], IMAGE);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /image\.image\.openshift\.io\/sha256:b+ created/);
  const second = await kubectl.run(['apply', '-f', '-'], IMAGE);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /unchanged/);
  const changed = await kubectl.run(['apply', '-f', '-'], IMAGE.replace('app: demo', 'app: demo2'));
  assert.equal(changed.code, 0, changed.stderr);
  assert.match(changed.stdout, /configured/);
});

test('patch --type merge and --type json', async () => {
  const name = `sha256:${'b'.repeat(64)}`;
  const merge = await kubectl.run(['patch', 'images.image.openshift.io', name, '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":"gold"}}}']);
  assert.equal(merge.code, 0, merge.stderr);
  assert.match(merge.stdout, /patched/);
  const again = await kubectl.run(['patch', 'images.image.openshift.io', name, '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":"gold"}}}']);
  assert.match(again.stdout, /patched \(no change\)/);
  const json = await kubectl.run(['patch', 'images.image.openshift.io', name, '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/labels/tier"}]']);
  assert.equal(json.code, 0, json.stderr);
  const labels = await kubectl.run(['get', 'images.image.openshift.io', name, '-o', 'jsonpath={.metadata.labels}']);
  assert.equal(labels.stdout, '{"app":"demo2"}');
});

test('create --dry-run=server persists nothing', async () => {
  const dry = await kubectl.run(['create', '--dry-run=server', '-f', '-'], CONFIG_IMAGE.replace('name: cluster', 'name: dry'));
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /image\.config\.openshift\.io\/dry created \(server dry run\)/);
  const get = await kubectl.run(['get', 'images.config.openshift.io', 'dry']);
  assert.notEqual(get.code, 0);
  assert.match(get.stderr, /NotFound/);
});

test('create --validate=strict with an unknown field fails', async () => {
  const res = await kubectl.run(['create', '--validate=strict', '-f', '-'], CONFIG_IMAGE.replace('name: cluster', 'name: strict').replace('spec:\n', 'spec:\n  bogus: 1\n'));
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /unknown field "spec\.bogus"/);
});

test('delete', async () => {
  const res = await kubectl.run(['delete', 'images.config.openshift.io', 'cluster']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout.trim(), 'image.config.openshift.io "cluster" deleted');
  const get = await kubectl.run(['get', 'images.config.openshift.io', 'cluster']);
  assert.notEqual(get.code, 0);
  assert.match(get.stderr, /Error from server \(NotFound\): images\.config\.openshift\.io "cluster" not found/);
});
