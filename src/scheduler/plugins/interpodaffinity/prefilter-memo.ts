/**
 * InterPodAffinity PreFilter's passes over all nodes (`getExistingAntiAffinityCounts` and
 * `getIncomingAffinityAntiAffinityCounts` of pkg/scheduler/framework/plugins/interpodaffinity/filtering.go)
 * carried across scheduling cycles as running counts.
 *
 * Contract: per node position in the PreFilter node list, the memo keeps the node's share of the
 * three counts (its `NodeShare`) and the NodeInfo and `generation` it was taken from; `update`
 * takes back the share of every node whose NodeInfo object or generation changed (a node's labels
 * and pods cannot change without a new generation) and of positions past the end of the list, and
 * adds its new share; with the handle's change feed (framework/node-change-feed.ts) it checks only
 * the nodes the feed names. The counts then equal a fresh pass over the same list (they are integer sums,
 * so the order of additions does not matter). The memo is keyed by a signature of everything
 * besides the node a share depends on (`requiredTermsSignature`) and by the namespace list's
 * identity (namespace selectors and labels are resolved against it).
 */
import type { Pod } from '../../../kube-api/types';
import type { NodeInfo } from '../../framework/interface';
import { FeedCursor, type NodeChangeFeed } from '../../framework/node-change-feed';
import { TopologyCounts } from './topology-counts';

/**
 * One node's share of the counts: parallel lists of (which count, topologyKey, value, amount),
 * `which` 0 for existing pods' anti-affinity, 1 for the incoming pod's affinity, 2 for its
 * anti-affinity. Only pairs whose key is a label of the node appear.
 */
export interface NodeShare {
  readonly which: number[];
  readonly keys: string[];
  readonly values: string[];
  readonly amounts: number[];
}

/** The share of a node that adds nothing. */
export const NO_SHARE: NodeShare = Object.freeze({ which: [], keys: [], values: [], amounts: [] }) as NodeShare;

/** Running counts for one signature, by node position. */
export class CountsMemo {
  private readonly nodes: (NodeInfo | undefined)[] = [];
  private readonly gens: number[] = [];
  private readonly shares: NodeShare[] = [];
  /** Where this memo is in the handle's change feed. */
  private readonly cursor = new FeedCursor();
  /** Indexed by `NodeShare.which`. */
  readonly counts: readonly [TopologyCounts, TopologyCounts, TopologyCounts] = [
    new TopologyCounts(),
    new TopologyCounts(),
    new TopologyCounts(),
  ];

  constructor(
    readonly signature: string,
    readonly namespaceList: readonly unknown[],
  ) {}

  /**
   * Brings the counts up to date with `allNodes`, asking `shareOf` only about nodes that changed;
   * with the handle's change `feed` for that list, only the nodes it names are checked.
   */
  update(allNodes: readonly NodeInfo[], shareOf: (nodeInfo: NodeInfo) => NodeShare, feed?: NodeChangeFeed): void {
    const changed = this.cursor.changedSince(feed, allNodes);
    if (changed !== undefined) {
      for (const i of changed) this.visit(i, allNodes[i]!, shareOf);
      return;
    }
    const known = this.nodes.length;
    for (let i = 0; i < allNodes.length; i++) this.visit(i, allNodes[i]!, shareOf);
    for (let pos = allNodes.length; pos < known; pos++) this.apply(this.shares[pos]!, -1);
    if (known > allNodes.length) this.nodes.length = this.gens.length = this.shares.length = allNodes.length;
  }

  /** Recounts position `i` unless its NodeInfo and generation are those counted (positions fill from 0). */
  private visit(i: number, nodeInfo: NodeInfo, shareOf: (nodeInfo: NodeInfo) => NodeShare): void {
    const known = i < this.nodes.length;
    if (known && this.nodes[i] === nodeInfo && this.gens[i] === nodeInfo.generation) return;
    if (known) this.apply(this.shares[i]!, -1);
    const share = shareOf(nodeInfo);
    this.apply(share, 1);
    if (known) {
      this.nodes[i] = nodeInfo;
      this.gens[i] = nodeInfo.generation;
      this.shares[i] = share;
    } else {
      this.nodes.push(nodeInfo);
      this.gens.push(nodeInfo.generation);
      this.shares.push(share);
    }
  }

  private apply(share: NodeShare, sign: number): void {
    for (let k = 0; k < share.which.length; k++) {
      this.counts[share.which[k]!]!.add(share.keys[k]!, share.values[k]!, sign * share.amounts[k]!);
    }
  }
}

/** How many signatures `PreFilterCountsCache` remembers (a few workloads predicted in turn). */
const SIGNATURES = 4;

/** `CountsMemo` per signature, the most recently used few. */
export class PreFilterCountsCache {
  private memos: CountsMemo[] = [];

  /** The memo for a cycle of a pod with this signature (fresh when the namespace list changed). */
  memo(signature: string, namespaceList: readonly unknown[]): CountsMemo {
    const i = this.memos.findIndex((m) => m.signature === signature);
    let m = i >= 0 ? this.memos[i] : undefined;
    if (i >= 0) this.memos.splice(i, 1);
    if (m === undefined || m.namespaceList !== namespaceList) m = new CountsMemo(signature, namespaceList);
    this.memos.unshift(m);
    if (this.memos.length > SIGNATURES) this.memos.length = SIGNATURES;
    return m;
  }
}

/**
 * What of the incoming pod a node's share depends on, as a string: its namespace and labels (which
 * existing pods' anti-affinity terms match) and its required pod affinity and anti-affinity terms.
 */
export function requiredTermsSignature(pod: Pod): string {
  const affinity = pod.spec?.affinity;
  return JSON.stringify([
    pod.metadata?.namespace ?? '',
    pod.metadata?.labels ?? null,
    affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
    affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
  ]);
}
