/** Small builders for the noderesources plugin tests. */
import type { Container, KubeObject, Node, Pod, ResourceList } from '../../../../../src/scheduler/api/types';
import { CycleState } from '../../../../../src/scheduler/framework/cycle-state';
import type { Handle } from '../../../../../src/scheduler/framework/interface';
import { NodeInfoImpl, newPodInfo } from '../../../../../src/scheduler/framework/node-info';

/** A node named `name` with the given allocatable (pods default to 110). */
export function makeNode(name: string, allocatable: ResourceList): Node {
  return { metadata: { name }, status: { allocatable: { pods: '110', ...allocatable }, capacity: allocatable } };
}

/** A container with these requests (none when undefined). */
export function ctr(requests?: ResourceList, restartPolicy?: string): Container {
  const c: Container = requests ? { resources: { requests } } : {};
  if (restartPolicy) c.restartPolicy = restartPolicy;
  return c;
}

/** A pod with these containers (and optional extra spec fields). */
export function makePod(containers: Container[], extra: Pod['spec'] = {}): Pod {
  return { metadata: { name: 'p', namespace: 'default' }, spec: { containers, ...extra } };
}

/** A NodeInfo for `node` holding `pods`. */
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
export function state(): CycleState {
  return new CycleState();
}
