/**
 * NodePorts, after pkg/scheduler/framework/plugins/nodeports/node_ports.go.
 *
 * - PreFilter: Skip when the pod wants no host ports; otherwise stores them.
 * - Filter: Unschedulable when any wanted (hostIP, protocol, hostPort) conflicts with the node's
 *   used host ports (0.0.0.0 conflicts with every IP).
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
import { getHostPorts, hostPortConflict, type HostPort } from '../../framework/node-info';
import { Status } from '../../framework/status';
import { names } from '../names';

/** `ErrReason`. */
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

const PRE_FILTER_STATE_KEY = `PreFilter${names.NodePorts}`;

/** Host-port conflicts. */
class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = names.NodePorts;

  preFilter(
    state: CycleState,
    pod: Pod,
    _nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const bad = badHostPort(pod);
    if (bad !== undefined) return { status: Status.error(bad) };
    const ports = getHostPorts(pod);
    if (ports.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_STATE_KEY, ports);
    return { status: null };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const ports = state.read<HostPort[]>(PRE_FILTER_STATE_KEY) ?? getHostPorts(pod);
    for (const p of ports) {
      if (hostPortConflict(nodeInfo.usedPorts, p.hostIP, p.protocol, p.hostPort))
        return Status.unschedulable(ERR_REASON);
    }
    return null;
  }
}

/** The first container port whose hostPort is present but not an integer, as a field error. */
function badHostPort(pod: Pod): string | undefined {
  for (const field of ['initContainers', 'containers'] as const) {
    const cs = pod.spec?.[field];
    if (!Array.isArray(cs)) continue;
    for (let i = 0; i < cs.length; i++) {
      const ports = cs[i]?.ports;
      if (ports == null) continue;
      if (!Array.isArray(ports)) return `spec.${field}[${i}].ports: Invalid value: must be a list`;
      for (let j = 0; j < ports.length; j++) {
        const hp: unknown = ports[j]?.hostPort;
        if (hp != null && !Number.isInteger(hp))
          return `spec.${field}[${i}].ports[${j}].hostPort: Invalid value: must be an integer`;
      }
    }
  }
  return undefined;
}

/** Factory. */
export function create(_a: PluginFactoryArgs): NodePorts {
  return new NodePorts();
}
