/**
 * NodeName, after pkg/scheduler/framework/plugins/nodename/node_name.go.
 *
 * - PreFilter (v1.37+): a pod with `spec.nodeName` narrows the cycle to that node
 *   (`PreFilterResult{NodeNames: {nodeName}}`), so every other node gets the framework's
 *   `node(s) didn't satisfy plugin(s) [NodeName]` and is no preemption target.
 * - Filter: a pod with `spec.nodeName` set fits only the node of that name
 *   (UnschedulableAndUnresolvable otherwise).
 */
import type { Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import type {
  FilterPlugin,
  NodeInfo,
  PluginFactoryArgs,
  PreFilterPlugin,
  PreFilterResult,
} from '../../framework/interface';
import { Status } from '../../framework/status';
import { atLeast } from '../../framework/version';
import { names } from '../names';

/** `ErrReason`. */
const ERR_REASON = "node(s) didn't match the requested node name";

function wanted(pod: Pod): string | undefined {
  const want = pod.spec?.nodeName;
  return typeof want === 'string' && want !== '' ? want : undefined;
}

/** Enforces `spec.nodeName`. */
class NodeName implements FilterPlugin {
  readonly name = names.NodeName;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const want = wanted(pod);
    if (want === undefined || want === nodeInfo.name) return null;
    return Status.unresolvable(ERR_REASON);
  }
}

/** NodeName of v1.37 and later: the same Filter, plus the PreFilter that narrows to the named node. */
class NodeNameWithPreFilter extends NodeName implements PreFilterPlugin {
  preFilter(
    _state: CycleState,
    pod: Pod,
    _nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const want = wanted(pod);
    return want === undefined ? { status: null } : { result: { nodeNames: new Set([want]) }, status: null };
  }
}

/** Factory. */
export function create(a: PluginFactoryArgs): NodeName {
  return atLeast(a.kubernetesVersion, '1.37') ? new NodeNameWithPreFilter() : new NodeName();
}
