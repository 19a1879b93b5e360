/** Helpers for the explorer tests: a backend connected to a test cluster (simulated or real), and polling. */
import { ClusterSession } from '@src/cluster/cluster-session';
import { kubeconfigFromString } from '@src/cluster/kubeconfig';
import { KubeClusterBackend } from '@src/server/explorer/kube-backend';
import type { TestCluster } from '@test/clusters/test-cluster';

/** Polls `probe` until it returns a truthy value (or `timeoutMs` passes; then returns the last value). */
export async function until<T>(probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await probe();
  while (!v && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    v = await probe();
  }
  return v;
}

/** A backend connected to `cluster` through its kubeconfig's `context` (see test/clusters/test-cluster.ts). */
export async function backendOn(
  cluster: TestCluster,
  opts: { context?: 'it-admin' | 'it-viewer'; namespaces?: string[] } = {},
): Promise<{ backend: KubeClusterBackend; close: () => void }> {
  const context = opts.context ?? 'it-admin';
  const make = (): ClusterSession =>
    new ClusterSession(kubeconfigFromString(cluster.kubeconfigText(context)), {
      delay: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
    });
  const backend = new KubeClusterBackend(make(), {
    source: 'kubeconfig',
    context,
    server: cluster.server,
    namespaces: opts.namespaces ?? [],
    makeSession: async () => make(),
    contexts: () => [{ name: 'it-admin' }, { name: 'it-viewer' }],
    healthIntervalMs: 0,
  });
  await backend.start(30_000);
  return { backend, close: () => backend.dispose() };
}
