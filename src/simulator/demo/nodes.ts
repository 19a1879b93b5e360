/**
 * Node objects for the demo cluster: pools, instance types, zones, taints, capacity/allocatable as a
 * kubelet reports them, conditions, addresses, nodeInfo and (filled in later) images.
 */
import type { KubeObject } from '../../kube-api/types';
import { intToIpv4 } from '../controllers/pod-status';
import type { Rng } from '../util/rng';
import { KUBELET_VERSION } from '../controllers/kubelet';

/** The node pools of the demo cluster (the `pool` label). */
export type Pool = 'control-plane' | 'general' | 'memory' | 'gpu';

/** An instance type: what the machine has. */
export interface InstanceType {
  readonly name: string;
  readonly cpu: number;
  readonly memoryGi: number;
  readonly gpus: number;
}

/** Instance types per pool (several for general so the pool is not uniform). */
export const INSTANCE_TYPES: Readonly<Record<Pool, readonly InstanceType[]>> = {
  'control-plane': [{ name: 'm6i.xlarge', cpu: 4, memoryGi: 16, gpus: 0 }],
  general: [
    { name: 'm6i.xlarge', cpu: 4, memoryGi: 16, gpus: 0 },
    { name: 'm6i.2xlarge', cpu: 8, memoryGi: 32, gpus: 0 },
  ],
  memory: [{ name: 'r6i.2xlarge', cpu: 8, memoryGi: 64, gpus: 0 }],
  gpu: [{ name: 'g5.12xlarge', cpu: 48, memoryGi: 192, gpus: 4 }],
};

/** A planned node with the numbers placement needs (allocatable in milli-CPU and bytes). */
export interface PlannedNode {
  readonly name: string;
  readonly pool: Pool;
  readonly zone: string;
  readonly index: number;
  readonly type: InstanceType;
  readonly allocMilliCpu: number;
  readonly allocMemory: number;
  readonly allocPods: number;
  readonly allocGpu: number;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
  readonly podCIDR: string;
  readonly internalIP: string;
  usedMilliCpu: number;
  usedMemory: number;
  usedPods: number;
  usedGpu: number;
  /** Pod IPs handed out so far. */
  ipCount: number;
  /** Images of the pods placed here, in first-use order. */
  readonly images: Set<string>;
}

/** The zone names for a count: `<region>a`, `<region>b`, … */
export function zoneNames(region: string, zones: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < zones; i++) out.push(i < 26 ? `${region}${String.fromCharCode(97 + i)}` : `${region}-z${i}`);
  return out;
}

const KI = 1024;
const GI_KI = 1024 * 1024;

function memoryKi(type: InstanceType): { capacityKi: number; allocatableKi: number } {
  // The kernel keeps a little; kubelet reserves kube-reserved + system-reserved + eviction threshold.
  const capacityKi = type.memoryGi * GI_KI - 190_000 - type.memoryGi * 2_048;
  const reservedKi = type.memoryGi <= 16 ? 1_150 * KI : type.memoryGi <= 64 ? 2_600 * KI : 6_200 * KI;
  return { capacityKi, allocatableKi: capacityKi - reservedKi };
}

function cpuAllocatableMilli(cpu: number): number {
  // GKE-style kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above.
  let reserved = 60;
  if (cpu > 1) reserved += 10;
  if (cpu > 2) reserved += 5 * Math.min(2, cpu - 2);
  if (cpu > 4) reserved += 2.5 * (cpu - 4);
  return cpu * 1000 - Math.ceil(reserved);
}

/** Plans the nodes: one control plane, then gpu, memory and general pools spread over the zones. */
export function planNodes(total: number, zones: readonly string[], rng: Rng, prefix: string): PlannedNode[] {
  const workers = Math.max(0, total - 1);
  const gpu = workers >= 3 ? Math.max(1, Math.round(workers * 0.04)) : 0;
  const memory = workers >= 2 ? Math.max(1, Math.round(workers * 0.16)) : 0;
  const general = workers - gpu - memory;
  const out: PlannedNode[] = [];
  const plan: [Pool, number][] = [
    ['control-plane', total > 0 ? 1 : 0],
    ['general', general],
    ['memory', memory],
    ['gpu', gpu],
  ];
  let index = 0;
  for (const [pool, count] of plan) {
    for (let i = 0; i < count; i++) {
      const types = INSTANCE_TYPES[pool];
      const type = types.length === 1 ? types[0]! : rng.next() < 0.7 ? types[0]! : types[1]!;
      const name =
        pool === 'control-plane' ? `${prefix}-control-plane` : `${prefix}-${pool}-${String(i + 1).padStart(4, '0')}`;
      const taints: { key: string; value?: string; effect: string }[] = [];
      if (pool === 'control-plane') taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
      if (pool === 'gpu') taints.push({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' });
      out.push({
        name,
        pool,
        zone: zones[pool === 'control-plane' ? 0 : i % zones.length]!,
        index,
        type,
        allocMilliCpu: cpuAllocatableMilli(type.cpu),
        allocMemory: memoryKi(type).allocatableKi * KI,
        allocPods: 110,
        allocGpu: type.gpus,
        taints,
        // Pod CIDRs from 10.64.0.0/10 in /24 steps (cluster-cidr as a cloud provider would set it).
        podCIDR: `${intToIpv4((0x0a400000 + index * 256) >>> 0)}/24`,
        // Node IPs from 172.16.0.0/12, skipping .0 addresses.
        internalIP: intToIpv4((0xac100000 + 10 + index + Math.floor((index + 10) / 255)) >>> 0),
        usedMilliCpu: 0,
        usedMemory: 0,
        usedPods: 0,
        usedGpu: 0,
        ipCount: 0,
        images: new Set(),
      });
      index++;
    }
  }
  return out;
}

/** Image sizes in bytes as kubelets report them, keyed by image reference. */
export type ImageCatalog = ReadonlyMap<string, number>;

/** Builds the Node object for a planned node. `imageEntries` maps an image to its shared status entry. */
export function nodeObject(
  n: PlannedNode,
  region: string,
  time: string,
  uid: string,
  machineId: string,
  imageEntries: ReadonlyMap<string, { names: string[]; sizeBytes: number }>,
): KubeObject {
  const mem = memoryKi(n.type);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': n.type.name,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': n.type.name,
    pool: n.pool === 'control-plane' ? 'system' : n.pool,
    'topology.kubernetes.io/region': region,
    'topology.kubernetes.io/zone': n.zone,
  };
  if (n.pool === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  if (n.pool === 'gpu') {
    labels['nvidia.com/gpu.present'] = 'true';
    labels['nvidia.com/gpu.product'] = 'NVIDIA-A10G';
    labels['nvidia.com/gpu.count'] = String(n.type.gpus);
  }
  const capacity: Record<string, string> = {
    cpu: String(n.type.cpu),
    'ephemeral-storage': '101430960Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${mem.capacityKi}Ki`,
    pods: String(n.allocPods),
  };
  const allocatable: Record<string, string> = {
    cpu: `${n.allocMilliCpu}m`,
    'ephemeral-storage': '93478772582',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${mem.allocatableKi}Ki`,
    pods: String(n.allocPods),
  };
  if (n.type.gpus > 0) {
    capacity['nvidia.com/gpu'] = String(n.type.gpus);
    allocatable['nvidia.com/gpu'] = String(n.type.gpus);
  }
  const cond = (type: string, status: string, reason: string, message: string): Record<string, string> => ({
    type,
    status,
    lastHeartbeatTime: time,
    lastTransitionTime: time,
    reason,
    message,
  });
  const images: { names: string[]; sizeBytes: number }[] = [];
  for (const img of n.images) {
    const e = imageEntries.get(img);
    if (e) images.push(e);
  }
  images.sort((a, b) => b.sizeBytes - a.sizeBytes);
  const spec: Record<string, unknown> = {
    podCIDR: n.podCIDR,
    podCIDRs: [n.podCIDR],
    providerID: `aws:///${n.zone}/i-${machineId.slice(0, 17)}`,
  };
  if (n.taints.length > 0) spec['taints'] = n.taints.map((t) => ({ ...t }));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      uid,
      creationTimestamp: time,
      labels,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
      },
    },
    spec,
    status: {
      addresses: [
        { address: n.internalIP, type: 'InternalIP' },
        { address: n.name, type: 'Hostname' },
      ],
      allocatable,
      capacity,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images,
      nodeInfo: {
        architecture: 'amd64',
        bootID: uid,
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.1.119-129.201.amzn2023.x86_64',
        kubeProxyVersion: KUBELET_VERSION,
        kubeletVersion: KUBELET_VERSION,
        machineID: machineId,
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023.6.20241212',
        systemUUID: machineId,
      },
    },
  };
}
