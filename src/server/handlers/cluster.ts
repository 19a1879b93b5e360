/** Answers the cluster-level requests: status, connect, contexts, snapshot, re-authenticate; and forwards status changes. */
import {
  clusterStatus,
  connectCluster,
  didChangeClusterStatus,
  listContexts,
  reauthenticate,
  saveClusterSnapshot,
} from '../../shared/protocol';
import { runningSimulatorLabel } from '../cluster-host';
import type { ServerContext } from '../context';
import { readKubeconfigContexts } from '../kubeconfig-contexts';
import { refreshCodeLenses } from '../refresh';

/**
 * How long after the last status change the lenses are refreshed once more. VS Code (1.139's CodeLens
 * controller) cancels a pending CodeLens fetch when the editor loses focus, and a status changes mostly
 * while a quick pick or a file dialog has the focus (Choose Context, Load a cluster snapshot…): without
 * the second refresh a lens could keep saying "Starting the simulated cluster…" until the editor was
 * focused again.
 */
export const SETTLED_REFRESH_MS = 2000;

/** Registers the cluster handlers and the status notification. */
export function registerClusterHandlers(ctx: ServerContext): void {
  const { connection, cluster } = ctx;
  let settled: NodeJS.Timeout | undefined;
  cluster.onDidChangeStatus((status) => {
    void connection.sendNotification(didChangeClusterStatus, status);
    // Lenses show the connection state, so they are stale now.
    refreshCodeLenses(ctx);
    clearTimeout(settled);
    settled = setTimeout(() => refreshCodeLenses(ctx), SETTLED_REFRESH_MS);
    settled.unref();
  });
  connection.onRequest(clusterStatus, () => cluster.status);
  connection.onRequest(connectCluster, (params) => cluster.connect(params));
  connection.onRequest(listContexts, async (params) => {
    const found = await readKubeconfigContexts(params.kubeconfigPaths);
    // The built-in cluster may hold a snapshot while a kubeconfig context is connected: its own name.
    const simulatorLabel = await runningSimulatorLabel().catch(() => undefined);
    return simulatorLabel !== undefined ? { ...found, simulatorLabel } : found;
  });
  connection.onRequest(saveClusterSnapshot, () => cluster.backend.snapshot());
  connection.onRequest(reauthenticate, () => cluster.backend.reauthenticate());
}
