/**
 * Placing N replicas of a pod template one by one, as kube-scheduler would schedule them.
 *
 * Contract: each replica is predicted (kube-scheduler mode by default, carrying
 * `nextStartNodeIndex` from one to the next), assumed on its node so the next replica sees it,
 * and every assumption is undone before returning: the snapshot is left as it was. Stops at
 * the first replica that fits nowhere (identical replicas would fail the same way). Never throws.
 */
import type { Pod } from '../../kube-api/types';
import type { ClusterSnapshot } from '../framework/snapshot';
import type { PodInfoImpl } from '../framework/node-info';
import {
  predictOn,
  resolveProfileFor,
  toSnapshot,
  type PredictOptions,
  type ProfileOrConfig,
  type SnapshotInput,
} from './predict';
import { validatePod, type InputError } from './validate-input';

/** One placed replica. */
export interface ReplicaPlacement {
  name: string;
  node: string;
  /** How many nodes shared the winning score. */
  tieCount: number;
}

/** The outcome of `placeReplicas`. */
export interface PlaceReplicasJSON {
  requested: number;
  placed: number;
  placements: ReplicaPlacement[];
  /** Replica count per node. */
  perNode: Record<string, number>;
  /** The FitError of the first replica that did not fit. */
  failure?: string;
  error?: string;
}

/** The result of `placeReplicas`. */
export type PlaceReplicasOutcome = { ok: true; result: PlaceReplicasJSON } | { ok: false; errors: InputError[] };

function replica(template: Pod, i: number): Pod {
  const md = template.metadata ?? {};
  const base = md.name ?? md.generateName ?? 'replica-';
  const name = md.name ? `${md.name}-${i}` : `${base}${i}`;
  return {
    ...template,
    metadata: { ...md, name, uid: `kube-forecast-replica/${md.namespace ?? ''}/${name}/${i}` },
    spec: { ...template.spec },
  };
}

/** Places `n` replicas of `podTemplate` (a pod, or a workload's `spec.template`). */
export function placeReplicas(
  podTemplate: unknown,
  n: number,
  snapshot: ClusterSnapshot | SnapshotInput,
  profileOrConfig?: ProfileOrConfig,
  options: PredictOptions = {},
): PlaceReplicasOutcome {
  const assumed: PodInfoImpl[] = [];
  let snap: ClusterSnapshot | undefined;
  try {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      return {
        ok: false,
        errors: [
          {
            field: 'replicas',
            message: `replicas: Invalid value: ${JSON.stringify(n)}: must be a non-negative integer`,
          },
        ],
      };
    }
    const errs = validatePod(podTemplate);
    if (errs.length) return { ok: false, errors: errs };
    const s = toSnapshot(snapshot);
    if (Array.isArray(s)) return { ok: false, errors: s };
    snap = s;
    const template = podTemplate as Pod;
    const profile = resolveProfileFor(template, profileOrConfig, options.parseYaml);
    if (Array.isArray(profile)) return { ok: false, errors: profile };
    const opts: PredictOptions = { preemption: false, ...options, detail: 'summary' };
    const out: PlaceReplicasJSON = { requested: n, placed: 0, placements: [], perNode: {} };
    let next = options.nextStartNodeIndex ?? 0;
    for (let i = 0; i < n; i++) {
      const pod = replica(template, i);
      const r = predictOn(pod, snap, profile, { ...opts, nextStartNodeIndex: next });
      next = r.nextStartNodeIndex;
      if (r.selectedNode === undefined) {
        if (r.failure !== undefined) out.failure = r.failure;
        if (r.error !== undefined) out.error = r.error;
        break;
      }
      assumed.push(snap.assumePod({ ...pod, spec: { ...pod.spec, nodeName: r.selectedNode } }, r.selectedNode));
      out.placed += 1;
      out.placements.push({ name: pod.metadata!.name!, node: r.selectedNode, tieCount: r.tieCount });
      out.perNode[r.selectedNode] = (out.perNode[r.selectedNode] ?? 0) + 1;
    }
    return { ok: true, result: out };
  } catch (e) {
    return {
      ok: false,
      errors: [{ field: '', message: `internal error: ${e instanceof Error ? e.message : String(e)}` }],
    };
  } finally {
    if (snap) for (let i = assumed.length - 1; i >= 0; i--) snap.forgetPod(assumed[i]!);
  }
}
