/**
 * kubectl against the simulator for the kinds and generators client teams reported: `kubectl create
 * deployment` / `kubectl create job` (protobuf bodies) on the oldest and newest dispatched kubectl, and
 * create/get/delete of ReplicationControllers, Ingresses and IngressClasses. Own --cache-dir and
 * --kubeconfig per run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSim } from '@test/unit/simulator/helpers';

const KUBECTL = '/usr/bin/kubectl';

// kubectl, the real client, is these tests' oracle: without it they fail (this test says why), never skip.
test('kubectl is installed at ' + KUBECTL, () =>
  assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing: install kubectl`),
);

function kubectlIn(
  dir: string,
  kubeconfig: string,
): (args: string[]) => Promise<{ code: number; out: string; err: string }> {
  return (args) =>
    new Promise((resolve) => {
      execFile(
        KUBECTL,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig }, timeout: 30_000 },
        (err, out, errOut) =>
          resolve({
            code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1,
            out: String(out),
            err: String(errOut),
          }),
      );
    });
}

const MANIFESTS = `apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

for (const minor of [27, 33]) {
  test(`kubectl 1.${minor}: create deployment/job generators, and rc/ingress/ingressclass round trip`, async () => {
    await withSim({ versionMinor: minor }, async (sim) => {
      const dir = mkdtempSync(join(tmpdir(), `kf-kubectl-kinds-${minor}-`));
      try {
        const kc = join(dir, 'kubeconfig');
        writeFileSync(kc, sim.kubeconfig());
        const k = kubectlIn(dir, kc);
        const ok = async (args: string[]): Promise<string> => {
          const r = await k(args);
          assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.err}`);
          return r.out;
        };
        assert.match(await ok(['create', 'deployment', 'web', '--image=nginx']), /deployment.apps\/web created/);
        const d = JSON.parse(await ok(['get', 'deployment', 'web', '-o', 'json']));
        assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
        assert.equal(d.spec.template.spec.containers[0].image, 'nginx');
        assert.equal(d.spec.replicas, 1);
        assert.match(await ok(['create', 'job', 'j', '--image=busybox']), /job.batch\/j created/);
        const j = JSON.parse(await ok(['get', 'job', 'j', '-o', 'json']));
        assert.equal(j.spec.template.spec.containers[0].image, 'busybox');
        assert.equal(j.spec.template.spec.restartPolicy, 'Never');

        const f = join(dir, 'kinds.yaml');
        writeFileSync(f, MANIFESTS);
        const created = await ok(['create', '-f', f]);
        assert.match(created, /replicationcontroller\/legacy created/);
        assert.match(created, /ingressclass.networking.k8s.io\/nginx created/);
        assert.match(created, /ingress.networking.k8s.io\/web created/);
        const rc = await ok(['get', 'rc']);
        assert.match(rc.split('\n')[0]!, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE/);
        assert.match(rc, /^legacy\s+3\s+0\s+0\s+/m);
        const ing = await ok(['get', 'ing']);
        assert.match(ing.split('\n')[0]!, /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE/);
        assert.match(ing, /^web\s+nginx\s+web\.example\.com\s+80\s+/m);
        assert.match(await ok(['get', 'ingressclass']), /^nginx\s+k8s\.io\/ingress-nginx\s+<none>\s+/m);
        assert.match(await ok(['scale', 'rc', 'legacy', '--replicas=1']), /scaled/);
        assert.equal(await ok(['get', 'rc', 'legacy', '-o', 'jsonpath={.spec.replicas}']), '1');
        await ok(['delete', '-f', f]);
        assert.match((await k(['get', 'ing', 'web'])).err, /NotFound|not found/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
