/**
 * Turns a pod spec found in a manifest into the pod kube-scheduler would see: a Pod as written, or
 * the pod a controller would create from a workload's template (namespace, labels, owner, and for
 * DaemonSets the tolerations the DaemonSet controller adds).
 *
 * Pure; never mutates the parsed manifest (the user's document is never touched either way).
 */
import type { ManifestDocument, PodSpecLocation } from '../services/manifest';
import { isRecord } from '../services/manifest';
import { withKind, type InputError, type Handle } from '../../scheduler';
import { admitPodDetailed, lookupFromObjects } from '../../kube-api/defaulting';
import { daemonSetTolerations } from '../../kube-api/daemonset';
import type { Toleration } from '../../kube-api/types';

/** A pod as plain JSON. */
export type PodObject = {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: Record<string, unknown> & { name: string; namespace: string };
  spec: Record<string, unknown>;
};

/**
 * The pod for `spec` of `doc`. `defaultNamespace` applies when the manifest names none. The
 * result shares nested values with the manifest; callers must not mutate it.
 */
export function podFromSpec(doc: ManifestDocument, spec: PodSpecLocation, defaultNamespace: string): PodObject {
  const template = spec.template;
  const md = isRecord(template['metadata']) ? template['metadata'] : {};
  const podSpec = isRecord(template['spec']) ? template['spec'] : {};
  const namespace = typeof doc.namespace === 'string' && doc.namespace !== '' ? doc.namespace : defaultNamespace;
  const base = doc.name ?? (typeof md['name'] === 'string' ? md['name'] : 'pod');
  if (doc.kind === 'Pod') {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...md, name: typeof md['name'] === 'string' ? md['name'] : 'pod', namespace },
      spec: podSpec,
    };
  }
  const metadata: PodObject['metadata'] = {
    ...md,
    name: `${base}-kube-forecast`,
    namespace,
    // A Deployment's pods belong to the ReplicaSet it creates; kube-scheduler's default spreading looks the owner up.
    ownerReferences: [
      doc.kind === 'Deployment'
        ? {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `${base}-kube-forecast`,
            uid: `kube-forecast/${namespace}/${base}`,
            controller: true,
          }
        : {
            apiVersion: doc.apiVersion ?? '',
            kind: doc.kind ?? '',
            name: base,
            uid: `kube-forecast/${namespace}/${base}`,
            controller: true,
          },
    ],
  };
  if (doc.kind !== 'DaemonSet') return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec };
  const hostNetwork = podSpec['hostNetwork'] === true;
  const tolerations = daemonSetTolerations(podSpec['tolerations'] as Toleration[] | undefined, hostNetwork);
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...podSpec, tolerations } };
}

/**
 * Admits the pod as kube-apiserver would when it is created (src/kube-api/defaulting.ts `admitPodDetailed`, the
 * code the simulated cluster admits pods with): core defaults, priority and preemptionPolicy from its
 * PriorityClass (or the globalDefault one), DefaultTolerationSeconds, RuntimeClass overhead and the
 * matchLabelKeys merge; the manifest itself carries none of that. Returns an admitted copy, and an
 * error naming the field when kube-apiserver would reject the pod.
 */
export function admitPriority(pod: PodObject, handle: Handle): { pod: PodObject; error?: InputError } {
  const admitted = expandedCopy(pod);
  const lookup = lookupFromObjects([
    ...withKind(handle.objects('PriorityClass'), 'PriorityClass'),
    ...withKind(handle.objects('RuntimeClass'), 'RuntimeClass'),
  ]);
  const rejection = admitPodDetailed(admitted as never, lookup);
  if (rejection === undefined) return { pod: admitted };
  const value = admitted.spec[rejection.field.slice('spec.'.length)];
  return {
    pod: admitted,
    error: {
      field: rejection.field,
      message: `${rejection.field}: Invalid value: ${JSON.stringify(value)}: ${rejection.reason}; kube-apiserver would reject the pod`,
    },
  };
}

/**
 * A copy of `v` in which no object appears twice: a YAML alias (one object at several places of the
 * manifest) becomes separate copies, as in the JSON kube-apiserver receives, so admission changing one
 * place in place (DefaultTolerationSeconds appends to `tolerations`) does not change the others
 * (`tolerations: *terms` aliasing affinity terms made them tolerations: found by fuzz:lsp). Arrays
 * and plain objects are copied; other values (dates, binary) are shared; a cycle (an alias inside
 * its own anchor) keeps its back reference, as structuredClone did.
 */
function expandedCopy<T>(v: T, path = new Set<object>()): T {
  if (typeof v !== 'object' || v === null || path.has(v)) return v;
  const proto: unknown = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return v;
  path.add(v);
  const out = Array.isArray(v)
    ? v.map((x: unknown) => expandedCopy(x, path))
    : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandedCopy(x, path)]));
  path.delete(v);
  return out as T;
}
