/**
 * PodTopologySpread PreScore / Score / NormalizeScore, after
 * pkg/scheduler/framework/plugins/podtopologyspread/scoring.go.
 *
 * Contract: PreScore counts matching pods per non-hostname topology value over all nodes once (with
 * the plugin's `DomainSumsCache`, by updating earlier cycles' sums for the nodes that changed, see
 * domain-sums.ts);
 * Score does map lookups (plus one pass over the node's pods for hostname constraints, remembered per
 * node generation across cycles when the plugin keeps match counts) and keeps
 * Go's float64 operation order, with Go's `math.Log` (see go-log.ts).
 */
import type { Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import { MAX_NODE_SCORE, type NodeInfo, type NodeScore } from '../../framework/interface';
import { isSelectorError } from '../../../kube-api/labels';
import { getRequiredNodeAffinity } from '../../../kube-api/node-affinity';
import { Status } from '../../framework/status';
import {
  countPodsMatchSelector,
  getConstraints,
  LABEL_HOSTNAME,
  matchNodeInclusionPolicies,
  type MatchCountMemo,
  nodeLabelsMatchSpreadConstraints,
  type SpreadConfig,
} from './common';
import type { TopologySpreadConstraint } from './constraint';
import { spreadSignature, type Contribute } from './domain-sums';
import { goLog } from './go-log';

/** The CycleState key, `"PreScore" + Name`. */
export const PRE_SCORE_STATE_KEY = 'PreScorePodTopologySpread';

const INVALID_SCORE = -1;

/** `preScoreState`. */
export class PreScoreState {
  constructor(
    readonly constraints: readonly TopologySpreadConstraint[],
    /** Nodes missing some constraint's topology key (when all keys are required); they score 0. */
    readonly ignoredNodes: Set<string>,
    /** Per constraint: topology value → matching pods. Hostname constraints stay empty. */
    readonly topologyValueToPodCounts: Map<string, number>[],
    readonly topologyNormalizingWeight: number[],
    /** Per constraint: the plugin's cross-cycle match counts (absent: Score counts every time). */
    readonly memos?: readonly MatchCountMemo[],
  ) {}

  clone(): PreScoreState {
    return this;
  }
}

/** `topologyNormalizingWeight`: ln(size + 2) with Go's math.Log. */
function topologyNormalizingWeight(size: number): number {
  return goLog(size + 2);
}

/** `scoreForCount`: cnt·w + (maxSkew − 1), in that order. */
function scoreForCount(cnt: number, maxSkew: number, tpWeight: number): number {
  return cnt * tpWeight + (maxSkew - 1);
}

/** PreScore: Skip when the snapshot is empty or the pod has no soft constraints. */
export function preScore(
  cfg: SpreadConfig,
  state: CycleState,
  pod: Pod,
  filteredNodes: readonly NodeInfo[],
): Status | null {
  const allNodes = cfg.handle.nodeInfos();
  if (allNodes.length === 0) return Status.skip();

  // Only require all topology labels with non-system-default spreading rules, so nodes without
  // a zone label still get hostname spreading.
  const requireAllTopologies = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !cfg.systemDefaulted;
  const constraints = getConstraints(cfg, pod, 'ScheduleAnyway');
  if (isSelectorError(constraints)) {
    return Status.error(`calculating preScoreState: ${constraints.upstream ?? constraints.error}`);
  }
  if (constraints.length === 0) return Status.skip();

  const n = constraints.length;
  const ignoredNodes = new Set<string>();
  const counts: Map<string, number>[] = [];
  for (let i = 0; i < n; i++) counts.push(new Map());
  const topoSize = new Array<number>(n).fill(0);
  for (const nodeInfo of filteredNodes) {
    const labels = nodeInfo.node.metadata?.labels;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) {
      ignoredNodes.add(nodeInfo.node.metadata?.name ?? '');
      continue;
    }
    for (let i = 0; i < n; i++) {
      const c = constraints[i]!;
      // Per-node counts are calculated during Score.
      if (c.topologyKey === LABEL_HOSTNAME) continue;
      const value = labels?.[c.topologyKey] ?? '';
      const m = counts[i]!;
      if (!m.has(value)) {
        m.set(value, 0);
        topoSize[i]!++;
      }
    }
  }
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const sz = constraints[i]!.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - ignoredNodes.size : topoSize[i]!;
    weights.push(topologyNormalizingWeight(sz));
  }

  const requiredNodeAffinity = getRequiredNodeAffinity(pod);
  const ns = pod.metadata?.namespace ?? '';
  const memos = cfg.matchCounts ? constraints.map((c) => cfg.matchCounts!.memo(c.selector, ns)) : undefined;
  // Hostname constraints have no entries in `counts` (Score counts them per node), so the pass over
  // all nodes below only serves the other constraints: without any, it would change nothing.
  const anyDomainConstraint = constraints.some((c) => c.topologyKey !== LABEL_HOSTNAME);
  // What node `ni` adds to each constraint: `add(i, value, count)` per constraint it counts for.
  const contribute: Contribute = (ni, nodeInfo, add) => {
    const node = nodeInfo.node;
    if (!cfg.enableNodeInclusionPolicy && !requiredNodeAffinity.match(node)) return;
    const labels = node.metadata?.labels;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) return;
    for (let i = 0; i < n; i++) {
      const c = constraints[i]!;
      if (c.topologyKey === LABEL_HOSTNAME) continue;
      if (
        cfg.enableNodeInclusionPolicy &&
        !matchNodeInclusionPolicies(c, pod, node, requiredNodeAffinity, cfg.enableTaintComparisonOperators)
      ) {
        continue;
      }
      const value = labels?.[c.topologyKey] ?? '';
      add(i, value, memos ? memos[i]!.count(ni, nodeInfo) : countPodsMatchSelector(nodeInfo.pods, c.selector, ns));
    }
  };
  if (anyDomainConstraint && cfg.domainSums !== undefined) {
    // Sums over all nodes, updated only for the nodes that changed since an earlier cycle; then each
    // topology value associated with a candidate node takes its sum (the others are skipped).
    const sums = cfg.domainSums.memo(spreadSignature(`PreScore ${requireAllTopologies}`, pod, constraints), n);
    sums.update(allNodes, contribute, cfg.handle.nodeChanges?.());
    for (let i = 0; i < n; i++) {
      if (constraints[i]!.topologyKey === LABEL_HOSTNAME) continue;
      const m = counts[i]!;
      for (const value of m.keys()) m.set(value, sums.sum(i, value));
    }
  } else if (anyDomainConstraint) {
    for (let ni = 0; ni < allNodes.length; ni++) {
      contribute(ni, allNodes[ni]!, (i, value, count) => {
        const m = counts[i]!;
        const current = m.get(value);
        // Topology values not associated with any candidate node are skipped.
        if (current !== undefined) m.set(value, current + count);
      });
    }
  }
  state.write(PRE_SCORE_STATE_KEY, new PreScoreState(constraints, ignoredNodes, counts, weights, memos));
  return null;
}

function readPreScoreState(state: CycleState): PreScoreState | Status {
  const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
  if (!(s instanceof PreScoreState))
    return Status.error(`error reading "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
  return s;
}

/** Score: the weighted matching-pod count of the node's domains; lower is better (inverted later). */
export function score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
  const s = readPreScoreState(state);
  if (s instanceof Status) return { score: 0, status: s };
  const node = nodeInfo.node;
  if (s.ignoredNodes.has(node.metadata?.name ?? '')) return { score: 0, status: null };
  const labels = node.metadata?.labels;
  if (!labels) return { score: 0, status: null };
  const ns = pod.metadata?.namespace ?? '';
  let total = 0;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    if (!Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) continue;
    const cnt =
      c.topologyKey === LABEL_HOSTNAME
        ? s.memos !== undefined
          ? s.memos[i]!.countOf(nodeInfo)
          : countPodsMatchSelector(nodeInfo.pods, c.selector, ns)
        : (s.topologyValueToPodCounts[i]!.get(labels[c.topologyKey]!) ?? 0);
    total += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]!);
  }
  // math.Round rounds half away from zero; the total is never negative, so Math.round agrees.
  return { score: Math.round(total), status: null };
}

/** NormalizeScore: 100·(max + min − s)/max over non-ignored nodes; ignored nodes get 0. */
export function normalizeScore(state: CycleState, scores: NodeScore[]): Status | null {
  const s = readPreScoreState(state);
  if (s instanceof Status) return s;
  let minScore = Number.MAX_SAFE_INTEGER;
  let maxScore = 0;
  for (const ns of scores) {
    if (s.ignoredNodes.has(ns.name)) {
      ns.score = INVALID_SCORE;
      continue;
    }
    if (ns.score < minScore) minScore = ns.score;
    if (ns.score > maxScore) maxScore = ns.score;
  }
  for (const ns of scores) {
    if (ns.score === INVALID_SCORE) {
      ns.score = 0;
      continue;
    }
    if (maxScore === 0) {
      ns.score = MAX_NODE_SCORE;
      continue;
    }
    ns.score = Math.trunc((MAX_NODE_SCORE * (maxScore + minScore - ns.score)) / maxScore);
  }
  return null;
}
