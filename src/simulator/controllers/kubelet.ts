/**
 * The simulated kubelet for every node, in the style of kwok's fast stages: a bound Pending pod becomes
 * Running and Ready (`pod-ready`: conditions, container statuses, hostIP and a podIP from the node's
 * podCIDR), a running pod owned by a Job completes (`pod-complete`), and a pod with a deletionTimestamp
 * and no finalizers is removed (`pod-delete`). Optional delays make the demo look like a real cluster.
 */
import type { KubeObject as ModelObject } from '../../kube-api/types';
import type { KubeObject } from '../store/types';
import { controllerOf, REF, rfc3339, splitKey } from './common';
import { tryWrite, writeStatus, type ControllerContext } from './context';
import type { ClusterState } from './placement';
import { nodeInternalIP, podIPFromCIDR, runningPodStatus, succeededPodStatus } from './pod-status';

/** The Kubernetes version the simulated kubelets report (node-lifecycle's nodeInfo, the demo's nodes). */
export const KUBELET_VERSION = 'v1.31.4';

/** Kubelet timing; all default to 0 (next pump). */
export interface KubeletOptions {
  /** Bound → Running. */
  podStartMs?: number;
  /** Running → Succeeded for Job pods. */
  jobPodRunMs?: number;
  /** deletionTimestamp → removed. */
  podDeleteMs?: number;
}

const KUBELET = 'kubelet';

/** The simulated kubelets. */
export class Kubelet {
  private readonly due = new Map<string, number>();
  private readonly ips = new Map<string, { used: Set<string>; next: number }>();

  /** Creates the kubelet over the cluster view. */
  constructor(
    private readonly ctx: ControllerContext,
    private readonly state: ClusterState,
    private readonly opts: KubeletOptions = {},
  ) {}

  /** True when this pod needs kubelet work now or later. */
  static interested(pod: KubeObject): boolean {
    const phase = pod['status']?.phase;
    if (pod.metadata.deletionTimestamp !== undefined) return (pod.metadata.finalizers ?? []).length === 0;
    if (!pod['spec']?.nodeName) return false;
    if (phase === 'Pending' || phase === undefined) return true;
    return phase === 'Running' && controllerOf(pod)?.kind === 'Job';
  }

  private wait(key: string, stage: string, ms: number): boolean {
    if (ms <= 0) return false;
    const k = `${stage}|${key}`;
    const at = this.due.get(k);
    const now = Date.now();
    if (at === undefined) {
      this.due.set(k, now + ms);
      this.ctx.later(ms, () => this.ctx.enqueue('kubelet', key));
      return true;
    }
    if (now < at) {
      // A timer may fire a little before Date.now() reaches `at` (timers run on a monotonic
      // clock); re-arm for the rest, or the pod would wait forever.
      this.ctx.later(at - now, () => this.ctx.enqueue('kubelet', key));
      return true;
    }
    this.due.delete(k);
    return false;
  }

  /** Advances one pod by one stage. */
  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.ctx.store.get(REF.pods, namespace, name);
    if (!pod || !Kubelet.interested(pod)) return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (this.wait(key, 'delete', this.opts.podDeleteMs ?? 0)) return;
      if (pod['status']?.phase === 'Running') {
        for (const c of (pod['spec']?.containers ?? []) as { name?: string }[])
          this.ctx.events.record(pod, 'Normal', 'Killing', `Stopping container ${c.name ?? ''}`, KUBELET);
      }
      tryWrite(() =>
        this.ctx.store.delete(REF.pods, namespace, name, {
          gracePeriodSeconds: 0,
          preconditions: { uid: pod.metadata.uid! },
        }),
      );
      return;
    }
    const node = this.state.node(pod['spec'].nodeName);
    if (!node) return;
    const phase = pod['status']?.phase;
    const t = rfc3339(this.ctx.now());
    if (phase === 'Pending' || phase === undefined) {
      if (this.wait(key, 'start', this.opts.podStartMs ?? 0)) return;
      const hostIP = nodeInternalIP(node as ModelObject);
      const podIP = pod['spec'].hostNetwork === true ? hostIP : this.allocateIP(node);
      const status = runningPodStatus(pod as ModelObject, { hostIP, podIP, time: t });
      const scheduled = (pod['status']?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
      if (scheduled) (status['conditions'] as Record<string, unknown>[])[4] = scheduled;
      writeStatus(this.ctx, REF.pods, pod, JSON.parse(JSON.stringify(status)) as Record<string, unknown>, KUBELET);
      for (const c of (pod['spec'].containers ?? []) as { name?: string; image?: string }[]) {
        this.ctx.events.record(
          pod,
          'Normal',
          'Pulled',
          `Container image "${c.image ?? ''}" already present on machine`,
          KUBELET,
        );
        this.ctx.events.record(pod, 'Normal', 'Created', `Created container: ${c.name ?? ''}`, KUBELET);
        this.ctx.events.record(pod, 'Normal', 'Started', `Started container ${c.name ?? ''}`, KUBELET);
      }
      const owner = controllerOf(pod);
      if (owner?.kind === 'Job') this.ctx.enqueue('kubelet', key);
      return;
    }
    if (phase === 'Running' && controllerOf(pod)?.kind === 'Job') {
      if (this.wait(key, 'complete', this.opts.jobPodRunMs ?? 0)) return;
      writeStatus(this.ctx, REF.pods, pod, succeededPodStatus(pod as ModelObject, t), KUBELET);
    }
  }

  private allocateIP(node: KubeObject): string | undefined {
    const name = node.metadata.name!;
    let a = this.ips.get(name);
    if (!a) {
      const used = new Set<string>();
      for (const p of this.state.podsOnNode(name)) if (p['status']?.podIP) used.add(p['status'].podIP);
      a = { used, next: 0 };
      this.ips.set(name, a);
    }
    const cidr: string | undefined = node['spec']?.podCIDR;
    for (let i = 0; i < 65536; i++) {
      const ip = podIPFromCIDR(cidr, a.next++);
      if (ip === undefined) return undefined;
      if (!a.used.has(ip)) {
        a.used.add(ip);
        return ip;
      }
    }
    return undefined;
  }
}
