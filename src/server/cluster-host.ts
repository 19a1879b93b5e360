/**
 * Owns the server's one cluster connection: its status, and the backend that answers tree,
 * text and write requests. Handlers call this; they never hold cluster state themselves.
 *
 * {@link defaultBackendFactory} builds `KubeClusterBackend`s (src/server/explorer) over `src/cluster`
 * (`ClusterSession`); {@link DisconnectedBackend} answers while nothing is connected.
 */
import type {
  ClusterStatus,
  ConnectClusterParams,
  ManifestWriteReport,
  Outcome,
  ResourceActionParams,
  ResourceTextParams,
  TreeNode,
  WriteManifestParams,
  WriteProgressParams,
} from '../shared/protocol';
import { join } from 'node:path';
import type { FactoryConfig, KubeBackendFactory } from './explorer/backend-factory';
import type { ClusterCaches } from './prediction/live-cluster';
import type { ManifestDocument } from './services/manifest';

/** What a connected (or disconnected) cluster can answer. Methods never throw; refusals are `Outcome`s. */
export interface ClusterBackend {
  readonly status: ClusterStatus;
  children(parentId: string | null): Promise<TreeNode[]>;
  resourceText(params: ResourceTextParams): Promise<Outcome<string>>;
  resourceAction(params: ResourceActionParams): Promise<Outcome<string>>;
  snapshot(): Promise<Outcome<string>>;
  reauthenticate(): Promise<Outcome<string>>;
  /**
   * The session's shared watch caches for predictions (nodes, pods, namespaces, services, replicasets,
   * statefulsets, replicationcontrollers, PVCs, PVs, storageclasses, csinodes, priorityclasses) and their
   * change event; absent or undefined when disconnected. `ClusterData` (explorer) has this shape.
   */
  predictionCaches?(): ClusterCaches | undefined;
  /** Status changes after connecting (unreachable, recovered, credentials expired); returns the remover. */
  onDidChangeStatus?(listener: (s: ClusterStatus) => void): () => void;
  /** Debounced ids of tree rows whose children changed (`''` is the root); returns the remover. */
  onDidChangeTree?(listener: (ids: string[]) => void): () => void;
  /**
   * Create from Manifest / Apply: dry-runs, then writes exactly the objects of `documents` (documents of
   * the parsed model, already chosen; see `explorer/manifest-writer.ts`), one result per document.
   */
  writeManifest?(
    documents: readonly ManifestDocument[],
    options: Pick<WriteManifestParams, 'mode' | 'namespace' | 'onExisting' | 'checkOnly'>,
    onProgress?: (p: Omit<WriteProgressParams, 'writeId'>) => void,
  ): Promise<Outcome<ManifestWriteReport>>;
  /** The cluster's namespace names (cluster-wide list), or why not. */
  namespaceNames?(): Promise<Outcome<string[]>>;
  /** The rows from the root to `id`, for reveal. */
  nodePath?(id: string): TreeNode[];
  /** Follows a pod's log; returns the stopper, or why it cannot. */
  followLogs?(
    nodeId: string,
    onChunk: (text: string) => void,
    onEnd: (reason: string) => void,
  ): (() => void) | { error: string };
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

/**
 * Builds a backend for a connection request; injected so tests can supply their own. `progress` is
 * told, as soon as the target is known, what is being connected to (state `connecting`), so the
 * editor can say "Connecting to <context>…" while the first lists run.
 */
export type BackendFactory = (
  params: ConnectClusterParams,
  progress?: (status: ClusterStatus) => void,
) => Promise<ClusterBackend>;

let explorerFactory: Promise<KubeBackendFactory> | undefined;

/**
 * The factory the server uses, built on first connection (client-node loads only then): kubeconfig
 * contexts and the simulated cluster (`dist/simulator.js`, next to `dist/server.js`).
 */
function explorerBackendFactory(): Promise<KubeBackendFactory> {
  explorerFactory ??= import('./explorer/backend-factory').then(
    ({ KubeBackendFactory }) => new KubeBackendFactory(explorerFactoryConfig),
  );
  return explorerFactory;
}

/**
 * The running built-in simulated cluster's name (see `simulatorLabel`), or undefined when it does not
 * run. Never builds the factory: before the first connection nothing runs.
 */
export async function runningSimulatorLabel(): Promise<string | undefined> {
  return explorerFactory === undefined ? undefined : (await explorerFactory).runningSimulatorLabel();
}

/** Settings the server sets before the first connection (auth settings, the prompt sink). */
export const explorerFactoryConfig: FactoryConfig = {
  simulatorScript: join(__dirname, 'simulator.js'),
};

/** The default factory: a `KubeClusterBackend` for kubeconfig contexts and the simulated cluster. */
const defaultBackendFactory: BackendFactory = async (params, progress) => {
  if (params.source === 'none') return new DisconnectedBackend(NO_CLUSTER_STATUS);
  return (await explorerBackendFactory()).create(params, progress);
};

/** Holds the current backend and tells listeners when the status changes. */
export class ClusterHost {
  private backendValue: ClusterBackend = new DisconnectedBackend(NO_CLUSTER_STATUS);
  /** Increments per `connect` call; a result whose ticket is no longer current is discarded. */
  private connectTicket = 0;
  private readonly listeners = new Set<(s: ClusterStatus) => void>();
  private readonly treeListeners = new Set<(ids: string[]) => void>();
  private unwire: (() => void)[] = [];
  /** While a connection is being made: what it connects to (state `connecting`). */
  private pending: ClusterStatus | undefined;

  /** Creates a host that builds backends with `factory`. */
  constructor(private readonly factory: BackendFactory = defaultBackendFactory) {}

  /** The current backend; replace it only through {@link connect}. */
  get backend(): ClusterBackend {
    return this.backendValue;
  }

  /** The current status (`connecting` while a connection is being made). */
  get status(): ClusterStatus {
    return this.pending ?? this.backendValue.status;
  }

  /** Registers a status listener; returns its unregister function. */
  onDidChangeStatus(listener: (s: ClusterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a listener for changed tree rows of the current backend; returns its remover. */
  onDidChangeTree(listener: (ids: string[]) => void): () => void {
    this.treeListeners.add(listener);
    return () => this.treeListeners.delete(listener);
  }

  /** Disposes the old backend, builds the new one and announces its status. Never throws. */
  async connect(params: ConnectClusterParams): Promise<ClusterStatus> {
    // Only the newest request may install its backend: a slower, older one (e.g. a simulator start
    // that the newer request stopped) is disposed when it finally settles, never shown.
    const ticket = ++this.connectTicket;
    this.pending = undefined;
    const progress = (s: ClusterStatus): void => {
      if (ticket !== this.connectTicket || s.state !== 'connecting') return;
      this.pending = s;
      for (const l of this.listeners) l(s);
    };
    if (params.source !== 'none')
      progress({
        state: 'connecting',
        source: params.source,
        ...(params.source === 'kubeconfig' && params.context ? { context: params.context } : {}),
        message:
          params.source === 'simulator'
            ? 'Starting the simulated cluster…'
            : `Connecting to ${params.context || "the kubeconfig's current context"}…`,
      });
    let next: ClusterBackend;
    try {
      next = await this.factory(params, progress);
    } catch (e) {
      next = new DisconnectedBackend({
        state: 'error',
        source: params.source,
        message: `Could not connect: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    if (ticket !== this.connectTicket) {
      next.dispose();
      return this.backendValue.status;
    }
    for (const off of this.unwire.splice(0)) off();
    this.backendValue.dispose();
    this.backendValue = next;
    this.pending = undefined;
    const offStatus = next.onDidChangeStatus?.((s) => {
      if (this.backendValue === next) for (const l of this.listeners) l(s);
    });
    const offTree = next.onDidChangeTree?.((ids) => {
      if (this.backendValue === next) for (const l of this.treeListeners) l(ids);
    });
    if (offStatus) this.unwire.push(offStatus);
    if (offTree) this.unwire.push(offTree);
    for (const l of this.listeners) l(next.status);
    for (const l of this.treeListeners) l(['']);
    return next.status;
  }

  /** Disposes the backend. */
  dispose(): void {
    for (const off of this.unwire.splice(0)) off();
    this.backendValue.dispose();
    this.listeners.clear();
    this.treeListeners.clear();
    void explorerFactory?.then((f) => f.dispose());
  }
}
