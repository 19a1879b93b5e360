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
      status: { phase: 'Running' },
    });
    const id = 'kube-forecast-sim/cat-workloads/pods/~/pods/default/web';
    await until(async () =>
      (await backend.children('kube-forecast-sim/cat-workloads/pods')).some((r) => r.label === 'web'),
    );
    const text = await backend.resourceText({ nodeId: id, view: 'logs' });
    assert.ok(text.ok);
    assert.match(text.value, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z simulated container c of pod default\/web started$/m);
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
