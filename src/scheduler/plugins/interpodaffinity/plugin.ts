/**
 * The InterPodAffinity plugin, after pkg/scheduler/framework/plugins/interpodaffinity/plugin.go.
 *
 * Extension points: PreFilter (+AddPod/RemovePod), Filter, PreScore, Score, NormalizeScore.
 * Args (`InterPodAffinityArgs`, v1): `hardPodAffinityWeight` (default 1, range [0, 100]) and
 * `ignorePreferredTermsOfExistingPods` (default false).
 */
import type { Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import type {
  FilterPlugin,
  Handle,
  NodeInfo,
  NodeScore,
  PluginFactoryArgs,
  PodInfo,
  PreFilterExtensions,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/interface';
import type { Status } from '../../framework/status';
import { names } from '../names';
import * as filtering from './filtering';
import { PreFilterCountsCache } from './prefilter-memo';
import * as scoring from './scoring';

/** The plugin name (`names.InterPodAffinity`). */
const NAME = names.InterPodAffinity;

/** Plugin args after v1 defaulting. */
export type InterPodAffinityArgs = scoring.ScoringArgs;

/** Parses and validates the args (`ValidateInterPodAffinityArgs`); an error names the field. */
function parseArgs(raw: Record<string, unknown> | undefined): InterPodAffinityArgs | { error: string } {
  const a = raw ?? {};
  const w = a['hardPodAffinityWeight'] ?? 1;
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) {
    return { error: `hardPodAffinityWeight: Invalid value: ${JSON.stringify(w)}: not in valid range [0-100]` };
  }
  const ignore = a['ignorePreferredTermsOfExistingPods'] ?? false;
  if (typeof ignore !== 'boolean') return { error: 'ignorePreferredTermsOfExistingPods: must be a boolean' };
  return { hardPodAffinityWeight: w, ignorePreferredTermsOfExistingPods: ignore };
}

/** InterPodAffinity: required and preferred pod (anti-)affinity, both directions. */
class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, PreFilterExtensions {
  readonly name = NAME;
  /** Per-node PreScore contributions carried across cycles (see scoring.PreScoreCache). */
  private readonly preScoreCache = new scoring.PreScoreCache();
  /** PreFilter's counts carried across cycles (see prefilter-memo.ts). */
  private readonly preFilterCountsCache = new PreFilterCountsCache();

  constructor(
    private readonly handle: Handle,
    private readonly args: InterPodAffinityArgs,
  ) {}

  preFilter(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    return { status: filtering.preFilter(this.handle, state, pod, nodes, this.preFilterCountsCache) };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, _podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null {
    return filtering.updateWithPod(state, podInfoToAdd, nodeInfo, 1);
  }

  removePod(state: CycleState, _podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null {
    return filtering.updateWithPod(state, podInfoToRemove, nodeInfo, -1);
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    return filtering.filter(state, nodeInfo);
  }

  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[]): Status | null {
    return scoring.preScore(this.handle, this.args, state, pod, this.preScoreCache);
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    return scoring.score(state, nodeInfo);
  }

  scoreNodes(state: CycleState, _pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): Status | null {
    return scoring.scoreNodes(state, nodes, out);
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status | null {
    return scoring.normalizeScore(state, scores);
  }
}

/** The plugin factory (`New`). Throws an Error naming the field when the args are invalid. */
export function create({ args, handle }: PluginFactoryArgs): InterPodAffinity {
  const parsed = parseArgs(args);
  if ('error' in parsed) throw new Error(`InterPodAffinity args: ${parsed.error}`);
  return new InterPodAffinity(handle, parsed);
}
