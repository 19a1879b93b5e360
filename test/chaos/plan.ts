/**
 * The seeded plan of a chaos campaign: which cluster changes run before and during each fault, which
 * fault, with which parameters, and for how long it is held.
 *
 * Contract: `planCampaign(seed, cluster, rounds)` is a pure function of its arguments (it draws only
 * from a `Rng` seeded with `seed` and keeps its own model of what it created), so the same seed gives
 * the same sequence of actions and faults on every run, whatever the cluster answers. Every round
 * holds each fault type of the cluster exactly once, in a shuffled order. Actions only name objects
 * the plan created (or the three nodes both test clusters start with), so each is valid when it runs.
 */
import { Rng } from '../../src/simulator/util/rng';
import type { ClusterKind } from '../clusters/test-cluster';

/** Every fault the campaign injects. `apiserver-restart` exists only on the real control plane. */
export const FAULT_TYPES = [
  'drop-watches',
  'stalled-watches',
  'gone-410',
  'server-error',
  'throttle-429',
  'latency',
  'expired-token',
  'compaction',
  'apiserver-restart',
] as const;

/** One fault type. */
export type FaultType = (typeof FAULT_TYPES)[number];

/** The fault types a cluster offers. */
export function faultTypesOf(cluster: ClusterKind): FaultType[] {
  return FAULT_TYPES.filter((t) => t !== 'apiserver-restart' || cluster === 'real');
}

/** A fault with its parameters. */
export interface FaultPlan {
  type: FaultType;
  /** How long the fault stays on (the actions during it may take longer; then it stays on until they end). */
  holdMs: number;
  /** `server-error`: 500 or 503. */
  status?: 500 | 503;
  /** `gone-410`: how many requests get 410 after the watches are dropped. */
  count?: number;
  /** `latency`: added to every API request through the proxy. */
  latencyMs?: number;
}

/** One cluster change, made with kubectl as an admin that never sees a fault. */
export type Action =
  | { kind: 'create'; name: string; replicas: number; cpuMilli: number; memoryMi: number }
  | { kind: 'delete'; name: string }
  | { kind: 'scale'; name: string; replicas: number }
  | { kind: 'cordon' | 'uncordon'; node: string }
  | { kind: 'taint' | 'untaint'; node: string }
  | { kind: 'add-node'; node: string; cpu: number; memoryGi: number }
  | { kind: 'delete-node'; node: string };

/** One step: changes, then the fault with more changes while it is on. */
export interface Step {
  round: number;
  fault: FaultPlan;
  before: Action[];
  during: Action[];
}

/** The nodes both test clusters start with (test/fixtures/clusters/three-nodes.yaml). */
export const BASE_NODES = ['node-a', 'node-b', 'gpu-a'] as const;

/** At most this many nodes the plan added exist at once. */
const MAX_ADDED_NODES = 2;
/** At most this many deployments the plan created exist at once. */
const MAX_DEPLOYMENTS = 4;

/** What the plan believes the cluster holds (only what it changed). */
class World {
  readonly deployments = new Map<string, number>();
  readonly added: string[] = [];
  readonly cordoned = new Set<string>();
  readonly tainted = new Set<string>();
  private serial = 0;

  nodes(): string[] {
    return [...BASE_NODES, ...this.added];
  }

  next(): number {
    return ++this.serial;
  }
}

function nextAction(rng: Rng, w: World): Action {
  const names = [...w.deployments.keys()];
  const choices: (() => Action)[] = [];
  if (names.length < MAX_DEPLOYMENTS)
    choices.push(() => ({
      kind: 'create',
      name: `chaos-${w.next()}`,
      replicas: 1 + rng.int(3),
      cpuMilli: 100 * (1 + rng.int(5)),
      memoryMi: 64 * (1 + rng.int(4)),
    }));
  if (names.length > 0) {
    choices.push(() => ({ kind: 'scale', name: rng.pick(names), replicas: rng.int(5) }));
    choices.push(() => ({ kind: 'scale', name: rng.pick(names), replicas: 1 + rng.int(4) }));
    if (names.length > 1) choices.push(() => ({ kind: 'delete', name: rng.pick(names) }));
  }
  choices.push(() => {
    const node = rng.pick(w.nodes());
    return { kind: w.cordoned.has(node) ? 'uncordon' : 'cordon', node };
  });
  choices.push(() => {
    const node = rng.pick(w.nodes());
    return { kind: w.tainted.has(node) ? 'untaint' : 'taint', node };
  });
  if (w.added.length < MAX_ADDED_NODES)
    choices.push(() => ({ kind: 'add-node', node: `chaos-node-${w.next()}`, cpu: 2 + rng.int(3), memoryGi: 8 }));
  if (w.added.length > 0) choices.push(() => ({ kind: 'delete-node', node: rng.pick(w.added) }));
  const a = rng.pick(choices)();
  apply(w, a);
  return a;
}

function apply(w: World, a: Action): void {
  switch (a.kind) {
    case 'create':
    case 'scale':
      w.deployments.set(a.name, a.replicas);
      break;
    case 'delete':
      w.deployments.delete(a.name);
      break;
    case 'cordon':
      w.cordoned.add(a.node);
      break;
    case 'uncordon':
      w.cordoned.delete(a.node);
      break;
    case 'taint':
      w.tainted.add(a.node);
      break;
    case 'untaint':
      w.tainted.delete(a.node);
      break;
    case 'add-node':
      w.added.push(a.node);
      break;
    case 'delete-node':
      w.added.splice(w.added.indexOf(a.node), 1);
      w.cordoned.delete(a.node);
      w.tainted.delete(a.node);
      break;
  }
}

function faultPlan(rng: Rng, type: FaultType): FaultPlan {
  const holdMs = 500 + 250 * rng.int(11);
  switch (type) {
    case 'server-error':
      return { type, holdMs, status: rng.int(2) === 0 ? 500 : 503 };
    case 'gone-410':
      return { type, holdMs, count: 1 + rng.int(4) };
    case 'latency':
      return { type, holdMs, latencyMs: 250 * (1 + rng.int(6)) };
    default:
      return { type, holdMs };
  }
}

/** The campaign's steps (only the fault types `only` names, when given); see the file comment. */
export function planCampaign(seed: number, cluster: ClusterKind, rounds: number, only?: readonly FaultType[]): Step[] {
  const rng = new Rng(seed);
  const w = new World();
  const steps: Step[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = faultTypesOf(cluster).filter((t) => only === undefined || only.includes(t));
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const type of order) {
      const before = Array.from({ length: rng.int(2) }, () => nextAction(rng, w));
      // kubectl cannot change anything while kube-apiserver is down: the restart's changes come before it.
      const duringCount = type === 'apiserver-restart' ? 0 : 1 + rng.int(2);
      const fault = faultPlan(rng, type);
      const during = Array.from({ length: duringCount }, () => nextAction(rng, w));
      if (type === 'apiserver-restart') before.push(nextAction(rng, w));
      steps.push({ round, fault, before, during });
    }
  }
  return steps;
}

/** One line for logs: `scale chaos-2 to 3`. */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'create':
      return `create ${a.name} (${a.replicas}× ${a.cpuMilli}m/${a.memoryMi}Mi)`;
    case 'delete':
      return `delete ${a.name}`;
    case 'scale':
      return `scale ${a.name} to ${a.replicas}`;
    case 'add-node':
      return `add node ${a.node} (${a.cpu} CPU)`;
    case 'delete-node':
      return `delete node ${a.node}`;
    default:
      return `${a.kind} ${a.node}`;
  }
}

/** One line for logs: `latency 750 ms for 1.5 s`. */
export function describeFault(f: FaultPlan): string {
  const extra =
    f.status !== undefined
      ? ` ${f.status}`
      : f.count !== undefined
        ? ` ×${f.count}`
        : f.latencyMs !== undefined
          ? ` ${f.latencyMs} ms`
          : '';
  // A restart lasts as long as kube-apiserver takes to be ready again (the record's onSeconds).
  if (f.type === 'apiserver-restart') return f.type;
  return `${f.type}${extra} for ${(f.holdMs / 1000).toFixed(2)} s`;
}
