/**
 * Nodes that behave, on both test clusters (the simulated cluster's kubelet, kwok on the real control
 * plane): a scheduled pod goes from Pending to Running with its conditions and IPs, a Job's pod
 * completes and the Job with it, and a graceful deletion is honoured.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster?.close();
});

async function poll<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const get = async (path: string): Promise<any> => (await cluster.api('GET', path)).body;

test('a scheduled pod becomes Running and Ready with a pod IP and its node IP', async () => {
  const ns = await cluster.freshNamespace('agent');
  await cluster.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: ns },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '10m' } } }] },
  });
  const pod = await poll(async () => {
    const p = await get(`/api/v1/namespaces/${ns}/pods/web`);
    return p?.status?.phase === 'Running' && p.status.podIP ? p : undefined;
  }, 'the pod to run');
  assert.ok(pod.spec.nodeName, 'bound by the scheduler');
  assert.match(pod.status.podIP, /^\d+\.\d+\.\d+\.\d+$/);
  assert.match(pod.status.hostIP, /^\d+\.\d+\.\d+\.\d+$/);
  const conditions = Object.fromEntries((pod.status.conditions as any[]).map((c) => [c.type, c.status]));
  for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'])
    assert.equal(conditions[type], 'True', `${type} in ${JSON.stringify(conditions)}`);
  assert.equal(pod.status.containerStatuses?.[0]?.ready, true);
  assert.ok(pod.status.containerStatuses?.[0]?.state?.running, 'the container is running');
});

test("a Job's pod completes and the Job reports Complete", async () => {
  const ns = await cluster.freshNamespace('agent-job');
  await cluster.create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'once', namespace: ns },
    spec: {
      completions: 1,
      backoffLimit: 0,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
    },
  });
  const job = await poll(
    async () => {
      const j = await get(`/apis/batch/v1/namespaces/${ns}/jobs/once`);
      return (j?.status?.conditions as any[] | undefined)?.some((c) => c.type === 'Complete' && c.status === 'True')
        ? j
        : undefined;
    },
    'the Job to complete',
    60_000,
  );
  assert.equal(job.status.succeeded, 1);
  const pods = (await get(`/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3Donce`)).items as any[];
  assert.equal(pods.length, 1);
  assert.equal(pods[0].status.phase, 'Succeeded');
});

test('a graceful deletion is honoured: the pod terminates and disappears', async () => {
  const ns = await cluster.freshNamespace('agent-del');
  await cluster.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'gone', namespace: ns },
    spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'c', image: 'busybox' }] },
  });
  await poll(async () => {
    const p = await get(`/api/v1/namespaces/${ns}/pods/gone`);
    return p?.status?.phase === 'Running' ? p : undefined;
  }, 'the pod to run');
  const del = await cluster.api('DELETE', `/api/v1/namespaces/${ns}/pods/gone`);
  assert.equal(del.status, 200);
  assert.ok((del.body as any).metadata.deletionTimestamp, 'a graceful deletion first marks the pod');
  await poll(
    async () => ((await cluster.api('GET', `/api/v1/namespaces/${ns}/pods/gone`)).status === 404 ? true : undefined),
    'the pod to be gone',
  );
});
