/**
 * The scheduler framework's contracts, after staging/src/k8s.io/kube-scheduler/framework/interface.go
 * and pkg/scheduler/framework/types.go: what a plugin author reads first. A plugin is a {@link Plugin}
 * built by a {@link PluginFactory} and implementing some extension points ({@link PreFilterPlugin},
 * {@link FilterPlugin}, {@link PostFilterPlugin}, {@link PreScorePlugin}, {@link ScorePlugin}); it sees
 * the cluster through {@link Handle} and one node at a time through {@link NodeInfo}. The objects are
 * src/kube-api's v1 types.
 *
 * Architecture invariant: everything under src/scheduler is pure (no I/O, no `vscode`, no
 * client-node at runtime). Plugins see the cluster only through `Handle` and `NodeInfo`.
 */
import type { KubeObject, Namespace, Node, Pod } from '../../kube-api/types';
import type { AffinityTerm, WeightedAffinityTerm } from './affinity-term';
import type { CycleState } from './cycle-state';
import type { NodeChangeFeed } from './node-change-feed';
import type { Status } from './status';

/** `MaxNodeScore`: the highest score a plugin's (normalized) Score may give a node. */
export const MAX_NODE_SCORE = 100;
/** `MinNodeScore`: the lowest score a plugin's (normalized) Score may give a node. */
export const MIN_NODE_SCORE = 0;

/**
 * Integer resource amounts (`framework.Resource`): milli-CPU, bytes, counts.
 * Values are JS numbers holding int64 values exactly while below 2^53; code that multiplies
 * (e.g. memory × 100) must switch to BigInt first.
 */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalarResources: Map<string, number>;
}

/**
 * A pod plus what the framework precomputes once per pod (`framework.PodInfo`): its pod (anti-)affinity
 * terms parsed into selectors with their namespaces resolved. Plugins read it, never mutate it; the
 * same object is shared by every node the pod is on or is considered for.
 */
export interface PodInfo {
  /** The admitted pod (defaults applied). */
  readonly pod: Pod;
  /** `requiredDuringSchedulingIgnoredDuringExecution` pod affinity terms. */
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  /** `requiredDuringSchedulingIgnoredDuringExecution` pod anti-affinity terms. */
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  /** `preferredDuringSchedulingIgnoredDuringExecution` pod affinity terms with their weights. */
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  /** `preferredDuringSchedulingIgnoredDuringExecution` pod anti-affinity terms with their weights. */
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  /** Set when the pod's affinity terms could not be parsed; the term lists are then empty. */
  readonly parseError?: string;
}

/** `ImageStateSummary`: one container image a node has, as ImageLocality scores it. */
export interface ImageStateSummary {
  /** The image's size in bytes (`status.images[].sizeBytes` of the node that reported it first). */
  size: number;
  /** How many nodes have the image (spread, which ImageLocality weighs against the node count). */
  numNodes: number;
}

/**
 * `HostPortInfo`: host IP → set of "protocol/port" in use on a node. An empty IP is stored as `0.0.0.0`
 * and an empty protocol as `TCP` (`sanitize`), so NodePorts compares like upstream.
 */
export type HostPortInfo = Map<string, Set<string>>;

/**
 * Aggregated per-node state (`framework.NodeInfo`), kept current incrementally by the snapshot as pods
 * and nodes change. Read-only to plugins: Filter and Score must not mutate it (preemption works on
 * clones). Everything a plugin needs about "the pods on this node" is here, so no plugin lists pods itself.
 */
export interface NodeInfo {
  /** The Node object. */
  readonly node: Node;
  /** `node.metadata.name`. */
  readonly name: string;
  /** Every pod assigned (or assumed, or nominated in a what-if) to the node. */
  readonly pods: readonly PodInfo[];
  /** The subset of `pods` that declares pod affinity or anti-affinity (required or preferred). */
  readonly podsWithAffinity: readonly PodInfo[];
  /** The subset of `pods` with required pod anti-affinity (what InterPodAffinity's Filter checks against). */
  readonly podsWithRequiredAntiAffinity: readonly PodInfo[];
  /** Host ports the pods use (NodePorts). */
  readonly usedPorts: HostPortInfo;
  /** Sum of the pods' requests (`PodRequests`, overhead included): what NodeResourcesFit subtracts from allocatable. */
  readonly requested: Resource;
  /**
   * CPU and memory summed with upstream's non-zero defaults (100m CPU, 200 MiB memory) for containers
   * that request none: what the scoring strategies (LeastAllocated, BalancedAllocation, ...) use.
   */
  readonly nonZeroRequested: Resource;
  /** The node's `status.allocatable`. */
  readonly allocatable: Resource;
  /** Images on the node by every name it reports (`status.images[].names`). */
  readonly imageStates: ReadonlyMap<string, ImageStateSummary>;
  /** How many pods on the node use each PersistentVolumeClaim, keyed `namespace/claimName`. */
  readonly pvcRefCounts: ReadonlyMap<string, number>;
  /** Bumped on every change; lets plugins and snapshots cache per-node derived data. */
  readonly generation: number;
}

/**
 * The read-only cluster view plugins get (`framework.Handle` + `SharedLister`): one consistent snapshot
 * for the whole scheduling cycle. Lists are stable (same order on every call within a cycle) and must
 * not be mutated; a plugin keeps the handle its factory received and reads it per cycle.
 */
export interface Handle {
  /** All nodes, in nodeTree order (zone round-robin, §2.3 of the spec). */
  nodeInfos(): readonly NodeInfo[];
  /** Nodes that have pods with (anti-)affinity, in the same order. */
  havePodsWithAffinityNodeInfos(): readonly NodeInfo[];
  /** Nodes that have pods with required anti-affinity, in the same order. */
  havePodsWithRequiredAntiAffinityNodeInfos(): readonly NodeInfo[];
  /** One node by name; undefined when the snapshot has no such node (pods alone do not make a node). */
  getNodeInfo(name: string): NodeInfo | undefined;
  /** One Namespace by name (for namespaceSelector terms); undefined when unknown. */
  namespace(name: string): Namespace | undefined;
  /** Every known Namespace. */
  namespaces(): readonly Namespace[];
  /**
   * Other objects by kind (`Service`, `ReplicaSet`, `StatefulSet`, `ReplicationController`,
   * `PersistentVolumeClaim`, `PersistentVolume`, `StorageClass`, `CSINode`, `CSIDriver`,
   * `CSIStorageCapacity`, `VolumeAttachment`, `PriorityClass`, `PodDisruptionBudget`, and the DRA kinds),
   * all namespaces or one; empty for a kind the snapshot was not given.
   */
  objects(kind: string, namespace?: string): readonly KubeObject[];
  /** One object by kind, namespace (undefined for cluster-scoped kinds) and name. */
  getObject(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /**
   * Pending pods nominated to `nodeName` (`status.nominatedNodeName`); optional, absent means none.
   * The Filter phase counts those with priority >= the incoming pod's as if already on the node.
   */
  nominatedPodsForNode?(nodeName: string): readonly PodInfo[];
  /**
   * Optional: false promises that `nominatedPodsForNode` is empty for every node right now, so a
   * cycle can skip asking per node; absent means "maybe".
   */
  hasNominatedPods?(): boolean;
  /**
   * Optional: the nodes of `nodeInfos()` changed since the feed was made (see node-change-feed.ts);
   * absent means plugins carrying per-node results across cycles check every node.
   */
  nodeChanges?(): NodeChangeFeed;
}

/**
 * `PreFilterResult`: nil (all nodes) is `undefined`; otherwise the only nodes worth filtering. The
 * framework intersects the results of every PreFilter plugin; an empty intersection rejects the pod
 * with UnschedulableAndUnresolvable before any Filter runs.
 */
export interface PreFilterResult {
  nodeNames: Set<string>;
}

/**
 * Every plugin: one object built once per profile by its {@link PluginFactory}, then called for every
 * pod. Its `name` is upstream's plugin name (`NodeResourcesFit`, `PodTopologySpread`, ...): the
 * profile, the scores and the reason strings use it. A plugin implements any subset of the extension
 * points below; the profile enables it per point, and the framework refuses a point whose method the
 * plugin lacks (`plugin "X" does not extend filter plugin`, as upstream).
 *
 * Contracts every extension point shares:
 * - Pure: no I/O, no clock, no randomness; everything comes from the arguments and the `Handle`.
 * - A `Status` of `null` is Success. `Status.unschedulable(...)` rejects the node (or the pod, in
 *   PreFilter) and may be fixed by preemption; `UnschedulableAndUnresolvable` may not; `Error` is a
 *   bug or bad input and stops the cycle. Reason strings are upstream's, word for word.
 * - Per-pod data passes from PreFilter/PreScore to Filter/Score through `CycleState`, under the
 *   plugin's own key, never through fields of the plugin object (one object serves every cycle).
 */
export interface Plugin {
  readonly name: string;
}

/**
 * Lets preemption and nominated pods ask "what if this pod were (not) on the node" without a new
 * PreFilter: `addPod`/`removePod` update the plugin's CycleState data incrementally, exactly as if
 * PreFilter had run with that pod added or removed.
 */
export interface PreFilterExtensions {
  /** `AddPod`: updates the plugin's CycleState data as if `podInfoToAdd` ran on `nodeInfo`. */
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null;
  /** `RemovePod`: updates the plugin's CycleState data as if `podInfoToRemove` left `nodeInfo`. */
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null;
}

/**
 * Runs once per pod before any Filter, over all nodes: computes what Filter needs (writes CycleState),
 * may narrow the nodes (`result`), may reject the pod outright, or may return `Status` Skip, after
 * which the framework skips this plugin's Filter for the cycle.
 */
export interface PreFilterPlugin extends Plugin {
  preFilter(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null };
  /** The plugin's incremental add/remove for what-if filtering; absent or null when it has none. */
  preFilterExtensions?(): PreFilterExtensions | null;
}

/**
 * Decides whether the pod can run on one node. Called per node, in any order and possibly on a
 * `NodeInfo` with nominated pods added; it must not depend on other nodes' calls. `null` = fits.
 */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
}

/** `PostFilterResult`: what PostFilter found; no `nominatedNodeName` means no node can be made to fit. */
export interface PostFilterResult {
  /** The node where evicting the chosen victims makes the pod fit. */
  nominatedNodeName?: string;
}

/**
 * Runs only when no node fit (DefaultPreemption): given each node's Filter status, it may nominate a
 * node where evicting lower-priority victims would make the pod fit (`result.nominatedNodeName`).
 */
export interface PostFilterPlugin extends Plugin {
  postFilter(
    state: CycleState,
    pod: Pod,
    filteredNodeStatusMap: ReadonlyMap<string, Status>,
  ): { result?: PostFilterResult; status: Status | null };
}

/**
 * Runs once per pod over the feasible nodes, before Score: precomputes what Score needs (CycleState),
 * or returns `Status` Skip, after which the framework skips this plugin's Score for the cycle.
 */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null;
}

/** `NodeScore`: one node's score from one plugin, as NormalizeScore sees and rewrites it. */
export interface NodeScore {
  /** The node's name. */
  name: string;
  /** The raw score before normalization; in [MIN_NODE_SCORE, MAX_NODE_SCORE] after it. */
  score: number;
}

/**
 * Ranks one feasible node: a raw score, then (when present) `normalizeScore` maps all raw scores to
 * [MIN_NODE_SCORE, MAX_NODE_SCORE]; the framework multiplies by the profile's weight and sums over
 * plugins. The node with the highest total wins; ties resolve as upstream's `selectHost` (runtime/node-selection.ts).
 */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null };
  /**
   * Optional batch form of `score`: writes the raw score of `nodes[i]` to `out[i]` for every i and
   * returns the first failure (as `score` would), or null. It must give exactly what calling
   * `score` per node gives; the runtime prefers it because it avoids a per-node call and result.
   */
  scoreNodes?(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): Status | null;
  /** Present only for plugins with ScoreExtensions (NormalizeScore). Mutates `scores` in place. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status | null;
}

/** Feature gates a plugin may consult (`plfeature.Features`); unknown gates read as upstream's default. */
export type FeatureGates = Readonly<Record<string, boolean>>;

/** What a plugin factory receives: its args (v1 camelCase, already defaulted) and the handle. */
export interface PluginFactoryArgs {
  /** The plugin's `pluginConfig` args, v1 camelCase, defaulted and validated; undefined when it takes none. */
  args: Record<string, unknown> | undefined;
  /** The cluster view every cycle of this profile reads. */
  handle: Handle;
  /** The feature gates of the modelled release (with any overrides); read once, at build time. */
  features: FeatureGates;
  /**
   * The Kubernetes release modelled, e.g. "1.33" (see framework/version.ts); undefined means the
   * newest release modelled.
   */
  kubernetesVersion?: string | undefined;
}

/**
 * Builds a plugin for a profile (upstream's `PluginFactory`): reads its defaulted args, keeps the
 * handle, and must not look at any pod yet. Registered by name in plugins/registry.ts; runtime/framework.ts
 * calls the extension points in kube-scheduler's order.
 */
export type PluginFactory = (a: PluginFactoryArgs) => Plugin;
