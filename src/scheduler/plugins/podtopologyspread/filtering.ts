/**
 * PodTopologySpread PreFilter / Filter / PreFilterExtensions, after
 * pkg/scheduler/framework/plugins/podtopologyspread/filtering.go.
 *
 * Contract: PreFilter counts matching pods per topology value over all nodes once (with the plugin's
 * `DomainSumsCache`, by updating earlier cycles' sums for the nodes that changed, see
 * domain-sums.ts); Filter is a few map lookups per constraint and allocates nothing. AddPod/RemovePod update a (cloned) state
 * exactly as upstream, including the two-entry critical-paths approximation.
 */
import type { Node, Pod } from '../../../kube-api/types';
import type { CycleState, StateData } from '../../framework/cycle-state';
import type { NodeInfo, PodInfo } from '../../framework/interface';
import { isSelectorError, type SelectorError } from '../../../kube-api/labels';
import { getRequiredNodeAffinity } from '../../../kube-api/node-affinity';
import { Status } from '../../framework/status';
import {
  countPodsMatchSelector,
  getConstraints,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  type SpreadConfig,
} from './common';
import type { TopologySpreadConstraint } from './constraint';
import { spreadSignature, type Contribute } from './domain-sums';

/** `ErrReasonConstraintsNotMatch`. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** `ErrReasonNodeLabelNotMatch`. */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

/** The CycleState key, `"PreFilter" + Name`. */
export const PRE_FILTER_STATE_KEY = 'PreFilterPodTopologySpread';

const MAX_INT32 = 2147483647;

/**
 * `criticalPaths`: two (topology value, match count) entries; entry 0 always holds the minimum
 * count, entry 1 is not guaranteed to be the second minimum (upstream's CAVEAT).
 */
class CriticalPaths {
  value0 = '';
  num0 = MAX_INT32;
  value1 = '';
  num1 = MAX_INT32;

  /** `criticalPaths.update`, verbatim. */
  update(tpVal: string, num: number): void {
    let i = -1;
    if (tpVal === this.value0) i = 0;
    else if (tpVal === this.value1) i = 1;
    if (i >= 0) {
      if (i === 0) this.num0 = num;
      else this.num1 = num;
      if (this.num0 > this.num1) {
        const v = this.value0;
        const n = this.num0;
        this.value0 = this.value1;
        this.num0 = this.num1;
        this.value1 = v;
        this.num1 = n;
      }
    } else if (num < this.num0) {
      this.value1 = this.value0;
      this.num1 = this.num0;
      this.value0 = tpVal;
      this.num0 = num;
    } else if (num < this.num1) {
      this.value1 = tpVal;
      this.num1 = num;
    }
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.value0 = this.value0;
    c.num0 = this.num0;
    c.value1 = this.value1;
    c.num1 = this.num1;
    return c;
  }
}

/** `preFilterState`: constraints, critical paths and per-value match counts, indexed by constraint. */
export class PreFilterState implements StateData {
  constructor(
    readonly constraints: readonly TopologySpreadConstraint[],
    readonly criticalPaths: CriticalPaths[],
    readonly tpValueToMatchNum: Map<string, number>[],
  ) {}

  /** `minMatchNum`: the global minimum, or 0 while fewer than minDomains domains are eligible. */
  minMatchNum(i: number, minDomains: number): number {
    return this.tpValueToMatchNum[i]!.size < minDomains ? 0 : this.criticalPaths[i]!.num0;
  }

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.criticalPaths.map((p) => p.clone()),
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }
}

/** `calPreFilterState`: undefined state means "no constraints" (PreFilter then Skips). */
function calPreFilterState(cfg: SpreadConfig, pod: Pod, allNodes: readonly NodeInfo[]): PreFilterState | SelectorError {
  const constraints = getConstraints(cfg, pod, 'DoNotSchedule');
  if (isSelectorError(constraints)) return constraints;
  const n = constraints.length;
  const tpValueToMatchNum: Map<string, number>[] = [];
  for (let i = 0; i < n; i++) tpValueToMatchNum.push(new Map());
  const criticalPaths: CriticalPaths[] = [];
  if (n === 0) return new PreFilterState(constraints, criticalPaths, tpValueToMatchNum);

  const requiredNodeAffinity = getRequiredNodeAffinity(pod);
  const ns = pod.metadata?.namespace ?? '';
  const memos = cfg.matchCounts ? constraints.map((c) => cfg.matchCounts!.memo(c.selector, ns)) : undefined;
  const contribute: Contribute = (ni, nodeInfo, add) => {
    const node = nodeInfo.node;
    if (!cfg.enableNodeInclusionPolicy && !requiredNodeAffinity.match(node)) return;
    const labels = node.metadata?.labels;
    if (!nodeLabelsMatchSpreadConstraints(labels, constraints)) return;
    for (let i = 0; i < n; i++) {
      const c = constraints[i]!;
      if (
        cfg.enableNodeInclusionPolicy &&
        !matchNodeInclusionPolicies(c, pod, node, requiredNodeAffinity, cfg.enableTaintComparisonOperators)
      ) {
        continue;
      }
      add(
        i,
        labels![c.topologyKey]!,
        memos ? memos[i]!.count(ni, nodeInfo) : countPodsMatchSelector(nodeInfo.pods, c.selector, ns),
      );
    }
  };
  if (cfg.domainSums !== undefined) {
    // Sums carried from earlier cycles, updated for the nodes that changed; the maps are filled in
    // the order a fresh pass meets the values (CriticalPaths depend on it when counts tie).
    const sums = cfg.domainSums.memo(spreadSignature('PreFilter', pod, constraints), n);
    sums.update(allNodes, contribute, cfg.handle.nodeChanges?.());
    for (let i = 0; i < n; i++) {
      const m = tpValueToMatchNum[i]!;
      for (const value of sums.orderedValues(i)) m.set(value, sums.sum(i, value));
    }
  } else {
    for (let ni = 0; ni < allNodes.length; ni++) {
      contribute(ni, allNodes[ni]!, (i, value, count) => {
        const m = tpValueToMatchNum[i]!;
        m.set(value, (m.get(value) ?? 0) + count);
      });
    }
  }
  for (let i = 0; i < n; i++) {
    const p = new CriticalPaths();
    for (const [value, num] of tpValueToMatchNum[i]!) p.update(value, num);
    criticalPaths.push(p);
  }
  return new PreFilterState(constraints, criticalPaths, tpValueToMatchNum);
}

/** PreFilter: Skip without constraints; an invalid selector is an Error status, as upstream. */
export function preFilter(cfg: SpreadConfig, state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
  const s = calPreFilterState(cfg, pod, nodes);
  if (isSelectorError(s)) return Status.error(`get constraints from pod: ${s.upstream ?? s.error}`);
  if (s.constraints.length === 0) return Status.skip();
  state.write(PRE_FILTER_STATE_KEY, s);
  return null;
}

function readPreFilterState(state: CycleState): PreFilterState | Status {
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
  if (!(s instanceof PreFilterState)) {
    return Status.error(`reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
  }
  return s;
}

/** Filter: missing topology label is UU; a skew above maxSkew is Unschedulable. */
export function filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
  const s = readPreFilterState(state);
  if (s instanceof Status) return s;
  const constraints = s.constraints;
  if (constraints.length === 0) return null;
  const nodeLabels = nodeInfo.node.metadata?.labels;
  const podLabels = pod.metadata?.labels;
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i]!;
    if (!nodeLabels || !Object.prototype.hasOwnProperty.call(nodeLabels, c.topologyKey)) {
      return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    }
    const tpVal = nodeLabels[c.topologyKey]!;
    const minMatchNum = s.minMatchNum(i, c.minDomains);
    const selfMatchNum = c.selector.matches(podLabels) ? 1 : 0;
    const matchNum = s.tpValueToMatchNum[i]!.get(tpVal) ?? 0;
    if (matchNum + selfMatchNum - minMatchNum > c.maxSkew) {
      return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
  }
  return null;
}

/** `updateWithPod`: AddPod (delta 1) / RemovePod (delta -1) for preemption's what-if runs. */
function updateWithPod(
  cfg: SpreadConfig,
  s: PreFilterState,
  updatedPod: Pod,
  preemptorPod: Pod,
  node: Node | undefined,
  delta: number,
): void {
  if ((updatedPod.metadata?.namespace ?? '') !== (preemptorPod.metadata?.namespace ?? '') || node == null) return;
  const labels = node.metadata?.labels;
  if (!nodeLabelsMatchSpreadConstraints(labels, s.constraints)) return;
  const required = getRequiredNodeAffinity(preemptorPod);
  if (!cfg.enableNodeInclusionPolicy && !required.match(node)) return;
  const podLabels = updatedPod.metadata?.labels;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    if (!c.selector.matches(podLabels)) continue;
    if (
      cfg.enableNodeInclusionPolicy &&
      !matchNodeInclusionPolicies(c, preemptorPod, node, required, cfg.enableTaintComparisonOperators)
    ) {
      continue;
    }
    const v = labels?.[c.topologyKey] ?? '';
    const m = s.tpValueToMatchNum[i]!;
    const num = (m.get(v) ?? 0) + delta;
    m.set(v, num);
    s.criticalPaths[i]!.update(v, num);
  }
}

/** PreFilterExtensions.AddPod. */
export function addPod(
  cfg: SpreadConfig,
  state: CycleState,
  podToSchedule: Pod,
  podInfoToAdd: PodInfo,
  nodeInfo: NodeInfo,
): Status | null {
  const s = readPreFilterState(state);
  if (s instanceof Status) return s;
  updateWithPod(cfg, s, podInfoToAdd.pod, podToSchedule, nodeInfo.node, 1);
  return null;
}

/** PreFilterExtensions.RemovePod. */
export function removePod(
  cfg: SpreadConfig,
  state: CycleState,
  podToSchedule: Pod,
  podInfoToRemove: PodInfo,
  nodeInfo: NodeInfo,
): Status | null {
  const s = readPreFilterState(state);
  if (s instanceof Status) return s;
  updateWithPod(cfg, s, podInfoToRemove.pod, podToSchedule, nodeInfo.node, -1);
  return null;
}
