/**
 * A cluster too big for the memory budget: a cluster-wide cache over its limit
 * (ClusterSession's maxClusterWideItems, CLUSTER_WIDE_MAX_ITEMS in the product) keeps nothing, says
 * `tooLarge` and does not retry; the tree says why and what to do (choose namespaces), and with chosen
 * namespaces the same kind is cached per namespace and listed. Against the simulated cluster or the
 * real control plane (test/clusters/test-cluster.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { ClusterSession } from '@src/cluster/cluster-session';
import { kubeconfigFromString } from '@src/cluster/kubeconfig';
import { KubeClusterBackend } from '@src/server/explorer/kube-backend';
import { until } from './helpers';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster?.close();
});

const CTX = 'it-admin';
const LIMIT = 2;

function backend(namespaces: string[]): KubeClusterBackend {
  const make = (): ClusterSession =>
    new ClusterSession(kubeconfigFromString(cluster.kubeconfigText(CTX)), { maxClusterWideItems: LIMIT });
  return new KubeClusterBackend(make(), {
    source: 'kubeconfig',
    context: CTX,
    server: cluster.server,
    namespaces,
    makeSession: async () => make(),
    contexts: () => [{ name: CTX }],
    healthIntervalMs: 0,
  });
}

test('over the limit, a cluster-wide cache keeps nothing and says so; chosen namespaces are cached and listed', async () => {
  const ns = await cluster.freshNamespace('big');
  for (const name of ['a', 'b'])
    await cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { k: 'v' } });

  const session = new ClusterSession(kubeconfigFromString(cluster.kubeconfigText(CTX)), {
    maxClusterWideItems: LIMIT,
  });
  try {
    const wide = session.cache('configmaps');
    assert.ok(await until(() => wide.state === 'tooLarge'), `state ${wide.state}`);
    assert.equal(wide.size, 0);
    assert.match(wide.message, /more than 2 objects/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(wide.state, 'tooLarge', 'no retry flips it back');
    const mine = session.cacheForPath(`/api/v1/namespaces/${ns}/configmaps`);
    await mine.whenSynced();
    assert.deepEqual(
      mine
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
      ['a', 'b', 'kube-root-ca.crt'],
    );
  } finally {
    session.dispose();
  }

  const all = backend([]);
  await all.start(30_000);
  try {
    const rows = await until(async () => {
      const r = await all.children(`${CTX}/cat-config/configmaps`);
      return r.some((x) => /Too many/.test(x.label)) ? r : undefined;
    });
    assert.ok(rows, 'the ConfigMaps group explains itself');
    assert.match(rows[0]!.label, /Too many ConfigMaps to keep in memory \(more than 2 objects\): choose Namespaces/);
  } finally {
    all.dispose();
  }

  const chosen = backend([ns]);
  await chosen.start(30_000);
  try {
    const rows = await until(async () => {
      const r = await chosen.children(`${CTX}/cat-config/configmaps`);
      return r.some((x) => x.label === 'a') ? r : undefined;
    });
    assert.deepEqual(
      rows?.map((r) => r.label),
      ['a', 'b', 'kube-root-ca.crt'],
    );
  } finally {
    chosen.dispose();
  }
});
