/**
 * What the server asks of a cluster: the {@link ClusterBackend} contract that `ClusterHost` holds one
 * of at a time, and the {@link BackendFactory} that builds one per connection request. Types only, so
 * the host, the explorer's backends and the handlers all depend on this file and never on each other.
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

/**
 * Builds a backend for a connection request; injected so tests can supply their own. `progress` is
 * told, as soon as the target is known, what is being connected to (state `connecting`), so the
 * editor can say "Connecting to <context>…" while the first lists run.
 */
export type BackendFactory = (
  params: ConnectClusterParams,
  progress?: (status: ClusterStatus) => void,
) => Promise<ClusterBackend>;

/** The sentence every write or read refuses with when there is no cluster. */
export const REQUIRES_CLUSTER = 'This requires a connected cluster. Open the simulated cluster or choose a kubeconfig.';
