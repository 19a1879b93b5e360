import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podTemplate, simulatedCluster } from '@test/builders/simulator';
import type { LooseObject } from '@src/simulator/controllers/common';

const PODS = { group: '', resource: 'pods' };
const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };
const REPLICASETS = { group: 'apps', resource: 'replicasets' };

function podsOf(
  store: ReturnType<typeof simulatedCluster>['store'],
  ns: string,
  label: [string, string],
): LooseObject[] {
  return store
    .list(PODS, { namespace: ns, filter: (p) => p.metadata.labels?.[label[0]] === label[1] })
    .items.filter((p) => p.metadata.deletionTimestamp === undefined);
}

test('a Deployment yields a ReplicaSet and scheduled Running pods', async () => {
  const { store, cm } = simulatedCluster();
  store.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'web' }) },
  });
  await cm.whenIdle();
  const rss = store.list(REPLICASETS, { namespace: 'default' }).items;
  assert.equal(rss.length, 1);
  const rs = rss[0]!;
  const hash = rs.metadata.labels!['pod-template-hash']!;
  assert.ok(hash);
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.deepEqual(
    rs.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller]),
    [['Deployment', 'web', true]],
  );
  const pods = podsOf(store, 'default', ['app', 'web']);
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.equal(p.metadata.labels['pod-template-hash'], hash);
    assert.equal(p.metadata.ownerReferences[0].uid, rs.metadata.uid);
    assert.match(p.spec.nodeName, /^worker-/, 'never on the tainted control plane');
    assert.equal(p.status.phase, 'Running');
    assert.match(p.status.podIP, /^10\.244\./);
    assert.ok(p.status.hostIP);
    const types = p.status.conditions
      .filter((c: LooseObject) => c.status === 'True')
      .map((c: LooseObject) => c.type)
      .sort();
    assert.deepEqual(types, ['ContainersReady', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled', 'Ready']);
    assert.equal(p.status.containerStatuses[0].state.running !== undefined, true);
    assert.equal(p.spec.schedulerName, 'default-scheduler');
    assert.equal(p.spec.priority, 0);
  }
  const dep = store.get(DEPLOYMENTS, 'default', 'web')!;
  assert.equal(dep['status'].replicas, 3);
  assert.equal(dep['status'].readyReplicas, 3);
  assert.equal(dep['status'].availableReplicas, 3);
  assert.equal(dep['status'].observedGeneration, dep.metadata.generation);
  cm.stop();
  store.dispose();
});

test('scaling a Deployment 3 → 5 → 1', async () => {
  const { store, cm } = simulatedCluster();
  store.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'api' } }, template: podTemplate({ app: 'api' }) },
  });
  await cm.whenIdle();
  assert.equal(podsOf(store, 'default', ['app', 'api']).length, 3);
  for (const want of [5, 1]) {
    store.mutate(DEPLOYMENTS, 'default', 'api', (d) => {
      d['spec'].replicas = want;
    });
    await cm.whenIdle();
    const pods = podsOf(store, 'default', ['app', 'api']);
    assert.equal(pods.length, want, `replicas ${want}`);
    assert.ok(pods.every((p) => p.status.phase === 'Running'));
    const dep = store.get(DEPLOYMENTS, 'default', 'api')!;
    assert.equal(dep['status'].replicas, want);
    assert.equal(dep['status'].availableReplicas, want);
  }
  assert.equal(store.list(REPLICASETS, { namespace: 'default' }).items.length, 1, 'scaling makes no new ReplicaSet');
  cm.stop();
  store.dispose();
});

test('a template change rolls out a new ReplicaSet and scales the old one to 0', async () => {
  const { store, cm } = simulatedCluster();
  store.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'web' }) },
  });
  await cm.whenIdle();
  const oldRs = store.list(REPLICASETS, { namespace: 'default' }).items[0]!;
  store.mutate(DEPLOYMENTS, 'default', 'web', (d) => {
    d['spec'].template.spec.containers[0].image = 'nginx:1.28';
  });
  await cm.whenIdle();
  const rss = store.list(REPLICASETS, { namespace: 'default' }).items;
  assert.equal(rss.length, 2);
  const newRs = rss.find((r) => r.metadata.uid !== oldRs.metadata.uid)!;
  assert.equal(store.get(REPLICASETS, 'default', oldRs.metadata.name!)!['spec'].replicas, 0);
  assert.equal(newRs['spec'].replicas, 4);
  assert.equal(newRs.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
  const pods = podsOf(store, 'default', ['app', 'web']);
  assert.equal(pods.length, 4);
  assert.ok(pods.every((p) => p.spec.containers[0].image === 'nginx:1.28'));
  const dep = store.get(DEPLOYMENTS, 'default', 'web')!;
  assert.equal(dep['status'].updatedReplicas, 4);
  assert.equal(dep.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
  cm.stop();
  store.dispose();
});
