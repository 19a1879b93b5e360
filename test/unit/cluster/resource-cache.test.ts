/**
 * ResourceCache and ClusterSession against a real simulated cluster (in this process, 127.0.0.1:0):
 * 410 re-list, backoff and recovery, forbidden and unauthorized states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSession } from '../../../src/cluster/cluster-session';
import { kubeconfigFromString } from '../../../src/cluster/kubeconfig';
import type { CacheChange, KubeObjectLike } from '../../../src/cluster/resource-cache';
import { startSimulator, type Simulator } from '../../../src/simulator/api/server';

const CM = { group: '', resource: 'configmaps' };

function configMap(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: 'v' } };
}

async function until(probe: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!probe() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return probe();
}

/** A session whose backoff delays are recorded and shortened to at most 20 ms. */
async function withSession(
  fn: (sim: Simulator, session: ClusterSession, delays: number[]) => Promise<void>,
  token: 'admin' | 'readonly' = 'admin',
): Promise<void> {
  const sim = await startSimulator({ onError: () => undefined });
  const delays: number[] = [];
  const session = new ClusterSession(
    kubeconfigFromString(sim.kubeconfig({ token: token === 'admin' ? sim.adminToken : sim.readOnlyToken })),
    {
      delay: (ms) => {
        delays.push(ms);
        return new Promise((r) => setTimeout(r, Math.min(ms, 20)));
      },
    },
  );
  try {
    await fn(sim, session, delays);
  } finally {
    session.dispose();
    await sim.close();
  }
}

function names(objs: readonly KubeObjectLike[]): string[] {
  return objs.map((o) => o.metadata?.name ?? '').sort();
}

test('a 410 on the resumed watch re-lists: one resync change, and the content equals the server', async () => {
  await withSession(async (sim, session) => {
    sim.store.create(CM, configMap('a'));
    const cache = session.cache('configmaps');
    await cache.whenSynced();
    const changes: CacheChange<KubeObjectLike>[] = [];
    cache.onDidChange((c) => changes.push(c));
    sim.faults.set({ status: 410, count: 1 });
    sim.faults.set({ dropWatches: true });
    assert.ok(await until(() => changes.some((c) => c.resync)), 'expected a re-list after 410');
    sim.store.create(CM, configMap('b'));
    sim.store.delete(CM, 'default', 'a');
    assert.ok(await until(() => names(cache.list('default')).join() === 'b'));
    assert.equal(cache.state, 'synced');
  });
});

test('an unreachable server is retried with growing backoff; on recovery the cache converges without stale or duplicate items', async () => {
  await withSession(async (sim, session, delays) => {
    sim.store.create(CM, configMap('old'));
    const cache = session.cache('configmaps');
    await cache.whenSynced();
    sim.faults.set({ status: 503 });
    sim.faults.set({ dropWatches: true });
    assert.ok(await until(() => cache.state === 'unreachable'));
    assert.match(cache.message, /unable to handle the request/);
    sim.store.delete(CM, 'default', 'old');
    sim.store.create(CM, configMap('new'));
    assert.ok(await until(() => delays.length >= 3));
    assert.ok(delays[1]! > delays[0]! && delays[2]! > delays[1]!, `backoff should grow: ${delays.join(', ')}`);
    sim.faults.set({ clear: true });
    assert.ok(await until(() => cache.state === 'synced' && names(cache.list()).join() === 'new'));
    assert.deepEqual(names(cache.list()), ['new']);
  });
});

test('a read-only user: the cluster-scoped nodes list is forbidden with the server message; pods still sync', async () => {
  await withSession(async (_sim, session) => {
    const nodes = session.cache('nodes');
    const pods = session.cache('pods');
    await pods.whenSynced();
    assert.ok(await until(() => nodes.state === 'forbidden'));
    assert.match(nodes.message, /cannot list resource "nodes"/);
    assert.equal(pods.state, 'synced');
  }, 'readonly');
});

test('an expired token moves the caches to unauthorized', async () => {
  await withSession(async (sim, session) => {
    const cache = session.cache('namespaces');
    await cache.whenSynced();
    sim.faults.set({ expireToken: sim.adminToken });
    sim.faults.set({ dropWatches: true });
    assert.ok(await until(() => cache.state === 'unauthorized'));
  });
});

test('ClusterSession.health reports the version and readiness, and an unreachable server without throwing', async () => {
  const sim = await startSimulator({ onError: () => undefined });
  const session = new ClusterSession(kubeconfigFromString(sim.kubeconfig()));
  const up = await session.health();
  assert.equal(up.reachable, true);
  assert.match(up.version ?? '', /^v1\.\d+/);
  assert.equal(up.ready, true);
  await sim.close();
  const down = await session.health();
  assert.equal(down.reachable, false);
  assert.match(down.message ?? '', /cannot reach/);
  session.dispose();
});
