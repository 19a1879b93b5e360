/**
 * KubeClusterBackend's log views against the simulated cluster's synthetic container logs. Everything
 * else the backend does is tested against both clusters in kube-backend.cluster.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectedBackend, until } from './helpers';

const PODS = { group: '', resource: 'pods' };
const pod = (name: string, ns = 'default'): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

test('Logs: the text view shows timestamped lines; following streams new lines until stopped', async () => {
  const { sim, backend, close } = await connectedBackend();
  try {
    sim.store.create(PODS, {
      ...pod('web'),
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
      status: {
        phase: 'Running',
        startTime: '2026-01-01T00:00:04Z',
        containerStatuses: [{ name: 'c', ready: true, state: { running: { startedAt: '2026-01-01T00:00:05Z' } } }],
      },
    });
    const id = 'kube-forecast-sim/cat-workloads/pods/~/pods/default/web';
    await until(async () =>
      (await backend.children('kube-forecast-sim/cat-workloads/pods')).some((r) => r.label === 'web'),
    );
    const text = await backend.resourceText({ nodeId: id, view: 'logs' });
    assert.ok(text.ok);
    // The container's own time (when it started), in the runtime's RFC 3339 nanosecond form.
    assert.match(text.value, /^2026-01-01T00:00:05\.000000000Z simulated container c of pod default\/web started$/m);
    let got = '';
    let ended: string | undefined;
    const stop = backend.followLogs(
      id,
      (t) => (got += t),
      (r) => (ended = r),
    );
    assert.equal(typeof stop, 'function');
    assert.ok(await until(() => /ready/.test(got)));
    (stop as () => void)();
    assert.ok(await until(() => ended !== undefined));
    const refused = backend.followLogs(
      'kube-forecast-sim/nodes',
      () => undefined,
      () => undefined,
    );
    assert.deepEqual(refused, { error: 'This row is not a Kubernetes object.' });
  } finally {
    await close();
  }
});
