/**
 * How the simulated scheduler chooses a node. The scheduler loop (`scheduler-loop.ts`) owns queueing,
 * binding and events; a `PlacementPolicy` only answers "which node, or why none".
 *
 * `ResourceFitPolicy` is the built-in fallback: kube-scheduler's default-profile filters that matter
 * most (NodeUnschedulable, TaintToleration, NodeAffinity incl. nodeSelector and matchFields,
 * NodeResourcesFit) with upstream's reason strings and `FitError` message format (scheduler-spec
 * §4.6), then the least-allocated feasible node in node-tree order. The full model (src/scheduler)
 * replaces it through `createPlacementPolicy` once it exports `predict`.
 */
import type { Node, Pod } from '../../kube-api/types';
import type { ProfileOrConfig } from '../../scheduler';
import { getRequiredNodeAffinity } from '../../kube-api/node-affinity';
import { tolerationsTolerateTaint } from '../../kube-api/tolerations';
import type { Store } from '../store/store';
import type { KubeObject } from '../store/types';
import { ModelPlacementPolicy } from './model-policy';
import { milliValueOrZero, valueOrZero } from '../../kube-api/quantity';

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

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** The built-in policy; see the file comment. */
export class ResourceFitPolicy implements PlacementPolicy {
  place(pod: KubeObject, state: ClusterState): PlacementResult {
    const spec = pod['spec'] ?? {};
    const nodes = state.nodes();
    if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return { nodeName: spec.nodeName };
    if (nodes.length === 0) return { message: 'no nodes available to schedule pods' };
    const affinity = getRequiredNodeAffinity(pod as Pod);
    const req = podRequest(pod);
    const reasons = new Map<string, number>();
    let notHelpful = 0;
    const fail = (r: string): void => {
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
    };
    let best: { name: string; score: number } | undefined;
    for (const node of nodes) {
      const ns = node['spec'] ?? {};
      if (
        ns.unschedulable === true &&
        !tolerationsTolerateTaint(spec.tolerations, UNSCHEDULABLE_TAINT, false).tolerated
      ) {
        fail('node(s) were unschedulable');
        notHelpful++;
        continue;
      }
      const taint = (ns.taints ?? []).find(
        (t: { key: string; value?: string; effect: string }) =>
          (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
          !tolerationsTolerateTaint(spec.tolerations, t, false).tolerated,
      );
      if (taint) {
        fail('node(s) had untolerated taint(s)');
        notHelpful++;
        continue;
      }
      if (!affinity.match(node as Node)) {
        fail("node(s) didn't match Pod's node affinity/selector");
        notHelpful++;
        continue;
      }
      const alloc = nodeAllocatable(node);
      const used = state.usage(node.metadata.name!);
      const insufficient: string[] = [];
      let unresolvable = false;
      if (used.pods + 1 > alloc.pods) insufficient.push('Too many pods');
      const check = (name: string, want: number, have: number, inUse: number): void => {
        if (want > 0 && want > have - inUse) {
          insufficient.push(`Insufficient ${name}`);
          if (want > have) unresolvable = true;
        }
      };
      check('cpu', req.milliCpu, alloc.milliCpu, used.milliCpu);
      check('memory', req.memory, alloc.memory, used.memory);
      check('ephemeral-storage', req.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage);
      for (const [k, v] of req.scalars) check(k, v, alloc.scalars.get(k) ?? 0, used.scalars.get(k) ?? 0);
      if (insufficient.length > 0) {
        for (const r of insufficient) fail(r);
        if (unresolvable) notHelpful++;
        continue;
      }
      // LeastAllocated on cpu and memory (equal weights), ties broken by node order.
      const frac = (u: number, a: number): number => (a > 0 ? (a - u) / a : 0);
      const score =
        (frac(used.milliCpu + req.milliCpu, alloc.milliCpu) + frac(used.memory + req.memory, alloc.memory)) / 2;
      if (!best || score > best.score) best = { name: node.metadata.name!, score };
    }
    if (best) return { nodeName: best.name };
    const parts = [...reasons].map(([r, c]) => `${c} ${r}`).sort();
    const n = nodes.length;
    const pre: string[] = [];
    if (notHelpful > 0) pre.push(`${notHelpful} Preemption is not helpful for scheduling`);
    if (n - notHelpful > 0) pre.push(`${n - notHelpful} No preemption victims found for incoming pod`);
    return {
      message: `0/${n} nodes are available: ${parts.join(', ')}. preemption: 0/${n} nodes are available: ${pre.sort().join(', ')}..`,
    };
  }
}

/**
 * Creates the placement policy the simulator uses by default: the scheduler model (kube-scheduler's
 * default profile, or the given KubeSchedulerConfiguration). `ResourceFitPolicy` stays available as a
 * lightweight alternative.
 */
export function createPlacementPolicy(profileOrConfig?: ProfileOrConfig): PlacementPolicy {
  return new ModelPlacementPolicy(profileOrConfig);
}
