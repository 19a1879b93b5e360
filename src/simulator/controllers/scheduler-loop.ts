/**
 * The simulated kube-scheduler: takes unbound pods whose `spec.schedulerName` is `default-scheduler`,
 * in PrioritySort order (priority descending, then creation time), asks the `PlacementPolicy` for a
 * node and binds through the same two effects as `pods/binding` (spec.nodeName, then PodScheduled=True)
 * with a `Scheduled` event. When nothing fits it writes PodScheduled=False / Unschedulable with the
 * policy's message and a `FailedScheduling` Warning event (aggregated on retries), and parks the pod
 * until a node is added or changes, or an assigned pod goes away (scheduler-spec §2.1, §4.1).
 */
import { bindPod } from '../api/binding';
import type { KubeObject } from '../store/types';
import { isTerminal, REF, rfc3339, splitKey } from './common';
import { tryWrite, writeStatus, type ControllerContext } from './context';
import type { ClusterState, PlacementPolicy } from './placement';
import { condition, type PodCondition } from './pod-status';

/** The scheduler name this loop serves. */
export const DEFAULT_SCHEDULER = 'default-scheduler';

/** True when the scheduler loop should try to place the pod. */
export function needsScheduling(pod: KubeObject): boolean {
  const spec = pod['spec'] ?? {};
  return (
    !spec.nodeName &&
    pod.metadata.deletionTimestamp === undefined &&
    !isTerminal(pod) &&
    (spec.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER
  );
}

function withCondition(pod: KubeObject, c: PodCondition): Record<string, unknown> {
  const status = { ...(pod['status'] ?? {}) } as Record<string, unknown>;
  const conds = ((status['conditions'] as PodCondition[] | undefined) ?? []).filter((x) => x.type !== c.type);
  const prev = ((status['conditions'] as PodCondition[] | undefined) ?? []).find((x) => x.type === c.type);
  if (prev && prev.status === c.status) c.lastTransitionTime = prev.lastTransitionTime;
  status['conditions'] = [...conds, c];
  return status;
}

/** The scheduling loop; `unschedulable` holds keys parked after a failed attempt. */
export class SchedulerLoop {
  /** Pods that failed to schedule, retried on cluster changes. */
  readonly unschedulable = new Set<string>();

  /** Creates the loop over a policy and a cluster view. */
  constructor(
    private readonly ctx: ControllerContext,
    private readonly policy: PlacementPolicy,
    private readonly state: ClusterState,
  ) {}

  /** Moves every parked pod back to the active queue (a node appeared or changed, capacity was freed). */
  retryUnschedulable(): void {
    for (const k of this.unschedulable) this.ctx.enqueue('scheduler', k);
    this.unschedulable.clear();
  }

  /**
   * Schedules pod keys, highest priority first, one cycle at a time; stops early when `shouldYield`
   * returns true after a cycle and returns the keys not attempted (the caller re-queues them).
   */
  scheduleBatch(keys: string[], shouldYield: () => boolean): string[] {
    const pods: KubeObject[] = [];
    for (const k of keys) {
      const { namespace, name } = splitKey(k);
      const p = this.ctx.store.get(REF.pods, namespace, name);
      if (p && needsScheduling(p)) pods.push(p);
    }
    pods.sort(
      (a, b) =>
        (b['spec']?.priority ?? 0) - (a['spec']?.priority ?? 0) ||
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
    );
    for (let i = 0; i < pods.length; i++) {
      const cur = this.ctx.store.get(REF.pods, pods[i]!.metadata.namespace, pods[i]!.metadata.name!);
      if (cur && needsScheduling(cur)) this.scheduleOne(cur);
      if (shouldYield()) return pods.slice(i + 1).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    }
    return [];
  }

  private scheduleOne(pod: KubeObject): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const t = rfc3339(this.ctx.now());
    const gates: unknown[] = pod['spec']?.schedulingGates ?? [];
    if (gates.length > 0) {
      writeStatus(
        this.ctx,
        REF.pods,
        pod,
        withCondition(
          pod,
          condition(
            'PodScheduled',
            'False',
            t,
            'SchedulingGated',
            'Scheduling is blocked due to non-empty scheduling gates',
          ),
        ),
        DEFAULT_SCHEDULER,
      );
      return;
    }
    const result = this.policy.place(pod, this.state);
    const nodeName = result.nodeName;
    if (nodeName && this.state.node(nodeName)) {
      this.unschedulable.delete(key);
      this.bind(pod, nodeName);
      return;
    }
    const message = result.message ?? (nodeName ? `node "${nodeName}" not found` : 'no node fits the pod');
    this.unschedulable.add(key);
    const status = withCondition(pod, condition('PodScheduled', 'False', t, 'Unschedulable', message));
    if (result.nominatedNodeName) status['nominatedNodeName'] = result.nominatedNodeName;
    writeStatus(this.ctx, REF.pods, pod, status, DEFAULT_SCHEDULER);
    this.ctx.events.record(pod, 'Warning', 'FailedScheduling', message, DEFAULT_SCHEDULER, 'Scheduling');
    if (result.nominatedNodeName) this.preempt(pod, result.nominatedNodeName, result.victims ?? []);
  }

  /** DefaultPreemption's effects: evict the victims (graceful delete) with a `Preempted` event each. */
  private preempt(
    preemptor: KubeObject,
    nodeName: string,
    victims: readonly { namespace: string; name: string }[],
  ): void {
    for (const v of victims) {
      const victim = this.ctx.store.get(REF.pods, v.namespace, v.name);
      if (!victim || victim.metadata.deletionTimestamp !== undefined) continue;
      if (tryWrite(() => this.ctx.store.delete(REF.pods, v.namespace, v.name, {}))) {
        this.ctx.events.record(
          victim,
          'Normal',
          'Preempted',
          `Preempted by pod ${preemptor.metadata.uid} on node ${nodeName}`,
          DEFAULT_SCHEDULER,
          'Preempting',
        );
      }
    }
  }

  /** Binds through `pods/binding` semantics (spec.nodeName and PodScheduled=True in one write); records `Scheduled`. */
  private bind(pod: KubeObject, nodeName: string): void {
    const namespace = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    let bound: KubeObject | undefined;
    if (
      !tryWrite(
        () => (bound = bindPod(this.ctx.store, namespace, name, nodeName, { fieldManager: DEFAULT_SCHEDULER })),
      ) ||
      !bound
    )
      return;
    this.ctx.events.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${namespace}/${name} to ${nodeName}`,
      DEFAULT_SCHEDULER,
      'Binding',
    );
  }
}
