/**
 * Shared helpers for the simulated controllers: resource refs, keys, owner references, pod predicates
 * and a structural equality used to skip no-op writes.
 */
import { isTerminalPod } from '../../kube-api/pod-phase';
import type { ResourceRef } from '../store/registry';
import type { KubeObject, OwnerReference } from '../store/types';

/** Resource refs of the kinds the controllers read and write. */
export const REF = {
  pods: { group: '', resource: 'pods' },
  nodes: { group: '', resource: 'nodes' },
  events: { group: '', resource: 'events' },
  namespaces: { group: '', resource: 'namespaces' },
  services: { group: '', resource: 'services' },
  priorityClasses: { group: 'scheduling.k8s.io', resource: 'priorityclasses' },
  runtimeClasses: { group: 'node.k8s.io', resource: 'runtimeclasses' },
  deployments: { group: 'apps', resource: 'deployments' },
  replicaSets: { group: 'apps', resource: 'replicasets' },
  statefulSets: { group: 'apps', resource: 'statefulsets' },
  daemonSets: { group: 'apps', resource: 'daemonsets' },
  jobs: { group: 'batch', resource: 'jobs' },
  cronJobs: { group: 'batch', resource: 'cronjobs' },
} as const satisfies Record<string, ResourceRef>;

/** Storage keys (`group/resource`) as they appear in `WatchEvent.refKey`. */
export const KEY = {
  namespaces: '/namespaces',
  services: '/services',
  pods: '/pods',
  nodes: '/nodes',
  deployments: 'apps/deployments',
  replicaSets: 'apps/replicasets',
  statefulSets: 'apps/statefulsets',
  daemonSets: 'apps/daemonsets',
  jobs: 'batch/jobs',
  cronJobs: 'batch/cronjobs',
  priorityClasses: 'scheduling.k8s.io/priorityclasses',
} as const;

/** `namespace/name` (or `name` for cluster-scoped objects). */
export function objKey(o: KubeObject): string {
  const ns = o.metadata.namespace;
  return ns ? `${ns}/${o.metadata.name ?? ''}` : (o.metadata.name ?? '');
}

/** Splits an `objKey` back into namespace and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The controlling owner reference (`controller: true`), if any. */
export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** An owner reference pointing at `owner` with controller and blockOwnerDeletion set. */
export function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True for pods in phase Succeeded or Failed (src/kube-api/pod-phase.ts). */
export const isTerminal = isTerminalPod;

/** True for pods that count toward a controller's replicas (`controller.IsPodActive`). */
export function isActive(pod: KubeObject): boolean {
  return !isTerminal(pod) && pod.metadata.deletionTimestamp === undefined;
}

/** True when the pod's Ready condition is True. */
export function isReady(pod: KubeObject): boolean {
  const conds: { type?: string; status?: string }[] = pod['status']?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Equality of JSON values, key order ignored (src/kube-api/json-equal.ts). */
export { jsonEqual } from '../../kube-api/json-equal';

/** RFC 3339 time with second precision, as the API server writes it. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Resolves an int-or-percent (`maxSurge` style) against a total; percentages round up or down. */
export function intOrPercent(v: unknown, total: number, roundUp: boolean, dflt: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) {
    const p = Number(v.slice(0, -1));
    if (Number.isFinite(p)) return roundUp ? Math.ceil((p * total) / 100) : Math.floor((p * total) / 100);
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return dflt;
}

/** A JSON object read by field path (wire-format objects from the store or a snapshot). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON is read by field path, like the store's KubeObject.
export type LooseObject = Record<string, any>;
