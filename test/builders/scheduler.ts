/** Scheduler framework fixtures: a NodeInfo holding pods, a handle over objects, a cycle state. */
import type { KubeObject, Node, Pod } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import type { Handle } from '@src/scheduler/framework/interface';
import { NodeInfoImpl, newPodInfo } from '@src/scheduler/framework/node-info';

/** A NodeInfo for `node` holding `pods` (each bound to it). */
export function nodeInfo(node: Node, ...pods: Pod[]): NodeInfoImpl {
  const ni = new NodeInfoImpl(node);
  for (const p of pods) ni.addPod(newPodInfo({ ...p, spec: { ...p.spec, nodeName: node.metadata?.name ?? '' } }));
  return ni;
}

/** A handle that only answers `objects(kind)` from `objs`. */
export function handleWith(objs: KubeObject[] = []): Handle {
  return { objects: (kind: string) => objs.filter((o) => o.kind === kind) } as unknown as Handle;
}

/** A fresh cycle state. */
export function cycleState(): CycleState {
  return new CycleState();
}
