/**
 * Constraint construction and shared helpers of PodTopologySpread, after
 * pkg/scheduler/framework/plugins/podtopologyspread/common.go.
 *
 * Contract: constraints are compiled once per scheduling cycle (PreFilter / PreScore); the per-node
 * helpers here allocate nothing.
 */
import type { Node, Pod, TopologySpreadConstraint as V1Constraint } from '../../../kube-api/types';
import { gateEnabled } from '../../framework/feature-gates';
import type { FeatureGates, Handle, NodeInfo, PodInfo } from '../../framework/interface';
import {
  addRequirements,
  isSelectorError,
  labelSelectorAsSelector,
  selectorFromSet,
  type Requirement,
  type Selector,
  type SelectorError,
} from '../../../kube-api/labels';
import type { RequiredNodeAffinity } from '../../../kube-api/node-affinity';
import { defaultSelector } from '../helper/spread';
import type { NodeInclusionPolicy, TopologySpreadConstraint } from './constraint';
import type { DomainSumsCache } from './domain-sums';
import { doNotScheduleTaint, findMatchingUntoleratedTaint } from '../../../kube-api/tolerations';

/** `v1.LabelHostname`. */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
/** `v1.LabelTopologyZone`. */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

/** What the plugin's helpers need from the plugin instance. */
export interface SpreadConfig {
  readonly handle: Handle;
  /** Default constraints (system defaults or the `List` args); empty when none. */
  readonly defaultConstraints: readonly V1Constraint[];
  readonly systemDefaulted: boolean;
  readonly enableNodeInclusionPolicy: boolean;
  readonly enableMatchLabelKeys: boolean;
  readonly enableTaintComparisonOperators: boolean;
  /** Per-node matching-pod counts carried across cycles; absent means count every time. */
  readonly matchCounts?: MatchCountCache;
  /** PreFilter's and PreScore's per-topology-value sums carried across cycles; absent means sum every time. */
  readonly domainSums?: DomainSumsCache;
}

/** Reads the plugin's feature gates (absent gates take the release defaults). */
export function spreadFeatures(
  features: FeatureGates,
): Pick<SpreadConfig, 'enableNodeInclusionPolicy' | 'enableMatchLabelKeys' | 'enableTaintComparisonOperators'> {
  return {
    enableNodeInclusionPolicy: gateEnabled(features, 'NodeInclusionPolicyInPodTopologySpread'),
    enableMatchLabelKeys: gateEnabled(features, 'MatchLabelKeysInPodTopologySpread'),
    enableTaintComparisonOperators: gateEnabled(features, 'TaintTolerationComparisonOperators'),
  };
}

/** `mergeLabelSetWithSelector`: the set's pairs ANDed with the selector; Nothing stays Nothing. */
function mergeLabelSetWithSelector(matchLabels: Record<string, string>, s: Selector): Selector {
  if (s.nothing) return s;
  const set = selectorFromSet(matchLabels);
  return addRequirements(set, s.requirements as Requirement[]);
}

/**
 * `filterTopologySpreadConstraints`: the constraints whose `whenUnsatisfiable` equals `action`,
 * parsed. Returns the upstream error text on an invalid selector.
 */
function filterTopologySpreadConstraints(
  cfg: SpreadConfig,
  constraints: readonly V1Constraint[],
  podLabels: Readonly<Record<string, string>> | undefined,
  action: 'DoNotSchedule' | 'ScheduleAnyway',
): TopologySpreadConstraint[] | SelectorError {
  const result: TopologySpreadConstraint[] = [];
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i]!;
    if (c == null || c.whenUnsatisfiable !== action) continue;
    const path = `spec.topologySpreadConstraints[${i}]`;
    // The API server validates these; a manifest that was never admitted gets an error naming the field.
    if (!Number.isInteger(c.maxSkew))
      return { error: `${path}.maxSkew: must be an integer`, upstream: `${path}.maxSkew: must be an integer` };
    if (typeof c.topologyKey !== 'string')
      return { error: `${path}.topologyKey: Required value`, upstream: `${path}.topologyKey: Required value` };
    if (c.minDomains != null && !Number.isInteger(c.minDomains)) {
      return { error: `${path}.minDomains: must be an integer`, upstream: `${path}.minDomains: must be an integer` };
    }
    let selector = labelSelectorAsSelector(c.labelSelector, `${path}.labelSelector`);
    if (isSelectorError(selector)) return selector;
    if (cfg.enableMatchLabelKeys && (c.matchLabelKeys?.length ?? 0) > 0) {
      const matchLabels: Record<string, string> = {};
      let n = 0;
      for (const key of c.matchLabelKeys!) {
        if (podLabels && Object.prototype.hasOwnProperty.call(podLabels, key)) {
          matchLabels[key] = podLabels[key]!;
          n++;
        }
      }
      if (n > 0) selector = mergeLabelSetWithSelector(matchLabels, selector);
    }
    let nodeAffinityPolicy: NodeInclusionPolicy = 'Honor';
    let nodeTaintsPolicy: NodeInclusionPolicy = 'Ignore';
    if (cfg.enableNodeInclusionPolicy) {
      if (c.nodeAffinityPolicy != null) nodeAffinityPolicy = c.nodeAffinityPolicy as NodeInclusionPolicy;
      if (c.nodeTaintsPolicy != null) nodeTaintsPolicy = c.nodeTaintsPolicy as NodeInclusionPolicy;
    }
    result.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy,
      nodeTaintsPolicy,
    });
  }
  return result;
}

/**
 * `buildDefaultConstraints`: the default constraints for `action`, all sharing the selector
 * `helper.DefaultSelector` derives from the Services / RCs / RSs / StatefulSets selecting the pod.
 * No constraints when that selector is empty.
 */
function buildDefaultConstraints(
  cfg: SpreadConfig,
  pod: Pod,
  action: 'DoNotSchedule' | 'ScheduleAnyway',
): TopologySpreadConstraint[] | SelectorError {
  const constraints = filterTopologySpreadConstraints(cfg, cfg.defaultConstraints, pod.metadata?.labels, action);
  if (isSelectorError(constraints) || constraints.length === 0) return constraints;
  const selector = defaultSelector(pod, cfg.handle);
  if (selector.empty()) return [];
  for (const c of constraints) c.selector = selector;
  return constraints;
}

/**
 * `getConstraints` (PreFilter, `DoNotSchedule`) and the constraint step of `initPreScoreState`
 * (PreScore, `ScheduleAnyway`): the pod's own constraints for `action`, or the default ones when it
 * declares none. A selector error is wrapped as upstream does, "hard" for DoNotSchedule and "soft"
 * for ScheduleAnyway (`obtaining pod's hard topology spread constraints: ...`,
 * `setting default soft topology spread constraints: ...`).
 */
export function getConstraints(
  cfg: SpreadConfig,
  pod: Pod,
  action: 'DoNotSchedule' | 'ScheduleAnyway',
): TopologySpreadConstraint[] | SelectorError {
  const kind = action === 'DoNotSchedule' ? 'hard' : 'soft';
  const own = pod.spec?.topologySpreadConstraints;
  if (own && own.length > 0) {
    const c = filterTopologySpreadConstraints(cfg, own, pod.metadata?.labels, action);
    return isSelectorError(c)
      ? { ...c, upstream: `obtaining pod's ${kind} topology spread constraints: ${c.upstream ?? c.error}` }
      : c;
  }
  const c = buildDefaultConstraints(cfg, pod, action);
  return isSelectorError(c)
    ? { ...c, upstream: `setting default ${kind} topology spread constraints: ${c.upstream ?? c.error}` }
    : c;
}

/** `nodeLabelsMatchSpreadConstraints`: the node has every constraint's topology key. */
export function nodeLabelsMatchSpreadConstraints(
  nodeLabels: Readonly<Record<string, string>> | undefined,
  constraints: readonly TopologySpreadConstraint[],
): boolean {
  if (!nodeLabels) return constraints.length === 0;
  for (const c of constraints) {
    if (!Object.prototype.hasOwnProperty.call(nodeLabels, c.topologyKey)) return false;
  }
  return true;
}

/**
 * `countPodsMatchSelector`: pods in `ns`, not terminating, matching the selector. An empty
 * (Everything) selector counts 0, as upstream.
 */
export function countPodsMatchSelector(pods: readonly PodInfo[], selector: Selector, ns: string): number {
  if (selector.empty()) return 0;
  let count = 0;
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i]!.pod;
    const meta = p.metadata;
    if (meta?.deletionTimestamp != null || (meta?.namespace ?? '') !== ns) continue;
    if (selector.matches(meta?.labels)) count++;
  }
  return count;
}

/** The counts of one (selector, namespace) pair by node position (see `MatchCountCache`). */
export class MatchCountMemo {
  private readonly nodes: (NodeInfo | undefined)[] = [];
  private readonly gens: number[] = [];
  private readonly counts: number[] = [];
  /** Counts by NodeInfo object, for callers that do not know the node's position (Score). */
  private readonly byNode = new WeakMap<NodeInfo, { generation: number; count: number }>();

  constructor(
    private readonly selector: Selector,
    private readonly ns: string,
  ) {}

  /** `countPodsMatchSelector(nodeInfo.pods, selector, ns)` for the node at position `i` of the node list. */
  count(i: number, nodeInfo: NodeInfo): number {
    if (this.nodes[i] === nodeInfo && this.gens[i] === nodeInfo.generation) return this.counts[i]!;
    const c = countPodsMatchSelector(nodeInfo.pods, this.selector, this.ns);
    // Positions are filled in order from 0, so the lists stay dense.
    while (this.nodes.length < i) {
      this.nodes.push(undefined);
      this.gens.push(-1);
      this.counts.push(0);
    }
    this.nodes[i] = nodeInfo;
    this.gens[i] = nodeInfo.generation;
    this.counts[i] = c;
    return c;
  }

  /** `countPodsMatchSelector(nodeInfo.pods, selector, ns)`, reused while the node's generation is unchanged. */
  countOf(nodeInfo: NodeInfo): number {
    const known = this.byNode.get(nodeInfo);
    if (known !== undefined && known.generation === nodeInfo.generation) return known.count;
    const count = countPodsMatchSelector(nodeInfo.pods, this.selector, this.ns);
    if (known !== undefined) {
      known.generation = nodeInfo.generation;
      known.count = count;
    } else this.byNode.set(nodeInfo, { generation: nodeInfo.generation, count });
    return count;
  }
}

/**
 * How many (selector, namespace) pairs `MatchCountCache` keeps before starting afresh: as many as the
 * workloads an editor's open manifests predict in turn (see DOMAIN_SUM_SIGNATURES). About nodes × 3
 * entries each.
 */
const MATCH_COUNT_MEMOS = 64;

/**
 * Matching-pod counts per node across cycles, keyed by the selector's requirements and the
 * namespace; a node's count is reused while the NodeInfo object and its `generation` are
 * unchanged (its pods and their labels cannot change without a new generation).
 */
export class MatchCountCache {
  private readonly memos = new Map<string, MatchCountMemo>();

  /** The memo for `selector` in `ns`. */
  memo(selector: Selector, ns: string): MatchCountMemo {
    const key = `${ns}\u0000${selector.nothing ? '!' : JSON.stringify(selector.requirements)}`;
    let m = this.memos.get(key);
    if (m === undefined) {
      if (this.memos.size >= MATCH_COUNT_MEMOS) this.memos.clear();
      m = new MatchCountMemo(selector, ns);
      this.memos.set(key, m);
    }
    return m;
  }
}

/**
 * `topologySpreadConstraint.matchNodeInclusionPolicies`: with nodeAffinityPolicy Honor the node
 * must match the pod's required node affinity (parse errors ignored); with nodeTaintsPolicy Honor
 * it must have no untolerated NoSchedule/NoExecute taint.
 */
export function matchNodeInclusionPolicies(
  c: TopologySpreadConstraint,
  pod: Pod,
  node: Node,
  require: RequiredNodeAffinity,
  enableComparisonOperators: boolean,
): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !require.match(node)) return false;
  if (
    c.nodeTaintsPolicy === 'Honor' &&
    findMatchingUntoleratedTaint(
      node.spec?.taints,
      pod.spec?.tolerations,
      doNotScheduleTaint,
      enableComparisonOperators,
    ) !== undefined
  ) {
    return false;
  }
  return true;
}
