/**
 * Expands compact workload definitions into the objects a real cluster would hold after its controllers
 * and scheduler ran: Deployment → ReplicaSet → Pods, StatefulSet → ordinal Pods, DaemonSet → one Pod per
 * eligible node, Job → Pods, each Pod placed on a node (or left Pending) and given a kubelet status.
 *
 * Allocation notes: the pods of one controller share their `labels`, `ownerReferences` and container
 * arrays by reference, and differ only in name, uid, nodeName and status. Consumers must treat objects
 * as immutable (replace, never mutate in place), which the store does.
 */
import { daemonPodAffinity, daemonSetTolerations } from '../../kube-api/daemonset';
import { tolerationsTolerateTaint } from '../../kube-api/tolerations';
import type { KubeObject, PodSpec, Toleration } from '../../kube-api/types';
import { admitPod, lookupFromObjects, type AdmissionLookup } from '../../kube-api/defaulting';
import { defaultPodSpec } from '../../kube-api/pod-defaults';
import { computePodTemplateHash, fnv32a, POD_TEMPLATE_HASH_LABEL } from '../controllers/pod-template-hash';
import { podIPFromCIDR, runningPodStatus, succeededPodStatus, condition } from '../controllers/pod-status';
import { milliValueOrZero, valueOrZero } from '../../kube-api/quantity';
import type { PlannedNode } from './nodes';
import type { Rng } from '../util/rng';

/** What a workload's pods run and need. */
export interface PodTemplateDef {
  readonly image: string;
  readonly container?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly limitsCpu?: string;
  readonly limitsMemory?: string;
  readonly gpu?: number;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: Toleration[];
  readonly priorityClassName?: string;
  readonly hostNetwork?: boolean;
  readonly ports?: { name?: string; containerPort: number; protocol?: string }[];
  readonly args?: string[];
  /** Adds a preferred pod anti-affinity on kubernetes.io/hostname for the workload's labels. */
  readonly spreadHosts?: boolean;
  /** Adds a zone topology spread constraint (ScheduleAnyway). */
  readonly spreadZones?: boolean;
  readonly restartPolicy?: string;
  readonly serviceAccountName?: string;
}

/** A compact workload definition. */
export interface WorkloadDef {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly labels: Record<string, string>;
  readonly template: PodTemplateDef;
  readonly service?: {
    name?: string;
    ports: { name: string; port: number; targetPort?: number; protocol?: string }[];
    headless?: boolean;
    clusterIP?: string;
  };
  /** Job only: completions and whether the job has already finished. */
  readonly completions?: number;
  readonly finished?: boolean;
  /** Job only: the owning CronJob's name and uid. */
  readonly cronJob?: { name: string; uid: string };
  readonly createdAt: string;
}

/** Mutable state shared while expanding workloads. */
export interface ExpandContext {
  readonly rng: Rng;
  readonly nodes: PlannedNode[];
  readonly now: string;
  readonly lookup: AdmissionLookup;
  readonly out: KubeObject[];
  /** Next ClusterIP offset inside 10.96.0.0/12. */
  nextServiceIP: number;
  /** Round-robin cursors per placement group. */
  readonly cursors: Map<string, number>;
  /** Eligible nodes per (nodeSelector, tolerations) pair, computed once. */
  readonly candidates: Map<string, PlannedNode[]>;
  /** Pods left unscheduled. */
  pending: number;
  pods: number;
}

/** Creates an expansion context over planned nodes; the lookup is built from the given PriorityClasses. */
export function newExpandContext(
  rng: Rng,
  nodes: PlannedNode[],
  now: string,
  priorityClasses: KubeObject[],
  out: KubeObject[],
): ExpandContext {
  return {
    rng,
    nodes,
    now,
    lookup: lookupFromObjects(priorityClasses),
    out,
    nextServiceIP: 20,
    cursors: new Map(),
    candidates: new Map(),
    pending: 0,
    pods: 0,
  };
}

/** Builds a defaulted pod template for a definition. */
export function buildTemplate(
  def: PodTemplateDef,
  labels: Record<string, string>,
): { metadata: { labels: Record<string, string> }; spec: PodSpec & Record<string, unknown> } {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (def.cpu) requests['cpu'] = def.cpu;
  if (def.memory) requests['memory'] = def.memory;
  if (def.limitsCpu) limits['cpu'] = def.limitsCpu;
  if (def.limitsMemory) limits['memory'] = def.limitsMemory;
  if (def.gpu) {
    requests['nvidia.com/gpu'] = String(def.gpu);
    limits['nvidia.com/gpu'] = String(def.gpu);
  }
  const resources: Record<string, unknown> = {};
  if (Object.keys(requests).length > 0) resources['requests'] = requests;
  if (Object.keys(limits).length > 0) resources['limits'] = limits;
  const container: Record<string, unknown> = { name: def.container ?? 'main', image: def.image, resources };
  if (def.args) container['args'] = def.args;
  if (def.ports) container['ports'] = def.ports.map((p) => ({ ...p }));
  const spec: PodSpec & Record<string, unknown> = { containers: [container] };
  if (def.nodeSelector) spec.nodeSelector = { ...def.nodeSelector };
  if (def.tolerations) spec.tolerations = def.tolerations.map((t) => ({ ...t }));
  if (def.priorityClassName) spec.priorityClassName = def.priorityClassName;
  if (def.hostNetwork) spec.hostNetwork = true;
  if (def.restartPolicy) spec.restartPolicy = def.restartPolicy;
  if (def.serviceAccountName) spec['serviceAccountName'] = def.serviceAccountName;
  if (def.spreadHosts) {
    spec.affinity = {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: { labelSelector: { matchLabels: { ...labels } }, topologyKey: 'kubernetes.io/hostname' },
          },
        ],
      },
    };
  }
  if (def.spreadZones) {
    spec.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { ...labels } },
      },
    ];
  }
  defaultPodSpec(spec);
  return { metadata: { labels: { ...labels } }, spec };
}

/** Whether a planned node passes a pod's nodeSelector and NoSchedule/NoExecute taints. */
export function eligible(
  node: PlannedNode,
  spec: PodSpec,
  nodeLabels: (n: PlannedNode) => Record<string, string>,
): boolean {
  for (const taint of node.taints) {
    if (taint.effect !== 'PreferNoSchedule' && !tolerationsTolerateTaint(spec.tolerations, taint, false).tolerated)
      return false;
  }
  if (spec.nodeSelector) {
    const labels = nodeLabels(node);
    for (const k of Object.keys(spec.nodeSelector)) if (labels[k] !== spec.nodeSelector[k]) return false;
  }
  return true;
}

/** The labels placement can see on a planned node (the subset nodeSelectors in the demo use). */
export function plannedNodeLabels(n: PlannedNode): Record<string, string> {
  return {
    pool: n.pool === 'control-plane' ? 'system' : n.pool,
    'kubernetes.io/hostname': n.name,
    'topology.kubernetes.io/zone': n.zone,
  };
}

interface Need {
  cpu: number;
  mem: number;
  gpu: number;
}

function needOf(spec: PodSpec): Need {
  let cpu = 0;
  let mem = 0;
  let gpu = 0;
  for (const c of spec.containers ?? []) {
    const r = c.resources?.requests ?? {};
    cpu += milliValueOrZero(r['cpu']);
    mem += valueOrZero(r['memory']);
    gpu += valueOrZero(r['nvidia.com/gpu']);
  }
  return { cpu, mem, gpu };
}

function fits(n: PlannedNode, need: Need): boolean {
  return (
    n.usedPods < n.allocPods &&
    n.usedMilliCpu + need.cpu <= n.allocMilliCpu &&
    n.usedMemory + need.mem <= n.allocMemory &&
    n.usedGpu + need.gpu <= n.allocGpu
  );
}

function assign(n: PlannedNode, need: Need, image: string): void {
  n.usedPods++;
  n.usedMilliCpu += need.cpu;
  n.usedMemory += need.mem;
  n.usedGpu += need.gpu;
  n.images.add(image);
}

/** Picks a node round-robin among eligible nodes that fit; undefined when nothing fits. */
function pickNode(ctx: ExpandContext, group: string, candidates: PlannedNode[], need: Need): PlannedNode | undefined {
  if (candidates.length === 0) return undefined;
  const start = ctx.cursors.get(group) ?? 0;
  for (let i = 0; i < candidates.length; i++) {
    const n = candidates[(start + i) % candidates.length]!;
    if (fits(n, need)) {
      ctx.cursors.set(group, (start + i + 1) % candidates.length);
      return n;
    }
  }
  return undefined;
}

function isoMinus(now: string, seconds: number): string {
  return new Date(Date.parse(now) - seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Returns an ISO time `days` before `now`, in the API server's second precision. */
export function daysAgo(now: string, days: number): string {
  return isoMinus(now, Math.round(days * 86400));
}

interface PodSeed {
  name: string;
  generateName?: string;
  labels: Record<string, string>;
  ownerReferences: {
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller: boolean;
    blockOwnerDeletion: boolean;
  }[];
  spec: PodSpec & Record<string, unknown>;
  node: PlannedNode | undefined;
  createdAt: string;
  succeeded?: boolean;
  annotations?: Record<string, string>;
}

/** Creates one pod object from a seed, with a running (or succeeded, or pending) status. */
function emitPod(ctx: ExpandContext, s: PodSeed): KubeObject {
  const metadata: Record<string, unknown> = {
    name: s.name,
    namespace: '',
    uid: ctx.rng.uuid(),
    creationTimestamp: s.createdAt,
    labels: s.labels,
  };
  if (s.generateName) metadata['generateName'] = s.generateName;
  if (s.annotations) metadata['annotations'] = s.annotations;
  if (s.ownerReferences.length > 0) metadata['ownerReferences'] = s.ownerReferences;
  const spec = s.node ? { ...s.spec, nodeName: s.node.name } : { ...s.spec };
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: metadata as KubeObject['metadata'], spec };
  ctx.pods++;
  if (s.node) {
    const podIP = spec.hostNetwork ? s.node.internalIP : podIPFromCIDR(s.node.podCIDR, s.node.ipCount++);
    pod.status = runningPodStatus(pod, { hostIP: s.node.internalIP, podIP, time: s.createdAt });
    if (s.succeeded) pod.status = succeededPodStatus(pod, isoMinus(s.createdAt, -90));
  } else {
    ctx.pending++;
    pod.status = { phase: 'Pending', qosClass: 'Burstable' };
  }
  return pod;
}

/** Expands a definition, appends its objects (plus a Service) to `ctx.out` and returns the top object. */
export function expandWorkload(ctx: ExpandContext, def: WorkloadDef): KubeObject {
  const { rng, out } = ctx;
  const template = buildTemplate(def.template, def.labels);
  const uid = rng.uuid();
  const ns = def.namespace;
  const meta = {
    name: def.name,
    namespace: ns,
    uid,
    creationTimestamp: def.createdAt,
    generation: 1,
    labels: { ...def.labels },
  };
  const need = needOf(template.spec);
  const image = def.template.image;
  const pods: KubeObject[] = [];
  const podSpecBase = (): PodSpec & Record<string, unknown> => {
    const p: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: def.name },
      spec: { ...template.spec, tolerations: template.spec.tolerations?.slice() },
    };
    admitPod(p, ctx.lookup);
    return p.spec as PodSpec & Record<string, unknown>;
  };
  const candidateKey = JSON.stringify([template.spec.nodeSelector ?? null, template.spec.tolerations ?? null]);
  let candidates = ctx.candidates.get(candidateKey);
  if (!candidates) {
    candidates = ctx.nodes.filter((n) => eligible(n, template.spec, plannedNodeLabels));
    ctx.candidates.set(candidateKey, candidates);
  }
  const place = (): PlannedNode | undefined => {
    const n = pickNode(ctx, `${ns}/${def.name}`, candidates, need);
    if (n) assign(n, need, image);
    return n;
  };
  let top: KubeObject;
  let ready = 0;
  if (def.kind === 'Deployment') {
    const hash = computePodTemplateHash(template);
    const rsName = `${def.name}-${hash}`;
    const rsUid = rng.uuid();
    const podLabels = { ...def.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const owner = [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: rsName,
        uid: rsUid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    const spec = podSpecBase();
    const used = new Set<string>();
    for (let i = 0; i < def.replicas; i++) {
      let name: string;
      do name = `${rsName}-${rng.suffix()}`;
      while (used.has(name));
      used.add(name);
      const node = place();
      if (node) ready++;
      pods.push(
        emitPod(ctx, {
          name,
          generateName: `${rsName}-`,
          labels: podLabels,
          ownerReferences: owner,
          spec,
          node,
          createdAt: def.createdAt,
        }),
      );
    }
    top = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: {
        replicas: def.replicas,
        selector: { matchLabels: { ...def.labels } },
        template,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 1,
        replicas: def.replicas,
        updatedReplicas: def.replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        unavailableReplicas: def.replicas - ready || undefined,
        conditions: [
          {
            type: 'Available',
            status: ready >= def.replicas - Math.floor(def.replicas / 4) ? 'True' : 'False',
            lastUpdateTime: def.createdAt,
            lastTransitionTime: def.createdAt,
            reason:
              ready >= def.replicas - Math.floor(def.replicas / 4)
                ? 'MinimumReplicasAvailable'
                : 'MinimumReplicasUnavailable',
            message:
              ready >= def.replicas - Math.floor(def.replicas / 4)
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: def.createdAt,
            lastTransitionTime: def.createdAt,
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${rsName}" has successfully progressed.`,
          },
        ],
      },
    };
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ns,
        uid: rsUid,
        creationTimestamp: def.createdAt,
        generation: 1,
        labels: podLabels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(def.replicas),
          'deployment.kubernetes.io/max-replicas': String(def.replicas + Math.ceil(def.replicas / 4)),
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: def.name,
            uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      } as unknown as KubeObject['metadata'],
      spec: {
        replicas: def.replicas,
        selector: { matchLabels: podLabels },
        template: { metadata: { labels: podLabels }, spec: template.spec },
      },
      status: {
        replicas: def.replicas,
        fullyLabeledReplicas: def.replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: 1,
      },
    };
    out.push(top, rs);
  } else if (def.kind === 'StatefulSet') {
    const hash = computePodTemplateHash(template);
    const revision = `${def.name}-${hash}`;
    const owner = [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: def.name, uid, controller: true, blockOwnerDeletion: true },
    ];
    const base = podSpecBase();
    const serviceName = def.service ? def.name : `${def.name}-headless`;
    for (let i = 0; i < def.replicas; i++) {
      const node = place();
      if (node) ready++;
      const labels = {
        ...def.labels,
        'apps.kubernetes.io/pod-index': String(i),
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': `${def.name}-${i}`,
      };
      pods.push(
        emitPod(ctx, {
          name: `${def.name}-${i}`,
          generateName: `${def.name}-`,
          labels,
          ownerReferences: owner,
          spec: { ...base, hostname: `${def.name}-${i}`, subdomain: serviceName },
          node,
          createdAt: def.createdAt,
        }),
      );
    }
    top = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta,
      spec: {
        replicas: def.replicas,
        selector: { matchLabels: { ...def.labels } },
        serviceName,
        template,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
      status: {
        observedGeneration: 1,
        replicas: def.replicas,
        readyReplicas: ready,
        currentReplicas: def.replicas,
        updatedReplicas: def.replicas,
        availableReplicas: ready,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      },
    };
    out.push(top);
  } else if (def.kind === 'DaemonSet') {
    const hash = computePodTemplateHash(template);
    const labels = { ...def.labels, 'controller-revision-hash': hash, 'pod-template-generation': '1' };
    const owner = [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: def.name, uid, controller: true, blockOwnerDeletion: true },
    ];
    const base = podSpecBase();
    base.tolerations = daemonSetTolerations(base.tolerations, base.hostNetwork === true);
    let desired = 0;
    for (const node of candidates) {
      desired++;
      if (!fits(node, need)) continue;
      assign(node, need, image);
      ready++;
      const spec = { ...base, affinity: daemonPodAffinity(node.name) };
      pods.push(
        emitPod(ctx, {
          name: `${def.name}-${rng.suffix()}`,
          generateName: `${def.name}-`,
          labels,
          ownerReferences: owner,
          spec,
          node,
          createdAt: def.createdAt,
        }),
      );
    }
    top = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { ...meta, annotations: { 'deprecated.daemonset.template.generation': '1' } },
      spec: {
        selector: { matchLabels: { ...def.labels } },
        template,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: ready,
        desiredNumberScheduled: desired,
        numberAvailable: ready,
        numberMisscheduled: 0,
        numberReady: ready,
        observedGeneration: 1,
        updatedNumberScheduled: ready,
      },
    };
    out.push(top);
  } else {
    const completions = def.completions ?? 1;
    const jobLabels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': def.name,
      'controller-uid': uid,
      'job-name': def.name,
    };
    const podLabels = { ...def.labels, ...jobLabels };
    const jobTemplate = { metadata: { labels: podLabels }, spec: template.spec };
    const owner = [
      { apiVersion: 'batch/v1', kind: 'Job', name: def.name, uid, controller: true, blockOwnerDeletion: true },
    ];
    const base = podSpecBase();
    let succeeded = 0;
    for (let i = 0; i < completions; i++) {
      // A finished job's pods no longer hold resources, so they are placed without booking capacity.
      const node = def.finished ? pickNode(ctx, `${ns}/${def.name}`, candidates, { cpu: 0, mem: 0, gpu: 0 }) : place();
      if (node) node.images.add(image);
      if (def.finished && node) succeeded++;
      pods.push(
        emitPod(ctx, {
          name: `${def.name}-${rng.suffix()}`,
          generateName: `${def.name}-`,
          labels: podLabels,
          ownerReferences: owner,
          spec: base,
          node,
          createdAt: def.createdAt,
          succeeded: def.finished === true,
        }),
      );
    }
    const end = isoMinus(def.createdAt, -95);
    const metadata: Record<string, unknown> = { ...meta, labels: { ...def.labels, ...jobLabels } };
    if (def.cronJob) {
      metadata['ownerReferences'] = [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: def.cronJob.name,
          uid: def.cronJob.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ];
      metadata['annotations'] = { 'batch.kubernetes.io/cronjob-scheduled-timestamp': def.createdAt };
    }
    top = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: metadata as KubeObject['metadata'],
      spec: {
        parallelism: 1,
        completions,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        manualSelector: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
        template: jobTemplate,
      },
      status: def.finished
        ? {
            startTime: def.createdAt,
            completionTime: end,
            succeeded,
            ready: 0,
            terminating: 0,
            uncountedTerminatedPods: {},
            conditions: [
              {
                type: 'SuccessCriteriaMet',
                status: 'True',
                lastProbeTime: end,
                lastTransitionTime: end,
                reason: 'CompletionsReached',
                message: 'Reached expected number of succeeded pods',
              },
              {
                type: 'Complete',
                status: 'True',
                lastProbeTime: end,
                lastTransitionTime: end,
                reason: 'CompletionsReached',
                message: 'Reached expected number of succeeded pods',
              },
            ],
          }
        : {
            startTime: def.createdAt,
            active: pods.length,
            ready: pods.length,
            terminating: 0,
            uncountedTerminatedPods: {},
          },
    };
    out.push(top);
  }
  for (const p of pods) {
    p.metadata!.namespace = ns;
    out.push(p);
  }
  if (def.service) out.push(serviceFor(ctx, def));
  return top;
}

function serviceFor(ctx: ExpandContext, def: WorkloadDef): KubeObject {
  const svc = def.service!;
  let clusterIP = svc.clusterIP;
  if (svc.headless) clusterIP = 'None';
  if (!clusterIP) {
    const n = ctx.nextServiceIP++;
    clusterIP = `10.96.${(n >> 8) & 255}.${n & 255}`;
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: svc.name ?? def.name,
      namespace: def.namespace,
      uid: ctx.rng.uuid(),
      creationTimestamp: def.createdAt,
      labels: { ...def.labels },
    },
    spec: {
      clusterIP,
      clusterIPs: [clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: svc.ports.map((p) => ({
        name: p.name,
        port: p.port,
        protocol: p.protocol ?? 'TCP',
        targetPort: p.targetPort ?? p.port,
      })),
      selector: { ...def.labels },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
}

/** A hash-derived pseudo sha256 digest for an image name (stable across runs). */
export function imageDigest(image: string): string {
  let s = '';
  for (let i = 0; s.length < 64; i++) s += fnv32a(`${image}@${i}`).toString(16).padStart(8, '0');
  return s;
}

/** Re-export for the generator: a pod condition for Pending pods left to the scheduler. */
export { condition };
