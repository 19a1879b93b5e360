/**
 * NodeDeclaredFeatures, after pkg/scheduler/framework/plugins/nodedeclaredfeatures/nodedeclaredfeatures.go
 * and the feature registry of staging/src/k8s.io/component-helpers/nodedeclaredfeatures.
 *
 * PreFilter infers the features a pod needs from its spec (`InferForPodScheduling`); no
 * requirement (the common case) is Skip. Filter rejects a node whose
 * `status.declaredFeatures` is not a superset, UnschedulableAndUnresolvable with upstream's reason.
 *
 * Modelled features (those whose `InferForScheduling` can return true; the in-place resize
 * features infer only for updates and never matter for a new pod):
 * - RestartAllContainersOnContainerExits (restartallcontainers/restart_all_containers.go):
 *   a container or init container with a restartPolicyRules action RestartAllContainers.
 * - UserNamespacesHostNetworkSupport (usernamespaceshostnetwork/user_namespaces_host_network.go):
 *   hostNetwork with hostUsers: false.
 */
import type { Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import type { FilterPlugin, NodeInfo, PluginFactoryArgs, PreFilterPlugin } from '../../framework/interface';
import { Status } from '../../framework/status';
import { names } from '../names';

/** `errReasonUnsatisfiedRequirements`. */
export const ERR_REASON_UNSATISFIED_REQUIREMENTS = "node(s) didn't match Pod's required features";

const STATE_KEY = `PreFilter${names.NodeDeclaredFeatures}`;

interface ContainerWithRules {
  restartPolicyRules?: { action?: string }[];
}

interface DeclaredFeature {
  name: string;
  inferForScheduling(pod: Pod): boolean;
}

function usesRestartAllContainers(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  return list.some(
    (c: ContainerWithRules) =>
      Array.isArray(c?.restartPolicyRules) && c.restartPolicyRules.some((r) => r?.action === 'RestartAllContainers'),
  );
}

/** The registry, sorted by name as upstream's `New` sorts it. */
const DECLARED_FEATURES: readonly DeclaredFeature[] = [
  {
    name: 'RestartAllContainersOnContainerExits',
    inferForScheduling: (pod) =>
      usesRestartAllContainers(pod.spec?.containers) || usesRestartAllContainers(pod.spec?.initContainers),
  },
  {
    name: 'UserNamespacesHostNetworkSupport',
    inferForScheduling: (pod) =>
      pod.spec?.hostNetwork === true && (pod.spec as { hostUsers?: boolean }).hostUsers === false,
  },
];

/** The features `pod` requires, by name (`InferForPodScheduling`). */
export function inferForPodScheduling(pod: Pod): string[] {
  return DECLARED_FEATURES.filter((f) => f.inferForScheduling(pod)).map((f) => f.name);
}

/** Filters out nodes that do not declare every feature the pod needs. */
class NodeDeclaredFeatures implements PreFilterPlugin, FilterPlugin {
  readonly name = names.NodeDeclaredFeatures;

  constructor(private readonly enabled: boolean) {}

  preFilter(state: CycleState, pod: Pod): { status: Status | null } {
    if (!this.enabled) return { status: Status.skip() };
    const reqs = inferForPodScheduling(pod);
    if (reqs.length === 0) return { status: Status.skip() };
    state.write(STATE_KEY, reqs);
    return { status: null };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    if (!this.enabled) return null;
    const reqs = state.read<string[]>(STATE_KEY);
    if (!reqs) return Status.error(`error reading "${STATE_KEY}" from cycle-state`);
    const declared = (nodeInfo.node.status as { declaredFeatures?: unknown } | undefined)?.declaredFeatures;
    const have = new Set(Array.isArray(declared) ? declared.filter((x): x is string => typeof x === 'string') : []);
    return reqs.every((r) => have.has(r)) ? null : Status.unresolvable(ERR_REASON_UNSATISFIED_REQUIREMENTS);
  }
}

/** Factory: the plugin does nothing unless the NodeDeclaredFeatures gate is on. */
export function create(a: PluginFactoryArgs): NodeDeclaredFeatures {
  return new NodeDeclaredFeatures(a.features['NodeDeclaredFeatures'] === true);
}
