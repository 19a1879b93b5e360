/**
 * Pod priority as the scheduler sees it, after
 * staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go (`PodPriority`) and
 * plugin/pkg/admission/priority (how admission fills `spec.priority`).
 *
 * Contract: `spec.priority` wins when set (admission already resolved it). Otherwise the model
 * resolves as admission would: the named PriorityClass's `value`, else the `globalDefault`
 * class's value, else 0. A named class that does not exist is reported, not thrown.
 */
import type { Pod } from '../../../kube-api/types';
import type { Handle } from '../../framework/interface';

/** The outcome of resolving a pod's priority. */
export interface ResolvedPriority {
  priority: number;
  /** Set when `priorityClassName` names no PriorityClass (admission would reject the pod). */
  error?: string;
}

/** Resolves a pod's priority (see the module contract). */
export function resolvePodPriority(pod: Pod, handle: Handle | undefined): ResolvedPriority {
  const p = pod.spec?.priority;
  if (typeof p === 'number') return { priority: p };
  const name = pod.spec?.priorityClassName;
  const classes = handle?.objects('PriorityClass') ?? [];
  if (typeof name === 'string' && name !== '') {
    const pc = classes.find((c) => c.metadata?.name === name);
    if (pc && typeof pc['value'] === 'number') return { priority: pc['value'] as number };
    // The two built-in classes exist in every cluster.
    if (name === 'system-cluster-critical') return { priority: 2000000000 };
    if (name === 'system-node-critical') return { priority: 2000001000 };
    return { priority: 0, error: `no PriorityClass with name ${name} was found` };
  }
  const def = classes.find((c) => c['globalDefault'] === true && typeof c['value'] === 'number');
  return { priority: def ? (def['value'] as number) : 0 };
}

/** `corev1helpers.PodPriority`: `spec.priority`, or 0. */
export function podPriority(pod: Pod): number {
  const p = pod.spec?.priority;
  return typeof p === 'number' ? p : 0;
}

/** `GetPodStartTime` in ms since the epoch: `status.startTime`, or `now` when unset or malformed. */
export function podStartTime(pod: Pod, now: number): number {
  const s = (pod.status as { startTime?: unknown } | undefined)?.startTime;
  const t = typeof s === 'string' ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? now : t;
}

/** `util.MoreImportantPod`: higher priority first, then the earlier start time. */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}
