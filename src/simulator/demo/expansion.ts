/**
 * What the demo generator's per-kind expanders share: the compact workload definitions, the expansion
 * context (random source, planned nodes, output list, counters), one workload's `Expansion` (its
 * defaulted template, identity and placement), and `emitPod`, which gives a placed pod its kubelet status.
 */
import { lookupFromObjects, type AdmissionLookup } from '../../kube-api/defaulting';
import type { KubeObject, PodSpec, Toleration } from '../../kube-api/types';
import { podIPFromCIDR, runningPodStatus, succeededPodStatus } from '../controllers/pod-status';
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

/** `now` minus `seconds`, in the API server's second precision. */
export function isoMinus(now: string, seconds: number): string {
  return new Date(Date.parse(now) - seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Returns an ISO time `days` before `now`, in the API server's second precision. */
export function daysAgo(now: string, days: number): string {
  return isoMinus(now, Math.round(days * 86400));
}

/** One pod to emit: identity, owner, spec and where it runs (undefined: Pending). */
export interface PodSeed {
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
export function emitPod(ctx: ExpandContext, s: PodSeed): KubeObject {
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

/** What one pod of a workload asks for: milli-CPU, bytes of memory, GPUs. */
export interface Need {
  cpu: number;
  mem: number;
  gpu: number;
}

/** A defaulted pod template: labels and spec. */
export interface Template {
  metadata: { labels: Record<string, string> };
  spec: PodSpec & Record<string, unknown>;
}

/**
 * One workload being expanded, built once by `expandWorkload` and handed to its kind's expander. The
 * expander appends its top object (and a ReplicaSet) to `ctx.out` and its pods to `pods`;
 * `expandWorkload` then gives the pods their namespace, appends them and adds the Service.
 */
export interface Expansion {
  readonly ctx: ExpandContext;
  readonly def: WorkloadDef;
  /** The workload's defaulted pod template. */
  readonly template: Template;
  /** The top object's uid. */
  readonly uid: string;
  readonly ns: string;
  /** The top object's metadata (name, namespace, uid, creationTimestamp, generation, labels). */
  readonly meta: {
    name: string;
    namespace: string;
    uid: string;
    creationTimestamp: string;
    generation: number;
    labels: Record<string, string>;
  };
  /** What one pod asks for. */
  readonly need: Need;
  /** The container image (placed pods add it to their node's images). */
  readonly image: string;
  /** The planned nodes the pods may run on, in round-robin order. */
  readonly candidates: PlannedNode[];
  /** The pods created so far. */
  readonly pods: KubeObject[];
  /** A fresh admitted pod spec from the template (priority, tolerations, service account...). */
  podSpecBase(): PodSpec & Record<string, unknown>;
  /** Picks and books the next node for one pod; undefined when nothing fits (the pod stays Pending). */
  place(): PlannedNode | undefined;
}
