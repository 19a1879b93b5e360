import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDefaults, ControllerManager, lookupFromStore } from '@src/simulator/controllers';
import { nextRun, parseCron } from '@src/simulator/controllers/cron-schedule';
import { Store } from '@src/simulator/store/store';
import { podTemplate, registeredNode, simulatedCluster } from '@test/builders/simulator';
import type { LooseObject } from '@src/simulator/controllers/common';

const PODS = { group: '', resource: 'pods' };
const STS = { group: 'apps', resource: 'statefulsets' };

function live(store: Store, ns: string, label: [string, string]): LooseObject[] {
  return store.list(PODS, {
    namespace: ns,
    filter: (p) => p.metadata.labels?.[label[0]] === label[1] && p.metadata.deletionTimestamp === undefined,
  }).items;
}

test('a StatefulSet creates ordinal pods and scales down from the highest ordinal', async () => {
  const { store, cm } = simulatedCluster();
  store.create(STS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: podTemplate({ app: 'db' }),
    },
  });
  await cm.whenIdle();
  let pods = live(store, 'default', ['app', 'db']);
  assert.deepEqual(
    pods.map((p) => p.metadata.name),
    ['db-0', 'db-1', 'db-2'],
  );
  assert.ok(
    pods.every((p) => p.status.phase === 'Running' && p.spec.hostname === p.metadata.name && p.spec.subdomain === 'db'),
  );
  assert.equal(pods[1]!.metadata.labels['apps.kubernetes.io/pod-index'], '1');
  assert.equal(store.get(STS, 'default', 'db')!['status'].readyReplicas, 3);
  store.mutate(STS, 'default', 'db', (d) => {
    d['spec'].replicas = 1;
  });
  await cm.whenIdle();
  pods = live(store, 'default', ['app', 'db']);
  assert.deepEqual(
    pods.map((p) => p.metadata.name),
    ['db-0'],
  );
  cm.stop();
  store.dispose();
});

test('a higher-priority pod preempts a lower-priority one when nothing fits', async () => {
  const store = new Store({ gracefulPodDeletion: 'external' });
  store.create({ group: '', resource: 'nodes' }, registeredNode('only', { cpu: '2' }));
  store.create(
    { group: 'scheduling.k8s.io', resource: 'priorityclasses' },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 },
  );
  const cm = new ControllerManager(store, { seed: 7 });
  cm.start();
  // As the API server would on POST: defaulting plus Priority admission.
  const pod = (name: string, extra: Record<string, unknown>): Record<string, unknown> => {
    const p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1500m' } } }], ...extra },
    };
    assert.equal(applyDefaults(p as never, lookupFromStore(store)), undefined);
    return p;
  };
  store.create(PODS, pod('low', {}));
  await cm.whenIdle();
  assert.equal(store.get(PODS, 'default', 'low')!['spec'].nodeName, 'only');
  store.create(PODS, pod('high', { priorityClassName: 'high' }));
  await cm.whenIdle();
  assert.equal(store.get(PODS, 'default', 'low'), undefined, 'the victim is evicted');
  const high = store.get(PODS, 'default', 'high')!;
  assert.equal(high['spec'].priority, 1000);
  assert.equal(high['spec'].nodeName, 'only');
  assert.equal(high['status'].phase, 'Running');
  const reasons = store
    .list({ group: '', resource: 'events' })
    .items.map((e) => `${e['involvedObject'].name}:${e['reason']}`);
  assert.ok(reasons.includes('low:Preempted'));
  assert.ok(reasons.includes('high:FailedScheduling'));
  assert.ok(reasons.includes('high:Scheduled'));
  cm.stop();
  store.dispose();
});

test('pods of a deleted node are garbage-collected and their ReplicaSet replaces them', async () => {
  const { store, cm } = simulatedCluster();
  store.create(
    { group: 'apps', resource: 'replicasets' },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', namespace: 'default' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'rs' } }, template: podTemplate({ app: 'rs' }) },
    },
  );
  await cm.whenIdle();
  assert.ok(live(store, 'default', ['app', 'rs']).some((p) => p.spec.nodeName === 'worker-1'));
  store.delete({ group: '', resource: 'nodes' }, undefined, 'worker-1');
  await cm.whenIdle();
  const pods = live(store, 'default', ['app', 'rs']);
  assert.equal(pods.length, 4);
  assert.ok(pods.every((p) => p.spec.nodeName === 'worker-2' && p.status.phase === 'Running'));
  cm.stop();
  store.dispose();
});

const CRON: { name: string; schedule: string; after: string; want: string }[] = [
  {
    name: 'every five minutes',
    schedule: '*/5 * * * *',
    after: '2026-01-01T00:03:10Z',
    want: '2026-01-01T00:05:00.000Z',
  },
  { name: 'nightly', schedule: '0 2 * * *', after: '2026-01-01T02:00:00Z', want: '2026-01-02T02:00:00.000Z' },
  {
    name: 'weekdays by name',
    schedule: '30 9 * * MON-FRI',
    after: '2026-01-02T10:00:00Z',
    want: '2026-01-05T09:30:00.000Z',
  },
  { name: 'macro', schedule: '@monthly', after: '2026-01-15T00:00:00Z', want: '2026-02-01T00:00:00.000Z' },
  { name: 'dom or dow', schedule: '0 0 13 * 5', after: '2026-02-01T00:00:00Z', want: '2026-02-06T00:00:00.000Z' },
];
for (const c of CRON) {
  test(`cron next run: ${c.name}`, () => {
    const s = parseCron(c.schedule);
    assert.notEqual(typeof s, 'string');
    assert.equal(nextRun(s as Exclude<typeof s, string>, new Date(c.after))?.toISOString(), c.want);
  });
}

test('cron rejects bad schedules with a message', () => {
  assert.match(String(parseCron('61 * * * *')), /out of range/);
  assert.match(String(parseCron('* * *')), /expected exactly 5 fields/);
});

test('a CronJob that is due creates its Job, which runs to completion', async () => {
  const now = new Date('2026-03-01T10:07:30Z');
  const store = new Store({ gracefulPodDeletion: 'external', now: () => now });
  store.create({ group: '', resource: 'nodes' }, registeredNode('n1'));
  const cm = new ControllerManager(store, { seed: 3, now: () => now });
  store.restore([
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'default', creationTimestamp: '2026-03-01T10:00:00Z' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: { spec: { template: podTemplate({ app: 'report' }, '10m', { restartPolicy: 'OnFailure' }) } },
      },
    },
  ]);
  cm.start();
  await cm.whenIdle();
  const jobs = store.list({ group: 'batch', resource: 'jobs' }, { namespace: 'default' }).items;
  assert.deepEqual(
    jobs.map((j) => j.metadata.name),
    [`report-${Math.floor(Date.parse('2026-03-01T10:05:00Z') / 60000)}`],
  );
  assert.equal(jobs[0]!['status'].succeeded, 1);
  const cj = store.get({ group: 'batch', resource: 'cronjobs' }, 'default', 'report')!;
  assert.equal(cj['status'].lastScheduleTime, '2026-03-01T10:05:00Z');
  assert.equal(cj['status'].active, undefined);
  cm.stop();
  store.dispose();
});
