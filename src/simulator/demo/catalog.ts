/**
 * What the demo cluster runs, as compact workload definitions (expanded by workloads.ts): the platform
 * (kube-proxy, coredns, metrics-server, fluent-bit, the NVIDIA device plugin, Prometheus, ...), the
 * applications (the shop, data and ml namespaces), sized so the general pool ends up about 60 %
 * requested, and tenant namespaces filling the rest of the application budget on large clusters.
 * Pure apart from the seeded random source; the order of its random draws is part of the output.
 */
import type { KubeObject } from '../../kube-api/types';
import { daysAgo, type WorkloadDef } from './expansion';
import type { PlannedNode } from './nodes';
import type { Rng } from '../util/rng';

/** The planned worker pools. */
export interface Pools {
  general: PlannedNode[];
  memory: PlannedNode[];
  gpu: PlannedNode[];
}

/** What the catalog is sized by. */
export interface CatalogInput {
  readonly pools: Pools;
  /** Nodes besides the control plane. */
  readonly workerCount: number;
  /** Application pods per general-pool worker. */
  readonly podsPerNode: number;
  /** When the cluster was created. */
  readonly born: string;
  /** The cluster's "current" time. */
  readonly now: string;
  readonly rng: Rng;
}

/** How the applications were sized (the tenants fill what is left). */
export interface AppSizing {
  readonly appPods: number;
  readonly webReplicas: number;
  readonly apiReplicas: number;
  readonly cpuSizes: readonly string[];
  readonly memSizes: readonly string[];
}

/** A Namespace object with its `kubernetes.io/metadata.name` label, as kube-apiserver stores it. */
export function namespaceObject(name: string, labels: Record<string, string>, time: string, rng: Rng): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: rng.uuid(),
      creationTimestamp: time,
      labels: { ...labels, 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** The platform's workloads: kube-proxy, fluent-bit, the NVIDIA device plugin (GPU pools), coredns, metrics-server, Prometheus. */
export function platformWorkloads(c: CatalogInput): WorkloadDef[] {
  const { pools, workerCount, born, now } = c;
  const allTolerations = [{ operator: 'Exists' }];
  const defs: WorkloadDef[] = [
    {
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name: 'kube-proxy',
      replicas: 0,
      labels: { 'k8s-app': 'kube-proxy' },
      createdAt: born,
      template: {
        image: 'registry.k8s.io/kube-proxy:v1.31.4',
        container: 'kube-proxy',
        hostNetwork: true,
        tolerations: allTolerations,
        priorityClassName: 'system-node-critical',
        serviceAccountName: 'kube-proxy',
      },
    },
    {
      kind: 'DaemonSet',
      namespace: 'monitoring',
      name: 'fluent-bit',
      replicas: 0,
      labels: { 'app.kubernetes.io/name': 'fluent-bit' },
      createdAt: daysAgo(now, 40),
      template: {
        image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.2',
        container: 'fluent-bit',
        cpu: '50m',
        memory: '64Mi',
        limitsMemory: '128Mi',
        ports: [{ name: 'http', containerPort: 2020 }],
      },
    },
  ];
  if (pools.gpu.length > 0) {
    defs.push({
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name: 'nvidia-device-plugin-daemonset',
      replicas: 0,
      labels: { name: 'nvidia-device-plugin-ds' },
      createdAt: born,
      template: {
        image: 'nvcr.io/nvidia/k8s-device-plugin:v0.17.0',
        container: 'nvidia-device-plugin-ctr',
        nodeSelector: { pool: 'gpu' },
        priorityClassName: 'system-node-critical',
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      },
    });
  }
  defs.push(
    {
      kind: 'Deployment',
      namespace: 'kube-system',
      name: 'coredns',
      replicas: 2 + Math.floor(workerCount / 256),
      labels: { 'k8s-app': 'kube-dns' },
      createdAt: born,
      service: {
        name: 'kube-dns',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53 },
          { name: 'metrics', port: 9153 },
        ],
        clusterIP: '10.96.0.10',
      },
      template: {
        image: 'registry.k8s.io/coredns/coredns:v1.11.3',
        container: 'coredns',
        serviceAccountName: 'coredns',
        cpu: '100m',
        memory: '70Mi',
        limitsMemory: '170Mi',
        priorityClassName: 'system-cluster-critical',
        spreadHosts: true,
        args: ['-conf', '/etc/coredns/Corefile'],
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53 },
          { name: 'metrics', containerPort: 9153 },
        ],
        tolerations: [
          { key: 'CriticalAddonsOnly', operator: 'Exists' },
          { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
        ],
      },
    },
    {
      kind: 'Deployment',
      namespace: 'kube-system',
      name: 'metrics-server',
      replicas: 1,
      labels: { 'k8s-app': 'metrics-server' },
      createdAt: born,
      service: { ports: [{ name: 'https', port: 443, targetPort: 10250 }] },
      template: {
        image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
        container: 'metrics-server',
        serviceAccountName: 'metrics-server',
        cpu: '100m',
        memory: '200Mi',
        priorityClassName: 'system-cluster-critical',
        ports: [{ name: 'https', containerPort: 10250 }],
      },
    },
    {
      kind: 'StatefulSet',
      namespace: 'monitoring',
      name: 'prometheus',
      replicas: 1,
      labels: { 'app.kubernetes.io/name': 'prometheus' },
      createdAt: daysAgo(now, 40),
      service: { ports: [{ name: 'web', port: 9090 }] },
      template: {
        image: 'quay.io/prometheus/prometheus:v2.55.1',
        container: 'prometheus',
        cpu: '500m',
        memory: '2Gi',
        limitsMemory: '4Gi',
        ports: [{ name: 'web', containerPort: 9090 }],
        ...(pools.memory.length > 0 ? { nodeSelector: { pool: 'memory' } } : {}),
      },
    },
  );
  return defs;
}

/** Appends the applications' workloads (shop web/api/redis, data's postgres, ml's inference on GPU pools) to `defs`; returns how they were sized. */
export function applicationWorkloads(c: CatalogInput, defs: WorkloadDef[]): AppSizing {
  const { pools, podsPerNode, now } = c;
  // Application pods, sized so that the general pool ends up around 60% requested.
  const generalCpu = pools.general.reduce((s, n) => s + n.allocMilliCpu, 0) / Math.max(1, pools.general.length);
  const budgetMilli = podsPerNode > 0 ? (0.6 * generalCpu) / podsPerNode : 0;
  const cpuSizes = ['25m', '50m', '100m', '150m', '200m', '250m', '500m'].filter(
    (c) => parseInt(c, 10) <= Math.max(25, budgetMilli * 1.5),
  );
  const memSizes = budgetMilli >= 200 ? ['128Mi', '256Mi', '512Mi', '1Gi'] : ['64Mi', '128Mi', '256Mi'];
  const appPods = pools.general.length * podsPerNode;
  const webReplicas = Math.max(2, Math.round(appPods * 0.08));
  const apiReplicas = Math.max(2, Math.round(appPods * 0.06));
  defs.push(
    {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      replicas: webReplicas,
      labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop' },
      createdAt: daysAgo(now, 29),
      service: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      template: {
        image: 'docker.io/library/nginx:1.27.3',
        container: 'nginx',
        cpu: cpuSizes.includes('100m') ? '100m' : '50m',
        memory: '128Mi',
        limitsMemory: '256Mi',
        priorityClassName: 'business-critical',
        spreadZones: true,
        ports: [{ name: 'http', containerPort: 8080 }],
      },
    },
    {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'api',
      replicas: apiReplicas,
      labels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop' },
      createdAt: daysAgo(now, 29),
      service: { ports: [{ name: 'http', port: 8080 }] },
      template: {
        image: 'ghcr.io/example/shop-api:2.4.1',
        container: 'api',
        cpu: cpuSizes[cpuSizes.length - 1]!,
        memory: memSizes[memSizes.length - 1]!,
        limitsCpu: '1',
        limitsMemory: '1Gi',
        priorityClassName: 'business-critical',
        spreadHosts: true,
        ports: [{ name: 'http', containerPort: 8080 }],
      },
    },
    {
      kind: 'StatefulSet',
      namespace: 'shop',
      name: 'redis',
      replicas: 3,
      labels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'shop' },
      createdAt: daysAgo(now, 29),
      service: { ports: [{ name: 'redis', port: 6379 }], headless: true },
      template: {
        image: 'docker.io/library/redis:7.4.1',
        container: 'redis',
        cpu: '100m',
        memory: '256Mi',
        limitsMemory: '512Mi',
        ports: [{ name: 'redis', containerPort: 6379 }],
      },
    },
    {
      kind: 'StatefulSet',
      namespace: 'data',
      name: 'postgres',
      replicas: pools.memory.length > 0 ? Math.min(3, pools.memory.length * 2) : 1,
      labels: { 'app.kubernetes.io/name': 'postgres' },
      createdAt: daysAgo(now, 28),
      service: { ports: [{ name: 'postgres', port: 5432 }], headless: true },
      template: {
        image: 'docker.io/library/postgres:16.6',
        container: 'postgres',
        cpu: '1',
        memory: '4Gi',
        limitsMemory: '8Gi',
        ports: [{ name: 'postgres', containerPort: 5432 }],
        ...(pools.memory.length > 0 ? { nodeSelector: { pool: 'memory' } } : {}),
      },
    },
  );
  if (pools.gpu.length > 0) {
    defs.push({
      kind: 'Deployment',
      namespace: 'ml',
      name: 'inference',
      replicas: pools.gpu.length * 2,
      labels: { 'app.kubernetes.io/name': 'inference' },
      createdAt: daysAgo(now, 11),
      service: { ports: [{ name: 'grpc', port: 8001 }] },
      template: {
        image: 'nvcr.io/nvidia/tritonserver:24.11-py3',
        container: 'triton',
        cpu: '4',
        memory: '16Gi',
        gpu: 1,
        nodeSelector: { pool: 'gpu' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        ports: [{ name: 'grpc', containerPort: 8001 }],
      },
    });
  }
  return { appPods, webReplicas, apiReplicas, cpuSizes, memSizes };
}

/** Appends the tenants' workloads to `defs` and returns their namespaces (large clusters only). */
export function tenantWorkloads(c: CatalogInput, sizing: AppSizing, defs: WorkloadDef[]): KubeObject[] {
  const { pools, now, rng } = c;
  const { appPods, webReplicas, apiReplicas, cpuSizes, memSizes } = sizing;
  // Tenant namespaces fill the rest of the application budget (large clusters only).
  let remaining = appPods - webReplicas - apiReplicas - 3;
  const tenantNamespaces: KubeObject[] = [];
  for (let t = 1; remaining > 0 && pools.general.length >= 8; t++) {
    const ns = `team-${String(t).padStart(3, '0')}`;
    tenantNamespaces.push(
      namespaceObject(
        ns,
        { team: ns, env: rng.pick(['production', 'staging', 'development']) },
        daysAgo(now, 20 - (t % 15)),
        rng,
      ),
    );
    for (const role of ['frontend', 'backend', 'worker']) {
      if (remaining <= 0) break;
      const replicas = Math.min(remaining, rng.pick([2, 3, 5, 8, 12, 20, 30, 50]));
      remaining -= replicas;
      defs.push({
        kind: 'Deployment',
        namespace: ns,
        name: role,
        replicas,
        labels: { 'app.kubernetes.io/name': role, 'app.kubernetes.io/part-of': ns },
        createdAt: daysAgo(now, 19 - (t % 15)),
        ...(role === 'worker' ? {} : { service: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }),
        template: {
          image: role === 'frontend' ? 'docker.io/library/nginx:1.27.3' : `ghcr.io/${ns}/${role}:1.${t % 9}.${t % 5}`,
          container: role,
          cpu: rng.pick(cpuSizes),
          memory: rng.pick(memSizes),
          ...(role === 'worker' ? { priorityClassName: 'batch-low' } : {}),
          ports: [{ name: 'http', containerPort: 8080 }],
        },
      });
    }
  }
  return tenantNamespaces;
}
