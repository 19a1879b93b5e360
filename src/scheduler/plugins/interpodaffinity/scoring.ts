/**
 * InterPodAffinity PreScore / Score / NormalizeScore, after
 * pkg/scheduler/framework/plugins/interpodaffinity/scoring.go.
 *
 * Contract: PreScore sums term weights per (topologyKey, value) over the relevant existing pods;
 * Score adds up the node's entries; NormalizeScore keeps Go's float64 order
 * `int64(100 * (float64(s-min) / float64(max-min)))`. Weights multiply as int32 (`weight * multiplier`).
 */
import type { Node, Pod } from '../../../kube-api/types';
import { affinityTermMatches, type AffinityTerm, type WeightedAffinityTerm } from '../../framework/affinity-term';
import type { CycleState } from '../../framework/cycle-state';
import { MAX_NODE_SCORE, type Handle, type NodeInfo, type NodeScore, type PodInfo } from '../../framework/interface';
import type { Labels } from '../../../kube-api/labels';
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

/** One node's share of the PreScore sums: parallel lists of (topologyKey, value, summed weight). */
interface NodeContribution {
  readonly keys: string[];
  readonly values: string[];
  readonly sums: number[];
}

const NO_CONTRIBUTION: NodeContribution = Object.freeze({ keys: [], values: [], sums: [] }) as NodeContribution;

/** A node's contribution and the NodeInfo generation it was computed at. */
interface MemoEntry {
  gen: number;
  c: NodeContribution;
}

/** The per-node contributions for one pod signature (see `PreScoreCache`), by NodeInfo object. */
class ContributionMemo {
  readonly byNode = new Map<NodeInfo, MemoEntry>();

  constructor(
    readonly signature: string,
    readonly namespaceList: readonly unknown[],
  ) {}
}

/** How many pod signatures `PreScoreCache` remembers (e.g. a few workloads predicted in turn). */
const MEMO_SIGNATURES = 4;

/**
 * Per-node PreScore contributions of earlier cycles, valid while the incoming pod's signature
 * (namespace, labels, preferred terms), the namespace list and each node (NodeInfo object and
 * `generation`) are unchanged, so a cycle recomputes only the nodes that changed. Entries are kept
 * by NodeInfo object, not list position, so a node joining or leaving the list of nodes with
 * affinity pods costs no recount of the others. Remembers the most recently used few signatures.
 *
 * Contract: a node's contribution depends only on its labels and pods (which bump its
 * generation), on the incoming pod's namespace, labels and preferred terms, on the namespaces'
 * labels (through namespace selectors) and on the plugin args (fixed per plugin instance).
 */
export class PreScoreCache {
  private memos: ContributionMemo[] = [];
  private current: ContributionMemo | undefined;

  /** Starts a cycle for a pod signature and the handle's namespace list over `nodes`. */
  begin(signature: string, namespaceList: readonly unknown[], nodes: readonly NodeInfo[]): void {
    const i = this.memos.findIndex((m) => m.signature === signature);
    let m = i >= 0 ? this.memos[i] : undefined;
    if (i >= 0) this.memos.splice(i, 1);
    // Namespace labels feed namespace selectors: another namespace list starts afresh.
    if (m === undefined || m.namespaceList !== namespaceList) m = new ContributionMemo(signature, namespaceList);
    // NodeInfos of nodes gone or of other snapshots would pile up: keep the map within bounds.
    if (m.byNode.size > 2 * nodes.length + 64) {
      const keep = new Set(nodes);
      for (const ni of m.byNode.keys()) if (!keep.has(ni)) m.byNode.delete(ni);
    }
    this.memos.unshift(m);
    if (this.memos.length > MEMO_SIGNATURES) this.memos.length = MEMO_SIGNATURES;
    this.current = m;
  }

  get(nodeInfo: NodeInfo): NodeContribution | undefined {
    const e = this.current?.byNode.get(nodeInfo);
    return e !== undefined && e.gen === nodeInfo.generation ? e.c : undefined;
  }

  set(nodeInfo: NodeInfo, c: NodeContribution): void {
    const m = this.current;
    if (m === undefined) return;
    const e = m.byNode.get(nodeInfo);
    if (e !== undefined) {
      e.gen = nodeInfo.generation;
      e.c = c;
    } else m.byNode.set(nodeInfo, { gen: nodeInfo.generation, c });
  }
}

/** What of the incoming pod PreScore depends on, as a string (equal strings: equal contributions). */
function podSignature(pod: Pod, hasConstraints: boolean): string {
  const affinity = pod.spec?.affinity;
  return JSON.stringify([
    pod.metadata?.namespace ?? '',
    pod.metadata?.labels ?? null,
    hasConstraints,
    affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? null,
    affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? null,
  ]);
}

/** PreScore. Skips when there is nothing to score (see the contract above). */
export function preScore(
  handle: Handle,
  args: ScoringArgs,
  state: CycleState,
  pod: Pod,
  cache?: PreScoreCache,
): Status | null {
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
  const ctx: ContributionContext = {
    pod,
    preferred,
    preferredAnti,
    nsLabels,
    hard: args.hardPodAffinityWeight,
    hasConstraints,
  };
  cache?.begin(podSignature(pod, hasConstraints), handle.namespaces(), nodes);

  const topologyScore: ScoreMap = new Map();
  for (let i = 0; i < nodes.length; i++) {
    const nodeInfo = nodes[i]!;
    let c = cache?.get(nodeInfo);
    if (c === undefined) {
      c = nodeContribution(ctx, nodeInfo);
      cache?.set(nodeInfo, c);
    }
    // Integer sums: adding per-node subtotals gives exactly the per-pod running sum.
    for (let k = 0; k < c.keys.length; k++) {
      const key = c.keys[k]!;
      let values = topologyScore.get(key);
      if (!values) {
        values = new Map();
        topologyScore.set(key, values);
      }
      const v = c.values[k]!;
      values.set(v, (values.get(v) ?? 0) + c.sums[k]!);
    }
  }
  if (topologyScore.size === 0) return Status.skip();
  state.write(PRE_SCORE_STATE_KEY, new PreScoreState(topologyScore));
  return null;
}

interface ContributionContext {
  pod: Pod;
  preferred: readonly WeightedAffinityTerm[];
  preferredAnti: readonly WeightedAffinityTerm[];
  nsLabels: Labels;
  hard: number;
  hasConstraints: boolean;
}

/** One node's entries: every term that matched on it, summed per (topologyKey, value). */
function nodeContribution(ctx: ContributionContext, nodeInfo: NodeInfo): NodeContribution {
  const node = nodeInfo.node;
  const labels = node.metadata?.labels;
  if (!labels || Object.keys(labels).length === 0) return NO_CONTRIBUTION;
  const { pod, preferred, preferredAnti, nsLabels, hard } = ctx;
  const m: ScoreMap = new Map();
  const pods: readonly PodInfo[] = ctx.hasConstraints ? nodeInfo.pods : nodeInfo.podsWithAffinity;
  for (const ep of pods) {
    // The incoming pod's terms vs the existing pod (namespaces already merged: nsLabels nil).
    processTerms(m, preferred, ep.pod, null, node, 1);
    processTerms(m, preferredAnti, ep.pod, null, node, -1);
    // The existing pod's terms vs the incoming pod.
    if (hard > 0) {
      for (const t of ep.requiredAffinityTerms) processTerm(m, t, hard, pod, nsLabels, node, 1);
    }
    processTerms(m, ep.preferredAffinityTerms, pod, nsLabels, node, 1);
    processTerms(m, ep.preferredAntiAffinityTerms, pod, nsLabels, node, -1);
  }
  if (m.size === 0) return NO_CONTRIBUTION;
  const out: NodeContribution = { keys: [], values: [], sums: [] };
  for (const [key, values] of m) {
    for (const [v, sum] of values) {
      out.keys.push(key);
      out.values.push(v);
      out.sums.push(sum);
    }
  }
  return out;
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

/** Batch `score`: the state is read once; `out[i]` is node i's sum. */
export function scoreNodes(state: CycleState, nodes: readonly NodeInfo[], out: Float64Array): Status | null {
  const s = readState(state);
  if (s instanceof Status) return s;
  const entries = [...s.topologyScore];
  for (let i = 0; i < nodes.length; i++) {
    const labels = nodes[i]!.node.metadata?.labels;
    let total = 0;
    if (labels) {
      for (let k = 0; k < entries.length; k++) {
        const [key, values] = entries[k]!;
        if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
        total += values.get(labels[key]!) ?? 0;
      }
    }
    out[i] = total;
  }
  return null;
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
