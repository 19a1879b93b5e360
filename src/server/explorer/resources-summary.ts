/**
 * Node capacity arithmetic for the tree: allocatable versus requested CPU, memory and GPUs per node,
 * with the scheduler model's own request rules (`podRequests`), and short human formats.
 *
 * Contract: pure; invalid quantities count as zero; pods in a terminal phase do not count, as the
 * scheduler does not count them.
 */
import type { Pod } from '../../kube-api/types';
import { podRequests } from '../../scheduler';
import { isQuantityError, milliValue, parseQuantity } from '../../kube-api/quantity';
import { isTerminalPod } from '../../kube-api/pod-phase';
import type { KubeObj } from './cluster-data';

/** The GPU resource names the tree sums (the common device-plugin names). */
const GPU_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915'];

/** Allocatable and requested amounts of one node, in milli-units. */
export interface NodeUsage {
  cpu: { alloc: number; req: number };
  memory: { alloc: number; req: number };
  gpu: { alloc: number; req: number };
  pods: { alloc: number; count: number };
}

function milli(v: unknown): number {
  if (v === undefined || v === null) return 0;
  const q = parseQuantity(v);
  return isQuantityError(q) ? 0 : milliValue(q);
}

/** The usage of `node` by `pods` (the pods bound to it). */
export function nodeUsage(node: KubeObj, pods: readonly KubeObj[]): NodeUsage {
  const alloc = (node.status?.allocatable ?? {}) as Record<string, unknown>;
  const u: NodeUsage = {
    cpu: { alloc: milli(alloc['cpu']), req: 0 },
    memory: { alloc: milli(alloc['memory']), req: 0 },
    gpu: { alloc: GPU_RESOURCES.reduce((n, r) => n + milli(alloc[r]), 0), req: 0 },
    pods: { alloc: milli(alloc['pods']) / 1000, count: 0 },
  };
  for (const p of pods) {
    if (isTerminalPod(p)) continue;
    u.pods.count++;
    const r = podRequests(p as unknown as Pod);
    const get = (k: string): number => {
      const q = r.get(k);
      return q === undefined ? 0 : milliValue(q);
    };
    u.cpu.req += get('cpu');
    u.memory.req += get('memory');
    for (const g of GPU_RESOURCES) u.gpu.req += get(g);
  }
  return u;
}

const MEMORY_UNITS: [string, number][] = [
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/** `used/total` both in the largest unit `total` reaches: `0.17/14.7Gi`, `0.75/3.9`. */
function pairIn(used: number, total: number, units: [string, number][], fallback: string): string {
  const [unit, f] = units.find(([, size]) => total >= size) ?? [fallback, 1];
  const n = (x: number): string => {
    const v = x / f;
    const digits = v !== 0 && Math.abs(v) < 1 ? 2 : 1;
    return v.toFixed(digits).replace(/\.?0+$/, '') || '0';
  };
  return `${n(used)}/${n(total)}${unit}`;
}

/**
 * The one-line description of a node row, each pair in one unit (the allocatable's):
 * `cpu 1.25/4 · mem 3.2/16Gi · gpu 1/4 · 12/110 pods`.
 */
export function describeUsage(u: NodeUsage): string {
  const parts = [
    `cpu ${pairIn(u.cpu.req / 1000, u.cpu.alloc / 1000, [['', 1]], '')}`,
    `mem ${pairIn(u.memory.req / 1000, u.memory.alloc / 1000, MEMORY_UNITS, '')}`,
  ];
  if (u.gpu.alloc > 0 || u.gpu.req > 0) parts.push(`gpu ${u.gpu.req / 1000}/${u.gpu.alloc / 1000}`);
  parts.push(`${u.pods.count}${u.pods.alloc > 0 ? `/${u.pods.alloc}` : ''} pods`);
  return parts.join(' · ');
}
