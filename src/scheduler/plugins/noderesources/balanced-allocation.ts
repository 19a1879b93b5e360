/**
 * NodeResourcesBalancedAllocation, after
 * pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go (v1.36+, PR #135573).
 *
 * - PreScore: the pod's requests for the configured resources without non-zero defaults; Skip
 *   when all are 0 (a best-effort pod, issue #129138).
 * - Score: `50 + (50 + scoreWithPod - scoreWithoutPod) / 2` (Go int64 division), where each
 *   sub-score is `int64((1 - std) * 100)` over the usage fractions (capped at 1) of the resources
 *   with allocatable > 0, node usage taken from `Requested`. 75 means "balance unchanged".
 * - No NormalizeScore.
 *
 * Float operations keep Go's order so results are bit-identical to amd64 upstream.
 */
import type { Pod } from '../../../kube-api/types';
import { ARGS_DEFAULTERS } from '../../config/defaults';
import { validateNodeResourcesBalancedAllocationArgs } from '../../config/validation-plugin-args';
import type { CycleState } from '../../framework/cycle-state';
import { pluginFeature } from '../../framework/feature-gates';
import { atLeast } from '../../framework/version';
import {
  MAX_NODE_SCORE,
  type NodeInfo,
  type PluginFactoryArgs,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/interface';
import { Status } from '../../framework/status';
import { int64Div } from '../../resource/int64';
import { names } from '../names';
import {
  isBestEffortPod,
  ResourceAllocationScorer,
  type ResourceAllocationFeatures,
  type ResourceScorer,
  type ResourceSpec,
} from './resource-allocation';

const PRE_SCORE_STATE_KEY = `PreScore${names.NodeResourcesBalancedAllocation}`;

interface PreScoreState {
  podRequests: number[];
}

/**
 * `balancedResourceScore`: `int64((1 - std) * MaxNodeScore)` over the fractions `x[i] / alloc[i]`
 * (capped at 1) of resources with `alloc[i] > 0`; std is |f0 - f1| / 2 for two resources and the
 * population standard deviation for more.
 */
export function balancedResourceScore(x: readonly number[], alloc: readonly number[]): number {
  let total = 0;
  let count = 0;
  let f0 = 0;
  let f1 = 0;
  const many = x.length > 2 ? new Array<number>() : undefined;
  for (let i = 0; i < x.length; i++) {
    const a = alloc[i]!;
    if (a === 0) continue;
    let f = x[i]! / a;
    if (f > 1) f = 1;
    total += f;
    if (count === 0) f0 = f;
    else if (count === 1) f1 = f;
    many?.push(f);
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((f0 - f1) / 2);
  } else if (count > 2 && many) {
    const mean = total / count;
    let sum = 0;
    for (const f of many) sum = sum + (f - mean) * (f - mean);
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** The v1.36+ scorer: the balance change the pod causes, mapped to [50, 100]. */
export const balancedResourceScorer: ResourceScorer = (requested, allocated, allocatable) => {
  const scoreWithPod = balancedResourceScore(requested, allocatable);
  const scoreWithoutPod = balancedResourceScore(allocated, allocatable);
  const half = MAX_NODE_SCORE / 2;
  return half + int64Div(half + scoreWithPod - scoreWithoutPod, 2);
};

/**
 * The scorer of Kubernetes v1.26–v1.35 (before PR #135573): the balance with the pod only. Used
 * when the modelled release (PluginFactoryArgs.kubernetesVersion) is older than v1.36.
 */
export const legacyBalancedResourceScorer: ResourceScorer = (requested, _allocated, allocatable) =>
  balancedResourceScore(requested, allocatable);

/** Favors nodes whose cpu/memory (and configured) usage becomes more balanced with the pod. */
class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = names.NodeResourcesBalancedAllocation;
  private readonly scorer: ResourceAllocationScorer;

  constructor(
    resources: readonly ResourceSpec[],
    features: ResourceAllocationFeatures,
    scorer = balancedResourceScorer,
  ) {
    this.scorer = new ResourceAllocationScorer(this.name, resources, scorer, true, features);
  }

  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[]): Status | null {
    const podRequests = this.scorer.calculatePodResourceRequestList(pod);
    if (isBestEffortPod(podRequests)) return Status.skip();
    state.write(PRE_SCORE_STATE_KEY, { podRequests } satisfies PreScoreState);
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    let podRequests = state.read<PreScoreState>(PRE_SCORE_STATE_KEY)?.podRequests;
    if (podRequests === undefined) {
      // Upstream recomputes when PreScore did not run, and scores best-effort pods 0.
      podRequests = this.scorer.calculatePodResourceRequestList(pod);
      if (isBestEffortPod(podRequests)) return { score: 0, status: null };
    }
    return { score: this.scorer.score(nodeInfo, podRequests), status: null };
  }

  /** Batch `score`: the PreScore state is read once per cycle and unchanged nodes reuse their score. */
  scoreNodes(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): Status | null {
    let podRequests = state.read<PreScoreState>(PRE_SCORE_STATE_KEY)?.podRequests;
    if (podRequests === undefined) {
      podRequests = this.scorer.calculatePodResourceRequestList(pod);
      if (isBestEffortPod(podRequests)) {
        out.fill(0, 0, nodes.length);
        return null;
      }
    }
    this.scorer.scoreNodes(nodes, podRequests, out);
    return null;
  }
}

/** Factory: args `{resources}` (v1 camelCase; defaulted and validated as `NewBalancedAllocation` does). */
/**
 * Factory. The scorer follows the modelled release: v1.36 and later score the balance change
 * (PR #135573); earlier releases score the balance with the pod only.
 */
export function create({ args, features, kubernetesVersion }: PluginFactoryArgs): BalancedAllocation {
  const defaulted = ARGS_DEFAULTERS['NodeResourcesBalancedAllocation']!({ ...(args ?? {}) });
  const errs = validateNodeResourcesBalancedAllocationArgs('', defaulted);
  if (errs.length > 0) {
    throw new Error(`${names.NodeResourcesBalancedAllocation} args: ${errs.map((e) => e.message).join(', ')}`);
  }
  const resources = (defaulted['resources'] as ResourceSpec[]).map((r) => ({ name: r.name, weight: r.weight }));
  return new BalancedAllocation(
    resources,
    {
      inPlacePodVerticalScaling: pluginFeature(features, 'InPlacePodVerticalScaling'),
      podLevelResources: pluginFeature(features, 'PodLevelResources'),
      inPlacePodLevelResourcesVerticalScaling: pluginFeature(features, 'InPlacePodLevelResourcesVerticalScaling'),
    },
    atLeast(kubernetesVersion, '1.36') ? balancedResourceScorer : legacyBalancedResourceScorer,
  );
}
