/**
 * ReplicaSet controller (pkg/controller/replicaset/replica_set.go, simplified): keeps the number of
 * active pods it controls equal to spec.replicas, deleting the least valuable pods first
 * (`controller.ActivePods` ranking), and writes status (replicas, fullyLabeledReplicas, readyReplicas,
 * availableReplicas, observedGeneration). Pods are created at most `BURST` per pass, like upstream's
 * burstReplicas; the rest follow in the next pass.
 */
import { labelSelectorAsSelector, isSelectorError } from '../../kube-api/labels';
import type { KubeObject } from '../store/types';
import { isActive, isReady, KEY, REF, splitKey } from './common';
import { createPodFromTemplate, deletePod, freshPodName, writeStatus, type ControllerContext } from './context';

const BURST = 500;

/** Deletion preference (`ActivePods` less): unassigned, pending, not ready, then newest first. */
export function deletionRank(pod: KubeObject): number[] {
  const phase = pod['status']?.phase;
  const created = Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
  return [
    pod['spec']?.nodeName ? 1 : 0,
    phase === 'Pending' ? 0 : phase === 'Running' ? 2 : 1,
    isReady(pod) ? 1 : 0,
    -created,
  ];
}

/** Sorts pods so the ones to delete first come first. */
export function sortForDeletion(pods: KubeObject[]): KubeObject[] {
  return pods.sort((a, b) => {
    const ra = deletionRank(a);
    const rb = deletionRank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return a.metadata.name! < b.metadata.name! ? 1 : -1;
  });
}

/** Reconciles one ReplicaSet by `namespace/name`. */
export function reconcileReplicaSet(ctx: ControllerContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const rs = ctx.store.get(REF.replicaSets, namespace, name);
  if (!rs || rs.metadata.deletionTimestamp !== undefined) return;
  const pods = ctx.owned(rs.metadata.uid!, KEY.pods);
  const active = pods.filter(isActive);
  const want = typeof rs['spec']?.replicas === 'number' ? rs['spec'].replicas : 1;
  const diff = want - active.length;
  if (diff > 0) {
    const n = Math.min(diff, BURST);
    for (let i = 0; i < n; i++)
      createPodFromTemplate(ctx, rs, rs['spec']?.template, freshPodName(ctx, namespace, `${name}-`));
    if (diff > BURST) ctx.enqueue('replicaset', key);
  } else if (diff < 0) {
    for (const p of sortForDeletion(active.slice()).slice(0, -diff)) deletePod(ctx, rs, p);
  }
  const sel = labelSelectorAsSelector(rs['spec']?.selector);
  const templateLabels: Record<string, string> = rs['spec']?.template?.metadata?.labels ?? {};
  const fully = active.filter((p) => {
    const l = p.metadata.labels ?? {};
    return (
      Object.keys(templateLabels).every((k) => l[k] === templateLabels[k]) && (isSelectorError(sel) || sel.matches(l))
    );
  }).length;
  const ready = active.filter(isReady).length;
  const status: Record<string, unknown> = {
    replicas: active.length,
    fullyLabeledReplicas: fully,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  if (rs['status']?.conditions) status['conditions'] = rs['status'].conditions;
  if (ready === 0) delete status['readyReplicas'];
  if (ready === 0) delete status['availableReplicas'];
  if (fully === 0) delete status['fullyLabeledReplicas'];
  writeStatus(ctx, REF.replicaSets, rs, status);
}
