/**
 * The two servers of the conformance run, each started by the run itself on 127.0.0.1 with the same
 * Nodes (test/fixtures/clusters/three-nodes.yaml) and stopped at the end:
 * - the simulated cluster (`startSimulator` with TLS, version 1.37, the controllers' API defaulting as
 *   admission, and its controller manager), as `npm run simulator` and the test clusters run it;
 * - the real control plane of Kubernetes v1.37.2 (`startRealCluster`: etcd, kube-apiserver,
 *   kube-controller-manager, kube-scheduler, kwok).
 * Both answer the same identities: an admin (system:masters), the view-only user
 * `kube-forecast-viewer`, a bearer token no one issued, and no credentials at all.
 */
import { startSimulator } from '../../src/simulator/api/server';
import { issueClientCert } from '../../src/simulator/api/tls';
import { applyDefaults, ControllerManager, lookupFromStore } from '../../src/simulator/controllers';
import { applySnapshot, loadSnapshot } from '../../src/simulator/demo';
import { Store } from '../../src/simulator/store/store';
import { NODES_FILE } from '../clusters/test-cluster';
import { startRealCluster } from '../real-cluster/control-plane';
import { compactEtcd } from '../real-cluster/etcd-compaction';
import { Client } from './client';

/** Which server. */
export type TargetName = 'kube-apiserver' | 'simulator';

/** A running server the sequence is sent to. */
export interface Target {
  readonly name: TargetName;
  readonly client: Client;
  /** A kubeconfig (admin, current context) for kubectl. */
  kubeconfig(): string;
  /**
   * Compacts the storage's history up to now, as etcd compaction does. kube-apiserver's watch cache
   * keeps serving watches and lists from its own history after it, and the simulator's store history
   * plays that cache; with no etcd behind it, nothing is compacted there.
   */
  compact(): Promise<void>;
  stop(): Promise<void>;
}

const BAD_TOKEN = 'kf-conformance-token-nobody-issued';

/** Starts the simulated cluster. */
export async function startSimulatorTarget(): Promise<Target> {
  const store = new Store({ gracefulPodDeletion: 'external' });
  applySnapshot(store, loadSnapshot(NODES_FILE, { registry: store.registry }).objects);
  const lookup = lookupFromStore(store);
  const sim = await startSimulator({
    store,
    versionMinor: 37,
    tls: true,
    onError: (e) => process.stderr.write(`simulator: unexpected error ${String(e)}\n`),
    admit: (_kind, obj) => applyDefaults(obj as never, lookup),
  });
  const cm = new ControllerManager(store, { rootCA: sim.tls!.ca.cert });
  cm.start();
  const client = new Client(sim.url, sim.tls!.ca.cert, {
    admin: { token: sim.adminToken },
    // A client certificate, as the real control plane's viewer (the credential shows in reviews).
    viewer: issueClientCert(sim.tls!.ca, 'kube-forecast-viewer', []),
    'bad-token': { token: BAD_TOKEN },
    anonymous: {},
  });
  return {
    name: 'simulator',
    client,
    kubeconfig: () => sim.kubeconfig(),
    // No etcd: the store's history is the watch cache, which etcd compaction leaves alone.
    compact: async () => {},
    stop: async () => {
      client.close();
      cm.stop();
      await sim.close();
    },
  };
}

/** Starts the real control plane (rejects with the launcher's one-line reason when it cannot). */
export async function startRealTarget(log: (line: string) => void): Promise<Target> {
  const rc = await startRealCluster({ nodesFile: NODES_FILE, log });
  const client = new Client(rc.url, rc.pki.ca.cert, {
    admin: rc.pki.admin,
    viewer: rc.pki.viewer,
    'bad-token': { token: BAD_TOKEN },
    anonymous: {},
  });
  return {
    name: 'kube-apiserver',
    client,
    kubeconfig: () => rc.kubeconfig(),
    compact: async () => void (await compactEtcd(rc.etcdUrl)),
    stop: async () => {
      client.close();
      await rc.stop();
    },
  };
}
