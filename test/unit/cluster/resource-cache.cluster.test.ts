/**
 * ResourceCache and ClusterSession against a cluster (the simulated one or the real control plane,
 * see test/clusters/test-cluster.ts): 410 re-list, backoff and recovery, forbidden and unauthorized
 * states. One cluster for the file; each test works in a namespace of its own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSession } from '@src/cluster/cluster-session';
import { kubeconfigFromString } from '@src/cluster/kubeconfig';
import type { CacheChange, KubeObjectLike } from '@src/cluster/resource-cache';
import type { ProxiedRequest } from '@test/clusters/fault-proxy';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster?.close();
});

function configMap(name: string, namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { mine: 'yes' } },
    data: { k: 'v' },
  };
}

async function until(probe: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!probe() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return probe();
}

/** A session whose backoff delays are recorded and shortened to at most 20 ms. */
async function withSession(
  fn: (session: ClusterSession, delays: number[]) => Promise<void>,
  context: 'it-admin' | 'it-viewer' = 'it-admin',
  options: { watchIdleMs?: number } = {},
): Promise<void> {
  const delays: number[] = [];
  const session = new ClusterSession(kubeconfigFromString(cluster.kubeconfigText(context)), {
    ...options,
    delay: (ms) => {
      delays.push(ms);
      return new Promise((r) => setTimeout(r, Math.min(ms, 20)));
    },
  });
  try {
    await fn(session, delays);
  } finally {
    session.dispose();
    cluster.faults({ clear: true });
  }
}

/** Names of this test's ConfigMaps (every namespace also holds the cluster's kube-root-ca.crt). */
function names(objs: readonly KubeObjectLike[]): string[] {
  return objs
    .filter((o) => (o.metadata as { labels?: Record<string, string> } | undefined)?.labels?.['mine'] === 'yes')
    .map((o) => o.metadata?.name ?? '')
    .sort();
}

test('a 410 on the resumed watch re-lists: one resync change, and the content equals the server', async () => {
  const ns = await cluster.freshNamespace('relist');
  await withSession(async (session) => {
    await cluster.create(configMap('a', ns));
    const cache = session.cache('configmaps');
    await cache.whenSynced();
    assert.ok(await until(() => names(cache.list(ns)).join() === 'a'));
    const changes: CacheChange<KubeObjectLike>[] = [];
    cache.onDidChange((c) => changes.push(c));
    cluster.faults({ status: 410, count: 1 });
    cluster.faults({ dropWatches: true });
    assert.ok(await until(() => changes.some((c) => c.resync)), 'expected a re-list after 410');
    await cluster.create(configMap('b', ns));
    await cluster.remove(configMap('a', ns));
    assert.ok(await until(() => names(cache.list(ns)).join() === 'b'), names(cache.list(ns)).join());
    assert.equal(cache.state, 'synced');
  });
});

test('a watch that goes silent without closing is cut after watchIdleMs and resumed: what changed meanwhile arrives', async () => {
  const ns = await cluster.freshNamespace('stalled');
  await withSession(
    async (session) => {
      await cluster.create(configMap('a', ns));
      const from = cluster.requests().length;
      const cache = session.cache('configmaps');
      await cache.whenSynced();
      assert.ok(await until(() => names(cache.list(ns)).join() === 'a'));
      // Stall only once the proxy is forwarding the cache's watch (its answer has started).
      assert.ok(await until(() => configMapWatches(from).some((r) => r.status === 200)), 'the cache watches');
      const watchesBefore = configMapWatches(from).length;
      // The connection stays open and says nothing more: before the idle cut, a cache waited on it for good.
      cluster.faults({ stallWatches: true });
      await cluster.create(configMap('b', ns));
      assert.ok(await until(() => names(cache.list(ns)).join() === 'a,b'), `seen: ${names(cache.list(ns)).join()}`);
      assert.ok(configMapWatches(from).length > watchesBefore, 'a new watch was opened after the stall');
      assert.equal(cache.state, 'synced');
    },
    'it-admin',
    { watchIdleMs: 1500 },
  );
});

/** The configmaps watches among the requests the extension's contexts sent through the proxy since `from`. */
function configMapWatches(from: number): ProxiedRequest[] {
  return cluster
    .requests()
    .slice(from)
    .filter((r) => r.method === 'GET' && r.path.endsWith('/configmaps') && r.watch);
}

test('an unreachable server is retried with growing backoff; on recovery the cache converges without stale or duplicate items', async () => {
  const ns = await cluster.freshNamespace('backoff');
  await withSession(async (session, delays) => {
    await cluster.create(configMap('old', ns));
    const cache = session.cache('configmaps');
    await cache.whenSynced();
    assert.ok(await until(() => names(cache.list(ns)).join() === 'old'));
    cluster.faults({ status: 503 });
    cluster.faults({ dropWatches: true });
    assert.ok(await until(() => cache.state === 'unreachable'));
    assert.match(cache.message, /unable to handle the request/);
    await cluster.remove(configMap('old', ns));
    await cluster.create(configMap('new', ns));
    assert.ok(await until(() => delays.length >= 3));
    assert.ok(delays[1]! > delays[0]! && delays[2]! > delays[1]!, `backoff should grow: ${delays.join(', ')}`);
    cluster.faults({ clear: true });
    assert.ok(await until(() => cache.state === 'synced' && names(cache.list(ns)).join() === 'new'));
    assert.deepEqual(names(cache.list(ns)), ['new']);
  });
});

test('a read-only user: the cluster-scoped nodes list is forbidden with the server message; pods still sync', async () => {
  await withSession(async (session) => {
    const nodes = session.cache('nodes');
    const pods = session.cache('pods');
    await pods.whenSynced();
    assert.ok(await until(() => nodes.state === 'forbidden'));
    assert.match(nodes.message, /cannot list resource "nodes"/);
    assert.equal(pods.state, 'synced');
  }, 'it-viewer');
});

test('ClusterSession.health reports the version and readiness', async () => {
  await withSession(async (session) => {
    const up = await session.health();
    assert.equal(up.reachable, true);
    assert.match(up.version ?? '', /^v1\.37\.\d+/);
    assert.equal(up.ready, true);
  });
});

// Last: it revokes it-admin's credential for the rest of the file.
test('a revoked credential moves the caches to unauthorized', async () => {
  await withSession(async (session) => {
    const cache = session.cache('namespaces');
    await cache.whenSynced();
    await cluster.revokeAdmin();
    cluster.faults({ dropWatches: true });
    assert.ok(await until(() => cache.state === 'unauthorized'), cache.state);
  });
});
