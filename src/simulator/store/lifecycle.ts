/**
 * Garbage collection and namespace lifecycle, the parts of kube-controller-manager and
 * kube-apiserver the store runs itself:
 *
 * - the garbage collector's pass on an object being deleted with the `orphan` or `foregroundDeletion`
 *   finalizer (`gcDelayMs` after the write, never inside the request): orphaning strips ownerReferences,
 *   foreground deletes dependents first; background deletion removes dependents after the owner;
 * - the pv-protection and pvc-protection controllers (finalizers dropped once nothing uses the volume)
 *   and a CRD's cleanup finalizer (its custom resources deleted, crd-lifecycle.ts);
 * - namespace termination: `Terminating`, contents deleted, the namespace removed once empty;
 * - completing a deletion when an update removes the last finalizer, and the 'timer' mode of
 *   graceful pod deletion (standing in for a kubelet).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { CRD_CLEANUP, type CrdHost, crdRemoved, crdWritten, deleteCustomResources, isCrdKind } from './crd-lifecycle';
import * as errors from './errors';
import { StatusError } from './errors';
import { FOREGROUND, ORPHAN } from './gc-policy';
import { isTerminalPod } from '../../kube-api/pod-phase';
import { PVC_PROTECTION } from './kinds/persistentvolumeclaims';
import { PV_PROTECTION } from './kinds/persistentvolumes';
import type { ResourceKind, ResourceRef } from './registry';
import type { DeleteOptions, DeleteResult } from './store-options';
import { rfc3339 } from './time';
import type { KubeObject } from './types';

/** Finalizers the garbage collector pass acts on (see `scheduleGc`). */
const CONTROLLER_FINALIZERS = new Set([ORPHAN, FOREGROUND, PV_PROTECTION, PVC_PROTECTION, CRD_CLEANUP]);
const NAMESPACES: ResourceRef = { group: '', resource: 'namespaces' };

/** What the lifecycle needs from the store beyond the CRD host's calls. */
export interface LifecycleHost extends CrdHost {
  /** The kind of a ref, or a 404 StatusError. */
  kindOf(ref: ResourceRef): ResourceKind;
  /** The store's DELETE. */
  delete(ref: ResourceRef, namespace: string | undefined, name: string, opts?: DeleteOptions): DeleteResult;
}

/** Timing of the asynchronous passes. */
export interface LifecycleTiming {
  /** How long after a write the garbage collector acts on it (ms). */
  readonly gcDelayMs: number;
  /** Upper bound of a graceful pod deletion's delay in the 'timer' mode (ms). */
  readonly maxGraceMs: number;
}

/** Garbage collection, volume protection, namespace termination and graceful-removal timers. */
export class Lifecycle {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Acts on `host`'s objects with the given timing. */
  constructor(
    private readonly host: LifecycleHost,
    private readonly timing: LifecycleTiming,
  ) {}

  /** Cancels pending timers (shutdown). */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  /**
   * The garbage collector's turn for an object being deleted with a finalizer it acts on,
   * `gcDelayMs` after the write (kube-controller-manager acts on a watch event, never inside the DELETE).
   */
  scheduleGc(ref: ResourceRef, obj: KubeObject): void {
    const fins = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp === undefined || !fins.some((f) => CONTROLLER_FINALIZERS.has(f))) return;
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name!;
    const uid = obj.metadata.uid;
    this.later(this.timing.gcDelayMs, () => {
      try {
        this.collect(ref, ns, name, uid);
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
      }
    });
  }

  private collect(ref: ResourceRef, ns: string, name: string, uid: string | undefined): void {
    const kind = this.host.registry.get(ref.group, ref.resource);
    const cur = this.host.objects.get(ref, ns, name);
    if (
      kind === undefined ||
      cur === undefined ||
      cur.metadata.uid !== uid ||
      cur.metadata.deletionTimestamp === undefined
    )
      return;
    const fins = cur.metadata.finalizers ?? [];
    // The pv-protection and pvc-protection controllers: released once nothing uses the volume.
    if (fins.includes(PV_PROTECTION) && !this.volumeInUse(cur)) this.dropFinalizer(ref, kind, ns, name, PV_PROTECTION);
    if (fins.includes(PVC_PROTECTION) && !this.claimInUse(ns, name))
      this.dropFinalizer(ref, kind, ns, name, PVC_PROTECTION);
    if (fins.includes(CRD_CLEANUP)) {
      deleteCustomResources(this.host, cur);
      this.dropFinalizer(ref, kind, ns, name, CRD_CLEANUP);
    }
    if (fins.includes(ORPHAN)) {
      this.orphanDependents(cur);
      this.dropFinalizer(ref, kind, ns, name, ORPHAN);
    } else if (fins.includes(FOREGROUND)) {
      this.deleteDependents(cur, true);
      const now = this.host.objects.get(ref, ns, name);
      if (now !== undefined && now.metadata.uid === uid && !this.hasBlockingDependents(now))
        this.dropFinalizer(ref, kind, ns, name, FOREGROUND);
    }
  }

  /**
   * Whether a PersistentVolume is in use (the pv-protection controller's check): Bound to a claim that
   * still exists (with no binder here to mark it Released, a vanished claim frees it).
   */
  private volumeInUse(pv: KubeObject): boolean {
    if (pv['status']?.phase !== 'Bound') return false;
    const ref = pv['spec']?.claimRef;
    const claims = { group: '', resource: 'persistentvolumeclaims' };
    return this.host.objects.get(claims, ref?.namespace ?? '', ref?.name ?? '') !== undefined;
  }

  /** Whether a pod that is not finished mounts the claim (the pvc-protection controller's check). */
  private claimInUse(ns: string, claim: string): boolean {
    const pods = this.host.objects.peek({ group: '', resource: 'pods' })?.byNs.get(ns);
    for (const p of pods?.values() ?? []) {
      if (isTerminalPod(p)) continue;
      if ((p['spec']?.volumes ?? []).some((v: any) => v?.persistentVolumeClaim?.claimName === claim)) return true;
    }
    return false;
  }

  private dropFinalizer(ref: ResourceRef, kind: ResourceKind, ns: string, name: string, finalizer: string): void {
    const cur = this.host.objects.get(ref, ns, name);
    if (cur === undefined || !(cur.metadata.finalizers ?? []).includes(finalizer)) return;
    const next = structuredClone(cur) as KubeObject;
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    this.host.write(ref, kind, ns, name, cur, next);
  }

  /** The 'timer' mode of graceful pod deletion: removes the pod after min(grace, maxGraceMs). */
  scheduleRemoval(ref: ResourceRef, ns: string, name: string, grace: number): void {
    const uid = this.host.objects.get(ref, ns, name)?.metadata.uid;
    this.later(Math.min(grace * 1000, this.timing.maxGraceMs), () => {
      const o = this.host.objects.get(ref, ns, name);
      if (
        o !== undefined &&
        o.metadata.uid === uid &&
        o.metadata.deletionTimestamp !== undefined &&
        (o.metadata.finalizers ?? []).length === 0
      ) {
        this.host.delete(ref, ns, name, { gracePeriodSeconds: 0 });
      }
    });
  }

  /** Whether a dependent's ownerReference to `owner` has blockOwnerDeletion (foreground waits for those). */
  private hasBlockingDependents(owner: KubeObject): boolean {
    const uid = owner.metadata.uid!;
    for (const { ref, ns, name } of this.host.objects.dependentsOf(uid)) {
      const d = this.host.objects.get(ref, ns, name);
      if (d?.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true)) return true;
    }
    return false;
  }

  private orphanDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid!;
    for (const { ref, ns, name } of this.host.objects.dependentsOf(uid)) {
      const kind = this.host.registry.get(ref.group, ref.resource);
      const d = this.host.objects.get(ref, ns, name);
      if (kind === undefined || d === undefined) continue;
      const next = structuredClone(d) as KubeObject;
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      this.host.write(ref, kind, ns, name, d, next);
    }
  }

  /**
   * Deletes an owner's dependents that have no other existing owner (others only lose the reference).
   * For a foreground owner (`foreground`), a dependent that has dependents of its own is deleted in
   * the foreground too, the rest in the background.
   */
  deleteDependents(owner: KubeObject, foreground = false): void {
    const uid = owner.metadata.uid!;
    for (const { ref, ns, name } of this.host.objects.dependentsOf(uid)) {
      const d = this.host.objects.get(ref, ns, name);
      if (d === undefined || d.metadata.deletionTimestamp !== undefined) continue;
      const others = (d.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid && this.host.objects.hasUid(r.uid));
      try {
        if (others.length > 0) {
          const kind = this.host.kindOf(ref);
          const next = structuredClone(d) as KubeObject;
          next.metadata.ownerReferences = d.metadata.ownerReferences!.filter((r) => r.uid !== uid);
          this.host.write(ref, kind, ns, name, d, next);
        } else
          this.host.delete(ref, ns, name, {
            propagationPolicy:
              foreground && this.host.objects.hasDependents(d.metadata.uid!) ? 'Foreground' : 'Background',
          });
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
      }
    }
  }

  /** After a removal: foreground owners, volume protection, terminating namespaces and CRDs take note. */
  afterDelete(kind: ResourceKind, ns: string, final: KubeObject): void {
    for (const r of final.metadata.ownerReferences ?? []) {
      // A foreground owner gets the garbage collector's attention again once a dependent is gone.
      const owner = this.findByUid(r);
      if (owner !== undefined) this.scheduleGc(owner.ref, owner.obj);
    }
    if (kind.group === '' && kind.resource === 'persistentvolumeclaims')
      for (const pv of this.host.objects.peek({ group: '', resource: 'persistentvolumes' })?.byNs.get('')?.values() ??
        [])
        if (pv['spec']?.claimRef?.namespace === ns && pv['spec']?.claimRef?.name === final.metadata.name)
          this.scheduleGc({ group: '', resource: 'persistentvolumes' }, pv);
    if (kind.group === '' && kind.resource === 'pods')
      for (const v of final['spec']?.volumes ?? []) {
        const claims = { group: '', resource: 'persistentvolumeclaims' };
        const claim = this.host.objects.get(claims, ns, v?.persistentVolumeClaim?.claimName);
        if (claim !== undefined) this.scheduleGc(claims, claim);
      }
    if (kind.namespaced && ns !== '') {
      const nsObj = this.host.objects.get(NAMESPACES, '', ns);
      if (nsObj?.metadata.deletionTimestamp !== undefined) this.checkNamespaceEmpty(nsObj);
    }
    if (isCrdKind(kind)) crdRemoved(this.host, final);
  }

  private findByUid(r: {
    apiVersion: string;
    kind: string;
    uid: string;
  }): { ref: ResourceRef; obj: KubeObject } | undefined {
    const kind = this.host.registry.byKind(r.apiVersion, r.kind);
    if (kind === undefined) return undefined;
    for (const o of this.host.objects.objects(kind)) if (o.metadata.uid === r.uid) return { ref: kind, obj: o };
    return undefined;
  }

  /** A namespace's DELETE: Terminating, every object in it deleted, then removed once empty. */
  terminateNamespace(ref: ResourceRef, cur: KubeObject): DeleteResult {
    const kind = this.host.kindOf(ref);
    const name = cur.metadata.name!;
    let obj = cur;
    if (cur.metadata.deletionTimestamp === undefined) {
      const next = structuredClone(cur) as KubeObject;
      next.metadata.deletionTimestamp = rfc3339(this.host.now());
      next['status'] = { ...(next['status'] ?? {}), phase: 'Terminating' };
      obj = this.host.write(ref, kind, '', name, cur, next);
    }
    for (const k of this.host.registry.all()) {
      if (!k.namespaced) continue;
      const m = this.host.objects.peek(k)?.byNs.get(name);
      if (m === undefined) continue;
      for (const n of [...m.keys()]) {
        const o = m.get(n);
        if (o === undefined || o.metadata.deletionTimestamp !== undefined) continue;
        try {
          this.host.delete(k, name, n, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!(e instanceof StatusError)) throw e;
        }
      }
    }
    const still = this.host.objects.get(ref, '', name);
    if (still === undefined) return { object: obj, deleted: true };
    const after = this.checkNamespaceEmpty(still);
    return after === undefined ? { object: still, deleted: false } : { object: obj, deleted: true };
  }

  /** Removes a terminating namespace once it holds nothing; returns the final object if removed. */
  private checkNamespaceEmpty(nsObj: KubeObject): KubeObject | undefined {
    const name = nsObj.metadata.name!;
    for (const k of this.host.registry.all()) {
      if (k.namespaced && (this.host.objects.peek(k)?.byNs.get(name)?.size ?? 0) > 0) return undefined;
    }
    const cur = this.host.objects.get(NAMESPACES, '', name);
    if (cur === undefined || (cur.metadata.finalizers ?? []).length > 0) return undefined;
    return this.host.remove(NAMESPACES, this.host.kindOf(NAMESPACES), '', name, cur);
  }

  /**
   * The namespace a write of `kind` goes to ('' for cluster-scoped kinds): 400 without one, 404 when it
   * does not exist, 403 for a create in a namespace being terminated.
   */
  namespaceForWrite(kind: ResourceKind, ns: string | undefined, name: string, forCreate: boolean): string {
    if (!kind.namespaced) return '';
    if (ns === undefined || ns === '') {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const nsObj = this.host.objects.get(NAMESPACES, '', ns);
    if (nsObj === undefined) throw errors.notFound('', 'namespaces', ns);
    if (forCreate && nsObj.metadata.deletionTimestamp !== undefined) {
      const e = errors.forbidden(
        kind.group,
        kind.resource,
        name,
        `unable to create new content in namespace ${ns} because it is being terminated`,
      );
      e.status.details = {
        ...(e.status.details ?? {}),
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${ns} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      };
      throw e;
    }
    return ns;
  }

  /** After a write: a CRD registers its kind; removing the last finalizer completes a deletion. */
  afterWrite(kind: ResourceKind, old: KubeObject | undefined, obj: KubeObject): void {
    if (isCrdKind(kind)) crdWritten(this.host, kind, obj);
    if (
      old !== undefined &&
      obj.metadata.deletionTimestamp !== undefined &&
      (obj.metadata.finalizers ?? []).length === 0
    ) {
      const ns = kind.namespaced ? obj.metadata.namespace! : '';
      const cur = this.host.objects.get(kind, ns, obj.metadata.name!);
      const isPodWaiting =
        kind.resource === 'pods' && kind.group === '' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
      if (cur === obj && (old.metadata.finalizers ?? []).length > 0 && !isPodWaiting) {
        if (kind.group === '' && kind.resource === 'namespaces') this.checkNamespaceEmpty(cur);
        else this.deleteDependents(this.host.remove(kind, kind, ns, cur.metadata.name!, cur));
      }
    }
  }
}
