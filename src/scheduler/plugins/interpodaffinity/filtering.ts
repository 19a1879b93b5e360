/**
 * InterPodAffinity PreFilter / Filter / PreFilterExtensions, after
 * pkg/scheduler/framework/plugins/interpodaffinity/filtering.go.
 *
 * Contract: PreFilter counts, per (topologyKey, value) pair, the existing pods whose required
 * anti-affinity matches the incoming pod and the existing pods matching the incoming pod's
 * required (anti-)affinity terms. Filter only looks those counts up (no allocation). With a
 * `PreFilterCountsCache` and a pod with required terms, both counts are running sums carried across
 * cycles (prefilter-memo.ts): a sequence of replicas recounts only the nodes that changed. Without
 * one, they are counted afresh, pod by pod, as upstream does.
 */
import type { Node, Pod } from '../../../kube-api/types';
import { affinityTermMatches, type AffinityTerm } from '../../framework/affinity-term';
import type { CycleState, StateData } from '../../framework/cycle-state';
import type { Handle, NodeInfo, PodInfo } from '../../framework/interface';
import type { Labels } from '../../../kube-api/labels';
import { newPodInfo } from '../../framework/node-info';
import { Status } from '../../framework/status';
import { mergeAffinityTermNamespacesIfNotEmpty, namespaceLabelsSnapshot } from './namespaces';
import { NO_SHARE, requiredTermsSignature, type NodeShare, type PreFilterCountsCache } from './prefilter-memo';
import { TopologyCounts } from './topology-counts';

/** `ErrReasonExistingAntiAffinityRulesNotMatch`. */
const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
/** `ErrReasonAffinityRulesNotMatch`. */
const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
/** `ErrReasonAntiAffinityRulesNotMatch`. */
const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

/** The CycleState key, `"PreFilter" + Name`. */
export const PRE_FILTER_STATE_KEY = 'PreFilterInterPodAffinity';

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

/** Adds the node's pair for `tk` to a share, if the node has that label. */
function pushShare(
  share: NodeShare,
  labels: Readonly<Record<string, string>> | undefined,
  which: number,
  tk: string,
  n: number,
): void {
  if (!labels || !Object.prototype.hasOwnProperty.call(labels, tk)) return;
  share.which.push(which);
  share.keys.push(tk);
  share.values.push(labels[tk]!);
  share.amounts.push(n);
}

/**
 * The node's share of the three PreFilter counts (see prefilter-memo.ts): the existing pods' required
 * anti-affinity terms matching the incoming pod, the pods matching all its required affinity terms,
 * and per required anti-affinity term the pods matching it.
 */
function nodeShare(
  nodeInfo: NodeInfo,
  pod: Pod,
  nsLabels: Labels,
  required: readonly AffinityTerm[],
  requiredAnti: readonly AffinityTerm[],
): NodeShare {
  const labels = nodeInfo.node.metadata?.labels;
  if (!labels) return NO_SHARE;
  let share: NodeShare | undefined;
  for (const ep of nodeInfo.podsWithRequiredAntiAffinity) {
    for (const t of ep.requiredAntiAffinityTerms) {
      if (affinityTermMatches(t, pod, nsLabels)) pushShare((share ??= newShare()), labels, 0, t.topologyKey, 1);
    }
  }
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
  if (affinity > 0) for (const t of required) pushShare((share ??= newShare()), labels, 1, t.topologyKey, affinity);
  if (anti !== undefined) {
    for (let j = 0; j < anti.length; j++) {
      if (anti[j]! > 0) pushShare((share ??= newShare()), labels, 2, requiredAnti[j]!.topologyKey, anti[j]!);
    }
  }
  return share === undefined || share.which.length === 0 ? NO_SHARE : share;
}

function newShare(): NodeShare {
  return { which: [], keys: [], values: [], amounts: [] };
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
  cache?: PreFilterCountsCache,
): Status | null {
  const podInfo = newPodInfo(pod);
  if (podInfo.parseError !== undefined) return Status.unresolvable(`parsing pod: ${podInfo.parseError}`);
  const required = podInfo.requiredAffinityTerms.map(copyTerm);
  const requiredAnti = podInfo.requiredAntiAffinityTerms.map(copyTerm);
  for (const t of required) mergeAffinityTermNamespacesIfNotEmpty(handle, t);
  for (const t of requiredAnti) mergeAffinityTermNamespacesIfNotEmpty(handle, t);
  const nsLabels = namespaceLabelsSnapshot(handle, pod.metadata?.namespace ?? '');

  let existingAnti: TopologyCounts;
  let affinityCounts: TopologyCounts;
  let antiAffinityCounts: TopologyCounts;
  // The existing pods counted are those on the handle's nodes, so the memo needs the handle's own list.
  if (cache !== undefined && allNodes === handle.nodeInfos() && (required.length > 0 || requiredAnti.length > 0)) {
    // Both passes at once from running counts: only the nodes changed since the last cycle are counted.
    const memo = cache.memo(requiredTermsSignature(pod), handle.namespaces());
    memo.update(allNodes, (ni) => nodeShare(ni, pod, nsLabels, required, requiredAnti), handle.nodeChanges?.());
    // The cycle's own copies: AddPod/RemovePod change them, and later cycles change the memo's.
    existingAnti = memo.counts[0].clone();
    affinityCounts = memo.counts[1].clone();
    antiAffinityCounts = memo.counts[2].clone();
  } else {
    // getExistingAntiAffinityCounts.
    existingAnti = new TopologyCounts();
    for (const nodeInfo of handle.havePodsWithRequiredAntiAffinityNodeInfos()) {
      const node = nodeInfo.node;
      for (const ep of nodeInfo.podsWithRequiredAntiAffinity) {
        for (const t of ep.requiredAntiAffinityTerms) {
          if (affinityTermMatches(t, pod, nsLabels)) existingAnti.update(node, t.topologyKey, 1);
        }
      }
    }
    // getIncomingAffinityAntiAffinityCounts.
    affinityCounts = new TopologyCounts();
    antiAffinityCounts = new TopologyCounts();
    if (required.length > 0 || requiredAnti.length > 0) {
      for (const nodeInfo of allNodes) {
        const node = nodeInfo.node;
        for (const ep of nodeInfo.pods) {
          if (podMatchesAllAffinityTerms(required, ep.pod)) {
            for (const t of required) affinityCounts.update(node, t.topologyKey, 1);
          }
          for (const t of requiredAnti) {
            if (affinityTermMatches(t, ep.pod, null)) antiAffinityCounts.update(node, t.topologyKey, 1);
          }
        }
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
