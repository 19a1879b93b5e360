/**
 * Real-client oracle: @kubernetes/client-node 1.4 (typed list/create/patch, Watch, informer) against the
 * simulator over TLS, including the informer's relist after a 410 Expired.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import * as yaml from 'js-yaml';
import { issueClientCert } from '@src/simulator/api/tls';
import { until, withSim } from '@test/unit/simulator/helpers';

function clientFor(kubeconfig: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  return kc;
}

const podBody = (name: string): k8s.V1Pod => ({
  metadata: { name, labels: { app: 'cn' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

test('client-node 1.4: typed create/list/patch/delete over TLS with a token and with a client certificate', async () => {
  await withSim({ tls: true }, async (sim) => {
    const core = clientFor(sim.kubeconfig()).makeApiClient(k8s.CoreV1Api);
    const created = await core.createNamespacedPod({ namespace: 'default', body: podBody('a') });
    assert.equal(created.metadata?.name, 'a');
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=cn' });
    assert.deepEqual(
      list.items.map((p) => p.metadata?.name),
      ['a'],
    );
    const patched = await core.patchNamespacedPod({
      namespace: 'default',
      name: 'a',
      body: [{ op: 'add', path: '/metadata/labels/x', value: 'y' }],
    });
    assert.equal(patched.metadata?.labels?.['x'], 'y');
    await assert.rejects(
      core.readNamespacedPod({ namespace: 'default', name: 'nope' }),
      (e: any) => e.code === 404 && JSON.parse(e.body).reason === 'NotFound',
    );
    await assert.rejects(
      core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'bad' }, spec: { containers: [] } } }),
      (e: any) => e.code === 422,
    );
    await core.deleteNamespacedPod({ namespace: 'default', name: 'a' });
    assert.equal((await core.listNamespacedPod({ namespace: 'default' })).items.length, 0);
    const certApi = clientFor(
      sim.kubeconfig({ clientCert: issueClientCert(sim.tls!.ca, 'bob', ['system:masters']) }),
    ).makeApiClient(k8s.CoreV1Api);
    assert.ok((await certApi.listNamespace()).items.some((n) => n.metadata?.name === 'default'));
    const ro = clientFor(sim.kubeconfig({ token: sim.readOnlyToken })).makeApiClient(k8s.CoreV1Api);
    await assert.rejects(ro.listNode(), (e: any) => e.code === 403);
    const apps = clientFor(sim.kubeconfig()).makeApiClient(k8s.AppsV1Api);
    const d = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'd' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
        },
      },
    });
    assert.equal(d.spec?.replicas, 1);
    const scale = await apps.readNamespacedDeploymentScale({ namespace: 'default', name: 'd' });
    assert.equal(scale.spec?.replicas, 1);
    const objApi = k8s.KubernetesObjectApi.makeApiClient(clientFor(sim.kubeconfig()));
    const cm = await objApi.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'via-object-api', namespace: 'default' },
      data: { k: 'v' },
    } as k8s.KubernetesObject);
    assert.equal(cm.metadata?.name, 'via-object-api');
  });
});

test('client-node 1.4: kubeconfig shapes token-file and exec plugin (ExecCredential) authenticate', async () => {
  await withSim({ tls: true }, async (sim) => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-cn-'));
    try {
      const base = yaml.load(sim.kubeconfig()) as any;
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, sim.readOnlyToken);
      base.users[0].user = { 'token-file': tokenFile };
      const viaFile = clientFor(yaml.dump(base)).makeApiClient(k8s.CoreV1Api);
      assert.ok((await viaFile.listNamespacedPod({ namespace: 'default' })).items !== undefined);
      await assert.rejects(viaFile.listNode(), (e: any) => e.code === 403, 'the token file held the read-only token');
      const script = join(dir, 'cred.js');
      const cred = {
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: { token: sim.adminToken },
      };
      writeFileSync(script, `process.stdout.write(${JSON.stringify(JSON.stringify(cred))});`);
      base.users[0].user = {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: [script],
          interactiveMode: 'Never',
        },
      };
      const viaExec = clientFor(yaml.dump(base)).makeApiClient(k8s.CoreV1Api);
      assert.ok((await viaExec.listNode()).items !== undefined, 'the exec plugin supplied the admin token');
      base.users[0].user = { token: 'not-a-token' };
      await assert.rejects(
        clientFor(yaml.dump(base)).makeApiClient(k8s.CoreV1Api).listNamespace(),
        (e: any) => e.code === 401,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('client-node 1.4: Watch streams ADDED/MODIFIED/DELETED', async () => {
  await withSim({ tls: true }, async (sim) => {
    const kc = clientFor(sim.kubeconfig());
    const seen: string[] = [];
    const w = new k8s.Watch(kc);
    const req = await w.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: String(sim.store.resourceVersion), allowWatchBookmarks: true },
      (type, obj) => seen.push(`${type} ${obj.metadata?.name ?? ''}`),
      () => {},
    );
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w' } } });
    await core.patchNamespacedConfigMap({
      namespace: 'default',
      name: 'w',
      body: [{ op: 'add', path: '/data', value: { a: '1' } }],
    });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'w' });
    await until(() => seen.length >= 3);
    assert.deepEqual(seen.slice(0, 3), ['ADDED w', 'MODIFIED w', 'DELETED w']);
    req.abort();
  });
});

test('client-node 1.4: informer lists, watches, and relists after a dropped watch meets 410 Expired', async () => {
  await withSim({ tls: true }, async (sim) => {
    const kc = clientFor(sim.kubeconfig());
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'a' } } });
    const log: string[] = [];
    const inf = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    inf.on('add', (o) => log.push(`add ${o.metadata?.name ?? ''}`));
    inf.on('update', (o) => log.push(`update ${o.metadata?.name ?? ''}`));
    inf.on('delete', (o) => log.push(`delete ${o.metadata?.name ?? ''}`));
    let errors = 0;
    inf.on('error', () => errors++);
    await inf.start();
    await until(() => log.includes('add a'));
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'b' } } });
    await until(() => log.includes('add b'));
    // While the informer is reconnecting, history is compacted: its re-watch gets 410 and it must relist.
    await sim.store.delete({ group: '', resource: 'configmaps' }, 'default', 'a');
    sim.store.restore([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } }]);
    sim.store.compact();
    sim.faults.set({ dropWatches: true });
    await until(() => log.includes('add c') && log.includes('delete a'), 5000);
    assert.deepEqual(
      inf
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
      ['b', 'c'],
    );
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'd' } } });
    await until(() => log.includes('add d'));
    assert.equal(log.filter((l) => l === 'add b').length, 1, 'no duplicate add after reconnect');
    assert.equal(errors, 0);
    await inf.stop();
  });
});
