/**
 * InterPodAffinity PreFilter / Filter / PreFilterExtensions, after
 * pkg/scheduler/framework/plugins/interpodaffinity/filtering.go.
 *
 * Contract: PreFilter counts, per (topologyKey, value) pair, the existing pods whose required
 * anti-affinity matches the incoming pod and the existing pods matching the incoming pod's
 * required (anti-)affinity terms. Filter only looks those counts up (no allocation). With an
 * `IncomingCountsCache`, the second count reuses each node's tally from earlier cycles while the
 * node (identity and generation), the incoming pod's required terms and namespace, and the
 * namespace list are unchanged: a sequence of replicas recounts only the nodes that changed.
 */
import type { Node, Pod } from '../../../kube-api/types';
import { affinityTermMatches, type AffinityTerm } from '../../framework/affinity-term';
import type { CycleState, StateData } from '../../framework/cycle-state';
import type { Handle, NodeInfo, PodInfo } from '../../framework/interface';
import type { Labels } from '../../../kube-api/labels';
import { newPodInfo } from '../../framework/node-info';
import { Status } from '../../framework/status';
import { mergeAffinityTermNamespacesIfNotEmpty, namespaceLabelsSnapshot } from './namespaces';

/** `ErrReasonExistingAntiAffinityRulesNotMatch`. */
const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
/** `ErrReasonAffinityRulesNotMatch`. */
const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
/** `ErrReasonAntiAffinityRulesNotMatch`. */
const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

/** The CycleState key, `"PreFilter" + Name`. */
export const PRE_FILTER_STATE_KEY = 'PreFilterInterPodAffinity';

/**
 * `topologyToMatchedTermCount`: (topologyKey, value) → count, stored as key → value → count so
 * lookups need no composite key. Entries that fall to zero are deleted, as upstream's `update`.
 */
class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();
  /** Number of (key, value) pairs, as `len(map)`. */
  size = 0;

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  /** `update(node, tk, value)`: adds `delta` to the node's pair for `tk`, if the node has that label. */
  update(node: Node, tk: string, delta: number): void {
    const labels = node.metadata?.labels;
    if (!labels || !Object.prototype.hasOwnProperty.call(labels, tk)) return;
    this.add(tk, labels[tk]!, delta);
  }

  add(key: string, value: string, delta: number): void {
    let values = this.byKey.get(key);
    if (!values) {
      values = new Map();
      this.byKey.set(key, values);
    }
    const prev = values.get(value);
    const next = (prev ?? 0) + delta;
    if (next === 0) {
      if (prev !== undefined) {
        values.delete(value);
        this.size--;
      }
      return;
    }
    if (prev === undefined) this.size++;
    values.set(value, next);
  }

  /** Whether some label (k, v) of the node has a positive count (`satisfyExistingPodsAntiAffinity`). */
  anyPositiveForLabels(labels: Readonly<Record<string, string>> | undefined): boolean {
    if (!labels || this.size === 0) return false;
    for (const [key, values] of this.byKey) {
      if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
      if ((values.get(labels[key]!) ?? 0) > 0) return true;
    }
    return false;
  }

  /** The (key, value) → count entries as `"key=value"` → count, sorted, for inspection and tests. */
  toRecord(): Record<string, number> {
    const out: [string, number][] = [];
    for (const [k, values] of this.byKey) for (const [v, n] of values) out.push([`${k}=${v}`, n]);
    out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(out);
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, values] of this.byKey) c.byKey.set(k, new Map(values));
    c.size = this.size;
    return c;
  }
}

/** `preFilterState`. */
export class PreFilterState implements StateData {
  constructor(
    readonly pod: Pod,
    /** The incoming pod's required terms, namespaceSelector merged into namespaces. */
    readonly requiredAffinityTerms: readonly AffinityTerm[],
    readonly requiredAntiAffinityTerms: readonly AffinityTerm[],
    readonly namespaceLabels: Labels,
    readonly existingAntiAffinityCounts: TopologyCounts,
    readonly affinityCounts: TopologyCounts,
    readonly antiAffinityCounts: TopologyCounts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.pod,
      this.requiredAffinityTerms,
      this.requiredAntiAffinityTerms,
      this.namespaceLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
    );
  }

  /** `updateWithPod`: the counters after adding (1) or removing (-1) `pInfo` on `node`. */
  updateWithPod(pInfo: PodInfo, node: Node, multiplier: number): void {
    for (const t of pInfo.requiredAntiAffinityTerms) {
      if (affinityTermMatches(t, this.pod, this.namespaceLabels))
        this.existingAntiAffinityCounts.update(node, t.topologyKey, multiplier);
    }
    if (podMatchesAllAffinityTerms(this.requiredAffinityTerms, pInfo.pod)) {
      for (const t of this.requiredAffinityTerms) this.affinityCounts.update(node, t.topologyKey, multiplier);
    }
    // The incoming pod's terms have the namespaceSelector merged into the namespaces.
    for (const t of this.requiredAntiAffinityTerms) {
      if (affinityTermMatches(t, pInfo.pod, null)) this.antiAffinityCounts.update(node, t.topologyKey, multiplier);
    }
  }
}

/** `podMatchesAllAffinityTerms`: false for no terms; namespaces are already merged (nsLabels nil). */
function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!affinityTermMatches(t, pod, null)) return false;
  return true;
}

/**
 * One node's tally for the incoming pod's required terms: how many of its pods match all affinity
 * terms, and per anti-affinity term how many match it.
 */
interface IncomingTally {
  affinity: number;
  anti: readonly number[];
}

const NO_TALLY: IncomingTally = { affinity: 0, anti: [] };

/** The per-node tallies for one signature of the incoming pod's required terms. */
class TallyMemo {
  nodes: (NodeInfo | undefined)[] = [];
  gens: number[] = [];
  tallies: IncomingTally[] = [];

  constructor(
    readonly signature: string,
    readonly namespaceList: readonly unknown[],
  ) {}
}

/** How many term signatures `IncomingCountsCache` remembers (a few workloads predicted in turn). */
const TALLY_SIGNATURES = 4;

/**
 * Per-node tallies of `getIncomingAffinityAntiAffinityCounts` carried across cycles, by node
 * position in the PreFilter node list, valid while the NodeInfo object and its `generation` (its
 * labels and pods), the signature of the incoming pod's required terms (its namespace and the
 * required pod affinity and anti-affinity terms as written) and the handle's namespace list
 * (namespace selectors are resolved against it) are unchanged. Remembers the last few signatures.
 */
export class IncomingCountsCache {
  private memos: TallyMemo[] = [];

  /** The memo for a cycle of a pod with this term signature. */
  memo(signature: string, namespaceList: readonly unknown[]): TallyMemo {
    const i = this.memos.findIndex((m) => m.signature === signature);
    let m = i >= 0 ? this.memos[i] : undefined;
    if (i >= 0) this.memos.splice(i, 1);
    if (m === undefined || m.namespaceList !== namespaceList) m = new TallyMemo(signature, namespaceList);
    this.memos.unshift(m);
    if (this.memos.length > TALLY_SIGNATURES) this.memos.length = TALLY_SIGNATURES;
    return m;
  }
}

/** What of the incoming pod its required-term tallies depend on, as a string. */
function requiredTermsSignature(pod: Pod): string {
  const affinity = pod.spec?.affinity;
  return JSON.stringify([
    pod.metadata?.namespace ?? '',
    affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
    affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
  ]);
}

/** The node's tally (see `IncomingTally`); NO_TALLY when no pod matches anything. */
function tallyNode(
  nodeInfo: NodeInfo,
  required: readonly AffinityTerm[],
  requiredAnti: readonly AffinityTerm[],
): IncomingTally {
  let affinity = 0;
  let anti: number[] | undefined;
  for (const ep of nodeInfo.pods) {
    if (podMatchesAllAffinityTerms(required, ep.pod)) affinity++;
    for (let j = 0; j < requiredAnti.length; j++) {
      if (affinityTermMatches(requiredAnti[j]!, ep.pod, null)) {
        anti ??= new Array<number>(requiredAnti.length).fill(0);
        anti[j]!++;
      }
    }
  }
  return affinity === 0 && anti === undefined ? NO_TALLY : { affinity, anti: anti ?? [] };
}

/** A term copy the plugin may merge namespaces into without touching the shared PodInfo. */
export function copyTerm<T extends AffinityTerm>(t: T): T {
  return { ...t, namespaces: new Set(t.namespaces) };
}

/** PreFilter. Returns Skip when neither the pod nor any existing pod's anti-affinity is involved. */
export function preFilter(
  handle: Handle,
  state: CycleState,
  pod: Pod,
  allNodes: readonly NodeInfo[],
  cache?: IncomingCountsCache,
): Status | null {
  const podInfo = newPodInfo(pod);
  if (podInfo.parseError !== undefined) return Status.unresolvable(`parsing pod: ${podInfo.parseError}`);
  const required = podInfo.requiredAffinityTerms.map(copyTerm);
  const requiredAnti = podInfo.requiredAntiAffinityTerms.map(copyTerm);
  for (const t of required) mergeAffinityTermNamespacesIfNotEmpty(handle, t);
  for (const t of requiredAnti) mergeAffinityTermNamespacesIfNotEmpty(handle, t);
  const nsLabels = namespaceLabelsSnapshot(handle, pod.metadata?.namespace ?? '');

  // getExistingAntiAffinityCounts.
  const existingAnti = new TopologyCounts();
  for (const nodeInfo of handle.havePodsWithRequiredAntiAffinityNodeInfos()) {
    const node = nodeInfo.node;
    for (const ep of nodeInfo.podsWithRequiredAntiAffinity) {
      for (const t of ep.requiredAntiAffinityTerms) {
        if (affinityTermMatches(t, pod, nsLabels)) existingAnti.update(node, t.topologyKey, 1);
      }
    }
  }

  // getIncomingAffinityAntiAffinityCounts.
  const affinityCounts = new TopologyCounts();
  const antiAffinityCounts = new TopologyCounts();
  if (required.length > 0 || requiredAnti.length > 0) {
    const memo = cache?.memo(requiredTermsSignature(pod), handle.namespaces());
    for (let i = 0; i < allNodes.length; i++) {
      const nodeInfo = allNodes[i]!;
      let tally: IncomingTally;
      if (memo !== undefined && memo.nodes[i] === nodeInfo && memo.gens[i] === nodeInfo.generation) {
        tally = memo.tallies[i]!;
      } else {
        tally = tallyNode(nodeInfo, required, requiredAnti);
        if (memo !== undefined) {
          // Positions are filled in order from 0, so the lists stay dense.
          while (memo.nodes.length < i) {
            memo.nodes.push(undefined);
            memo.gens.push(-1);
            memo.tallies.push(NO_TALLY);
          }
          memo.nodes[i] = nodeInfo;
          memo.gens[i] = nodeInfo.generation;
          memo.tallies[i] = tally;
        }
      }
      if (tally === NO_TALLY) continue;
      // Integer sums: adding a node's tally at once gives the per-pod running counts.
      const node = nodeInfo.node;
      if (tally.affinity > 0) for (const t of required) affinityCounts.update(node, t.topologyKey, tally.affinity);
      for (let j = 0; j < tally.anti.length; j++) {
        if (tally.anti[j]! > 0) antiAffinityCounts.update(node, requiredAnti[j]!.topologyKey, tally.anti[j]!);
      }
    }
  }

  if (existingAnti.size === 0 && required.length === 0 && requiredAnti.length === 0) return Status.skip();
  state.write(
    PRE_FILTER_STATE_KEY,
    new PreFilterState(pod, required, requiredAnti, nsLabels, existingAnti, affinityCounts, antiAffinityCounts),
  );
  return null;
}

function readState(state: CycleState): PreFilterState | Status {
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
  if (!(s instanceof PreFilterState))
    return Status.error(`error reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
  return s;
}

/** `satisfyPodAffinity`, with the self-affinity exception for the first pod of a group. */
function satisfyPodAffinity(s: PreFilterState, labels: Readonly<Record<string, string>> | undefined): boolean {
  let podsExist = true;
  for (const t of s.requiredAffinityTerms) {
    // All topology labels must exist on the node.
    if (!labels || !Object.prototype.hasOwnProperty.call(labels, t.topologyKey)) return false;
    if (s.affinityCounts.get(t.topologyKey, labels[t.topologyKey]!) <= 0) podsExist = false;
  }
  if (!podsExist) {
    return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(s.requiredAffinityTerms, s.pod);
  }
  return true;
}

/** `satisfyPodAntiAffinity`. */
function satisfyPodAntiAffinity(s: PreFilterState, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (s.antiAffinityCounts.size > 0 && labels) {
    for (const t of s.requiredAntiAffinityTerms) {
      if (!Object.prototype.hasOwnProperty.call(labels, t.topologyKey)) continue;
      if (s.antiAffinityCounts.get(t.topologyKey, labels[t.topologyKey]!) > 0) return false;
    }
  }
  return true;
}

/** Filter: affinity (UU), then the pod's anti-affinity (U), then existing pods' anti-affinity (U). */
export function filter(state: CycleState, nodeInfo: NodeInfo): Status | null {
  const s = readState(state);
  if (s instanceof Status) return s;
  const labels = nodeInfo.node.metadata?.labels;
  if (!satisfyPodAffinity(s, labels)) return Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  if (!satisfyPodAntiAffinity(s, labels)) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
  if (s.existingAntiAffinityCounts.anyPositiveForLabels(labels)) {
    return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
  }
  return null;
}

/** PreFilterExtensions.AddPod / RemovePod (`multiplier` 1 / -1). */
export function updateWithPod(
  state: CycleState,
  podInfo: PodInfo,
  nodeInfo: NodeInfo,
  multiplier: number,
): Status | null {
  const s = readState(state);
  if (s instanceof Status) return s;
  s.updateWithPod(podInfo, nodeInfo.node, multiplier);
  return null;
}
