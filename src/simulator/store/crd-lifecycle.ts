/**
 * What a CustomResourceDefinition's life does to the store: a written CRD registers the kind it
 * describes and is marked NamesAccepted and Established (as the naming and establishing controllers
 * write through the status subresource); its first DELETE adds the customresourcecleanup finalizer
 * and a Terminating condition; the garbage collector pass then deletes its custom resources; once the
 * CRD is gone its kind is unregistered and its table dropped.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { updateManagedFields } from './managed-fields';
import type { ObjectTables } from './object-table';
import { type KindRegistry, type ResourceKind, type ResourceRef, kindFromCrd } from './registry';
import type { DeleteResult } from './store-options';
import { rfc3339 } from './time';
import type { KubeObject } from './types';

/** The finalizer apiextensions' finalizer controller acts on. */
export const CRD_CLEANUP = 'customresourcecleanup.apiextensions.k8s.io';

/** What the CRD lifecycle needs from the store. */
export interface CrdHost {
  readonly registry: KindRegistry;
  readonly objects: ObjectTables;
  now(): Date;
  /** Writes `next` over `old` at a new resourceVersion (MODIFIED), with the after-write effects. */
  write(ref: ResourceRef, kind: ResourceKind, ns: string, name: string, old: KubeObject, next: KubeObject): KubeObject;
  /** Removes an object at a new resourceVersion (DELETED), with the after-delete effects. */
  remove(ref: ResourceRef, kind: ResourceKind, ns: string, name: string, cur: KubeObject): KubeObject;
}

/** Whether a kind is the CRD kind. */
export function isCrdKind(kind: { group: string; resource: string }): boolean {
  return kind.group === 'apiextensions.k8s.io' && kind.resource === 'customresourcedefinitions';
}

/** After a CRD write: register its kind (if it changed) and establish it the first time. */
export function crdWritten(host: CrdHost, kind: ResourceKind, obj: KubeObject): void {
  if (obj.metadata.deletionTimestamp !== undefined) return;
  const ck = kindFromCrd(obj);
  if (ck === undefined) return;
  const prev = host.registry.get(ck.group, ck.resource);
  if (prev === undefined || JSON.stringify(prev) !== JSON.stringify(ck)) host.registry.register(ck);
  const conds: any[] = obj['status']?.conditions ?? [];
  if (conds.some((c) => c?.type === 'Established' && c?.status === 'True')) return;
  const next = structuredClone(obj) as KubeObject;
  const ts = rfc3339(host.now());
  next['status'] = {
    ...(next['status'] ?? {}),
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        reason: 'NoConflicts',
        message: 'no conflicts found',
        lastTransitionTime: ts,
      },
      {
        type: 'Established',
        status: 'True',
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
        lastTransitionTime: ts,
      },
    ],
    acceptedNames: next['spec']?.names ?? {},
    storedVersions: [ck.version],
  };
  const nm = obj.metadata.name!;
  const cur = host.objects.get(kind, '', nm)!;
  // The naming and establishing controllers write through the status subresource.
  updateManagedFields(kind, cur, next, 'kube-apiserver', 'status', host.now());
  host.write(kind, kind, '', nm, cur, next);
}

/**
 * The CRD registry's first DELETE: deletionTimestamp, the customresourcecleanup finalizer and a
 * Terminating condition (the caller schedules the garbage collector pass).
 */
export function terminateCrd(host: CrdHost, ref: ResourceRef, kind: ResourceKind, cur: KubeObject): DeleteResult {
  const next = structuredClone(cur) as KubeObject;
  const ts = rfc3339(host.now());
  next.metadata.deletionTimestamp = ts;
  if (!(next.metadata.finalizers ?? []).includes(CRD_CLEANUP))
    next.metadata.finalizers = [...(next.metadata.finalizers ?? []), CRD_CLEANUP];
  const conds: any[] = (next['status']?.conditions ?? []).filter((c: any) => c?.type !== 'Terminating');
  conds.push({
    type: 'Terminating',
    status: 'True',
    lastTransitionTime: ts,
    reason: 'InstanceDeletionPending',
    message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
  });
  next['status'] = { ...(next['status'] ?? {}), conditions: conds };
  return { object: host.write(ref, kind, '', cur.metadata.name!, cur, next), deleted: false };
}

/** Removes every custom resource of a CRD being deleted. */
export function deleteCustomResources(host: CrdHost, crd: KubeObject): void {
  const ck = kindFromCrd(crd);
  const t = ck === undefined ? undefined : host.objects.peek(ck);
  const kind = ck === undefined ? undefined : host.registry.get(ck.group, ck.resource);
  if (ck === undefined || t === undefined || kind === undefined) return;
  for (const [ns, m] of [...t.byNs.entries()])
    for (const o of [...m.values()]) host.remove(ck, kind, ns, o.metadata.name!, o);
}

/** After a CRD is removed: its kind is no longer served and its table is dropped. */
export function crdRemoved(host: CrdHost, final: KubeObject): void {
  const ck = kindFromCrd(final);
  if (ck === undefined) return;
  host.objects.drop(ck);
  host.registry.unregister(ck);
}
