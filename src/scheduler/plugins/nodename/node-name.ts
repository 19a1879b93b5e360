/**
 * NodeName, after pkg/scheduler/framework/plugins/nodename/node_name.go.
 *
 * Filter: a pod with `spec.nodeName` set fits only the node of that name
 * (UnschedulableAndUnresolvable otherwise).
 */
import type { Pod } from '../../api/types';
import type { CycleState } from '../../framework/cycle-state';
import type { FilterPlugin, NodeInfo, PluginFactoryArgs } from '../../framework/interface';
import { Status } from '../../framework/status';
import { names } from '../names';

/** `ErrReason`. */
export const ERR_REASON = "node(s) didn't match the requested node name";

/** Enforces `spec.nodeName`. */
export class NodeName implements FilterPlugin {
  readonly name = names.NodeName;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const want = pod.spec?.nodeName;
    if (want === undefined || want === null || want === '' || want === nodeInfo.name) return null;
    return Status.unresolvable(ERR_REASON);
  }
}

/** Factory. */
export function create(_a: PluginFactoryArgs): NodeName {
  return new NodeName();
}
