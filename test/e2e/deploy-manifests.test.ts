// deploy/ and the Dockerfile: kustomize builds the manifests, kubectl accepts each file (client-side dry run
// against a test double serving discovery, which kubectl needs to map kinds, and the kinds' OpenAPI schemas, which
// it validates each file against strictly), and the pieces agree with each other, with the server's own flag
// parser and with the image.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { resourceDefinitions } from '../../src/apis/index.js';
import { parseConfig } from '../../src/config.js';
import { swaggerToProtobuf } from '../../src/server/openapi-v2-protobuf.js';
import { PROJECT_ROOT } from '../../src/start.js';
import { swaggerForKinds, type ModelKind } from '../support/kube-openapi.js';
import { Kubectl } from '../support/kubectl.js';

const DEPLOY = join(PROJECT_ROOT, 'deploy');

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, KUBECONFIG: '/dev/null' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

type Obj = Record<string, any>;
let objects: Obj[] = [];
const one = (kind: string, name: string): Obj => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  assert.equal(found.length, 1, `${kind} ${name}`);
  return found[0];
};

before(async () => {
  const built = await run('kubectl', ['kustomize', DEPLOY]);
  assert.equal(built.code, 0, built.stderr);
  objects = parseAllDocuments(built.stdout).map((d) => d.toJS());
});

describe('kubectl kustomize deploy/', () => {
  test('builds every object the issue lists', () => {
    const summary = objects.map((o) => `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`).sort();
    assert.deepEqual(summary, [
      'APIService/v1.config.openshift.io',
      'APIService/v1.image.openshift.io',
      'ClusterRole/image-apiserver',
      'ClusterRole/image-apiserver:aggregate-to-edit',
      'ClusterRole/image-apiserver:aggregate-to-view',
      'ClusterRoleBinding/image-apiserver',
      'ClusterRoleBinding/image-apiserver:system:auth-delegator',
      'Deployment/image-apiserver/image-apiserver',
      'Namespace/image-apiserver',
      'PersistentVolumeClaim/image-apiserver/image-apiserver-data',
      'RoleBinding/kube-system/image-apiserver:extension-apiserver-authentication-reader',
      'Service/image-apiserver/image-apiserver',
      'ServiceAccount/image-apiserver/image-apiserver',
    ]);
  });

  test('the bindings grant what delegated authn/authz and the cluster integration need to the Deployment’s service account', () => {
    const sa = one('ServiceAccount', 'image-apiserver');
    const pod = one('Deployment', 'image-apiserver').spec.template.spec;
    assert.equal(pod.serviceAccountName, sa.metadata.name);
    const subject = [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }];
    const roles = {
      'image-apiserver:system:auth-delegator': ['ClusterRole', 'system:auth-delegator'],
      'image-apiserver:extension-apiserver-authentication-reader': ['Role', 'extension-apiserver-authentication-reader'],
      'image-apiserver': ['ClusterRole', 'image-apiserver'],
    };
    for (const [binding, [kind, role]] of Object.entries(roles)) {
      const b = objects.find((o) => o.kind.endsWith('Binding') && o.metadata.name === binding)!;
      assert.deepEqual(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind, name: role }, binding);
      assert.deepEqual(b.subjects, subject, binding);
    }
    const rules = one('ClusterRole', 'image-apiserver').rules;
    assert.ok(rules.some((r: Obj) => r.resources.includes('namespaces') && r.verbs.includes('get')));
    assert.ok(rules.some((r: Obj) => r.resources.includes('secrets') && r.verbs.includes('list')));
  });

  test("the Deployment's arguments are valid flags of this server and match the Service and the volume", () => {
    const deployment = one('Deployment', 'image-apiserver');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    assert.equal(container.image, 'image-apiserver:0.1.0');
    assert.equal(deployment.spec.replicas, 1);
    assert.equal(deployment.spec.strategy.type, 'Recreate');
    const config = parseConfig(container.args, {});
    assert.equal(config.mode, 'aggregated');
    const port = container.ports.find((p: Obj) => p.name === 'https');
    assert.equal(config.secureServing?.port, port.containerPort);
    const service = one('Service', 'image-apiserver');
    assert.ok(config.secureServing?.hostnames.includes(`${service.metadata.name}.${service.metadata.namespace}.svc`));
    const mount = container.volumeMounts[0].mountPath;
    assert.ok(config.dataDir.startsWith(`${mount}/`) && config.secureServing!.certDir.startsWith(`${mount}/`));
    const claim = pod.volumes.find((v: Obj) => v.name === container.volumeMounts[0].name).persistentVolumeClaim.claimName;
    assert.equal(one('PersistentVolumeClaim', claim).metadata.namespace, deployment.metadata.namespace);
    assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'https', scheme: 'HTTPS' });
    assert.deepEqual(container.livenessProbe.httpGet, { path: '/livez', port: 'https', scheme: 'HTTPS' });
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    assert.deepEqual(service.spec.ports, [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
  });

  test('one APIService per served group version, pointing at the Service', () => {
    const service = one('Service', 'image-apiserver');
    const served = [...new Set(resourceDefinitions.map((d) => `${d.version}.${d.group}`))].sort();
    const apiServices = objects.filter((o) => o.kind === 'APIService');
    assert.deepEqual(apiServices.map((a) => a.metadata.name).sort(), served);
    for (const a of apiServices) {
      assert.equal(`${a.spec.version}.${a.spec.group}`, a.metadata.name);
      assert.deepEqual(a.spec.service, { namespace: service.metadata.namespace, name: service.metadata.name, port: service.spec.ports[0].port });
    }
  });
});

/** The kinds deploy/ uses, with the client-node models their schemas come from. */
const DEPLOY_KINDS: ModelKind[] = [
  { model: 'V1Namespace', group: '', version: 'v1', kind: 'Namespace' },
  { model: 'V1ServiceAccount', group: '', version: 'v1', kind: 'ServiceAccount' },
  { model: 'V1Service', group: '', version: 'v1', kind: 'Service' },
  { model: 'V1PersistentVolumeClaim', group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
  { model: 'V1Deployment', group: 'apps', version: 'v1', kind: 'Deployment' },
  { model: 'V1ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' },
  { model: 'V1ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding' },
  { model: 'V1RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding' },
  { model: 'V1APIService', group: 'apiregistration.k8s.io', version: 'v1', kind: 'APIService' },
];

/**
 * Answers discovery for the kinds deploy/ uses, /openapi/v2 (protobuf) with their schemas, and 404 for every
 * object, as an empty cluster would. Without /openapi/v3 kubectl finds no server-side field validation and
 * validates strictly on the client against /openapi/v2.
 */
function discoveryServer(): Server {
  const openapi = Buffer.from(swaggerToProtobuf(swaggerForKinds(DEPLOY_KINDS)));
  const resources: Record<string, [string, string, boolean][]> = {
    '/api/v1': [
      ['namespaces', 'Namespace', false],
      ['serviceaccounts', 'ServiceAccount', true],
      ['services', 'Service', true],
      ['persistentvolumeclaims', 'PersistentVolumeClaim', true],
    ],
    '/apis/apps/v1': [['deployments', 'Deployment', true]],
    '/apis/rbac.authorization.k8s.io/v1': [
      ['clusterroles', 'ClusterRole', false],
      ['clusterrolebindings', 'ClusterRoleBinding', false],
      ['roles', 'Role', true],
      ['rolebindings', 'RoleBinding', true],
    ],
    '/apis/apiregistration.k8s.io/v1': [['apiservices', 'APIService', false]],
  };
  const groups = Object.keys(resources)
    .filter((p) => p.startsWith('/apis/'))
    .map((p) => {
      const [, , name, version] = p.split('/');
      return { name, versions: [{ groupVersion: `${name}/${version}`, version }], preferredVersion: { groupVersion: `${name}/${version}`, version } };
    });
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (code: number, body: object) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/openapi/v2') {
      res.writeHead(200, { 'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' });
      return res.end(openapi);
    }
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    const list = resources[path];
    if (list) {
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: path.replace(/^\/apis?\//, ''),
        resources: list.map(([name, kind, namespaced]) => ({ name, singularName: '', namespaced, kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] })),
      });
    }
    send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
  });
}

describe('kubectl apply --dry-run=client -f, file by file', () => {
  let server: Server;
  let kubectl: Kubectl;
  before(async () => {
    server = discoveryServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    kubectl = new Kubectl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const files = readdirSync(DEPLOY).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  for (const file of files) {
    test(file, async () => {
      const docs = parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8')).map((d) => d.toJS());
      const res = await kubectl.run(['apply', '--dry-run=client', '-f', join(DEPLOY, file)]);
      assert.equal(res.code, 0, res.stderr);
      const created = res.stdout.trim().split('\n');
      assert.equal(created.length, docs.length, res.stdout);
      for (const line of created) assert.match(line, / created \(dry run\)$/);
    });
  }

  test('the validation has teeth: a misspelled field and a wrong type are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-typo-'));
    try {
      const deployment = readFileSync(join(DEPLOY, 'deployment.yaml'), 'utf8');
      const cases: [string, string, RegExp][] = [
        ['typo.yaml', deployment.replace('readinessProbe:', 'readinesProbe:'), /unknown field "readinesProbe" in V1Container/],
        ['type.yaml', deployment.replace('replicas: 1', 'replicas: one'), /invalid type for V1DeploymentSpec\.replicas: got "string", expected "integer"/],
      ];
      for (const [name, text, error] of cases) {
        assert.notEqual(text, deployment);
        writeFileSync(join(dir, name), text);
        const res = await kubectl.run(['apply', '--dry-run=client', '-f', join(dir, name)]);
        assert.equal(res.code, 1, res.stdout);
        assert.match(res.stderr, error);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Dockerfile', () => {
  const lines = readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  const stages = lines.join('\n').split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  test('multi-stage; the runtime stage installs production dependencies only and copies the built JavaScript', () => {
    assert.equal(stages.length, 2);
    assert.match(stages[0], /RUN npm run build/);
    assert.match(runtime, /npm ci --omit=dev/);
    assert.match(runtime, /^COPY --from=build \/src\/dist \.\/dist$/m);
    assert.doesNotMatch(runtime, /^COPY (src|test|tsconfig)/m);
    assert.doesNotMatch(lines.join('\n'), /^HEALTHCHECK/m);
  });

  test("runs as the non-root user the Deployment expects, exposing its port", () => {
    const user = /^USER (\d+)$/m.exec(runtime)?.[1];
    const pod = one('Deployment', 'image-apiserver').spec.template.spec;
    assert.equal(Number(user), pod.securityContext.runAsUser);
    assert.notEqual(Number(user), 0);
    const exposed = /^EXPOSE (.+)$/m.exec(runtime)?.[1].split(/\s+/).map(Number);
    assert.ok(exposed?.includes(pod.containers[0].ports[0].containerPort));
  });
});
