/** Answers the cluster-level requests: status, connect, contexts, snapshot, re-authenticate; and forwards status changes. */
import {
  clusterStatus,
  connectCluster,
  didChangeClusterStatus,
  listContexts,
  reauthenticate,
  saveClusterSnapshot,
} from '../../shared/protocol';
import type { ServerContext } from '../context';
import { readKubeconfigContexts } from '../kubeconfig-contexts';

/** Registers the cluster handlers and the status notification. */
export function registerClusterHandlers(ctx: ServerContext): void {
  const { connection, cluster, lenses } = ctx;
  cluster.onDidChangeStatus((status) => {
    void connection.sendNotification(didChangeClusterStatus, status);
    // Lenses show the connection state, so they are stale now (and once more when it has settled).
    lenses.statusChanged();
  });
  connection.onRequest(clusterStatus, () => cluster.status);
  connection.onRequest(connectCluster, (params) => cluster.connect(params));
  connection.onRequest(listContexts, async (params) => {
    const found = await readKubeconfigContexts(params.kubeconfigPaths);
    // The built-in cluster may hold a snapshot while a kubeconfig context is connected: its own name.
    const simulatorLabel = await ctx.backends.runningSimulatorLabel().catch(() => undefined);
    return simulatorLabel !== undefined ? { ...found, simulatorLabel } : found;
  });
  connection.onRequest(saveClusterSnapshot, () => cluster.backend.snapshot());
  connection.onRequest(reauthenticate, () => cluster.backend.reauthenticate());
}
