/**
 * API-server defaulting and the scheduling-relevant admission plugins a real cluster applies to objects
 * before the scheduler or the controllers see them (scheduler-spec §3.6):
 * - core/v1 `SetDefaults_*` for pods and pod templates (restartPolicy, dnsPolicy, schedulerName,
 *   enableServiceLinks, terminationGracePeriodSeconds, imagePullPolicy, requests from limits, hostPort
 *   under hostNetwork, port protocols);
 * - the `Priority` admission plugin (spec.priority and preemptionPolicy from the PriorityClass, or the
 *   global default class, or 0);
 * - `DefaultTolerationSeconds` (not-ready / unreachable NoExecute tolerations for 300 s);
 * - `ServiceAccount` (serviceAccountName `default`; the token volume is not injected);
 * - `RuntimeClass` (spec.overhead from the class's overhead.podFixed);
 * - apps/v1 and batch/v1 workload defaults, Service and Namespace defaults.
 *
 * Pure: used by the simulated cluster (admission) and by the language server (predictions from
 * manifests). Every function here mutates the object it is given and returns it; callers pass objects they own
 * (parsed request bodies, freshly generated or loaded objects). All defaults are idempotent.
 */
import { mutatePodAffinity } from './pod-affinity-label-keys';
import type { Container, KubeObject, Pod, PodSpec, Toleration } from './types';

/** Looks up the cluster-scoped objects admission consults. */
export interface AdmissionLookup {
  /** Returns the PriorityClass with this name, if any. */
  priorityClass(name: string): KubeObject | undefined;
  /** Returns the PriorityClass marked `globalDefault: true`, if any. */
  globalDefaultPriorityClass(): KubeObject | undefined;
  /** Returns the RuntimeClass with this name, if any. */
  runtimeClass(name: string): KubeObject | undefined;
}

/** An admission lookup that knows no classes (priority resolves to 0). */
export const EMPTY_LOOKUP: AdmissionLookup = {
  priorityClass: () => undefined,
  globalDefaultPriorityClass: () => undefined,
  runtimeClass: () => undefined,
};

/** The system PriorityClasses every real cluster has, with their values. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/** Builds a lookup over a list of objects (PriorityClasses and RuntimeClasses are picked out). */
export function lookupFromObjects(objects: Iterable<KubeObject>): AdmissionLookup {
  const pcs = new Map<string, KubeObject>();
  const rcs = new Map<string, KubeObject>();
  let globalDefault: KubeObject | undefined;
  for (const o of objects) {
    const name = o.metadata?.name;
    if (!name) continue;
    if (o.kind === 'PriorityClass') {
      pcs.set(name, o);
      if ((o as { globalDefault?: boolean }).globalDefault === true) globalDefault = o;
    } else if (o.kind === 'RuntimeClass') rcs.set(name, o);
  }
  return {
    priorityClass: (n) => pcs.get(n) ?? systemPriorityClass(n),
    globalDefaultPriorityClass: () => globalDefault,
    runtimeClass: (n) => rcs.get(n),
  };
}

/** Returns the built-in system PriorityClass object for a system class name, else undefined. */
export function systemPriorityClass(name: string): KubeObject | undefined {
  const value = SYSTEM_PRIORITY_CLASSES[name];
  if (value === undefined) return undefined;
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value };
}

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** Applies core/v1 defaults to a pod spec (also used for workload templates). */
export function defaultPodSpec(spec: PodSpec & Record<string, unknown>): PodSpec & Record<string, unknown> {
  spec.restartPolicy ??= 'Always';
  spec['dnsPolicy'] ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec['terminationGracePeriodSeconds'] ??= 30;
  spec['securityContext'] ??= {};
  spec['enableServiceLinks'] ??= true;
  if (Array.isArray(spec.containers)) for (const c of spec.containers) defaultContainer(c, spec.hostNetwork === true);
  if (Array.isArray(spec.initContainers)) {
    for (const c of spec.initContainers) defaultContainer(c, spec.hostNetwork === true);
  }
  return spec;
}

function defaultContainer(container: Container, hostNetwork: boolean): void {
  if (container == null || typeof container !== 'object') return;
  const c = container as Container & Record<string, unknown>;
  c['terminationMessagePath'] ??= '/dev/termination-log';
  c['terminationMessagePolicy'] ??= 'File';
  if (c['imagePullPolicy'] === undefined && typeof c.image === 'string') {
    const lastPart = c.image.slice(c.image.lastIndexOf('/') + 1);
    const tagged = lastPart.includes(':') && !c.image.includes('@');
    c['imagePullPolicy'] = c.image.includes('@')
      ? 'IfNotPresent'
      : !tagged || lastPart.endsWith(':latest')
        ? 'Always'
        : 'IfNotPresent';
  }
  c.resources ??= {};
  const limits = c.resources.limits;
  if (limits && typeof limits === 'object') {
    for (const k of Object.keys(limits)) {
      c.resources.requests ??= {};
      if (c.resources.requests[k] === undefined) c.resources.requests[k] = limits[k]!;
    }
  }
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) {
      if (p == null || typeof p !== 'object') continue;
      p.protocol ??= 'TCP';
      if (hostNetwork && (p.hostPort === undefined || p.hostPort === 0)) p.hostPort = p.containerPort;
    }
  }
}

/** Why admission would reject a pod: the field, the reason, and kube-apiserver's message. */
export interface AdmissionRejection {
  field: 'spec.priorityClassName' | 'spec.runtimeClassName';
  reason: string;
  message: string;
}

/**
 * Admits a pod: core defaults, then the Priority, DefaultTolerationSeconds, ServiceAccount and
 * RuntimeClass admission plugins, and the pod strategy's matchLabelKeys merge into affinity terms.
 * Returns why admission would reject the pod (an unknown PriorityClass or RuntimeClass), else
 * undefined. A pod whose `spec.priority` is already set (e.g. from a real cluster's snapshot) keeps it.
 */
export function admitPodDetailed(
  pod: KubeObject,
  lookup: AdmissionLookup = EMPTY_LOOKUP,
): AdmissionRejection | undefined {
  pod.spec ??= {};
  const spec = pod.spec as PodSpec & Record<string, unknown>;
  defaultPodSpec(spec);
  pod.status ??= {};
  (pod.status as { phase?: string }).phase ??= 'Pending';
  let rejection: AdmissionRejection | undefined;
  if (typeof spec.priority !== 'number') {
    let pc: KubeObject | undefined;
    if (spec.priorityClassName) {
      pc = lookup.priorityClass(spec.priorityClassName);
      if (!pc) {
        const reason = `no PriorityClass with name ${spec.priorityClassName} was found`;
        rejection = {
          field: 'spec.priorityClassName',
          reason,
          message: `pods "${pod.metadata?.name ?? ''}" is forbidden: ${reason}`,
        };
      }
    } else {
      pc = lookup.globalDefaultPriorityClass();
      if (pc?.metadata?.name) spec.priorityClassName = pc.metadata.name;
    }
    const v = (pc as { value?: unknown } | undefined)?.value;
    spec.priority = typeof v === 'number' ? v : 0;
    spec.preemptionPolicy ??=
      (pc as { preemptionPolicy?: string } | undefined)?.preemptionPolicy ?? 'PreemptLowerPriority';
  }
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.tolerations = addDefaultTolerations(spec.tolerations);
  // The pod strategy's PrepareForCreate: matchLabelKeys/mismatchLabelKeys of pod (anti-)affinity
  // terms become requirements of their labelSelector (gate MatchLabelKeysInPodAffinity, on since v1.31).
  const merged = mutatePodAffinity(pod as Pod);
  if (merged !== (pod as Pod) && merged.spec?.affinity) spec.affinity = merged.spec.affinity;
  if (spec['serviceAccountName'] === undefined) spec['serviceAccountName'] = spec['serviceAccount'] ?? 'default';
  spec['serviceAccount'] ??= spec['serviceAccountName'];
  const rcName = spec['runtimeClassName'];
  if (typeof rcName === 'string' && spec.overhead === undefined) {
    const rc = lookup.runtimeClass(rcName);
    if (!rc) {
      const reason = `RuntimeClass "${rcName}" not found`;
      rejection ??= { field: 'spec.runtimeClassName', reason, message: `pod rejected: ${reason}` };
    }
    const fixed = (rc as { overhead?: { podFixed?: Record<string, string> } } | undefined)?.overhead?.podFixed;
    if (fixed) spec.overhead = { ...fixed };
  }
  return rejection;
}

/** `admitPodDetailed`, answering kube-apiserver's rejection message (or undefined when admitted). */
export function admitPod(pod: KubeObject, lookup: AdmissionLookup = EMPTY_LOOKUP): string | undefined {
  return admitPodDetailed(pod, lookup)?.message;
}

/** Adds the DefaultTolerationSeconds tolerations unless a toleration for those taints exists. */
function addDefaultTolerations(tolerations: Toleration[] | undefined): Toleration[] {
  const out = Array.isArray(tolerations) ? tolerations : [];
  const covers = (key: string): boolean =>
    out.some(
      (t) =>
        t != null &&
        (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute') &&
        (t.key === key || ((t.key === undefined || t.key === '') && t.operator === 'Exists')),
    );
  if (!covers(NOT_READY)) out.push({ key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  if (!covers(UNREACHABLE))
    out.push({ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  return out;
}

type Spec = Record<string, unknown> & {
  template?: { metadata?: Record<string, unknown>; spec?: PodSpec & Record<string, unknown> };
};

function defaultTemplate(spec: Spec): void {
  if (spec.template && typeof spec.template === 'object') {
    spec.template.spec ??= {};
    defaultPodSpec(spec.template.spec);
  }
}

/**
 * Applies the API server's defaults to any object by kind, running pod admission for Pods. Returns an
 * admission error message (see `admitPod`) or undefined. Unknown kinds are left unchanged.
 */
export function applyDefaults(obj: KubeObject, lookup: AdmissionLookup = EMPTY_LOOKUP): string | undefined {
  if (obj == null || typeof obj !== 'object') return undefined;
  const group = typeof obj.apiVersion === 'string' && obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  const spec = (obj.spec && typeof obj.spec === 'object' ? obj.spec : undefined) as Spec | undefined;
  switch (`${group}/${obj.kind}`) {
    case '/Pod':
      return admitPod(obj, lookup);
    case 'apps/Deployment':
      if (!spec) return undefined;
      spec['replicas'] ??= 1;
      spec['revisionHistoryLimit'] ??= 10;
      spec['progressDeadlineSeconds'] ??= 600;
      spec['strategy'] ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
      defaultTemplate(spec);
      return undefined;
    case 'apps/ReplicaSet':
    case '/ReplicationController':
      if (!spec) return undefined;
      spec['replicas'] ??= 1;
      defaultTemplate(spec);
      return undefined;
    case 'apps/StatefulSet':
      if (!spec) return undefined;
      spec['replicas'] ??= 1;
      spec['podManagementPolicy'] ??= 'OrderedReady';
      spec['updateStrategy'] ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      spec['revisionHistoryLimit'] ??= 10;
      spec['persistentVolumeClaimRetentionPolicy'] ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultTemplate(spec);
      return undefined;
    case 'apps/DaemonSet':
      if (!spec) return undefined;
      spec['updateStrategy'] ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      spec['revisionHistoryLimit'] ??= 10;
      defaultTemplate(spec);
      return undefined;
    case 'batch/Job':
      if (!spec) return undefined;
      if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
        spec['completions'] = 1;
        spec['parallelism'] = 1;
      }
      spec['parallelism'] ??= 1;
      spec['backoffLimit'] ??= 6;
      spec['completionMode'] ??= 'NonIndexed';
      spec['suspend'] ??= false;
      defaultTemplate(spec);
      return undefined;
    case 'batch/CronJob':
      if (!spec) return undefined;
      spec['concurrencyPolicy'] ??= 'Allow';
      spec['suspend'] ??= false;
      spec['successfulJobsHistoryLimit'] ??= 3;
      spec['failedJobsHistoryLimit'] ??= 1;
      return undefined;
    case '/Service': {
      if (!spec) return undefined;
      spec['type'] ??= 'ClusterIP';
      spec['sessionAffinity'] ??= 'None';
      const ports = spec['ports'];
      if (Array.isArray(ports)) {
        for (const p of ports as Record<string, unknown>[]) {
          if (p == null || typeof p !== 'object') continue;
          p['protocol'] ??= 'TCP';
          p['targetPort'] ??= p['port'];
        }
      }
      return undefined;
    }
    case '/Namespace': {
      obj.metadata ??= {};
      const name = obj.metadata.name;
      if (name) obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': name };
      obj.spec ??= { finalizers: ['kubernetes'] };
      obj.status ??= { phase: 'Active' };
      return undefined;
    }
    default:
      return undefined;
  }
}
