/**
 * `generateDemoCluster`: a deterministic, realistic cluster for the simulator's demo mode and for tests.
 *
 * For a given `{ nodes, zones, seed }` it returns the same objects, in creation order, on every run:
 * namespaces (labelled), PriorityClasses, a tainted control-plane node with its static pods, general /
 * memory / GPU node pools spread over zones, kube-system add-ons (kube-proxy, coredns, metrics-server,
 * the NVIDIA device plugin), app Deployments / StatefulSets / DaemonSets with Services, a finished Job
 * owned by a CronJob, a Helm release Secret, and one GPU training pod that fits nowhere (left Pending for
 * the scheduler to report). Every object has gone through the API server's defaulting
 * (`controllers/defaulting.ts`), and pods carry the status a kubelet would have written.
 */
import { gzipSync } from 'node:zlib';
import type { KubeObject } from '../../kube-api/types';
import { admitPod, lookupFromObjects, SYSTEM_PRIORITY_CLASSES } from '../../kube-api/defaulting';
import { runningPodStatus } from '../controllers/pod-status';
import { nodeObject, planNodes, zoneNames, type PlannedNode } from './nodes';
import { Rng } from '../util/rng';
import { buildTemplate, daysAgo, expandWorkload, imageDigest, newExpandContext, type ExpandContext } from './workloads';
import { applicationWorkloads, namespaceObject, platformWorkloads, tenantWorkloads } from './catalog';

/** Options of `generateDemoCluster`. */
export interface DemoClusterOptions {
  /** Total number of nodes including the control plane (≥ 1). */
  nodes: number;
  /** Number of availability zones (default 3, at least 1). */
  zones?: number;
  /** Seed; equal options give identical output (default 1). */
  seed?: number;
  /** Application pods per general-pool worker, on top of system pods (default 10). */
  podsPerNode?: number;
  /** The "current" time the cluster's timestamps are relative to (default 2026-01-01T00:00:00Z, for determinism). */
  now?: string;
  /** Prefix of node names (default `demo`). */
  clusterName?: string;
  /** Region label (default `eu-west-1`). */
  region?: string;
}

/** Counts describing a generated cluster. */
export interface DemoClusterSummary {
  nodes: number;
  pods: number;
  pendingPods: number;
  objects: number;
}

/** The generated cluster: objects in an order a store can create them in (namespaces and owners first). */
export interface DemoCluster {
  objects: KubeObject[];
  summary: DemoClusterSummary;
}

const DEFAULT_NOW = '2026-01-01T00:00:00Z';

/** Known image sizes (bytes) as kubelets report them; other images get a size derived from the name. */
const IMAGE_SIZES: Record<string, number> = {
  'registry.k8s.io/pause:3.10': 320_368,
  'registry.k8s.io/kube-proxy:v1.31.4': 30_229_853,
  'registry.k8s.io/kube-apiserver:v1.31.4': 28_061_283,
  'registry.k8s.io/kube-controller-manager:v1.31.4': 26_248_311,
  'registry.k8s.io/kube-scheduler:v1.31.4': 20_136_562,
  'registry.k8s.io/etcd:3.5.15-0': 56_909_194,
  'registry.k8s.io/coredns/coredns:v1.11.3': 18_562_039,
  'registry.k8s.io/metrics-server/metrics-server:v0.7.2': 19_494_617,
  'nvcr.io/nvidia/k8s-device-plugin:v0.17.0': 167_430_544,
  'cr.fluentbit.io/fluent/fluent-bit:3.2.2': 38_116_102,
  'quay.io/prometheus/prometheus:v2.55.1': 112_683_417,
  'docker.io/library/nginx:1.27.3': 72_099_501,
  'docker.io/library/redis:7.4.1': 45_218_412,
  'docker.io/library/postgres:16.6': 153_872_008,
  'ghcr.io/example/shop-api:2.4.1': 86_320_114,
  'ghcr.io/example/report-runner:1.3.0': 41_337_922,
  'nvcr.io/nvidia/tritonserver:24.11-py3': 7_812_403_334,
  'nvcr.io/nvidia/pytorch:24.11-py3': 11_903_562_207,
};

function imageSize(image: string): number {
  return (
    IMAGE_SIZES[image] ??
    8_000_000 + ((imageDigest(image).charCodeAt(0) * 7919 + image.length * 104_729) % 400) * 1_000_000
  );
}

function priorityClass(
  name: string,
  value: number,
  description: string,
  time: string,
  rng: Rng,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name, uid: rng.uuid(), creationTimestamp: time, generation: 1 } as KubeObject['metadata'],
    value,
    globalDefault: false,
    description,
    preemptionPolicy: 'PreemptLowerPriority',
    ...extra,
  };
}

/** Generates the demo cluster; see the file comment. Throws a RangeError for nodes < 1. */
export function generateDemoCluster(options: DemoClusterOptions): DemoCluster {
  const total = Math.floor(options.nodes);
  if (!Number.isFinite(total) || total < 1)
    throw new RangeError(`nodes: must be at least 1, got ${String(options.nodes)}`);
  const zoneCount = Math.max(1, Math.min(64, Math.floor(options.zones ?? 3)));
  const rng = new Rng(options.seed ?? 1);
  const nowParsed = Date.parse(options.now ?? DEFAULT_NOW);
  if (!Number.isFinite(nowParsed)) throw new RangeError(`now: not an RFC 3339 time: ${String(options.now)}`);
  const now = new Date(Math.floor(nowParsed / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const region = options.region ?? 'eu-west-1';
  const podsPerNode = Math.max(0, options.podsPerNode ?? 10);
  const born = daysAgo(now, 42);
  const zones = zoneNames(region, zoneCount);
  const planned = planNodes(total, zones, rng, options.clusterName ?? 'demo');
  const cp = planned[0]!;
  const pools = {
    general: planned.filter((n) => n.pool === 'general'),
    memory: planned.filter((n) => n.pool === 'memory'),
    gpu: planned.filter((n) => n.pool === 'gpu'),
  };

  const head: KubeObject[] = [];
  head.push(
    namespaceObject('default', {}, born, rng),
    namespaceObject('kube-system', {}, born, rng),
    namespaceObject('kube-public', {}, born, rng),
    namespaceObject('kube-node-lease', {}, born, rng),
    namespaceObject('monitoring', { team: 'platform', 'pod-security.kubernetes.io/enforce': 'privileged' }, born, rng),
    namespaceObject('shop', { team: 'shop', env: 'production', 'istio-injection': 'disabled' }, daysAgo(now, 30), rng),
    namespaceObject('data', { team: 'data', env: 'production' }, daysAgo(now, 30), rng),
    namespaceObject('ml', { team: 'ml', env: 'research' }, daysAgo(now, 12), rng),
  );
  const pcs = [
    priorityClass(
      'system-cluster-critical',
      SYSTEM_PRIORITY_CLASSES['system-cluster-critical']!,
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
      born,
      rng,
    ),
    priorityClass(
      'system-node-critical',
      SYSTEM_PRIORITY_CLASSES['system-node-critical']!,
      'Used for system critical pods that must not be moved from their current node.',
      born,
      rng,
    ),
    priorityClass('business-critical', 100000, 'Customer-facing services.', daysAgo(now, 30), rng),
    priorityClass('batch-low', -10, 'Best-effort batch work; never preempts.', daysAgo(now, 30), rng, {
      preemptionPolicy: 'Never',
    }),
  ];
  head.push(...pcs);

  const body: KubeObject[] = [];
  const ctx = newExpandContext(rng, planned, now, pcs, body);
  const cpUid = rng.uuid();
  staticPods(ctx, cp, cpUid, born);

  const catalog = { pools, workerCount: total - 1, podsPerNode, born, now, rng };
  const defs = platformWorkloads(catalog);
  const sizing = applicationWorkloads(catalog, defs);
  head.push(...tenantWorkloads(catalog, sizing, defs));
  const { webReplicas } = sizing;

  for (const d of defs) expandWorkload(ctx, d);

  // A CronJob with its last (finished) Job.
  const cronUid = rng.uuid();
  // The most recent 02:00 UTC at or before `now` (the CronJob's schedule).
  const nowMs = Date.parse(now);
  let lastRunMs = Math.floor(nowMs / 86_400_000) * 86_400_000 + 2 * 3_600_000;
  if (lastRunMs > nowMs) lastRunMs -= 86_400_000;
  const lastRun = new Date(lastRunMs).toISOString().replace('.000Z', 'Z');
  body.push({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: 'nightly-report',
      namespace: 'shop',
      uid: cronUid,
      creationTimestamp: daysAgo(now, 29),
      generation: 1,
    } as KubeObject['metadata'],
    spec: {
      schedule: '0 2 * * *',
      concurrencyPolicy: 'Forbid',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: {},
        spec: {
          backoffLimit: 2,
          template: buildTemplate(
            {
              image: 'ghcr.io/example/report-runner:1.3.0',
              container: 'report',
              cpu: '100m',
              memory: '128Mi',
              restartPolicy: 'OnFailure',
            },
            { 'app.kubernetes.io/name': 'nightly-report' },
          ),
        },
      },
    },
    status: {
      lastScheduleTime: lastRun,
      lastSuccessfulTime: new Date(lastRunMs + 95_000).toISOString().replace('.000Z', 'Z'),
    },
  });
  expandWorkload(ctx, {
    kind: 'Job',
    namespace: 'shop',
    name: `nightly-report-${Math.floor(lastRunMs / 60_000)}`,
    replicas: 1,
    completions: 1,
    finished: true,
    cronJob: { name: 'nightly-report', uid: cronUid },
    labels: { 'app.kubernetes.io/name': 'nightly-report' },
    createdAt: lastRun,
    template: {
      image: 'ghcr.io/example/report-runner:1.3.0',
      container: 'report',
      cpu: '100m',
      memory: '128Mi',
      restartPolicy: 'OnFailure',
    },
  });

  // A training pod no node can hold: more GPUs than any GPU node has.
  const giant: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'train-llm-0',
      namespace: 'ml',
      uid: rng.uuid(),
      creationTimestamp: daysAgo(now, 0.01),
      labels: { 'app.kubernetes.io/name': 'train-llm' },
    },
    spec: {
      ...buildTemplate(
        {
          image: 'nvcr.io/nvidia/pytorch:24.11-py3',
          container: 'trainer',
          cpu: '32',
          memory: '256Gi',
          gpu: 8,
          restartPolicy: 'Never',
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        },
        {},
      ).spec,
    },
  };
  admitPod(giant, lookupFromObjects(pcs));
  giant.status = { phase: 'Pending', qosClass: 'Burstable' };
  body.push(giant);
  ctx.pods++;
  ctx.pending++;

  body.push(...namespaceDefaults(head, rng, born), helmReleaseSecret(rng, daysAgo(now, 29), webReplicas));
  body.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      uid: rng.uuid(),
      creationTimestamp: born,
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  });

  const nodeObjects = buildNodes(planned, region, born, rng, cpUid);
  const objects = [...head, ...nodeObjects, ...body];
  return {
    objects,
    summary: { nodes: planned.length, pods: ctx.pods, pendingPods: ctx.pending, objects: objects.length },
  };
}

function buildNodes(planned: PlannedNode[], region: string, born: string, rng: Rng, cpUid: string): KubeObject[] {
  const entries = new Map<string, { names: string[]; sizeBytes: number }>();
  const entryFor = (img: string): void => {
    if (entries.has(img)) return;
    const repo = img.slice(0, img.lastIndexOf(':'));
    entries.set(img, { names: [`${repo}@sha256:${imageDigest(img)}`, img], sizeBytes: imageSize(img) });
  };
  entryFor('registry.k8s.io/pause:3.10');
  const out: KubeObject[] = [];
  for (const n of planned) {
    n.images.add('registry.k8s.io/pause:3.10');
    for (const img of n.images) entryFor(img);
    out.push(nodeObject(n, region, born, n.index === 0 ? cpUid : rng.uuid(), rng.hex(32), entries));
  }
  return out;
}

function staticPods(ctx: ExpandContext, cp: PlannedNode, cpUid: string, born: string): void {
  const comps: [string, string, string, string][] = [
    ['etcd', 'registry.k8s.io/etcd:3.5.15-0', '100m', '100Mi'],
    ['kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.31.4', '250m', ''],
    ['kube-controller-manager', 'registry.k8s.io/kube-controller-manager:v1.31.4', '200m', ''],
    ['kube-scheduler', 'registry.k8s.io/kube-scheduler:v1.31.4', '100m', ''],
  ];
  for (const [component, image, cpu, memory] of comps) {
    const tmpl = buildTemplate(
      {
        image,
        container: component,
        cpu,
        ...(memory ? { memory } : {}),
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
        tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      },
      { component, tier: 'control-plane' },
    );
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${component}-${cp.name}`,
        namespace: 'kube-system',
        uid: ctx.rng.uuid(),
        creationTimestamp: born,
        labels: tmpl.metadata.labels,
        annotations: {
          'kubernetes.io/config.hash': ctx.rng.hex(32),
          'kubernetes.io/config.mirror': ctx.rng.hex(32),
          'kubernetes.io/config.seen': born,
          'kubernetes.io/config.source': 'file',
        },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: cp.name, uid: cpUid, controller: true }],
      },
      spec: { ...tmpl.spec, nodeName: cp.name },
    };
    admitPod(pod, ctx.lookup);
    pod.status = runningPodStatus(pod, { hostIP: cp.internalIP, podIP: cp.internalIP, time: born });
    cp.usedPods++;
    cp.usedMilliCpu += parseInt(cpu, 10);
    cp.images.add(image);
    ctx.out.push(pod);
    ctx.pods++;
  }
}

function namespaceDefaults(namespaces: KubeObject[], rng: Rng, born: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const ns of namespaces) {
    if (ns.kind !== 'Namespace') continue;
    const name = ns.metadata!.name!;
    out.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: name, uid: rng.uuid(), creationTimestamp: born },
    });
    out.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'kube-root-ca.crt',
        namespace: name,
        uid: rng.uuid(),
        creationTimestamp: born,
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      },
      data: {
        'ca.crt':
          '-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIZGVtby1jbHVzdGVyMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNV\n-----END CERTIFICATE-----\n',
      },
    });
  }
  for (const name of ['kube-proxy', 'coredns', 'metrics-server']) {
    out.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: 'kube-system', uid: rng.uuid(), creationTimestamp: born },
    });
  }
  return out;
}

/**
 * A Helm release Secret as `helm install` (helm v4.3.2) stores it: data.release = base64(base64(gzip(
 * JSON))), the JSON with the fields, order and types helm writes (test/clients/helm/helm.test.ts
 * holds it against a release the real helm stored).
 */
function helmReleaseSecret(rng: Rng, time: string, webReplicas: number): KubeObject {
  const template =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {{ .Values.web.replicas }}\n';
  const release = {
    name: 'shop',
    info: {
      first_deployed: time,
      last_deployed: time,
      description: 'Install complete',
      status: 'deployed',
      notes: 'The shop is served by the web Deployment in namespace shop.\n',
    },
    chart: {
      metadata: {
        name: 'shop',
        version: '2.4.1',
        description: 'The shop: its web front end and Redis.',
        apiVersion: 'v2',
        appVersion: '2.4.1',
        type: 'application',
      },
      lock: null,
      templates: [{ name: 'templates/web.yaml', data: Buffer.from(template).toString('base64'), modtime: time }],
      values: { web: { replicas: 2 }, redis: { replicas: 3 } },
      schema: null,
      schemamodtime: '0001-01-01T00:00:00Z',
      files: null,
      modtime: time,
    },
    config: { web: { replicas: webReplicas }, redis: { replicas: 3 } },
    manifest: `---\n# Source: shop/templates/web.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${webReplicas}\n`,
    version: 1,
    namespace: 'shop',
    apply_method: 'ssa',
  };
  const inner = gzipSync(Buffer.from(JSON.stringify(release)), { level: 9 }).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: 'sh.helm.release.v1.shop.v1',
      namespace: 'shop',
      uid: rng.uuid(),
      creationTimestamp: time,
      // modifiedAt: when helm last wrote the record, in Unix seconds.
      labels: {
        modifiedAt: String(Math.floor(Date.parse(time) / 1000)),
        name: 'shop',
        owner: 'helm',
        status: 'deployed',
        version: '1',
      },
    },
    data: { release: Buffer.from(inner).toString('base64') },
  };
}
