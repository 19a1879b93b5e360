/**
 * DefaultPreemption (PostFilter), after
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go.
 *
 * Contract: `postFilter` runs the evaluator of ./preemption.ts over the snapshot and prefixes any
 * message with `preemption: `, as upstream does. The plugin needs the framework it runs in (to
 * run filters and PreFilter extensions); the runtime provides it with `bindFramework` after
 * building the framework. Unbound, it reports an Error status instead of guessing.
 * PodDisruptionBudgets are not modelled (no victim is PDB-violating).
 */
import type { Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import type { Handle, PluginFactoryArgs, PostFilterPlugin, PostFilterResult } from '../../framework/interface';
import { atLeast } from '../../framework/version';
import { Status } from '../../framework/status';
import {
  PREEMPTION_NOT_HELPFUL as PREEMPTION_NOT_HELPFUL_ABSENT,
  preempt,
  type MutableNodeInfo,
  type PreemptionArgs,
  type PreemptionFramework,
  type PreemptionOutcome,
} from './preemption';

/** The plugin name. */
const NAME = 'DefaultPreemption';

/** The DefaultPreemption plugin. */
export class DefaultPreemption implements PostFilterPlugin {
  readonly name = NAME;
  private framework: PreemptionFramework | undefined;
  /** The last evaluation, for callers that report victims (predict). */
  lastOutcome: PreemptionOutcome | undefined;
  /** The clock for pods without `status.startTime` (upstream uses time.Now()). */
  now: () => number = () => Date.now();

  constructor(
    private readonly handle: Handle,
    private readonly args: PreemptionArgs,
    /** Whether a nomination comes with "found a potential placement ..." (v1.37 and later). */
    private readonly reportPlacement = true,
  ) {}

  /** Gives the plugin the framework whose filters it must run. */
  bindFramework(fw: PreemptionFramework): void {
    this.framework = fw;
  }

  postFilter(
    state: CycleState,
    pod: Pod,
    statuses: ReadonlyMap<string, Status>,
  ): { result?: PostFilterResult; status: Status | null } {
    this.lastOutcome = undefined;
    if (!this.framework) return { status: Status.error('DefaultPreemption: framework not bound') };
    const nodes = this.handle.nodeInfos() as readonly MutableNodeInfo[];
    // After a failed search every candidate node has an explicit status, so a node absent from
    // the map was excluded at PreFilter (rejection or PreFilterResult): UU, as upstream records it.
    const absent = state.read<Status>(ABSENT_STATUS_KEY) ?? Status.unresolvable(PREEMPTION_NOT_HELPFUL_ABSENT);
    const out = preempt(
      this.framework,
      state,
      pod,
      nodes,
      statuses,
      this.args,
      this.now(),
      absent,
      this.handle.objects('PodDisruptionBudget'),
    );
    this.lastOutcome = out;
    if (out.status.isSuccess()) {
      // v1.37's Evaluator.Preempt says where it found room; kube-scheduler folds it into the FitError.
      const found = `preemption: found a potential placement for pod on node ${out.nominatedNodeName!}, preempting ${out.victims.length} victims`;
      return {
        result: { nominatedNodeName: out.nominatedNodeName! },
        status: this.reportPlacement ? new Status('Success', [found]) : Status.success(),
      };
    }
    const msg = out.status.message();
    const s = msg.length > 0 ? new Status(out.status.code, [`preemption: ${msg}`]) : out.status;
    return { result: { nominatedNodeName: '' }, status: s };
  }
}

/**
 * CycleState key under which the runtime may store the status of nodes absent from the filter
 * statuses (upstream's `NodeToStatus.AbsentNodesStatus`), e.g. UU for nodes a PreFilter result excluded.
 */
export const ABSENT_STATUS_KEY = 'DefaultPreemption/absentNodesStatus';

/** The plugin factory; args are the defaulted DefaultPreemptionArgs. */
export function create(a: PluginFactoryArgs): DefaultPreemption {
  const pct = a.args?.['minCandidateNodesPercentage'];
  const abs = a.args?.['minCandidateNodesAbsolute'];
  return new DefaultPreemption(
    a.handle,
    {
      minCandidateNodesPercentage: typeof pct === 'number' ? pct : 10,
      minCandidateNodesAbsolute: typeof abs === 'number' ? abs : 100,
    },
    atLeast(a.kubernetesVersion, '1.37'),
  );
}
