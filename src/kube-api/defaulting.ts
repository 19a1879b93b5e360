/**
 * Pod admission: the scheduling-relevant admission plugins a real cluster applies to a pod before the
 * scheduler sees it (scheduler-spec §3.6), on top of the decode-time pod defaults (`pod-defaults.ts`):
 * - the `Priority` admission plugin (spec.priority and preemptionPolicy from the PriorityClass, or the
 *   global default class, or 0);
 * - `DefaultTolerationSeconds` (not-ready / unreachable NoExecute tolerations for 300 s);
 * - `ServiceAccount` (serviceAccountName `default`; the token volume is the simulated cluster's);
 * - `RuntimeClass` (spec.overhead from the class's overhead.podFixed);
 * - the pod strategy's matchLabelKeys merge into pod (anti-)affinity terms.
 *
 * Pure: used by the simulated cluster (admission) and by the language server (predictions from
 * manifests). Admission mutates the pod it is given; callers pass objects they own (parsed request
 * bodies, freshly generated or loaded objects). Admitting twice changes nothing more.
 */
import { mutatePodAffinity } from './pod-affinity-label-keys';
import { defaultPod } from './pod-defaults';
import type { KubeObject, Pod, PodSpec, Toleration } from './types';

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

/** Why admission would reject a pod: the field, the reason, and kube-apiserver's message. */
export interface AdmissionRejection {
  field: 'spec.priorityClassName' | 'spec.runtimeClassName';
  reason: string;
  message: string;
}

/**
 * Admits a pod: kube-apiserver's decode-time pod defaults (`defaultPod`, idempotent), then the Priority, DefaultTolerationSeconds, ServiceAccount and
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
  defaultPod(pod);
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
