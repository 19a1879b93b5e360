/**
 * The preemption evaluator, after pkg/scheduler/framework/preemption/preemption.go (`Preempt`,
 * `findCandidates`, `nodesWherePreemptionMightHelp`, `DryRunPreemption`, `SelectCandidate`,
 * `pickOneNodeForPreemption`, `GetOffsetAndNumCandidates`).
 *
 * Contract: pure and deterministic. Candidates are evaluated sequentially from offset 0 (upstream
 * starts at a random offset, in parallel) until enough are found; the result names the nominated
 * node and the victims, or carries upstream's FitError text. PodDisruptionBudgets count as in
 * preemption/util.go `FilterVictimsWithPDBViolation`: victims whose eviction would take a budget
 * below zero are reprieved first, and a candidate's violations decide before anything else in
 * `pickOneNodeForPreemption`. Filters run with nominated pods when the framework offers
 * `runFilterPluginsWithNominatedPods`.
 */
import type { KubeObject, LabelSelector, Pod } from '../../../kube-api/types';
import { isSelectorError, labelSelectorAsSelector } from '../../../kube-api/labels';
import type { CycleState } from '../../framework/cycle-state';
import type { NodeInfo, PodInfo, PreFilterPlugin } from '../../framework/interface';
import { Status } from '../../framework/status';
import { moreImportantPod, podPriority, podStartTime } from './priority';

/** The reason for nodes where preemption cannot help (absent from the dry-run statuses). */
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
/** The reason for nodes without lower-priority pods. */
const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';
/** The PodEligibleToPreemptOthers message for `preemptionPolicy: Never`. */
const NOT_ELIGIBLE_PREEMPT_NEVER = 'not eligible due to preemptionPolicy=Never.';

/** A NodeInfo that can be copied and mutated for the dry run. */
export interface MutableNodeInfo extends NodeInfo {
  clone(): MutableNodeInfo;
  addPod(pi: PodInfo): void;
  removePod(pi: PodInfo): boolean;
}

/** What the evaluator needs from the framework (A's `Framework` satisfies it structurally). */
export interface PreemptionFramework {
  readonly preFilterPlugins: readonly PreFilterPlugin[];
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
  /** `RunFilterPluginsWithNominatedPods`; used when present, as upstream's SelectVictimsOnNode does. */
  runFilterPluginsWithNominatedPods?(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
}

function runFilters(fw: PreemptionFramework, state: CycleState, pod: Pod, ni: NodeInfo): Status | null {
  return fw.runFilterPluginsWithNominatedPods
    ? fw.runFilterPluginsWithNominatedPods(state, pod, ni)
    : fw.runFilterPlugins(state, pod, ni);
}

/** One candidate: a node and the pods to evict there, most important first. */
export interface Candidate {
  node: string;
  victims: Pod[];
  numPDBViolations: number;
}

/** The evaluator's outcome. */
export interface PreemptionOutcome {
  /** Set when a node was chosen. */
  nominatedNodeName?: string;
  victims: Pod[];
  /** Every candidate found, in evaluation order. */
  candidates: Candidate[];
  /** The candidates as good as the nominated node (it first), any of which kube-scheduler may nominate. */
  tiedNodes?: string[];
  /** Success, or Unschedulable/Error with the message PostFilter reports (without "preemption: "). */
  status: Status;
}

/** Args of the evaluator (DefaultPreemptionArgs). */
export interface PreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

/** `calculateNumCandidates`. */
function numCandidates(numNodes: number, args: PreemptionArgs): number {
  let n = Math.trunc((numNodes * args.minCandidateNodesPercentage) / 100);
  if (n < args.minCandidateNodesAbsolute) n = args.minCandidateNodesAbsolute;
  if (n > numNodes) n = numNodes;
  return n;
}

function runAddPod(fw: PreemptionFramework, state: CycleState, pod: Pod, pi: PodInfo, ni: NodeInfo): Status | null {
  for (const pl of fw.preFilterPlugins) {
    if (state.skipFilterPlugins.has(pl.name)) continue;
    const ext = pl.preFilterExtensions?.();
    if (!ext) continue;
    const s = ext.addPod(state, pod, pi, ni);
    if (s != null && !s.isSuccess())
      return Status.error(`running AddPod on PreFilter plugin ${JSON.stringify(pl.name)}: ${s.message()}`);
  }
  return null;
}

function runRemovePod(fw: PreemptionFramework, state: CycleState, pod: Pod, pi: PodInfo, ni: NodeInfo): Status | null {
  for (const pl of fw.preFilterPlugins) {
    if (state.skipFilterPlugins.has(pl.name)) continue;
    const ext = pl.preFilterExtensions?.();
    if (!ext) continue;
    const s = ext.removePod(state, pod, pi, ni);
    if (s != null && !s.isSuccess())
      return Status.error(`running RemovePod on PreFilter plugin ${JSON.stringify(pl.name)}: ${s.message()}`);
  }
  return null;
}

/**
 * `FilterVictimsWithPDBViolation` (preemption/util.go): walks the victims in order, spending each
 * matching budget's `status.disruptionsAllowed`; a victim that takes some budget below zero is
 * violating. A PDB in another namespace, with an empty or invalid selector, or listing the pod in
 * `status.disruptedPods` does not count; a pod without labels matches no PDB.
 */
function filterVictimsWithPDBViolation(
  victims: readonly PodInfo[],
  pdbs: readonly KubeObject[],
): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => {
    const n = p.status?.disruptionsAllowed;
    return typeof n === 'number' ? n : 0;
  });
  const selectors = pdbs.map((p) => labelSelectorAsSelector(p.spec?.selector as LabelSelector | undefined, ''));
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of victims) {
    const labels = pi.pod.metadata?.labels ?? {};
    let violates = false;
    if (Object.keys(labels).length > 0) {
      for (let i = 0; i < pdbs.length; i++) {
        const pdb = pdbs[i]!;
        if ((pdb.metadata?.namespace ?? '') !== (pi.pod.metadata?.namespace ?? '')) continue;
        const sel = selectors[i]!;
        if (isSelectorError(sel) || sel.empty() || !sel.matches(labels)) continue;
        const disrupted = (pdb.status?.disruptedPods ?? {}) as Record<string, unknown>;
        if (Object.prototype.hasOwnProperty.call(disrupted, pi.pod.metadata?.name ?? '')) continue;
        allowed[i]! -= 1;
        if (allowed[i]! < 0) {
          violates = true;
          break;
        }
      }
    }
    (violates ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

/**
 * `SelectVictimsOnNode` (default_preemption.go): remove every lower-priority pod, check the pod
 * fits, then reprieve victims from the most important down while the pod still fits: first those
 * whose eviction would violate a PodDisruptionBudget (each one evicted anyway counts as a
 * violation), then the others. `nodeInfo` and `state` must be copies; both are mutated.
 */
export function selectVictimsOnNode(
  fw: PreemptionFramework,
  state: CycleState,
  pod: Pod,
  nodeInfo: MutableNodeInfo,
  now: number,
  pdbs: readonly KubeObject[] = [],
): { victims: Pod[]; numPDBViolations: number; status: Status } {
  const prio = podPriority(pod);
  const potential: PodInfo[] = [];
  for (const pi of nodeInfo.pods.slice()) {
    if (podPriority(pi.pod) < prio) {
      potential.push(pi);
      nodeInfo.removePod(pi);
      const s = runRemovePod(fw, state, pod, pi, nodeInfo);
      if (s) return { victims: [], numPDBViolations: 0, status: s };
    }
  }
  if (potential.length === 0)
    return { victims: [], numPDBViolations: 0, status: Status.unresolvable(NO_PREEMPTION_VICTIMS) };
  const fits = runFilters(fw, state, pod, nodeInfo);
  if (fits != null && !fits.isSuccess()) return { victims: [], numPDBViolations: 0, status: fits };
  // Stable sort, most important first (Go's sort.Slice is not stable; ties keep node order here).
  const moreImportant = (a: PodInfo, b: PodInfo): number =>
    moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0;
  potential.sort(moreImportant);
  const { violating, nonViolating } = filterVictimsWithPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  /** Puts `pi` back; keeps it when the pod still fits, else evicts it again. Error status, or fits. */
  const reprieve = (pi: PodInfo): Status | boolean => {
    nodeInfo.addPod(pi);
    const a = runAddPod(fw, state, pod, pi, nodeInfo);
    if (a) return a;
    const s = runFilters(fw, state, pod, nodeInfo);
    if (s == null || s.isSuccess()) return true;
    nodeInfo.removePod(pi);
    const r = runRemovePod(fw, state, pod, pi, nodeInfo);
    if (r) return r;
    victims.push(pi);
    return false;
  };
  let numPDBViolations = 0;
  for (const pi of violating) {
    const fits = reprieve(pi);
    if (fits instanceof Status) return { victims: [], numPDBViolations: 0, status: fits };
    if (!fits) numPDBViolations++;
  }
  for (const pi of nonViolating) {
    const fits = reprieve(pi);
    if (fits instanceof Status) return { victims: [], numPDBViolations: 0, status: fits };
  }
  // Victims most important first again, when both groups contributed.
  if (violating.length > 0 && nonViolating.length > 0) victims.sort(moreImportant);
  return { victims: victims.map((v) => v.pod), numPDBViolations, status: Status.success() };
}

/**
 * `pickOneNodeForPreemption`: fewest PDB violations, then the lowest highest-priority victim,
 * the smallest sum of priorities, the fewest victims, the latest earliest-start-time among the
 * highest-priority victims, and finally the first candidate.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): string | undefined {
  return bestPreemptionCandidates(candidates, now)[0]?.node;
}

/**
 * The candidates `pickOneNodeForPreemption` cannot tell apart, in candidate order: it takes the first,
 * and upstream's candidate order comes from a parallel dry run (and a map), so kube-scheduler may
 * nominate any of them.
 */
function bestPreemptionCandidates(candidates: readonly Candidate[], now: number): Candidate[] {
  if (candidates.length === 0) return [];
  const INT32_SHIFT = 2 ** 31;
  const earliestStart = (c: Candidate): number => {
    if (c.victims.length === 0) return Number.MIN_SAFE_INTEGER;
    let maxP = podPriority(c.victims[0]!);
    let earliest = podStartTime(c.victims[0]!, now);
    for (const v of c.victims) {
      const p = podPriority(v);
      if (p === maxP) earliest = Math.min(earliest, podStartTime(v, now));
      else if (p > maxP) {
        maxP = p;
        earliest = podStartTime(v, now);
      }
    }
    return earliest;
  };
  const scoreFuncs: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -podPriority(c.victims[0]!),
    // Priorities shifted by MaxInt32+1 so all are non-negative; sums stay exact in doubles.
    (c) => -c.victims.reduce((s, v) => s + podPriority(v) + INT32_SHIFT, 0),
    (c) => -c.victims.length,
    earliestStart,
  ];
  let all = candidates.slice();
  for (const f of scoreFuncs) {
    let max = -Infinity;
    let selected: Candidate[] = [];
    for (const c of all) {
      const s = f(c);
      if (s > max) {
        max = s;
        selected = [];
      }
      if (s === max) selected.push(c);
    }
    if (selected.length === 1) return selected;
    all = selected;
  }
  return all;
}

/** Builds upstream's FitError text: `0/N nodes are available: <sorted "count reason" list>.` */
function fitErrorMessage(
  numAllNodes: number,
  statuses: ReadonlyMap<string, Status>,
  absentReasons: readonly string[],
): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  const hist = new Map<string, number>();
  for (const s of statuses.values()) for (const r of s.reasons) hist.set(r, (hist.get(r) ?? 0) + 1);
  const absent = numAllNodes - statuses.size;
  if (absent > 0) for (const r of absentReasons) hist.set(r, (hist.get(r) ?? 0) + absent);
  const parts = [...hist].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  return msg;
}

/**
 * `Evaluator.Preempt`. `statuses` are the filter statuses of the failed cycle; nodes absent from
 * it count with `absentStatus` (UU when a PreFilter result excluded them).
 */
export function preempt(
  fw: PreemptionFramework,
  state: CycleState,
  pod: Pod,
  allNodes: readonly MutableNodeInfo[],
  statuses: ReadonlyMap<string, Status>,
  args: PreemptionArgs,
  now: number,
  absentStatus?: Status,
  pdbs: readonly KubeObject[] = [],
): PreemptionOutcome {
  if (pod.spec?.preemptionPolicy === 'Never') {
    return { victims: [], candidates: [], status: Status.unschedulable(NOT_ELIGIBLE_PREEMPT_NEVER) };
  }
  if (allNodes.length === 0) return { victims: [], candidates: [], status: Status.error('no nodes available') };
  const potential = allNodes.filter((n) => {
    const s = statuses.get(n.name) ?? absentStatus;
    return !(s && s.code === 'UnschedulableAndUnresolvable');
  });
  const dryRun = new Map<string, Status>();
  const candidates: Candidate[] = [];
  if (potential.length > 0) {
    const want = numCandidates(potential.length, args);
    for (const n of potential) {
      const res = selectVictimsOnNode(fw, state.clone(), pod, n.clone(), now, pdbs);
      if (res.status.isSuccess() && res.victims.length > 0) {
        candidates.push({ node: n.name, victims: res.victims, numPDBViolations: res.numPDBViolations });
        if (candidates.length >= want) break;
        continue;
      }
      const st = res.status.isSuccess()
        ? Status.error(`expected at least one victim pod on node ${JSON.stringify(n.name)}`)
        : res.status;
      dryRun.set(n.name, st);
    }
  }
  if (candidates.length === 0) {
    const msg = fitErrorMessage(allNodes.length, dryRun, [PREEMPTION_NOT_HELPFUL]);
    return { victims: [], candidates, status: Status.unschedulable(msg) };
  }
  const best = bestPreemptionCandidates(candidates, now);
  const chosen = best[0];
  if (!chosen) return { victims: [], candidates, status: Status.unschedulable('no candidate node for preemption') };
  return {
    nominatedNodeName: chosen.node,
    victims: chosen.victims,
    candidates,
    tiedNodes: best.map((c) => c.node),
    status: Status.success(),
  };
}
