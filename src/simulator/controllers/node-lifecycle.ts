/**
 * The node half of the simulated kubelet, after kwok's `node-initialize` and
 * `node-heartbeat-with-lease` stages: a Node without a Ready condition gets a kubelet-like status
 * (Ready and the pressure conditions, an InternalIP, capacity/allocatable defaults when absent,
 * nodeInfo, daemonEndpoints) and, like the node IPAM controller would give it, a podCIDR; every node gets
 * its `kube-node-lease` Lease. Lease renewal (the frequent heartbeat) is opt-in because at 5,000 nodes it
 * is hundreds of writes per second.
 */
import type { KubeObject } from '../store/types';
import { REF, rfc3339 } from './common';
import { tryWrite, writeStatus, type ControllerContext } from './context';
import { KUBELET_VERSION } from './kubelet';
import { intToIpv4 } from './pod-status';

/** Where the Lease lives. */
const LEASES = { group: 'coordination.k8s.io', resource: 'leases' };
const LEASE_NS = 'kube-node-lease';

const NOT_READY = 'node.kubernetes.io/not-ready';
const TTL_ANNOTATION = 'node.alpha.kubernetes.io/ttl';

/** Capacity a node reports when its manifest has none (a 4-core, 16 GiB machine). */
export const DEFAULT_NODE_CAPACITY: Readonly<Record<string, string>> = {
  cpu: '4',
  memory: '16Gi',
  pods: '110',
  'ephemeral-storage': '100Gi',
};

/** `metav1.MicroTime` text (microsecond precision). */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Initialises nodes and keeps their Leases. */
export class NodeLifecycle {
  private nextIp = 0;
  private nextCidr = 0;
  private usedCidrs: Set<string> | undefined;

  /** Creates the node lifecycle. */
  constructor(private readonly ctx: ControllerContext) {}

  /** True when a node lacks the status a kubelet would have posted. */
  static needsInit(node: KubeObject): boolean {
    const conds: { type?: string }[] = node['status']?.conditions ?? [];
    return !conds.some((c) => c.type === 'Ready') || !node['spec']?.podCIDR;
  }

  /** Initialises one node (if needed) and makes sure its Lease exists. */
  sync(name: string): void {
    let node = this.ctx.store.get(REF.nodes, undefined, name);
    if (!node || node.metadata.deletionTimestamp !== undefined) return;
    const t = rfc3339(this.ctx.now());
    if (!node['spec']?.podCIDR) {
      const cidr = `${intToIpv4((0x0a800000 + this.freeIndex() * 256) >>> 0)}/24`;
      tryWrite(() => {
        node = this.ctx.store.mutate(
          REF.nodes,
          undefined,
          name,
          (d) => {
            d['spec'] = { ...(d['spec'] ?? {}), podCIDR: cidr, podCIDRs: [cidr] };
          },
          { fieldManager: 'kube-controller-manager' },
        );
      });
    }
    const conds: { type?: string }[] = node['status']?.conditions ?? [];
    if (!conds.some((c) => c.type === 'Ready')) {
      const s = { ...(node['status'] ?? {}) } as Record<string, unknown>;
      const cond = (type: string, status: string, reason: string, message: string): Record<string, string> => ({
        type,
        status,
        lastHeartbeatTime: t,
        lastTransitionTime: t,
        reason,
        message,
      });
      s['conditions'] = [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ];
      const capacity = (s['capacity'] as Record<string, string> | undefined) ??
        (s['allocatable'] as Record<string, string> | undefined) ?? { ...DEFAULT_NODE_CAPACITY };
      s['capacity'] = capacity;
      s['allocatable'] ??= { ...capacity };
      if (!Array.isArray(s['addresses']) || (s['addresses'] as unknown[]).length === 0) {
        s['addresses'] = [
          { type: 'InternalIP', address: intToIpv4((0xac1e0000 + 10 + this.nextIp++) >>> 0) },
          { type: 'Hostname', address: name },
        ];
      }
      s['daemonEndpoints'] ??= { kubeletEndpoint: { Port: 10250 } };
      s['nodeInfo'] ??= {
        architecture: 'amd64',
        bootID: node.metadata.uid ?? '',
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.1.0-simulated',
        kubeProxyVersion: KUBELET_VERSION,
        kubeletVersion: KUBELET_VERSION,
        machineID: (node.metadata.uid ?? '').replace(/-/g, ''),
        operatingSystem: 'linux',
        osImage: 'Kube Forecast simulated node',
        systemUUID: node.metadata.uid ?? '',
      };
      writeStatus(this.ctx, REF.nodes, node, s, 'kubelet');
    }
    this.controllerPass(name);
    if (!this.ctx.store.get(LEASES, LEASE_NS, name)) {
      tryWrite(() => {
        this.ctx.store.create(
          LEASES,
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
              name,
              namespace: LEASE_NS,
              ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node!.metadata.uid! }],
            },
            spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(this.ctx.now()) },
          },
          { fieldManager: 'kubelet' },
        );
      });
    }
  }

  /**
   * kube-controller-manager's part: the TTL controller's `node.alpha.kubernetes.io/ttl` annotation (0
   * in a small cluster) and the node lifecycle controller's NoSchedule pass, which lifts the
   * `node.kubernetes.io/not-ready` taint admission put on a new Node once it reports Ready.
   */
  private controllerPass(name: string): void {
    const node = this.ctx.store.get(REF.nodes, undefined, name);
    if (!node) return;
    const ready = ((node['status']?.conditions ?? []) as { type?: string; status?: string }[]).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    );
    const taints = (node['spec']?.taints ?? []) as { key?: string; effect?: string }[];
    const lift = ready && taints.some((t) => t.key === NOT_READY && t.effect === 'NoSchedule');
    const annotate = node.metadata.annotations?.[TTL_ANNOTATION] === undefined;
    if (!lift && !annotate) return;
    tryWrite(() =>
      this.ctx.store.mutate(
        REF.nodes,
        undefined,
        name,
        (d) => {
          if (annotate) d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [TTL_ANNOTATION]: '0' };
          if (lift) {
            const rest = taints.filter((t) => !(t.key === NOT_READY && t.effect === 'NoSchedule'));
            if (rest.length > 0) d['spec'].taints = rest;
            else delete d['spec'].taints;
          }
        },
        { fieldManager: 'kube-controller-manager' },
      ),
    );
  }

  /** Renews every node's Lease (the heartbeat); call from a timer when heartbeats are enabled. */
  renewAll(): void {
    const now = microTime(this.ctx.now());
    for (const lease of this.ctx.store.list(LEASES, { namespace: LEASE_NS }).items) {
      if (!this.ctx.store.get(REF.nodes, undefined, lease.metadata.name!)) continue;
      tryWrite(() =>
        this.ctx.store.mutate(
          LEASES,
          LEASE_NS,
          lease.metadata.name!,
          (d) => {
            d['spec'] = { ...(d['spec'] ?? {}), renewTime: now };
          },
          { fieldManager: 'kubelet' },
        ),
      );
    }
  }

  private freeIndex(): number {
    if (!this.usedCidrs) {
      this.usedCidrs = new Set();
      for (const n of this.ctx.store.list(REF.nodes).items)
        if (n['spec']?.podCIDR) this.usedCidrs.add(n['spec'].podCIDR);
    }
    for (;;) {
      const i = this.nextCidr++;
      const cidr = `${intToIpv4((0x0a800000 + i * 256) >>> 0)}/24`;
      if (!this.usedCidrs.has(cidr)) {
        this.usedCidrs.add(cidr);
        return i;
      }
    }
  }
}
