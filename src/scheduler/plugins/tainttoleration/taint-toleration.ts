/**
 * TaintToleration, after pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go.
 *
 * - Filter: the first NoSchedule/NoExecute taint (node order) the pod does not tolerate rejects
 *   the node (UnschedulableAndUnresolvable, `node(s) had untolerated taint(s)`). A comparison
 *   toleration (`Lt`/`Gt`) whose values do not parse does not tolerate; after v1.37 (master at the
 *   corpus's ref) the parse error text becomes the reason, up to v1.37 it is only logged.
 * - PreScore keeps the tolerations with effect "" or PreferNoSchedule; never skips.
 * - Score: the number of PreferNoSchedule taints those tolerations do not tolerate.
 * - NormalizeScore: `DefaultNormalizeScore(100, reverse)`.
 */
import type { Pod, Taint, Toleration } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import {
  MAX_NODE_SCORE,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PluginFactoryArgs,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/interface';
import { Status } from '../../framework/status';
import { defaultNormalizeScore } from '../helper/normalize-score';
import {
  doNotScheduleTaint,
  findMatchingUntoleratedTaint,
  tolerationsTolerateTaint,
} from '../../../kube-api/tolerations';
import { atLeast } from '../../framework/version';
import { names } from '../names';

/** `ErrReasonNotMatch`. */
const ERR_REASON_NOT_MATCH = 'node(s) had untolerated taint(s)';

const PRE_SCORE_STATE_KEY = `PreScore${names.TaintToleration}`;

/** A shared result for the common zero count (callers only read results). */
const ZERO: { score: number; status: Status | null } = Object.freeze({ score: 0, status: null });

interface PreScoreState {
  tolerationsPreferNoSchedule: Toleration[];
}

/** Taints and tolerations: hard for NoSchedule/NoExecute, soft for PreferNoSchedule. */
class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = names.TaintToleration;

  constructor(
    private readonly enableComparisonOperators: boolean,
    /** Whether a comparison parse error is the Filter reason (after v1.37). */
    private readonly reportComparisonErrors = false,
  ) {}

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const bad = badInput(pod, nodeInfo);
    if (bad !== null) return bad;
    const u = findMatchingUntoleratedTaint(
      nodeInfo.node.spec?.taints,
      pod.spec?.tolerations,
      doNotScheduleTaint,
      this.enableComparisonOperators,
    );
    if (u === undefined) return null;
    if (u.error !== undefined && this.reportComparisonErrors) return Status.unresolvable(u.error);
    return Status.unresolvable(ERR_REASON_NOT_MATCH);
  }

  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[]): Status | null {
    const t = pod.spec?.tolerations;
    if (t != null && !Array.isArray(t)) return Status.error('spec.tolerations: Invalid value: must be a list');
    const tolerations = Array.isArray(pod.spec?.tolerations) ? pod.spec!.tolerations! : [];
    const kept = tolerations.filter((t) => t != null && ((t.effect ?? '') === '' || t.effect === 'PreferNoSchedule'));
    state.write(PRE_SCORE_STATE_KEY, { tolerationsPreferNoSchedule: kept } satisfies PreScoreState);
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    const taints = nodeInfo.node.spec?.taints;
    // Most nodes have no taints: 0 without touching the cycle state.
    if (!Array.isArray(taints) || taints.length === 0) return ZERO;
    return { score: this.count(taints, this.preScoreState(state, pod)), status: null };
  }

  /** Batch `score`: the same counts, without a per-node call and result object. */
  scoreNodes(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): Status | null {
    let s: PreScoreState | undefined;
    for (let i = 0; i < nodes.length; i++) {
      const taints = nodes[i]!.node.spec?.taints;
      if (!Array.isArray(taints) || taints.length === 0) {
        out[i] = 0;
        continue;
      }
      s ??= this.preScoreState(state, pod);
      out[i] = this.count(taints, s);
    }
    return null;
  }

  private preScoreState(state: CycleState, pod: Pod): PreScoreState {
    let s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s === undefined) {
      // Upstream errors when PreScore did not run; computing it here gives the same numbers.
      this.preScore(state, pod, []);
      s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY) ?? { tolerationsPreferNoSchedule: [] };
    }
    return s;
  }

  /** `countIntolerableTaintsPreferNoSchedule`. */
  private count(taints: readonly Taint[], s: PreScoreState): number {
    let count = 0;
    for (const taint of taints) {
      if (taint == null || taint.effect !== 'PreferNoSchedule') continue;
      if (!tolerationsTolerateTaint(s.tolerationsPreferNoSchedule, taint, this.enableComparisonOperators).tolerated) {
        count++;
      }
    }
    return count;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status | null {
    return defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }
}

/** Type errors in the fields this plugin reads, as an Error status naming the field. */
function badInput(pod: Pod, nodeInfo: NodeInfo): Status | null {
  const t = pod.spec?.tolerations;
  if (t != null && !Array.isArray(t)) return Status.error('spec.tolerations: Invalid value: must be a list');
  const taints = nodeInfo.node.spec?.taints;
  if (taints != null && !Array.isArray(taints))
    return Status.error(`node ${nodeInfo.name}: spec.taints: Invalid value: must be a list`);
  return null;
}

/** Factory. */
export function create(a: PluginFactoryArgs): TaintToleration {
  return new TaintToleration(
    a.features['TaintTolerationComparisonOperators'] === true,
    atLeast(a.kubernetesVersion, '1.38'),
  );
}
