/**
 * PodTopologySpread's pass over all nodes (PreFilter's `tpValueToMatchNum`, PreScore's
 * `topologyValueToPodCounts`), carried across scheduling cycles: per node, whether it counts for each
 * constraint, under which topology value and with how many matching pods; per value, the sum and the
 * number of nodes counted. A cycle recomputes only the nodes whose NodeInfo object or `generation`
 * changed (a node's labels, taints and pods cannot change without a new generation), so a sequence of
 * replicas, where one node changes per replica, costs one identity check per node instead of a count,
 * and with the handle's change feed (framework/node-change-feed.ts) only the nodes it names are checked.
 *
 * Contract: the sums for a signature equal what a fresh pass over the same node list gives, and
 * `orderedValues` lists the values in the order a fresh pass meets them (the first counted node of
 * each), so maps built from it iterate as before. The signature must capture everything besides the
 * node that a node's contribution depends on (`spreadSignature`); the plugin's feature gates are fixed
 * per instance, hence per cache.
 */
import type { Pod } from '../../../kube-api/types';
import type { NodeInfo } from '../../framework/interface';
import { FeedCursor, type NodeChangeFeed } from '../../framework/node-change-feed';
import type { TopologySpreadConstraint } from './constraint';

/** Reports what node `ni` adds: `add(i, value, count)` once per constraint `i` it counts for. */
export type Contribute = (
  ni: number,
  nodeInfo: NodeInfo,
  add: (i: number, value: string, count: number) => void,
) => void;

/** The sums for one signature over `n` constraints. */
export class DomainSums {
  private readonly nodes: (NodeInfo | undefined)[] = [];
  private readonly gens: number[] = [];
  /** Per position × constraint (`pos * n + i`): the value the node adds to (undefined: none) and how much. */
  private readonly values: (string | undefined)[] = [];
  private readonly counts: number[] = [];
  /** Per constraint: value → sum, and value → nodes counted (entries at zero are removed). */
  private readonly totals: Map<string, number>[];
  private readonly refs: Map<string, number>[];
  /** Per constraint: the values by first counted node, or undefined when it must be rebuilt. */
  private readonly order: (string[] | undefined)[];
  private readonly newValues: (string | undefined)[];
  private readonly newCounts: number[];
  /** Where this memo is in the handle's change feed. */
  private readonly cursor = new FeedCursor();

  constructor(
    readonly signature: string,
    readonly n: number,
  ) {
    this.totals = Array.from({ length: n }, () => new Map<string, number>());
    this.refs = Array.from({ length: n }, () => new Map<string, number>());
    this.order = new Array<string[] | undefined>(n).fill(undefined);
    this.newValues = new Array<string | undefined>(n).fill(undefined);
    this.newCounts = new Array<number>(n).fill(0);
  }

  /**
   * Brings the sums up to date with `allNodes`, asking `contribute` only about nodes that changed;
   * with the handle's change `feed` for that list, only the nodes it names are checked.
   */
  update(allNodes: readonly NodeInfo[], contribute: Contribute, feed?: NodeChangeFeed): void {
    const changed = this.cursor.changedSince(feed, allNodes);
    if (changed !== undefined) {
      for (const ni of changed) this.visit(ni, allNodes[ni]!, contribute);
      return;
    }
    for (let ni = 0; ni < allNodes.length; ni++) this.visit(ni, allNodes[ni]!, contribute);
    const n = this.n;
    for (let pos = allNodes.length; pos < this.nodes.length; pos++) {
      for (let i = 0; i < n; i++) {
        const k = pos * n + i;
        if (this.values[k] === undefined) continue;
        this.take(i, this.values[k], this.counts[k]!);
        this.order[i] = undefined;
      }
    }
    this.nodes.length = this.gens.length = allNodes.length;
    this.values.length = this.counts.length = allNodes.length * n;
  }

  /** Recounts the node at position `ni` unless its NodeInfo and generation are those counted. */
  private visit(ni: number, nodeInfo: NodeInfo, contribute: Contribute): void {
    if (this.nodes[ni] === nodeInfo && this.gens[ni] === nodeInfo.generation) return;
    const n = this.n;
    this.newValues.fill(undefined);
    this.newCounts.fill(0);
    contribute(ni, nodeInfo, this.add);
    const known = ni < this.nodes.length;
    for (let i = 0; i < n; i++) {
      const k = ni * n + i;
      const value = this.newValues[i];
      if (known) this.take(i, this.values[k], this.counts[k]!);
      else this.values[k] = undefined;
      if (value !== this.values[k]) this.order[i] = undefined;
      this.put(i, value, this.newCounts[i]!);
      this.values[k] = value;
      this.counts[k] = this.newCounts[i]!;
    }
    this.nodes[ni] = nodeInfo;
    this.gens[ni] = nodeInfo.generation;
  }

  private readonly add = (i: number, value: string, count: number): void => {
    this.newValues[i] = value;
    this.newCounts[i] = count;
  };

  /** The sum for `value` of constraint `i` (0 when no node counts for it). */
  sum(i: number, value: string): number {
    return this.totals[i]!.get(value) ?? 0;
  }

  /** The values of constraint `i` with a counted node, in the order of their first counted node. */
  orderedValues(i: number): readonly string[] {
    let o = this.order[i];
    if (o === undefined) {
      const seen = new Set<string>();
      o = [];
      for (let pos = 0; pos < this.nodes.length; pos++) {
        const v = this.values[pos * this.n + i];
        if (v === undefined || seen.has(v)) continue;
        seen.add(v);
        o.push(v);
      }
      this.order[i] = o;
    }
    return o;
  }

  private put(i: number, value: string | undefined, count: number): void {
    if (value === undefined) return;
    this.totals[i]!.set(value, (this.totals[i]!.get(value) ?? 0) + count);
    this.refs[i]!.set(value, (this.refs[i]!.get(value) ?? 0) + 1);
  }

  private take(i: number, value: string | undefined, count: number): void {
    if (value === undefined) return;
    const left = this.refs[i]!.get(value)! - 1;
    if (left === 0) {
      this.refs[i]!.delete(value);
      this.totals[i]!.delete(value);
    } else {
      this.refs[i]!.set(value, left);
      this.totals[i]!.set(value, this.totals[i]!.get(value)! - count);
    }
  }
}

/**
 * How many signatures `DomainSumsCache` remembers: PreFilter and PreScore of the workloads an editor
 * predicts in turn (a manifest of 25 spread Deployments edited one keystroke at a time predicts each
 * one again; with 8, every keystroke recounted all 150,000 pods). About nodes × 4 entries each.
 */
const DOMAIN_SUM_SIGNATURES = 64;

/** `DomainSums` per signature, the most recently used few. */
export class DomainSumsCache {
  private memos: DomainSums[] = [];

  /** The sums for a signature (fresh, empty ones for a new signature). */
  memo(signature: string, n: number): DomainSums {
    const i = this.memos.findIndex((m) => m.signature === signature);
    let m = i >= 0 ? this.memos[i] : undefined;
    if (i >= 0) this.memos.splice(i, 1);
    if (m === undefined) m = new DomainSums(signature, n);
    this.memos.unshift(m);
    if (this.memos.length > DOMAIN_SUM_SIGNATURES) this.memos.length = DOMAIN_SUM_SIGNATURES;
    return m;
  }
}

/**
 * What a node's contribution depends on besides the node: the pass (`pass`: PreFilter or PreScore,
 * with whether PreScore requires all topology keys), the pod's namespace, node selector, required node
 * affinity and tolerations, and each constraint's key, selector and inclusion policies.
 */
export function spreadSignature(pass: string, pod: Pod, constraints: readonly TopologySpreadConstraint[]): string {
  return JSON.stringify([
    pass,
    pod.metadata?.namespace ?? '',
    pod.spec?.nodeSelector ?? null,
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
    pod.spec?.tolerations ?? null,
    constraints.map((c) => [
      c.topologyKey,
      c.selector.nothing ? '!' : c.selector.requirements,
      c.nodeAffinityPolicy,
      c.nodeTaintsPolicy,
    ]),
  ]);
}
