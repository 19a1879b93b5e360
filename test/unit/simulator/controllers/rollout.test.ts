import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LooseObject } from '@src/simulator/controllers/common';
import { podTemplate, simulatedCluster } from '@test/builders/simulator';

const PODS = { group: '', resource: 'pods' };
const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };
const DAEMONSETS = { group: 'apps', resource: 'daemonsets' };

function livePods(store: ReturnType<typeof simulatedCluster>['store'], label: [string, string]): LooseObject[] {
  return store.list(PODS, {
    filter: (p) => p.metadata.labels?.[label[0]] === label[1] && p.metadata.deletionTimestamp === undefined,
  }).items;
}

test('a Recreate rollout replaces every pod', async () => {
  const { store, cm } = simulatedCluster();
  store.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'r', namespace: 'default' },
    spec: {
      replicas: 2,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { app: 'r' } },
      template: podTemplate({ app: 'r' }),
    },
  });
  await cm.whenIdle();
  const before = new Set(livePods(store, ['app', 'r']).map((p) => p['metadata'].name));
  store.mutate(DEPLOYMENTS, 'default', 'r', (d) => {
    d['spec'].template.metadata.annotations = { restartedAt: 'now' };
  });
  await cm.whenIdle();
  const after = livePods(store, ['app', 'r']);
  assert.equal(after.length, 2);
  assert.ok(after.every((p) => !before.has(p['metadata'].name) && p['status'].phase === 'Running'));
  cm.stop();
  store.dispose();
});

test('an Indexed Job runs one pod per completion index', async () => {
  const { store, cm } = simulatedCluster();
  store.create(
    { group: 'batch', resource: 'jobs' },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'idx', namespace: 'default' },
      spec: {
        completions: 3,
        parallelism: 3,
        completionMode: 'Indexed',
        template: podTemplate({ app: 'idx' }, '10m', { restartPolicy: 'Never' }),
      },
    },
  );
  await cm.whenIdle();
  const job = store.get({ group: 'batch', resource: 'jobs' }, 'default', 'idx')!;
  assert.equal(job['status'].completedIndexes, '0,1,2');
  assert.equal(job['status'].succeeded, 3);
  const idx = store
    .list(PODS, { namespace: 'default' })
    .items.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])
    .sort();
  assert.deepEqual(idx, ['0', '1', '2']);
  cm.stop();
  store.dispose();
});

test('a DaemonSet template change replaces its pods with the new revision', async () => {
  const { store, cm } = simulatedCluster();
  store.create(DAEMONSETS, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate({ app: 'agent' }, '10m') },
  });
  await cm.whenIdle();
  store.mutate(DAEMONSETS, 'default', 'agent', (d) => {
    d['spec'].template.spec.containers[0].image = 'nginx:1.28';
  });
  await cm.whenIdle();
  const pods = livePods(store, ['app', 'agent']);
  assert.deepEqual(pods.map((p) => p['spec'].nodeName).sort(), ['worker-1', 'worker-2']);
  assert.ok(pods.every((p) => p['spec'].containers[0].image === 'nginx:1.28'));
  assert.equal(store.get(DAEMONSETS, 'default', 'agent')!['status'].updatedNumberScheduled, 2);
  cm.stop();
  store.dispose();
});

test('controllers are deterministic and quiet once settled', async () => {
  const run = async (): Promise<{ pods: string[]; rv: number; rvLater: number }> => {
    const { store, cm } = simulatedCluster();
    store.create(DEPLOYMENTS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { replicas: 6, selector: { matchLabels: { app: 'd' } }, template: podTemplate({ app: 'd' }) },
    });
    store.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'huge', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '100' } } }] },
    });
    await cm.whenIdle();
    const rv = store.resourceVersion;
    // The behaviour under test is an absence (no churn once idle): let timers that could write run first.
    await new Promise((r) => setTimeout(r, 20));
    await cm.whenIdle();
    const pods = livePods(store, ['app', 'd']).map((p) => `${p['metadata'].name}@${p['spec'].nodeName}`);
    const rvLater = store.resourceVersion;
    cm.stop();
    store.dispose();
    return { pods, rv, rvLater };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.pods, b.pods);
  assert.equal(a.rv, a.rvLater, 'no writes after settling');
});

test('StatefulSet and DaemonSet pods from a real cluster are adopted, not replaced', async () => {
  const { store, cm } = simulatedCluster();
  const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  const sts = store.restore([
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: 'default', uid: 'sts-uid', generation: 1 },
      spec: {
        replicas: 1,
        serviceName: 'web',
        selector: { matchLabels: { app: 'web' } },
        template: podTemplate({ app: 'web' }),
      },
      status: { observedGeneration: 1, replicas: 1, updateRevision: 'web-5d8f7c9b8', currentRevision: 'web-5d8f7c9b8' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds', namespace: 'default', uid: 'ds-uid', generation: 1 },
      spec: { selector: { matchLabels: { app: 'ds' } }, template: podTemplate({ app: 'ds' }, '10m') },
      status: { observedGeneration: 1 },
    },
    ...['worker-1', 'worker-2'].map((n, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `ds-real${i}`,
        namespace: 'default',
        uid: `ds-pod-${i}`,
        labels: { app: 'ds', 'controller-revision-hash': '6c9d5b8f7', 'pod-template-generation': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds-uid', controller: true }],
      },
      spec: { nodeName: n, containers: [{ name: 'main', image: 'nginx:1.27' }] },
      status: ready,
    })),
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-0',
        namespace: 'default',
        uid: 'web-0-uid',
        labels: { app: 'web', 'controller-revision-hash': 'web-5d8f7c9b8' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'sts-uid', controller: true },
        ],
      },
      spec: { nodeName: 'worker-1', containers: [{ name: 'main', image: 'nginx:1.27' }] },
      status: ready,
    },
  ]);
  assert.deepEqual(sts.failed, []);
  await cm.whenIdle();
  const uids = store
    .list(PODS, { namespace: 'default' })
    .items.map((p) => p.metadata.uid)
    .sort();
  assert.deepEqual(uids, ['ds-pod-0', 'ds-pod-1', 'web-0-uid']);
  cm.stop();
  store.dispose();
});
