/**
 * Which garbage-collection finalizers a DELETE puts on an object, as kube-apiserver's generic
 * registry does (apiserver/pkg/registry/generic/registry/store.go: shouldOrphanDependents,
 * shouldDeleteDependents, deletionFinalizersForGarbageCollection). The apiserver never looks at
 * dependents itself: it only records the policy as the `orphan` or `foregroundDeletion` finalizer, and
 * the garbage collector (the store's asynchronous pass) acts on it later.
 */
import { definitionOf } from './kinds';
import type { ResourceKind } from './registry';
import type { KubeObject } from './types';

/** The finalizer that orphans dependents (metav1.FinalizerOrphanDependents). */
export const ORPHAN = 'orphan';
/** The finalizer that deletes dependents first (metav1.FinalizerDeleteDependents). */
export const FOREGROUND = 'foregroundDeletion';

export type Propagation = 'Foreground' | 'Background' | 'Orphan';

/**
 * A kind's DefaultGarbageCollectionPolicy (its kind file's `gcPolicy`) for the one version served: OrphanDependents
 * for v1 ReplicationControllers and batch/v1 Jobs (kept for backwards compatibility), Unsupported for
 * Events (core and events.k8s.io share one storage), DeleteDependents (Background) for the rest.
 */
export function defaultPolicy(kind: ResourceKind): 'Orphan' | 'Background' | 'Unsupported' {
  return definitionOf(kind)?.gcPolicy ?? 'Background';
}

/**
 * The finalizers an object has after a DELETE with `policy` (undefined: none given): `orphan` and
 * `foregroundDeletion` are dropped, then added back as the explicit policy, else the object's own
 * finalizer, else the kind's default asks. Other finalizers keep their order.
 */
export function finalizersAfterDelete(kind: ResourceKind, obj: KubeObject, policy: Propagation | undefined): string[] {
  const current = obj.metadata.finalizers ?? [];
  const def = defaultPolicy(kind);
  if (def === 'Unsupported') return [...current];
  let effective: Propagation;
  if (policy !== undefined) effective = policy;
  else {
    const own = current.find((f) => f === ORPHAN || f === FOREGROUND);
    effective = own === ORPHAN ? 'Orphan' : own === FOREGROUND ? 'Foreground' : def;
  }
  const out = current.filter((f) => f !== ORPHAN && f !== FOREGROUND);
  if (effective === 'Orphan') out.push(ORPHAN);
  if (effective === 'Foreground') out.push(FOREGROUND);
  return sameSet(out, current) ? [...current] : out;
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
