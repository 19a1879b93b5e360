/**
 * The scheduler's cluster cache and snapshot in one, after pkg/scheduler/backend/cache/cache.go,
 * snapshot.go and node_tree.go.
 *
 * Contract:
 * - Nodes, pods, namespaces and any other object kind are added, updated and removed one at a
 *   time; every per-node aggregate is updated incrementally (O(pod) per pod event, O(images) per
 *   node event). Nothing is rebuilt from all pods.
 * - Terminal pods (phase Succeeded/Failed) are not counted: adding one is a no-op and updating a
 *   pod to a terminal phase removes it, as the scheduler's informer field selector does.
 * - Assigned pods (spec.nodeName set) go into their node's NodeInfo. Pods bound to a node the
 *   cache does not know are kept and appear when that node arrives. Unassigned pods are held as
 *   pending (the queue's view) and never counted on a node.
 * - `assumePod`/`forgetPod` place a predicted pod on a node and undo it, for sequential what-if
 *   predictions; `clone()` gives an independent copy for branching.
 * - The node list (`nodeInfos()`) follows nodeTree order and is re-derived only when the node set
 *   or a node's zone changes.
 */
import type { KubeObject, Namespace, Node, Pod } from '../../kube-api/types';
import { isTerminalPod } from '../../kube-api/pod-phase';
import type { FeatureGates, Handle, ImageStateSummary } from './interface';
import { newPodInfo, NodeInfoImpl, podHasAffinity, podKey, type PodInfoImpl } from './node-info';
import { ImageStates } from './image-states';
import { NodeChangeFeed } from './node-change-feed';
import { getZoneKey, NodeTree } from './node-tree';
import { NamespacedMap, ObjectIndex } from './object-index';
import { withMembership } from './node-list-membership';

/** The kinds handled specially; every other kind is stored as a plain object. */
const NODE = 'Node';
const POD = 'Pod';
const NAMESPACE = 'Namespace';

interface PodEntry {
  info: PodInfoImpl;
  /** The node the pod is counted on; '' for pending (unassigned) pods. */
  nodeName: string;
}

const EMPTY_PODS: readonly PodInfoImpl[] = Object.freeze([]);

/** The cluster state plugins read, kept current incrementally. */
export class ClusterSnapshot implements Handle {
  /**
   * `features` are the cluster's feature gates as the scheduler process sees them; they affect
   * how pods' resources are counted on nodes (absent gates read as release defaults).
   */
  constructor(readonly features?: FeatureGates) {}

  /**
   * The cluster's Kubernetes version (`/version` gitVersion, e.g. "v1.33.2"), when known: predictions
   * over this snapshot model that release's kube-scheduler (framework/version.ts) unless the caller
   * names another. Undefined means the newest release modelled.
   */
  kubernetesVersion: string | undefined = undefined;

  private readonly nodeInfoMap = new Map<string, NodeInfoImpl>();
  private tree = new NodeTree();
  private readonly imageStates = new ImageStates();
  private readonly pods = new Map<string, PodEntry>();
  /** Pending pods by `status.nominatedNodeName` (the scheduler's nominator). */
  private readonly nominated = new Map<string, PodInfoImpl[]>();
  /** What an assumed pod replaced (same key), restored by `forgetPod`. */
  private readonly replacedByAssumed = new WeakMap<PodInfoImpl, PodEntry>();
  /** namespace → name → pod key, for removal by name. */
  private podKeyByName = new NamespacedMap<string>();
  private readonly namespaceMap = new Map<string, Namespace>();
  /** Every other kind's objects. */
  private readonly others = new ObjectIndex();
  private namespaceList: Namespace[] | undefined;
  private nodeInfoList: NodeInfoImpl[] | undefined;
  /** Each node's position in `nodeInfoList` (built with it), to keep the affinity lists in order. */
  private nodePosition = new Map<NodeInfoImpl, number>();
  /** The change feed of `nodeInfoList` (see node-change-feed.ts), made with it. */
  private changeFeed: NodeChangeFeed | undefined;
  private affinityList: NodeInfoImpl[] | undefined;
  private antiAffinityList: NodeInfoImpl[] | undefined;

  // ---- Handle -------------------------------------------------------------------------------

  /** All known nodes in nodeTree order. */
  nodeInfos(): readonly NodeInfoImpl[] {
    if (this.nodeInfoList === undefined) {
      const list: NodeInfoImpl[] = [];
      const position = new Map<NodeInfoImpl, number>();
      for (const name of this.tree.list()) {
        const ni = this.nodeInfoMap.get(name);
        if (ni && ni.hasNode) {
          position.set(ni, list.length);
          list.push(ni);
        }
      }
      this.nodeInfoList = list;
      this.nodePosition = position;
      this.newChangeFeed();
    }
    return this.nodeInfoList;
  }

  /** The nodes of `nodeInfos()` changed since the feed was made (a fresh feed after an overflow). */
  nodeChanges(): NodeChangeFeed {
    this.nodeInfos();
    if (this.changeFeed!.overflowed) this.newChangeFeed();
    return this.changeFeed!;
  }

  /** A feed for the current node list, which its NodeInfos now report to. */
  private newChangeFeed(): void {
    const list = this.nodeInfoList!;
    // A few changes per node between reads; beyond that, readers check every node anyway.
    const feed = new NodeChangeFeed(list, this.nodePosition, 4 * list.length + 1024);
    for (const ni of list) ni.changeFeed = feed;
    this.changeFeed = feed;
  }

  /** Nodes having pods with (anti-)affinity, in nodeTree order. */
  havePodsWithAffinityNodeInfos(): readonly NodeInfoImpl[] {
    if (this.affinityList === undefined)
      this.affinityList = this.nodeInfos().filter((n) => n.podsWithAffinity.length > 0);
    return this.affinityList;
  }

  /** Nodes having pods with required anti-affinity, in nodeTree order. */
  havePodsWithRequiredAntiAffinityNodeInfos(): readonly NodeInfoImpl[] {
    if (this.antiAffinityList === undefined)
      this.antiAffinityList = this.nodeInfos().filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    return this.antiAffinityList;
  }

  /** The NodeInfo of a known node (undefined for unknown names and pod-only placeholders). */
  getNodeInfo(name: string): NodeInfoImpl | undefined {
    const ni = this.nodeInfoMap.get(name);
    return ni && ni.hasNode ? ni : undefined;
  }

  namespace(name: string): Namespace | undefined {
    return this.namespaceMap.get(name);
  }

  namespaces(): readonly Namespace[] {
    if (this.namespaceList === undefined) this.namespaceList = [...this.namespaceMap.values()];
    return this.namespaceList;
  }

  objects(kind: string, namespace?: string): readonly KubeObject[] {
    return this.others.list(kind, namespace);
  }

  getObject(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.others.get(kind, namespace, name);
  }

  // ---- Extra read access --------------------------------------------------------------------

  /** Number of known nodes (`NumNodes`). */
  numNodes(): number {
    return this.nodeInfos().length;
  }

  /** Whether any pending pod is nominated to a node (`nominatedPodsForNode` is otherwise always empty). */
  hasNominatedPods(): boolean {
    return this.nominated.size > 0;
  }

  /** Pods bound to nodes the cache does not know (yet), as upstream's node-less NodeInfos hold them. */
  podsOnUnknownNodes(): PodInfoImpl[] {
    const out: PodInfoImpl[] = [];
    for (const ni of this.nodeInfoMap.values()) if (!ni.hasNode) out.push(...ni.pods);
    return out;
  }

  /**
   * Pending pods nominated to `nodeName` (`status.nominatedNodeName`, typically set by preemption),
   * which the Filter phase counts as if already there when their priority is at least the
   * incoming pod's (`RunFilterPluginsWithNominatedPods`).
   */
  nominatedPodsForNode(nodeName: string): readonly PodInfoImpl[] {
    return this.nominated.get(nodeName) ?? EMPTY_PODS;
  }

  /** Unassigned, non-terminal pods (what the scheduling queue would hold). */
  pendingPods(): Pod[] {
    const out: Pod[] = [];
    for (const e of this.pods.values()) if (e.nodeName === '') out.push(e.info.pod);
    return out;
  }

  /** Cluster-wide image state for one image name (size from the first reporting node, node count). */
  imageState(name: string): ImageStateSummary | undefined {
    return this.imageStates.get(name);
  }

  // ---- Nodes --------------------------------------------------------------------------------

  /** Adds a node, or updates it if already known. */
  addNode(node: Node): void {
    const name = node?.metadata?.name;
    if (typeof name !== 'string' || name === '') return;
    const existing = this.nodeInfoMap.get(name);
    if (existing && existing.hasNode) {
      this.updateNode(node);
      return;
    }
    let ni = existing;
    if (ni) ni.setNode(node);
    else {
      ni = new NodeInfoImpl(node);
      this.nodeInfoMap.set(name, ni);
    }
    this.tree.addNode(node);
    this.imageStates.addNode(node, ni);
    this.invalidateNodeLists();
  }

  /** Replaces a node object; pods stay. Adds the node if unknown. */
  updateNode(node: Node): void {
    const name = node?.metadata?.name;
    if (typeof name !== 'string' || name === '') return;
    const ni = this.nodeInfoMap.get(name);
    if (!ni || !ni.hasNode) {
      this.addNode(node);
      return;
    }
    const old = ni.node;
    this.imageStates.removeNode(ni);
    ni.setNode(node);
    this.imageStates.addNode(node, ni);
    // The NodeInfo object is updated in place; the ordered lists change only if the zone did.
    if (getZoneKey(old) !== getZoneKey(node)) {
      this.tree.updateNode(old, node);
      this.invalidateNodeLists();
    }
  }

  /** Removes a node; its pods are kept (upstream keeps them until their deletion events). */
  removeNode(name: string): void {
    const ni = this.nodeInfoMap.get(name);
    if (!ni || !ni.hasNode) return;
    this.imageStates.removeNode(ni);
    this.tree.removeNode(name);
    if (ni.pods.length === 0) this.nodeInfoMap.delete(name);
    else ni.removeNode();
    this.invalidateNodeLists();
  }

  // ---- Pods ---------------------------------------------------------------------------------

  /** Adds a pod (or updates it when its key is already known). Terminal pods are ignored. */
  addPod(pod: Pod): void {
    if (pod == null || typeof pod !== 'object') return;
    const key = podKey(pod);
    if (this.pods.has(key)) {
      this.updatePod(pod);
      return;
    }
    if (isTerminalPod(pod)) return;
    this.insertPod(newPodInfo(pod, this.features));
  }

  /** Replaces a pod: the old version's contribution is removed and the new one's added. */
  updatePod(pod: Pod): void {
    if (pod == null || typeof pod !== 'object') return;
    const key = podKey(pod);
    const e = this.pods.get(key);
    if (e) this.deleteEntry(key, e);
    if (!isTerminalPod(pod)) this.insertPod(newPodInfo(pod, this.features));
  }

  /** Removes a pod by its key (UID, else namespace/name). */
  removePod(pod: Pod): void {
    if (pod == null || typeof pod !== 'object') return;
    const key = podKey(pod);
    const e = this.pods.get(key);
    if (e) this.deleteEntry(key, e);
  }

  /**
   * Counts `pod` on `nodeName` as the scheduler's `assume` does, before any API write. Returns the
   * PodInfo to pass to `forgetPod` to undo. The pod's own spec.nodeName is not consulted.
   */
  assumePod(pod: Pod, nodeName: string): PodInfoImpl {
    const info = newPodInfo(pod, this.features);
    const key = podKey(pod);
    const prev = this.pods.get(key);
    if (prev) {
      this.deleteEntry(key, prev);
      this.replacedByAssumed.set(info, prev);
    }
    this.pods.set(key, { info, nodeName });
    this.indexName(info);
    const ni = this.nodeFor(nodeName);
    ni.addPod(info);
    this.noteAffinityMembership(ni, info, 1);
    return info;
  }

  /** Undoes `assumePod`, restoring the entry (e.g. the pending pod) the assumed pod replaced. */
  forgetPod(info: PodInfoImpl): void {
    const e = this.pods.get(info.key);
    if (!e || e.info !== info) return;
    this.deleteEntry(info.key, e);
    const prev = this.replacedByAssumed.get(info);
    if (prev) {
      this.replacedByAssumed.delete(info);
      this.insertPod(prev.info);
    }
  }

  private insertPod(info: PodInfoImpl): void {
    this.indexName(info);
    const nodeName = info.pod.spec?.nodeName;
    const assigned = typeof nodeName === 'string' && nodeName !== '';
    this.pods.set(info.key, { info, nodeName: assigned ? nodeName : '' });
    if (!assigned) {
      const nn = info.pod.status?.nominatedNodeName;
      if (typeof nn === 'string' && nn !== '') {
        const list = this.nominated.get(nn);
        if (list) list.push(info);
        else this.nominated.set(nn, [info]);
      }
      return;
    }
    const ni = this.nodeFor(nodeName);
    ni.addPod(info);
    this.noteAffinityMembership(ni, info, 1);
  }

  /**
   * Keeps the cached affinity node lists when `ni` joined or left one: after adding a pod (`edge` 1)
   * the node is new to a list when the pod is its only one of that kind; after removing (`edge` 0) it
   * left when none remain. A cached list then gets a new copy with the node inserted at its node-list
   * position or removed (arrays handed out earlier are never changed); lists whose membership is
   * unchanged stay as they are.
   */
  private noteAffinityMembership(ni: NodeInfoImpl, info: PodInfoImpl, edge: 0 | 1): void {
    if (podHasAffinity(info.pod) && ni.podsWithAffinity.length === edge)
      this.affinityList = this.withMembership(this.affinityList, ni, edge);
    if (info.requiredAntiAffinityTerms.length > 0 && ni.podsWithRequiredAntiAffinity.length === edge)
      this.antiAffinityList = this.withMembership(this.antiAffinityList, ni, edge);
  }

  /** A copy of the cached `list` with `ni` in (`edge` 1) or out (0); undefined when it must be rebuilt. */
  private withMembership(list: NodeInfoImpl[] | undefined, ni: NodeInfoImpl, edge: 0 | 1): NodeInfoImpl[] | undefined {
    if (list === undefined || this.nodeInfoList === undefined) return undefined;
    return withMembership(list, this.nodePosition, ni, edge === 1) as NodeInfoImpl[];
  }

  private indexName(info: PodInfoImpl): void {
    const name = info.pod.metadata?.name;
    if (name) this.podKeyByName.set(info.pod.metadata?.namespace, name, info.key);
  }

  private deleteEntry(key: string, e: PodEntry): void {
    this.pods.delete(key);
    if (e.nodeName === '') {
      const nn = e.info.pod.status?.nominatedNodeName;
      const list = typeof nn === 'string' ? this.nominated.get(nn) : undefined;
      if (list) {
        const i = list.indexOf(e.info);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.nominated.delete(nn!);
      }
    }
    const name = e.info.pod.metadata?.name;
    if (name) {
      const ns = e.info.pod.metadata?.namespace;
      if (this.podKeyByName.get(ns, name) === key) this.podKeyByName.delete(ns, name);
    }
    if (e.nodeName === '') return;
    const ni = this.nodeInfoMap.get(e.nodeName);
    if (!ni) return;
    if (ni.removePod(e.info)) this.noteAffinityMembership(ni, e.info, 0);
    if (!ni.hasNode && ni.pods.length === 0) this.nodeInfoMap.delete(e.nodeName);
  }

  private nodeFor(name: string): NodeInfoImpl {
    let ni = this.nodeInfoMap.get(name);
    if (!ni) {
      ni = new NodeInfoImpl(undefined, name);
      this.nodeInfoMap.set(name, ni);
    }
    return ni;
  }

  // ---- Namespaces and other objects ---------------------------------------------------------

  /** Adds or replaces any object by its own `kind` (see {@link upsertAs}); objects without a kind are ignored. */
  upsert(obj: KubeObject | Node | Pod | Namespace): void {
    if (obj == null || typeof obj !== 'object') return;
    this.upsertAs(obj.kind, obj);
  }

  /**
   * Adds or replaces `obj` as an object of `kind` (Node, Pod, Namespace, or any other kind by
   * namespace and name); the object's own `kind` field is not read, so list items (which lack it)
   * are stored as they are, never copied. Objects read back through `objects`/`getObject` are those
   * very objects: their `kind` field may be absent. An empty or missing `kind` is ignored.
   */
  upsertAs(kind: string | undefined, obj: KubeObject | Node | Pod | Namespace): void {
    if (obj == null || typeof obj !== 'object') return;
    switch (kind) {
      case NODE:
        this.addNode(obj as Node);
        return;
      case POD:
        this.addPod(obj as Pod);
        return;
      case NAMESPACE: {
        const name = obj.metadata?.name;
        if (typeof name !== 'string') return;
        this.namespaceMap.set(name, obj as Namespace);
        this.namespaceList = undefined;
        return;
      }
      default:
        if (typeof kind !== 'string' || kind === '') return;
        this.others.put(kind, obj as KubeObject);
    }
  }

  /** Removes an object by kind, namespace and name (for pods, the key may also be a UID match). */
  remove(kind: string, namespace: string | undefined, name: string): void {
    switch (kind) {
      case NODE:
        this.removeNode(name);
        return;
      case POD: {
        const key = this.podKeyByName.get(namespace, name);
        const e = key === undefined ? undefined : this.pods.get(key);
        if (key !== undefined && e) this.deleteEntry(key, e);
        return;
      }
      case NAMESPACE:
        if (this.namespaceMap.delete(name)) this.namespaceList = undefined;
        return;
      default:
        this.others.delete(kind, namespace, name);
    }
  }

  /** Adds a namespace (shorthand for `upsertAs` with kind Namespace; the object is stored as given). */
  addNamespace(ns: Namespace): void {
    this.upsertAs(NAMESPACE, ns);
  }

  private invalidateNodeLists(): void {
    this.nodeInfoList = undefined;
    this.invalidateAffinityLists();
  }

  private invalidateAffinityLists(): void {
    this.affinityList = undefined;
    this.antiAffinityList = undefined;
  }

  // ---- Copies -------------------------------------------------------------------------------

  /**
   * An independent copy: NodeInfos are cloned (aggregates copied, immutable PodInfos shared), so
   * pods assumed on the copy never show in this snapshot. Image summaries are copied too.
   */
  clone(): ClusterSnapshot {
    const c = new ClusterSnapshot(this.features);
    c.imageStates.copyFrom(this.imageStates);
    for (const [name, ni] of this.nodeInfoMap) {
      const copy = ni.clone();
      copy.imageStates = c.imageStates.summaryOf(ni.imageStates.keys());
      c.nodeInfoMap.set(name, copy);
    }
    c.tree = new NodeTree();
    for (const name of this.tree.list()) {
      const ni = this.nodeInfoMap.get(name);
      if (ni) c.tree.addNode(ni.node);
    }
    for (const [k, e] of this.pods) c.pods.set(k, { info: e.info, nodeName: e.nodeName });
    c.podKeyByName = this.podKeyByName.clone();
    for (const [k, v] of this.nominated) c.nominated.set(k, v.slice());
    for (const [k, v] of this.namespaceMap) c.namespaceMap.set(k, v);
    c.others.copyFrom(this.others);
    return c;
  }
}

/** Builds a snapshot from plain lists, in the given node order (then nodeTree interleaving). */
export function snapshotFrom(
  input: {
    nodes?: readonly Node[];
    pods?: readonly Pod[];
    namespaces?: readonly Namespace[];
    objects?: readonly KubeObject[];
  },
  features?: FeatureGates,
): ClusterSnapshot {
  const s = new ClusterSnapshot(features);
  for (const n of input.nodes ?? []) s.addNode(n);
  for (const p of input.pods ?? []) s.addPod(p);
  for (const ns of input.namespaces ?? []) s.addNamespace(ns);
  for (const o of input.objects ?? []) s.upsert(o);
  return s;
}
