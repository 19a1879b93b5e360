/**
 * NodeUnschedulable, after pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go.
 *
 * Filter: a node with `spec.unschedulable` rejects pods that do not tolerate the taint
 * `node.kubernetes.io/unschedulable:NoSchedule` (UnschedulableAndUnresolvable).
 */
import type { Pod, Taint } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import type { FilterPlugin, NodeInfo, PluginFactoryArgs } from '../../framework/interface';
import { Status } from '../../framework/status';
import { tolerationsTolerateTaint } from '../../../kube-api/tolerations';
import { names } from '../names';

/** `ErrReasonUnschedulable`. */
const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' };

/** Rejects unschedulable (cordoned) nodes unless the pod tolerates the unschedulable taint. */
class NodeUnschedulable implements FilterPlugin {
  readonly name = names.NodeUnschedulable;

  constructor(private readonly enableComparisonOperators: boolean) {}

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if (nodeInfo.node.spec?.unschedulable !== true) return null;
    const r = tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT, this.enableComparisonOperators);
    return r.tolerated ? null : Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }
}

/** Factory. */
export function create(a: PluginFactoryArgs): NodeUnschedulable {
  return new NodeUnschedulable(a.features['TaintTolerationComparisonOperators'] === true);
}
