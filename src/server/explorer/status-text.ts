/**
 * One-line statuses of objects for tree rows: a pod's phase and reason (with the scheduler's reason for
 * Pending pods), a workload's ready count, a node's conditions. Pure functions over JSON objects.
 */
import type { TreeNodeStatus } from '../../shared/protocol';
import type { KubeObj } from './cluster-data';

/** A row's status text and icon hint. */
export interface RowStatus {
  text: string;
  status: TreeNodeStatus;
  /** A longer explanation for the tooltip. */
  detail?: string;
}

/** The scheduler's reason for a Pending pod: its PodScheduled=False condition message, else the latest FailedScheduling event. */
export function pendingReason(pod: KubeObj, events: readonly KubeObj[] = []): string | undefined {
  const cond = (
    (pod.status?.conditions ?? []) as { type?: string; status?: string; message?: string; reason?: string }[]
  ).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (cond?.message) return cond.message;
  let best: KubeObj | undefined;
  for (const e of events) {
    const inv = e['involvedObject'] as { kind?: string; name?: string; namespace?: string; uid?: string } | undefined;
    if (e['reason'] !== 'FailedScheduling' || inv?.kind !== 'Pod' || inv.name !== pod.metadata?.name) continue;
    if (inv.namespace !== undefined && inv.namespace !== pod.metadata?.namespace) continue;
    if (best === undefined || eventTime(e) >= eventTime(best)) best = e;
  }
  return (best?.['message'] as string | undefined) ?? cond?.reason;
}

function eventTime(e: KubeObj): string {
  return String(e['lastTimestamp'] ?? e['eventTime'] ?? e.metadata?.creationTimestamp ?? '');
}

/** A pod's status, as `kubectl get pods` shows it (phase, or the waiting/terminated reason of a container). */
export function podStatus(pod: KubeObj, events?: readonly KubeObj[]): RowStatus {
  if (pod.metadata?.deletionTimestamp) return { text: 'Terminating', status: 'warning' };
  const phase = (pod.status?.phase as string | undefined) ?? 'Unknown';
  const statuses = (pod.status?.containerStatuses ?? []) as {
    ready?: boolean;
    restartCount?: number;
    state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string } };
  }[];
  const waiting = statuses
    .map((s) => s.state?.waiting?.reason)
    .find((r) => r !== undefined && r !== 'ContainerCreating');
  const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
  const ready = statuses.filter((s) => s.ready === true).length;
  const total = ((pod.spec?.containers ?? []) as unknown[]).length;
  const suffix = restarts > 0 ? ` (${restarts} restarts)` : '';
  if (waiting !== undefined) return { text: `${waiting}${suffix}`, status: 'error' };
  switch (phase) {
    case 'Pending': {
      if (!pod.spec?.nodeName) {
        const reason = pendingReason(pod, events);
        return { text: 'Pending', status: 'pending', ...(reason !== undefined ? { detail: reason } : {}) };
      }
      return { text: 'ContainerCreating', status: 'pending' };
    }
    case 'Running':
      return { text: `Running ${ready}/${total}${suffix}`, status: ready === total ? 'ok' : 'warning' };
    case 'Succeeded':
      return { text: 'Completed', status: 'ok' };
    case 'Failed':
      return { text: `Failed${pod.status?.reason ? ` (${pod.status.reason})` : ''}`, status: 'error' };
    default:
      return { text: phase, status: 'unknown' };
  }
}

/** A workload's ready count: `2/3 ready`. */
export function workloadStatus(o: KubeObj): RowStatus {
  const kind = o.kind;
  const st = o.status ?? {};
  const spec = o.spec ?? {};
  if (kind === 'DaemonSet') {
    const want = Number(st.desiredNumberScheduled ?? 0);
    const ready = Number(st.numberReady ?? 0);
    return { text: `${ready}/${want} ready`, status: ready >= want ? 'ok' : 'warning' };
  }
  if (kind === 'Job') {
    if (
      (st.conditions ?? []).some((c: { type?: string; status?: string }) => c.type === 'Failed' && c.status === 'True')
    ) {
      return { text: 'Failed', status: 'error' };
    }
    const done = Number(st.succeeded ?? 0);
    const want = Number(spec.completions ?? 1);
    return { text: `${done}/${want} completed`, status: done >= want ? 'ok' : 'pending' };
  }
  if (kind === 'CronJob') {
    return { text: `${spec.schedule ?? ''}${spec.suspend ? ' (suspended)' : ''}`, status: 'ok' };
  }
  const want = Number(spec.replicas ?? 1);
  const ready = Number(st.readyReplicas ?? 0);
  return {
    text: `${ready}/${want} ready`,
    status: ready >= want ? 'ok' : want > 0 && ready === 0 ? 'warning' : 'pending',
  };
}

/** A node's status: Ready / NotReady, SchedulingDisabled, with its pressure conditions. */
export function nodeStatus(node: KubeObj): RowStatus {
  const conds = (node.status?.conditions ?? []) as { type?: string; status?: string }[];
  const ready = conds.find((c) => c.type === 'Ready');
  const problems = conds.filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => c.type ?? '');
  const parts = [ready?.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  parts.push(...problems);
  const status: TreeNodeStatus =
    ready?.status !== 'True' ? 'error' : node.spec?.unschedulable || problems.length > 0 ? 'warning' : 'ok';
  return { text: parts.join(', '), status };
}

/** `key=value:Effect` for each taint. */
export function taintsOf(node: KubeObj): string[] {
  return ((node.spec?.taints ?? []) as { key?: string; value?: string; effect?: string }[]).map(
    (t) => `${t.key ?? ''}${t.value ? `=${t.value}` : ''}:${t.effect ?? ''}`,
  );
}
