/**
 * Where the demo generator puts a pod, before any controller or scheduler runs: a planned node is
 * eligible when the pod tolerates its NoSchedule/NoExecute taints and matches its nodeSelector, and a
 * workload's pods go round-robin over the eligible nodes that still fit their requests (cpu, memory,
 * GPUs, pod count). Mutates the planned nodes' usage as pods are assigned.
 */
import { milliValueOrZero, valueOrZero } from '../../kube-api/quantity';
import { tolerationsTolerateTaint } from '../../kube-api/tolerations';
import type { PodSpec } from '../../kube-api/types';
import type { ExpandContext, Need } from './expansion';
import type { PlannedNode } from './nodes';

/** Whether a planned node passes a pod's nodeSelector and NoSchedule/NoExecute taints. */
export function eligible(
  node: PlannedNode,
  spec: PodSpec,
  nodeLabels: (n: PlannedNode) => Record<string, string>,
): boolean {
  for (const taint of node.taints) {
    if (taint.effect !== 'PreferNoSchedule' && !tolerationsTolerateTaint(spec.tolerations, taint, false).tolerated)
      return false;
  }
  if (spec.nodeSelector) {
    const labels = nodeLabels(node);
    for (const k of Object.keys(spec.nodeSelector)) if (labels[k] !== spec.nodeSelector[k]) return false;
  }
  return true;
}

/** The labels placement can see on a planned node (the subset nodeSelectors in the demo use). */
export function plannedNodeLabels(n: PlannedNode): Record<string, string> {
  return {
    pool: n.pool === 'control-plane' ? 'system' : n.pool,
    'kubernetes.io/hostname': n.name,
    'topology.kubernetes.io/zone': n.zone,
  };
}

/** The requests of a pod spec's containers (0 for what does not parse). */
export function needOf(spec: PodSpec): Need {
  let cpu = 0;
  let mem = 0;
  let gpu = 0;
  for (const c of spec.containers ?? []) {
    const r = c.resources?.requests ?? {};
    cpu += milliValueOrZero(r['cpu']);
    mem += valueOrZero(r['memory']);
    gpu += valueOrZero(r['nvidia.com/gpu']);
  }
  return { cpu, mem, gpu };
}

/** Whether `need` still fits on the node (pods, cpu, memory, GPUs). */
export function fits(n: PlannedNode, need: Need): boolean {
  return (
    n.usedPods < n.allocPods &&
    n.usedMilliCpu + need.cpu <= n.allocMilliCpu &&
    n.usedMemory + need.mem <= n.allocMemory &&
    n.usedGpu + need.gpu <= n.allocGpu
  );
}

/** Books `need` (and the image) on the node. */
export function assign(n: PlannedNode, need: Need, image: string): void {
  n.usedPods++;
  n.usedMilliCpu += need.cpu;
  n.usedMemory += need.mem;
  n.usedGpu += need.gpu;
  n.images.add(image);
}

/** Picks a node round-robin among eligible nodes that fit; undefined when nothing fits. */
export function pickNode(
  ctx: ExpandContext,
  group: string,
  candidates: PlannedNode[],
  need: Need,
): PlannedNode | undefined {
  if (candidates.length === 0) return undefined;
  const start = ctx.cursors.get(group) ?? 0;
  for (let i = 0; i < candidates.length; i++) {
    const n = candidates[(start + i) % candidates.length]!;
    if (fits(n, need)) {
      ctx.cursors.set(group, (start + i + 1) % candidates.length);
      return n;
    }
  }
  return undefined;
}
