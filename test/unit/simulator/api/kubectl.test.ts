/**
 * Real-client oracle: the image's kubectl dispatcher (which picks kubectl 1.27–1.33 from /version) runs
 * create -f, typed generators (protobuf bodies), apply (client- and server-side), get (Table), get -w,
 * patch (three types), scale, logs,
 * describe and delete against the simulator. Each run gets its own --cache-dir and --kubeconfig.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Simulator } from '@src/simulator/api/server';
import { issueClientCert } from '@src/simulator/api/tls';
import { call, until, withSim } from '@test/unit/simulator/helpers';

const KUBECTL = '/usr/bin/kubectl';

// kubectl, the real client, is these tests' oracle: without it they fail (this test says why), never skip.
test('kubectl is installed at ' + KUBECTL, () =>
  assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing: install kubectl`),
);

interface Run {
  code: number;
  out: string;
  err: string;
}

function kubectlFor(dir: string, kubeconfig: string): (args: string[], stdin?: string) => Promise<Run> {
  return (args, stdin) =>
    new Promise((resolve) => {
      const child = execFile(
        KUBECTL,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig }, timeout: 30_000 },
        (err, out, errOut) => {
          resolve({
            code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1,
            out: String(out),
            err: String(errOut),
          });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p1
  labels: {app: demo}
spec:
  containers:
  - name: c
    image: nginx
`;
const deploy = (replicas: number, image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
`;
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
`;

async function roundTrip(sim: Simulator, minor: number, kubeconfigText: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `kf-kubectl-${minor}-`));
  try {
    const kc = join(dir, 'kubeconfig');
    writeFileSync(kc, kubeconfigText);
    const k = kubectlFor(dir, kc);
    const f = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const ok = async (args: string[]): Promise<string> => {
      const r = await k(args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.err}`);
      return r.out;
    };
    const ver = JSON.parse(await ok(['version', '-o', 'json']));
    assert.equal(ver.serverVersion.minor, String(minor));
    assert.equal(ver.clientVersion.minor, String(minor), 'the dispatcher ran the matching kubectl');
    assert.match(await ok(['create', '-f', f('pod.yaml', POD)]), /pod\/p1 created/);
    const dup = await k(['create', '-f', join(dir, 'pod.yaml')]);
    assert.notEqual(dup.code, 0);
    assert.match(dup.err, /Error from server \(AlreadyExists\).*pods "p1" already exists/);
    const bad = await k([
      'create',
      '-f',
      f('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {}\n'),
    ]);
    assert.match(bad.err, /spec.containers: Required value/);
    assert.match(await ok(['apply', '-f', f('d1.yaml', deploy(1, 'nginx:1'))]), /deployment.apps\/web created/);
    assert.match(await ok(['apply', '-f', f('d2.yaml', deploy(2, 'nginx:2'))]), /deployment.apps\/web configured/);
    const d = JSON.parse(await ok(['get', 'deployment', 'web', '-o', 'json']));
    assert.deepEqual(
      [d.spec.replicas, d.spec.template.spec.containers[0].image, d.metadata.generation],
      [2, 'nginx:2', 2],
    );
    assert.ok(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    const table = await ok(['get', 'pods']);
    assert.match(table, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    assert.match(table, /p1\s+0\/1\s+Pending\s+0/);
    assert.match(
      await ok(['get', 'pods', '-l', 'app=demo', '--field-selector', 'status.phase=Pending', '-o', 'name']),
      /^pod\/p1$/m,
    );
    assert.match(
      await ok([
        'patch',
        'deployment',
        'web',
        '-p',
        '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:3"}]}}}}',
      ]),
      /patched/,
    );
    await ok(['patch', 'deployment', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"fe"}}}']);
    await ok([
      'patch',
      'deployment',
      'web',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":4}]',
    ]);
    const d2 = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json']));
    assert.deepEqual(
      [d2.spec.template.spec.containers[0].image, d2.metadata.labels.tier, d2.spec.replicas],
      ['nginx:3', 'fe', 4],
    );
    assert.match(await ok(['scale', 'deployment', 'web', '--replicas=1']), /scaled/);
    assert.equal(JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json'])).spec.replicas, 1);
    assert.match(await ok(['auth', 'can-i', 'delete', 'pods']), /^yes$/m);
    // Typed generators send protobuf bodies.
    assert.match(
      await ok(['create', 'deployment', 'gen', '--image=nginx:1.27', '--replicas=2', '--port=80']),
      /deployment.apps\/gen created/,
    );
    const gen = JSON.parse(await ok(['get', 'deployment', 'gen', '-o', 'json']));
    assert.deepEqual(
      [
        gen.spec.replicas,
        gen.spec.selector.matchLabels.app,
        gen.spec.template.spec.containers[0].ports[0].containerPort,
      ],
      [2, 'gen', 80],
    );
    await ok(['create', 'configmap', 'gen', '--from-literal=a=b']);
    assert.deepEqual(JSON.parse(await ok(['get', 'configmap', 'gen', '-o', 'json'])).data, { a: 'b' });
    await ok(['create', 'secret', 'generic', 'gen', '--from-literal=pw=s3cret']);
    assert.equal(
      JSON.parse(await ok(['get', 'secret', 'gen', '-o', 'json'])).data.pw,
      Buffer.from('s3cret').toString('base64'),
    );
    assert.match(
      await ok([
        'apply',
        '--server-side',
        '-f',
        f('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {k: v}\n'),
      ]),
      /serverside-applied/,
    );
    await ok(['create', '-f', f('crd.yaml', CRD)]);
    await ok([
      'apply',
      '-f',
      f('w.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n'),
    ]);
    assert.match(await ok(['get', 'wd']), /NAME\s+SIZE\nw1\s+3/);
    // get -w prints changes as they happen.
    const w = spawn(
      KUBECTL,
      ['--kubeconfig', kc, '--cache-dir', join(dir, 'cache'), 'get', 'configmaps', '-w', '--request-timeout=20s'],
      { env: { ...process.env, HOME: dir } },
    );
    let watched = '';
    w.stdout.on('data', (c: Buffer) => (watched += c.toString()));
    await until(() => /ssa/.test(watched), 10_000);
    await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'seen-by-watch' } } });
    await until(() => /seen-by-watch/.test(watched), 10_000);
    w.kill();
    // logs and describe on a bound, running pod.
    await call(sim, 'POST', '/api/v1/namespaces/default/pods/p1/binding', {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'n1' } },
    });
    await call(sim, 'PATCH', '/api/v1/namespaces/default/pods/p1/status', {
      ctype: 'application/merge-patch+json',
      body: { status: { phase: 'Running' } },
    });
    assert.match(await ok(['logs', 'p1']), /simulated container c of pod default\/p1/);
    assert.match(await ok(['describe', 'pod', 'p1']), /Node:\s+n1/);
    assert.match(await ok(['delete', 'pod', 'p1', '--grace-period=0', '--force']), /pod "p1" (force )?deleted/);
    assert.match(await ok(['delete', '-f', join(dir, 'd2.yaml')]), /deployment.apps "web" deleted/);
    const gone = await k(['get', 'pod', 'p1']);
    assert.match(gone.err, /Error from server \(NotFound\): pods "p1" not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('kubectl 1.33 round trip over TLS with a client certificate', { timeout: 120_000 }, async () => {
  await withSim({ tls: true, versionMinor: 33 }, async (sim) => {
    const cert = issueClientCert(sim.tls!.ca, 'kubectl-user', ['system:masters']);
    await roundTrip(sim, 33, sim.kubeconfig({ clientCert: cert }));
  });
});

test('kubectl 1.27 round trip over plain HTTP with a bearer token', { timeout: 120_000 }, async () => {
  await withSim({ versionMinor: 27 }, async (sim) => {
    await roundTrip(sim, 27, sim.kubeconfig());
  });
});
