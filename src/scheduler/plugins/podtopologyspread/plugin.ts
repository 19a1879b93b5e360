/**
 * The PodTopologySpread plugin, after pkg/scheduler/framework/plugins/podtopologyspread/plugin.go.
 *
 * Extension points: PreFilter (+AddPod/RemovePod), Filter, PreScore, Score, NormalizeScore.
 * Args (`PodTopologySpreadArgs`, v1): `defaultingType` `System` (default: hostname maxSkew 3 and
 * zone maxSkew 5, ScheduleAnyway) or `List` (use `defaultConstraints`).
 */
import type { Pod, TopologySpreadConstraint as V1Constraint } from '../../../kube-api/types';
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
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE, MatchCountCache, spreadFeatures, type SpreadConfig } from './common';
import { names } from '../names';
import { DomainSumsCache } from './domain-sums';
import * as filtering from './filtering';
import * as scoring from './scoring';

export { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filtering';

/** The plugin name (`names.PodTopologySpread`). */
const NAME = names.PodTopologySpread;

/** `systemDefaultConstraints`. */
const SYSTEM_DEFAULT_CONSTRAINTS: readonly V1Constraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

/** Plugin args after v1 defaulting. */
export interface PodTopologySpreadArgs {
  defaultingType: 'System' | 'List';
  defaultConstraints: V1Constraint[];
}

/**
 * Parses and validates the args (`getArgs` + `ValidatePodTopologySpreadArgs`, the parts that change
 * behaviour). Returns an error naming the field for unusable args.
 */
function parseArgs(raw: Record<string, unknown> | undefined): PodTopologySpreadArgs | { error: string } {
  const a = raw ?? {};
  const dt = a['defaultingType'];
  const defaultingType = dt === undefined || dt === '' ? 'System' : dt;
  if (defaultingType !== 'System' && defaultingType !== 'List') {
    return { error: `defaultingType: Unsupported value: ${JSON.stringify(dt)}: supported values: "List", "System"` };
  }
  const dc = a['defaultConstraints'] ?? [];
  if (!Array.isArray(dc)) return { error: 'defaultConstraints: must be a list' };
  if (defaultingType === 'System' && dc.length > 0) {
    return {
      error: 'defaultConstraints: Invalid value: when .defaultingType is "System", .defaultConstraints must be empty',
    };
  }
  for (let i = 0; i < dc.length; i++) {
    const c = dc[i] as Partial<V1Constraint> | null;
    if (c == null || typeof c !== 'object') return { error: `defaultConstraints[${i}]: must be an object` };
    if (c.labelSelector != null) {
      return {
        error: `defaultConstraints[${i}].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`,
      };
    }
  }
  return { defaultingType, defaultConstraints: dc as V1Constraint[] };
}

/** PodTopologySpread: spreads matching pods across topology domains. */
class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, PreFilterExtensions {
  readonly name = NAME;
  private readonly cfg: SpreadConfig;

  constructor(handle: Handle, args: PodTopologySpreadArgs, features: PluginFactoryArgs['features'] = {}) {
    const systemDefaulted = args.defaultingType === 'System';
    this.cfg = {
      handle,
      defaultConstraints: systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints,
      systemDefaulted,
      ...spreadFeatures(features),
      matchCounts: new MatchCountCache(),
      domainSums: new DomainSumsCache(),
    };
  }

  preFilter(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    return { status: filtering.preFilter(this.cfg, state, pod, nodes) };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null {
    return filtering.addPod(this.cfg, state, podToSchedule, podInfoToAdd, nodeInfo);
  }

  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null {
    return filtering.removePod(this.cfg, state, podToSchedule, podInfoToRemove, nodeInfo);
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    return filtering.filter(state, pod, nodeInfo);
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
    return scoring.preScore(this.cfg, state, pod, nodes);
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    return scoring.score(state, pod, nodeInfo);
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status | null {
    return scoring.normalizeScore(state, scores);
  }
}

/** The plugin factory (`New`). Throws an Error naming the field when the args are invalid. */
export function create({ args, handle, features }: PluginFactoryArgs): PodTopologySpread {
  const parsed = parseArgs(args);
  if ('error' in parsed) throw new Error(`PodTopologySpread args: ${parsed.error}`);
  return new PodTopologySpread(handle, parsed, features);
}
