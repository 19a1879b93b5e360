/**
 * Owns the server's one cluster connection: its status, and the backend that answers tree,
 * text and write requests. Handlers call this; they never hold cluster state themselves.
 *
 * This build ships only the {@link DisconnectedBackend}; the cluster explorer issue adds a backend
 * over `src/cluster` (`ClusterSession`) and returns it from {@link ClusterHost.connect}.
 */
import type {
  ApplyManifestParams,
  ClusterStatus,
  ConnectClusterParams,
  Outcome,
  ResourceActionParams,
  ResourceTextParams,
  TreeNode,
} from '../shared/protocol';
import type { ClusterCaches } from './prediction/live-cluster';

/** What a connected (or disconnected) cluster can answer. Methods never throw; refusals are `Outcome`s. */
export interface ClusterBackend {
  readonly status: ClusterStatus;
  children(parentId: string | null): Promise<TreeNode[]>;
  resourceText(params: ResourceTextParams): Promise<Outcome<string>>;
  resourceAction(params: ResourceActionParams): Promise<Outcome<string>>;
  applyManifest(params: ApplyManifestParams, text: string): Promise<Outcome<string>>;
  snapshot(): Promise<Outcome<string>>;
  reauthenticate(): Promise<Outcome<string>>;
  /**
   * The session's shared watch caches for predictions (nodes, pods, namespaces, services, replicasets,
   * statefulsets, replicationcontrollers, PVCs, PVs, storageclasses, csinodes, priorityclasses) and their
   * change event; absent or undefined when disconnected. `ClusterData` (explorer) has this shape.
   */
  predictionCaches?(): ClusterCaches | undefined;
  dispose(): void;
}

/** The sentence every write or read refuses with when there is no cluster. */
export const REQUIRES_CLUSTER = 'This requires a connected cluster. Open the simulated cluster or choose a kubeconfig.';

/** The backend used when no cluster is connected: an empty tree and polite refusals. */
export class DisconnectedBackend implements ClusterBackend {
  /** Creates a backend reporting `status` (state `none` or `error`). */
  constructor(readonly status: ClusterStatus) {}
  async children(): Promise<TreeNode[]> {
    return [];
  }
  async resourceText(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  async resourceAction(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  async applyManifest(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  async snapshot(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  async reauthenticate(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  dispose(): void {}
  private reason(): string {
    return this.status.state === 'error' && this.status.message ? this.status.message : REQUIRES_CLUSTER;
  }
}

/** The status reported before any cluster was chosen. */
export const NO_CLUSTER_STATUS: ClusterStatus = {
  state: 'none',
  source: 'none',
  message: 'No cluster connected. Open the simulated cluster or choose a kubeconfig.',
};

/** Builds a backend for a connection request; injected so tests and later issues can supply real ones. */
export type BackendFactory = (params: ConnectClusterParams) => Promise<ClusterBackend>;

/**
 * The factory of this build: cluster connections arrive with the cluster explorer issue, so every
 * request other than `none` reports, honestly, that it is not available yet.
 */
export const defaultBackendFactory: BackendFactory = async (params) => {
  if (params.source === 'none') return new DisconnectedBackend(NO_CLUSTER_STATUS);
  const what = params.source === 'simulator' ? 'The simulated cluster' : 'Connecting to a kubeconfig cluster';
  return new DisconnectedBackend({
    ...NO_CLUSTER_STATUS,
    message: `${what} is not available in this build yet; nothing was changed.`,
  });
};

/** Holds the current backend and tells listeners when the status changes. */
export class ClusterHost {
  private backendValue: ClusterBackend = new DisconnectedBackend(NO_CLUSTER_STATUS);
  private readonly listeners = new Set<(s: ClusterStatus) => void>();

  /** Creates a host that builds backends with `factory`. */
  constructor(private readonly factory: BackendFactory = defaultBackendFactory) {}

  /** The current backend; replace it only through {@link connect}. */
  get backend(): ClusterBackend {
    return this.backendValue;
  }

  /** The current status. */
  get status(): ClusterStatus {
    return this.backendValue.status;
  }

  /** Registers a status listener; returns its unregister function. */
  onDidChangeStatus(listener: (s: ClusterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Disposes the old backend, builds the new one and announces its status. Never throws. */
  async connect(params: ConnectClusterParams): Promise<ClusterStatus> {
    let next: ClusterBackend;
    try {
      next = await this.factory(params);
    } catch (e) {
      next = new DisconnectedBackend({
        state: 'error',
        source: params.source,
        message: `Could not connect: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    this.backendValue.dispose();
    this.backendValue = next;
    for (const l of this.listeners) l(next.status);
    return next.status;
  }

  /** Disposes the backend. */
  dispose(): void {
    this.backendValue.dispose();
    this.listeners.clear();
  }
}
