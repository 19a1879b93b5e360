/**
 * `ResourceFitPolicy`, the simulator's lightweight fallback placement policy: kube-scheduler's
 * default-profile filters that matter most (NodeUnschedulable, TaintToleration, NodeAffinity incl.
 * nodeSelector and matchFields, NodeResourcesFit) with upstream's reason strings and `FitError` message
 * format (scheduler-spec §4.6), then the least-allocated feasible node in node-tree order. The default
 * policy is the full model (`createPlacementPolicy`, model-policy.ts).
 */
import { getRequiredNodeAffinity } from '../../kube-api/node-affinity';
import { tolerationsTolerateTaint } from '../../kube-api/tolerations';
import type { Node, Pod } from '../../kube-api/types';
import type { KubeObject } from '../store/types';
import {
  nodeAllocatable,
  podRequest,
  type ClusterState,
  type PlacementPolicy,
  type PlacementResult,
} from './placement';

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
