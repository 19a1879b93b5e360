/**
 * What a placement policy is: the contract between the scheduler loop (`scheduler-loop.ts`, which owns
 * queueing, binding and events) and a policy that only answers "which node, or why none", the
 * read-only cluster view it decides on, and the simulator's node-usage arithmetic (a pod's aggregate
 * request, a node's allocatable) that the controller manager keeps per node. The policies are
 * `ModelPlacementPolicy` (model-policy.ts, the default) and `ResourceFitPolicy` (resource-fit-policy.ts).
 */
import { milliValueOrZero, valueOrZero } from '../../kube-api/quantity';
import type { Store } from '../store/store';
import type { KubeObject } from '../store/types';

/** The outcome of placing one pod: a node, or a message saying why nothing fits. */
export interface PlacementResult {
  nodeName?: string;
  message?: string;
  /** When nothing fits but preemption would help: the node to nominate ... */
  nominatedNodeName?: string;
  /** ... and the lower-priority pods to evict from it. */
  victims?: { namespace: string; name: string }[];
}

/** Per-node totals of the requests of the pods assigned (bound or assumed) to it. */
export interface NodeUsage {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  scalars: Map<string, number>;
}

/** The read-only cluster view a policy decides on. */
export interface ClusterState {
  /** All nodes, in a stable order (creation order). */
  nodes(): readonly KubeObject[];
  /** One node by name. */
  node(name: string): KubeObject | undefined;
  /** Non-terminal pods assigned (or assumed) to the node. */
  podsOnNode(name: string): readonly KubeObject[];
  /** Summed requests on the node (non-terminal pods). */
  usage(name: string): NodeUsage;
}

/** Chooses a node for a pod. Implementations must be deterministic and must not write anything. */
export interface PlacementPolicy {
  place(pod: KubeObject, state: ClusterState): PlacementResult;
  /** Optional: called by the controller manager on start, for policies that keep their own cluster view. */
  attach?(store: Store): void;
  /** Optional: called on stop. */
  detach?(): void;
}

/** Aggregate scheduling request of a pod (§3.4: containers summed, max with each init container, plus overhead). */
export function podRequest(pod: KubeObject): NodeUsage {
  const spec = pod['spec'] ?? {};
  const sum = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number): void => {
    m.set(k, (m.get(k) ?? 0) + v);
  };
  const amount = (k: string, q: unknown): number => (k === 'cpu' ? milliValueOrZero(q) : valueOrZero(q));
  for (const c of spec.containers ?? [])
    for (const [k, q] of Object.entries(c?.resources?.requests ?? {})) add(sum, k, amount(k, q));
  let sidecars = new Map<string, number>();
  for (const c of spec.initContainers ?? []) {
    const r = new Map<string, number>();
    for (const [k, q] of Object.entries(c?.resources?.requests ?? {})) r.set(k, amount(k, q));
    if (c?.restartPolicy === 'Always') {
      for (const [k, v] of r) add(sum, k, v);
      const next = new Map(sidecars);
      for (const [k, v] of r) add(next, k, v);
      sidecars = next;
    } else {
      for (const [k, v] of sidecars) add(r, k, v);
      for (const [k, v] of r) if (v > (sum.get(k) ?? 0)) sum.set(k, v);
    }
  }
  for (const [k, q] of Object.entries(spec.overhead ?? {})) add(sum, k, amount(k, q));
  const scalars = new Map<string, number>();
  for (const [k, v] of sum) if (!['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(k)) scalars.set(k, v);
  return {
    milliCpu: sum.get('cpu') ?? 0,
    memory: sum.get('memory') ?? 0,
    ephemeralStorage: sum.get('ephemeral-storage') ?? 0,
    pods: 1,
    scalars,
  };
}

/** Allocatable resources of a node in the same units as `podRequest`. */
export function nodeAllocatable(node: KubeObject): NodeUsage {
  const a: Record<string, unknown> = node['status']?.allocatable ?? {};
  const scalars = new Map<string, number>();
  for (const [k, q] of Object.entries(a)) {
    if (k.includes('/') || k.startsWith('hugepages-')) scalars.set(k, valueOrZero(q));
  }
  return {
    milliCpu: milliValueOrZero(a['cpu']),
    memory: valueOrZero(a['memory']),
    ephemeralStorage: valueOrZero(a['ephemeral-storage']),
    pods: valueOrZero(a['pods']),
    scalars,
  };
}
