/**
 * InterPodAffinity PreScore / Score / NormalizeScore, after
 * pkg/scheduler/framework/plugins/interpodaffinity/scoring.go.
 *
 * Contract: PreScore sums term weights per (topologyKey, value) over the relevant existing pods;
 * Score adds up the node's entries; NormalizeScore keeps Go's float64 order
 * `int64(100 * (float64(s-min) / float64(max-min)))`. Weights multiply as int32 (`weight * multiplier`).
 */
import type { Node, Pod } from '../../api/types';
import { affinityTermMatches, type AffinityTerm, type WeightedAffinityTerm } from '../../framework/affinity-term';
import type { CycleState } from '../../framework/cycle-state';
import { MAX_NODE_SCORE, type Handle, type NodeInfo, type NodeScore, type PodInfo } from '../../framework/interface';
import type { Labels } from '../../framework/labels';
import { newPodInfo } from '../../framework/node-info';
import { Status } from '../../framework/status';
import { copyTerm } from './filtering';
import { mergeAffinityTermNamespacesIfNotEmpty, namespaceLabelsSnapshot } from './namespaces';

/** The CycleState key, `"PreScore" + Name`. */
export const PRE_SCORE_STATE_KEY = 'PreScoreInterPodAffinity';

/** The plugin args that affect scoring. */
export interface ScoringArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

/** `scoreMap`: topologyKey → value → summed weight. */
type ScoreMap = Map<string, Map<string, number>>;

/** `preScoreState`. */
export class PreScoreState {
  constructor(readonly topologyScore: ScoreMap) {}

  clone(): PreScoreState {
    return this;
  }
}

/** `scoreMap.processTerm`: adds weight×multiplier (int32 product) to the node's value for the term's key. */
function processTerm(
  m: ScoreMap,
  term: AffinityTerm,
  weight: number,
  pod: Pod,
  nsLabels: Labels,
  node: Node,
  multiplier: number,
): void {
  if (!affinityTermMatches(term, pod, nsLabels)) return;
  const labels = node.metadata?.labels;
  if (!labels || !Object.prototype.hasOwnProperty.call(labels, term.topologyKey)) return;
  let values = m.get(term.topologyKey);
  if (!values) {
    values = new Map();
    m.set(term.topologyKey, values);
  }
  const v = labels[term.topologyKey]!;
  values.set(v, (values.get(v) ?? 0) + Math.imul(weight, multiplier));
}

function processTerms(
  m: ScoreMap,
  terms: readonly WeightedAffinityTerm[],
  pod: Pod,
  nsLabels: Labels,
  node: Node,
  multiplier: number,
): void {
  for (const t of terms) processTerm(m, t, t.weight, pod, nsLabels, node, multiplier);
}

/** PreScore. Skips when there is nothing to score (see the contract above). */
export function preScore(handle: Handle, args: ScoringArgs, state: CycleState, pod: Pod): Status | null {
  const affinity = pod.spec?.affinity;
  const hasPreferredAffinity =
    (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
  const hasPreferredAnti =
    (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
  const hasConstraints = hasPreferredAffinity || hasPreferredAnti;
  if (args.ignorePreferredTermsOfExistingPods && !hasConstraints) return Status.skip();

  // Unless the incoming pod has preferred terms, only nodes hosting pods with affinity matter.
  const nodes = hasConstraints ? handle.nodeInfos() : handle.havePodsWithAffinityNodeInfos();

  const podInfo = newPodInfo(pod);
  if (podInfo.parseError !== undefined) return Status.error(`failed to parse pod: ${podInfo.parseError}`);
  const preferred = podInfo.preferredAffinityTerms.map(copyTerm);
  const preferredAnti = podInfo.preferredAntiAffinityTerms.map(copyTerm);
  for (const t of preferred) mergeAffinityTermNamespacesIfNotEmpty(handle, t);
  for (const t of preferredAnti) mergeAffinityTermNamespacesIfNotEmpty(handle, t);
  const nsLabels = namespaceLabelsSnapshot(handle, pod.metadata?.namespace ?? '');

  const topologyScore: ScoreMap = new Map();
  const hard = args.hardPodAffinityWeight;
  for (const nodeInfo of nodes) {
    const node = nodeInfo.node;
    const labels = node.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) continue;
    const pods: readonly PodInfo[] = hasConstraints ? nodeInfo.pods : nodeInfo.podsWithAffinity;
    for (const ep of pods) {
      // The incoming pod's terms vs the existing pod (namespaces already merged: nsLabels nil).
      processTerms(topologyScore, preferred, ep.pod, null, node, 1);
      processTerms(topologyScore, preferredAnti, ep.pod, null, node, -1);
      // The existing pod's terms vs the incoming pod.
      if (hard > 0) {
        for (const t of ep.requiredAffinityTerms) processTerm(topologyScore, t, hard, pod, nsLabels, node, 1);
      }
      processTerms(topologyScore, ep.preferredAffinityTerms, pod, nsLabels, node, 1);
      processTerms(topologyScore, ep.preferredAntiAffinityTerms, pod, nsLabels, node, -1);
    }
  }
  if (topologyScore.size === 0) return Status.skip();
  state.write(PRE_SCORE_STATE_KEY, new PreScoreState(topologyScore));
  return null;
}

function readState(state: CycleState): PreScoreState | Status {
  const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
  if (!(s instanceof PreScoreState))
    return Status.error(`failed to read "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
  return s;
}

/** Score: the sum of the node's entries over every recorded topology key; may be negative. */
export function score(state: CycleState, nodeInfo: NodeInfo): { score: number; status: Status | null } {
  const s = readState(state);
  if (s instanceof Status) return { score: 0, status: s };
  const labels = nodeInfo.node.metadata?.labels;
  let total = 0;
  if (labels) {
    for (const [key, values] of s.topologyScore) {
      if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
      total += values.get(labels[key]!) ?? 0;
    }
  }
  return { score: total, status: null };
}

/** NormalizeScore: min-max scaling to [0, 100] with Go's float order; all 0 when max == min. */
export function normalizeScore(state: CycleState, scores: NodeScore[]): Status | null {
  const s = readState(state);
  if (s instanceof Status) return s;
  if (s.topologyScore.size === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const ns of scores) {
    if (ns.score > max) max = ns.score;
    if (ns.score < min) min = ns.score;
  }
  const diff = max - min;
  for (const ns of scores) {
    const f = diff > 0 ? MAX_NODE_SCORE * ((ns.score - min) / diff) : 0;
    ns.score = Math.trunc(f);
  }
  return null;
}
