/**
 * DynamicResources, after pkg/scheduler/framework/plugins/dynamicresources/dynamicresources.go.
 *
 * What is modelled (spec §5.9): for a pod without `spec.resourceClaims` PreFilter writes an empty
 * state and returns Skip, so Filter never runs, and Score returns 0 — the plugin appears in the
 * score list as 0 × weight, as upstream's does for ordinary pods.
 *
 * What is not: allocating devices for ResourceClaims (DeviceClasses, ResourceSlices, CEL
 * selectors). A pod that uses claims gets an Error status naming the field, so a prediction
 * says it cannot answer instead of pretending the claim is satisfiable.
 */
import type { Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import type {
  FilterPlugin,
  NodeInfo,
  PluginFactoryArgs,
  PostFilterPlugin,
  PostFilterResult,
  PreFilterPlugin,
  ScorePlugin,
} from '../../framework/interface';
import { Status } from '../../framework/status';
import { atLeast } from '../../framework/version';
import { names } from '../names';

const STATE_KEY = `PreFilter${names.DynamicResources}`;

/** The message for pods whose claims the model cannot allocate. */
export const ERR_CLAIMS_NOT_MODELLED =
  'spec.resourceClaims: dynamic resource allocation (ResourceClaims) is not modelled; the prediction cannot tell which nodes can satisfy the claims';

interface PreFilterState {
  claims: number;
}

function claimCount(pod: Pod): number {
  const claims = (pod.spec as { resourceClaims?: unknown } | undefined)?.resourceClaims;
  return Array.isArray(claims) ? claims.length : 0;
}

/** Upstream's PostFilter answer for a pod without claims (its fast path) before v1.37; v1.37 only logs it. */
export const NO_CLAIMS_TO_DEALLOCATE = 'no new claims to deallocate';

/** Schedules pods with ResourceClaims; a no-op (Skip, score 0) for pods without. */
class DynamicResources implements PreFilterPlugin, FilterPlugin, PostFilterPlugin, ScorePlugin {
  readonly name = names.DynamicResources;

  /** Whether the no-claims PostFilter answer carries its reason (before v1.37). */
  constructor(private readonly reasonWithoutClaims = false) {}

  preFilter(state: CycleState, pod: Pod): { status: Status | null } {
    const claims = claimCount(pod);
    state.write(STATE_KEY, { claims } satisfies PreFilterState);
    if (claims === 0) return { status: Status.skip() };
    return { status: Status.error(ERR_CLAIMS_NOT_MODELLED) };
  }

  filter(): Status | null {
    // Only reached for pods with claims, whose PreFilter already failed the cycle.
    return Status.error(ERR_CLAIMS_NOT_MODELLED);
  }

  /**
   * Upstream deallocates claims of other pods to make room; for a pod without claims it answers
   * Unschedulable: before v1.37 with the reason "no new claims to deallocate", which kube-scheduler
   * folds into its message, from v1.37 without a reason (the real v1.37.2 scheduler's events agree).
   */
  postFilter(state: CycleState): { result?: PostFilterResult; status: Status | null } {
    const s = state.read<PreFilterState>(STATE_KEY);
    // Its PreFilter never ran (an earlier PreFilter rejected the pod): upstream's getStateData fails
    // with framework.ErrNotFound, and that error text ends kube-scheduler's FitError.
    if (!s) return { status: Status.error('not found') };
    if (s.claims === 0)
      return {
        status: this.reasonWithoutClaims ? Status.unschedulable(NO_CLAIMS_TO_DEALLOCATE) : Status.unschedulable(),
      };
    return { status: Status.error(ERR_CLAIMS_NOT_MODELLED) };
  }

  score(_state: CycleState, _pod: Pod, _nodeInfo: NodeInfo): { score: number; status: Status | null } {
    return { score: 0, status: null };
  }

  /** Batch `score`: 0 for every node. */
  scoreNodes(_state: CycleState, _pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): Status | null {
    out.fill(0, 0, nodes.length);
    return null;
  }
}

/** Factory. */
export function create(a: PluginFactoryArgs): DynamicResources {
  return new DynamicResources(!atLeast(a.kubernetesVersion, '1.37'));
}
