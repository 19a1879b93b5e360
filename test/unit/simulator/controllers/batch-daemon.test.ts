import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResourceFitPolicy } from '@src/simulator/controllers/resource-fit-policy';
import { podTemplate, simulatedCluster } from '@test/builders/simulator';
import type { LooseObject } from '@src/simulator/controllers/common';

const PODS = { group: '', resource: 'pods' };
const EVENTS = { group: '', resource: 'events' };

test('a Job runs to completion', async () => {
  const { store, cm } = simulatedCluster();
  store.create(
    { group: 'batch', resource: 'jobs' },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: 'default' },
      spec: {
        completions: 3,
        parallelism: 2,
        template: podTemplate({ app: 'pi' }, '100m', { restartPolicy: 'Never' }),
      },
    },
  );
  await cm.whenIdle();
  const job = store.get({ group: 'batch', resource: 'jobs' }, 'default', 'pi')!;
  assert.equal(job['status'].succeeded, 3);
  assert.equal(job['status'].active, undefined);
  assert.ok(job['status'].completionTime);
  assert.ok(job['status'].conditions.some((c: LooseObject) => c.type === 'Complete' && c.status === 'True'));
  const pods = store.list(PODS, { namespace: 'default' }).items.filter((p) => p.metadata.labels?.['job-name'] === 'pi');
  assert.equal(pods.length, 3);
  assert.ok(
    pods.every(
      (p) => p['status'].phase === 'Succeeded' && p['status'].containerStatuses[0].state.terminated.exitCode === 0,
    ),
  );
  cm.stop();
  store.dispose();
});

test('a DaemonSet lands on every eligible node but not on the tainted control plane', async () => {
  const { store, cm } = simulatedCluster();
  store.create(
    { group: 'apps', resource: 'daemonsets' },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'kube-system' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate({ app: 'agent' }, '10m') },
    },
  );
  await cm.whenIdle();
  const nodesOf = (): string[] =>
    store
      .list(PODS, { namespace: 'kube-system' })
      .items.filter((p) => p.metadata.labels?.['app'] === 'agent' && !p.metadata.deletionTimestamp)
      .map((p) => p['spec'].nodeName)
      .sort();
  assert.deepEqual(nodesOf(), ['worker-1', 'worker-2']);
  const pod = store.list(PODS, { namespace: 'kube-system' }).items[0]!;
  assert.deepEqual(
    pod['spec'].affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]
      .key,
    'metadata.name',
  );
  // A new node gets a daemon pod too.
  store.create(
    { group: '', resource: 'nodes' },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'worker-3' },
      spec: { podCIDR: '10.244.9.0/24' },
      status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
    },
  );
  await cm.whenIdle();
  assert.deepEqual(nodesOf(), ['worker-1', 'worker-2', 'worker-3']);
  const ds = store.get({ group: 'apps', resource: 'daemonsets' }, 'kube-system', 'agent')!;
  assert.equal(ds['status'].desiredNumberScheduled, 3);
  assert.equal(ds['status'].numberReady, 3);
  cm.stop();
  store.dispose();
});

test('a DaemonSet tolerating the control-plane taint also runs there', async () => {
  const { store, cm } = simulatedCluster();
  store.create(
    { group: 'apps', resource: 'daemonsets' },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'proxy', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { app: 'proxy' } },
        template: podTemplate({ app: 'proxy' }, '10m', { tolerations: [{ operator: 'Exists' }] }),
      },
    },
  );
  await cm.whenIdle();
  const nodes = store
    .list(PODS, { namespace: 'kube-system' })
    .items.map((p) => p['spec'].nodeName)
    .sort();
  assert.deepEqual(nodes, ['cp', 'worker-1', 'worker-2']);
  cm.stop();
  store.dispose();
});

test('a pod that fits nowhere gets FailedScheduling and PodScheduled=False/Unschedulable', async () => {
  const { store, cm } = simulatedCluster();
  store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'huge', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '64' } } }] },
  });
  await cm.whenIdle();
  const pod = store.get(PODS, 'default', 'huge')!;
  assert.equal(pod['spec'].nodeName, undefined);
  assert.equal(pod['status'].phase, 'Pending');
  const cond = pod['status'].conditions.find((c: LooseObject) => c.type === 'PodScheduled');
  assert.equal(cond.status, 'False');
  assert.equal(cond.reason, 'Unschedulable');
  // The exact FitError text is the scheduler model's (tested there); here: its shape and that the
  // condition and the event carry the same message.
  const want: string = cond.message;
  assert.match(
    want,
    /^0\/3 nodes are available: 1 node\(s\) had untolerated taint\(s\), 2 Insufficient cpu\. .*preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.+$/,
  );
  const events = store.list(EVENTS, { namespace: 'default' }).items.filter((e) => e['involvedObject'].name === 'huge');
  assert.deepEqual(
    events.map((e) => [e['type'], e['reason'], e['message'], e['source'].component]),
    [['Warning', 'FailedScheduling', want, 'default-scheduler']],
  );
  assert.ok(cm.unschedulablePods.has('default/huge'));
  // A big enough node arrives: the parked pod is retried and bound.
  store.create(
    { group: '', resource: 'nodes' },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'big' },
      spec: { podCIDR: '10.250.0.0/24' },
      status: { allocatable: { cpu: '96', memory: '384Gi', pods: '110' } },
    },
  );
  await cm.whenIdle();
  const bound = store.get(PODS, 'default', 'huge')!;
  assert.equal(bound['spec'].nodeName, 'big');
  assert.equal(bound['status'].phase, 'Running');
  cm.stop();
  store.dispose();
});

test('the fallback ResourceFitPolicy gives the same FitError text as the model', () => {
  const { store, cm } = simulatedCluster();
  cm.stop();
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'huge', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '64' } } }] },
  };
  const nodes = store.list({ group: '', resource: 'nodes' }).items;
  const state = {
    nodes: () => nodes,
    node: (n: string) => nodes.find((x) => x.metadata.name === n),
    podsOnNode: () => [],
    usage: () => ({ milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalars: new Map() }),
  };
  const r = new ResourceFitPolicy().place(pod as never, state);
  assert.equal(
    r.message,
    '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
  );
  assert.equal(
    new ResourceFitPolicy().place(
      { ...pod, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1' } } }] } } as never,
      state,
    ).nodeName,
    'worker-1',
  );
  store.dispose();
});

test('a pod with spec.nodeName set is never scheduled, only started', async () => {
  const { store, cm } = simulatedCluster();
  store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pinned', namespace: 'default' },
    spec: { nodeName: 'cp', containers: [{ name: 'main', image: 'busybox' }] },
  });
  await cm.whenIdle();
  const pod = store.get(PODS, 'default', 'pinned')!;
  assert.equal(pod['spec'].nodeName, 'cp');
  assert.equal(pod['status'].phase, 'Running');
  cm.stop();
  store.dispose();
});
