/**
 * The simulator's object store: the single write path for HTTP handlers, controllers and loaders.
 *
 * Semantics follow kube-apiserver's storage (apiserver/pkg/storage/testing/correctness/model.go):
 * one global increasing resourceVersion; every create/update/delete takes the next RV; a no-op update
 * writes nothing and emits nothing; a delete returns the object at its new RV. On top it keeps the
 * metadata rules (uid, creationTimestamp, generation, managedFields), preconditions, validation and
 * each kind's strategy (kinds/). The Store is the object store and the facade of its two partners:
 *
 * - object-table.ts holds the objects (one map per kind and namespace, a spec.nodeName index for
 *   pods, the ownerReference index, frozen objects shared rather than cloned, a cached JSON string each);
 * - watch-hub.ts delivers changes to watchers and subscribers and keeps the history they replay;
 * - lifecycle.ts (with crd-lifecycle.ts) is garbage collection, finalizers, graceful pod deletion,
 *   volume protection, namespace termination and CRD registration.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { randomUUID } from 'node:crypto';
import { isCrdKind, terminateCrd } from './crd-lifecycle';
import { applyApiDefaults } from './defaults';
import * as errors from './errors';
import { finalizersAfterDelete } from './gc-policy';
import { definitionOf } from './kinds';
import { Lifecycle, type LifecycleHost } from './lifecycle';
import { updateManagedFields } from './managed-fields';
import { ObjectTables } from './object-table';
import { KindRegistry, type ResourceKind, type ResourceRef, kindFromCrd, refKey } from './registry';
import type {
  DeleteOptions,
  DeleteResult,
  GracefulPodDeletion,
  ListOptions,
  ListResult,
  StoreOptions,
  Subscription,
  UpdateOptions,
  WatchOptions,
  WriteOptions,
} from './store-options';
import { rfc3339 } from './time';
import type { KubeObject, ManagedFieldsEntry, WatchEvent } from './types';
import { validateObject, validateUpdate } from './validation';
import { WatchHub } from './watch-hub';
import {
  carryMetadata,
  checkPreconditions,
  deepFreeze,
  defaultedCopy,
  generateName,
  generationChanged,
  deleteGracePeriod,
  failIfInvalid,
  normalise,
  podRemovalStamp,
  sameContent,
  statusWrite,
} from './write-rules';

export type {
  DeleteOptions,
  DeleteResult,
  GracefulPodDeletion,
  ListOptions,
  ListResult,
  StoreOptions,
  Subscription,
  UpdateOptions,
  WatchOptions,
  WriteOptions,
} from './store-options';

const BOOTSTRAP_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const NAMESPACES: ResourceRef = { group: '', resource: 'namespaces' };
/** Namespaces that cannot be deleted (403). */
export const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/**
 * The object store. See src/simulator/README.md for the contract. All methods are synchronous; watch
 * listeners are called synchronously after each change, in RV order.
 */
export class Store {
  /** The kinds served; CRDs created in this store register their kinds here. */
  readonly registry: KindRegistry;
  private rv = 0;
  private readonly objects = new ObjectTables();
  private readonly hub: WatchHub;
  private readonly lifecycle: Lifecycle;
  /** What the lifecycle passes call back into. */
  private readonly host: LifecycleHost;
  private readonly now: () => Date;
  private readonly graceful: GracefulPodDeletion;

  /** Creates a store; by default with the built-in kinds and the bootstrap namespaces. */
  constructor(opts: StoreOptions = {}) {
    this.registry = opts.registry ?? new KindRegistry();
    this.now = opts.now ?? (() => new Date());
    this.graceful = opts.gracefulPodDeletion ?? 'timer';
    this.hub = new WatchHub(
      opts.historySize ?? 200_000,
      opts.onListenerError ?? ((e: unknown) => console.error('store: a watch listener failed', e)),
    );
    this.host = {
      registry: this.registry,
      objects: this.objects,
      now: () => this.now(),
      kindOf: (ref) => this.kindOf(ref),
      delete: (ref, ns, name, o) => this.delete(ref, ns, name, o),
      write: (ref, kind, ns, name, old, next) => this.write(ref, kind, ns, name, old, next),
      remove: (ref, kind, ns, name, cur) => this.remove(ref, kind, ns, name, cur),
    };
    this.lifecycle = new Lifecycle(this.host, {
      gcDelayMs: opts.gcDelayMs ?? 1000,
      maxGraceMs: opts.maxGraceMs ?? 1000,
    });
    if (opts.bootstrap !== false) {
      for (const ns of BOOTSTRAP_NAMESPACES)
        this.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
  }

  /** The current (latest) global resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest RV a watch may start from (older gives 410 Expired). */
  get oldestWatchableResourceVersion(): number {
    return this.hub.oldestWatchableResourceVersion;
  }

  /** Returns the kind for a ref or throws 404 (`the server could not find the requested resource`). */
  kindOf(ref: ResourceRef): ResourceKind {
    const k = this.registry.get(ref.group, ref.resource);
    if (k === undefined) throw errors.pathNotFound();
    return k;
  }

  /** Returns the stored (frozen) object, or undefined. `namespace` is ignored for cluster-scoped kinds. */
  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = this.kindOf(ref);
    return this.objects.get(ref, k.namespaced ? (namespace ?? '') : '', name);
  }

  /** Like `get` but throws 404 NotFound with upstream's message. */
  getOrThrow(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject {
    const o = this.get(ref, namespace, name);
    if (o === undefined) throw errors.notFound(ref.group, ref.resource, name);
    return o;
  }

  /** Number of stored objects of a kind (optionally in one namespace). */
  count(ref: ResourceRef, namespace?: string): number {
    const t = this.objects.peek(ref);
    if (t === undefined) return 0;
    return namespace === undefined ? t.size : (t.byNs.get(namespace)?.size ?? 0);
  }

  /** Lists objects sorted by namespace then name. Items are the frozen stored objects (no copies). */
  list(ref: ResourceRef, opts: ListOptions = {}): ListResult {
    return this.objects.list(this.kindOf(ref), ref, opts, this.rv);
  }

  /**
   * Serialises a stored object to JSON, cached per object. With `withoutTypeMeta`, drops the leading
   * apiVersion/kind (list items of built-in kinds omit them, as kube-apiserver does).
   */
  toJSON(obj: KubeObject, withoutTypeMeta = false): string {
    return this.objects.toJSON(obj, withoutTypeMeta);
  }

  /**
   * Creates an object. Sets uid, creationTimestamp, resourceVersion, generation (kinds that track it)
   * and managedFields; resolves generateName. Throws 409 AlreadyExists, 404 for a missing namespace,
   * 403 in a terminating namespace, 422 Invalid (with causes), 400 for a client-set resourceVersion.
   */
  create(ref: ResourceRef, input: Record<string, any>, opts: WriteOptions = {}): KubeObject {
    const kind = this.kindOf(ref);
    const obj = normalise(kind, structuredClone(input));
    applyApiDefaults(kind, obj);
    const meta = obj.metadata;
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') {
      throw errors.internal('resourceVersion should not be set on objects to be created');
    }
    if (
      (meta.name === undefined || meta.name === '') &&
      typeof meta.generateName === 'string' &&
      meta.generateName !== ''
    ) {
      meta.name = generateName(meta.generateName);
    }
    const name = meta.name ?? '';
    failIfInvalid(kind, name, validateObject(kind, obj));
    const ns = this.lifecycle.namespaceForWrite(kind, meta.namespace, name, true);
    if (kind.namespaced) meta.namespace = ns;
    else delete meta.namespace;
    const t = this.objects.table(ref);
    if (t.get(ns, name) !== undefined) throw errors.alreadyExists(kind.group, kind.resource, name);
    const now = this.now();
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(now);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (kind.hasGeneration) meta.generation = 1;
    else delete meta.generation;
    if (opts.managedFields !== undefined) meta.managedFields = structuredClone(opts.managedFields);
    else updateManagedFields(kind, undefined, obj, opts.fieldManager ?? 'unknown', undefined, now);
    if (!kind.custom) definitionOf(kind)?.prepareForCreate?.(obj, this.objects);
    if (opts.dryRun === true) {
      meta.resourceVersion = String(this.rv + 1);
      return deepFreeze(obj);
    }
    meta.resourceVersion = String(++this.rv);
    deepFreeze(obj);
    this.objects.put(ref, kind, ns, name, obj, undefined);
    this.hub.emit({ type: 'ADDED', object: obj, resourceVersion: this.rv, refKey: refKey(ref) });
    this.lifecycle.afterWrite(kind, undefined, obj);
    return obj;
  }

  /**
   * The managedFields a create by `manager` records (kube-apiserver computes them on the decoded,
   * defaulted object before admission mutates it): call before admission, pass to `create`.
   */
  managedFieldsForCreate(ref: ResourceRef, input: Record<string, any>, manager: string): ManagedFieldsEntry[] {
    const kind = this.kindOf(ref);
    const obj = normalise(kind, structuredClone(input));
    applyApiDefaults(kind, obj);
    delete obj.metadata.managedFields;
    updateManagedFields(kind, undefined, obj, manager, undefined, this.now());
    return obj.metadata.managedFields ?? [];
  }

  /**
   * Bulk-loads objects as they are (snapshots, demo clusters): keeps uid, creationTimestamp, status and
   * spec, assigns fresh resourceVersions, replaces existing objects with the same key, and emits
   * ADDED/MODIFIED events. Kinds are resolved from apiVersion/kind (CRDs in the batch register their kinds
   * first, so order CRDs before their resources). Objects that cannot be loaded are returned with the
   * reason; the rest load. The store takes ownership of the input: its nested objects end up frozen.
   */
  restore(objects: Iterable<Record<string, any>>): { loaded: number; failed: { object: string; reason: string }[] } {
    let loaded = 0;
    const failed: { object: string; reason: string }[] = [];
    const now = rfc3339(this.now());
    for (const input of objects) {
      const id = `${String(input['kind'])} ${String(input['metadata']?.namespace ?? '')}/${String(input['metadata']?.name ?? '')}`;
      const kind = this.registry.byKind(String(input['apiVersion']), String(input['kind']));
      if (kind === undefined) {
        failed.push({
          object: id,
          reason: `no kind ${String(input['apiVersion'])}/${String(input['kind'])} is registered`,
        });
        continue;
      }
      // Bulk loads take ownership of their input (no deep copy): nested objects are shared and frozen.
      const obj = normalise(kind, input);
      const meta = obj.metadata;
      const name = meta.name ?? '';
      const nameErrs = name === '' ? [{ type: 'FieldValueRequired' as const, field: 'metadata.name' }] : [];
      const ns = kind.namespaced ? (meta.namespace ?? 'default') : '';
      if (nameErrs.length > 0) {
        failed.push({ object: id, reason: 'metadata.name: Required value' });
        continue;
      }
      if (kind.namespaced) {
        meta.namespace = ns;
        if (this.objects.get(NAMESPACES, '', ns) === undefined) {
          this.restore([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
        }
      } else delete meta.namespace;
      meta.uid ??= randomUUID();
      meta.creationTimestamp ??= now;
      if (kind.hasGeneration) meta.generation ??= 1;
      if (kind.group === '' && kind.resource === 'namespaces') {
        obj['spec'] ??= { finalizers: ['kubernetes'] };
        obj['status'] ??= { phase: 'Active' };
      }
      const t = this.objects.table(kind);
      const old = t.get(ns, name);
      meta.resourceVersion = String(++this.rv);
      deepFreeze(obj);
      this.objects.put(kind, kind, ns, name, obj, old);
      this.hub.emit(
        old === undefined
          ? { type: 'ADDED', object: obj, resourceVersion: this.rv, refKey: refKey(kind) }
          : { type: 'MODIFIED', object: obj, previous: old, resourceVersion: this.rv, refKey: refKey(kind) },
      );
      if (isCrdKind(kind)) {
        const ck = kindFromCrd(obj);
        if (ck !== undefined) this.registry.register(ck);
      }
      loaded++;
    }
    return { loaded, failed };
  }

  /**
   * Replaces an object (PUT semantics). A non-empty `metadata.resourceVersion` that differs from the
   * stored one is 409 Conflict; empty means unconditional. Keeps uid/creationTimestamp; bumps generation
   * on spec changes; a no-op returns the stored object without a new RV or event. Status subresource:
   * `subresource: 'status'` writes only `.status`; a main write keeps the stored `.status`.
   */
  update(ref: ResourceRef, input: Record<string, any>, opts: UpdateOptions = {}): KubeObject {
    const kind = this.kindOf(ref);
    let obj = normalise(kind, structuredClone(input));
    applyApiDefaults(kind, obj);
    const name = obj.metadata.name ?? '';
    const ns = kind.namespaced ? (obj.metadata.namespace ?? '') : '';
    if (kind.namespaced && ns === '')
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    const t = this.objects.table(ref);
    const old = t.get(ns, name);
    if (old === undefined) throw errors.notFound(kind.group, kind.resource, name);
    const wantRv = obj.metadata.resourceVersion;
    if (wantRv !== undefined && wantRv !== '' && wantRv !== old.metadata.resourceVersion) {
      throw errors.conflict(kind.group, kind.resource, name);
    }
    obj = statusWrite(kind, old, obj, input, opts.subresource, wantRv);
    const meta = carryMetadata(kind, old, obj, opts.subresource);
    failIfInvalid(kind, name, [
      ...validateObject(kind, obj),
      // The old object as kube-apiserver reads it from etcd: decoded, so defaulted (an object restored
      // from a snapshot without its defaults must not look changed by them).
      ...(opts.subresource === 'binding' ? [] : validateUpdate(kind, defaultedCopy(kind, old), obj)),
    ]);
    if (
      kind.hasGeneration &&
      opts.subresource !== 'status' &&
      opts.subresource !== 'binding' &&
      generationChanged(kind, old, obj)
    )
      meta.generation = (old.metadata.generation ?? 1) + 1;
    if (!kind.custom) definitionOf(kind)?.prepareForUpdate?.(old, obj, this.objects);
    if (opts.managedFieldsComputed !== true) {
      if (meta.managedFields === undefined && old.metadata.managedFields !== undefined)
        meta.managedFields = structuredClone(old.metadata.managedFields);
    }
    if (sameContent(old, obj)) return old;
    // A binding is written by the pod storage directly, past the field manager: it records no fields.
    if (opts.managedFieldsComputed !== true && opts.subresource !== 'binding') {
      updateManagedFields(kind, old, obj, opts.fieldManager ?? 'unknown', opts.subresource, this.now());
    }
    if (opts.dryRun === true) {
      meta.resourceVersion = String(this.rv + 1);
      return deepFreeze(obj);
    }
    meta.resourceVersion = String(++this.rv);
    deepFreeze(obj);
    this.objects.put(ref, kind, ns, name, obj, old);
    this.hub.emit({ type: 'MODIFIED', object: obj, previous: old, resourceVersion: this.rv, refKey: refKey(ref) });
    this.lifecycle.afterWrite(kind, old, obj);
    return obj;
  }

  /**
   * Read-modify-write helper for in-process writers: `fn` gets a mutable deep copy of the stored object
   * and returns the new object (or mutates the copy and returns nothing). Never conflicts.
   */
  mutate(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    fn: (draft: KubeObject) => KubeObject | void,
    opts: UpdateOptions = {},
  ): KubeObject {
    const cur = this.getOrThrow(ref, namespace, name);
    const draft = structuredClone(cur) as KubeObject;
    const next = fn(draft) ?? draft;
    return this.update(ref, next, opts);
  }

  /**
   * Deletes an object (DELETE semantics). Preconditions mismatch → 409. Objects with finalizers (or
   * Foreground propagation) only get a deletionTimestamp; bound running pods with a grace period get
   * deletionTimestamp + deletionGracePeriodSeconds; otherwise the object is removed at a new RV and
   * dependents are garbage-collected per propagationPolicy (default Background). Namespaces enter
   * Terminating, their contents are deleted, then the namespace is removed. Protected namespaces → 403.
   */
  delete(ref: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): DeleteResult {
    const kind = this.kindOf(ref);
    const ns = kind.namespaced ? (namespace ?? '') : '';
    const cur = this.objects.get(ref, ns, name);
    if (cur === undefined) throw errors.notFound(kind.group, kind.resource, name);
    checkPreconditions(kind, name, cur, opts.preconditions);
    const isNs = kind.group === '' && kind.resource === 'namespaces';
    if (isNs && PROTECTED_NAMESPACES.has(name)) {
      throw errors.forbidden('', 'namespaces', name, `this namespace may not be deleted`);
    }
    if (opts.dryRun === true)
      return { object: cur, deleted: cur.metadata.finalizers === undefined || cur.metadata.finalizers.length === 0 };
    if (isNs) return this.lifecycle.terminateNamespace(ref, cur);
    if (isCrdKind(kind))
      if (cur.metadata.deletionTimestamp === undefined) {
        const r = terminateCrd(this.host, ref, kind, cur);
        this.lifecycle.scheduleGc(ref, r.object);
        return r;
      }
    const grace = deleteGracePeriod(kind, cur, opts.gracePeriodSeconds);
    // The propagation policy only becomes a finalizer here; the garbage collector pass acts on it later.
    const finalizers = finalizersAfterDelete(kind, cur, opts.propagationPolicy);
    if (finalizers.length > 0 || grace > 0) {
      const unchanged = JSON.stringify(finalizers) === JSON.stringify(cur.metadata.finalizers ?? []);
      if (cur.metadata.deletionTimestamp !== undefined && unchanged) {
        if (grace === 0 || (opts.gracePeriodSeconds ?? Infinity) >= (cur.metadata.deletionGracePeriodSeconds ?? 0))
          return { object: cur, deleted: false };
      }
      const next = structuredClone(cur) as KubeObject;
      const when = new Date(this.now().getTime() + grace * 1000);
      // rest.BeforeDelete: the first deletion request bumps the generation of kinds that keep one.
      if (cur.metadata.deletionTimestamp === undefined && (cur.metadata.generation ?? 0) > 0)
        next.metadata.generation = cur.metadata.generation! + 1;
      next.metadata.deletionTimestamp = cur.metadata.deletionTimestamp ?? rfc3339(when);
      next.metadata.deletionGracePeriodSeconds = grace;
      if (finalizers.length > 0) next.metadata.finalizers = finalizers;
      else delete next.metadata.finalizers;
      const updated = this.write(ref, kind, ns, name, cur, next);
      if (finalizers.length === 0 && grace > 0 && this.graceful === 'timer')
        this.lifecycle.scheduleRemoval(ref, ns, name, grace);
      this.lifecycle.scheduleGc(ref, updated);
      const after = this.objects.get(ref, ns, name);
      return after === undefined ? { object: updated, deleted: true } : { object: after, deleted: false };
    }
    const removed = this.remove(ref, kind, ns, name, cur);
    this.lifecycle.deleteDependents(removed);
    return { object: removed, deleted: true };
  }

  private write(
    ref: ResourceRef,
    kind: ResourceKind,
    ns: string,
    name: string,
    old: KubeObject,
    next: KubeObject,
  ): KubeObject {
    next.metadata.resourceVersion = String(++this.rv);
    deepFreeze(next);
    this.objects.put(ref, kind, ns, name, next, old);
    this.hub.emit({ type: 'MODIFIED', object: next, previous: old, resourceVersion: this.rv, refKey: refKey(ref) });
    this.lifecycle.afterWrite(kind, old, next);
    return next;
  }

  private remove(ref: ResourceRef, kind: ResourceKind, ns: string, name: string, cur: KubeObject): KubeObject {
    const stamped = podRemovalStamp(kind, cur, this.now());
    if (stamped !== undefined) cur = this.write(ref, kind, ns, name, cur, stamped);
    const final = structuredClone(cur) as KubeObject;
    final.metadata.resourceVersion = String(++this.rv);
    deepFreeze(final);
    this.objects.take(ref, kind, ns, name, cur);
    this.hub.emit({ type: 'DELETED', object: final, previous: cur, resourceVersion: this.rv, refKey: refKey(ref) });
    this.lifecycle.afterDelete(kind, ns, final);
    return final;
  }

  /** Cancels pending graceful-deletion and garbage-collection timers (call when shutting down). */
  dispose(): void {
    this.lifecycle.dispose();
  }

  /**
   * Watches one kind. Events are delivered synchronously, in RV order, after any replay. Throws 410
   * Expired (`too old resource version: N (M)`) when `sinceResourceVersion` predates the kept history.
   */
  watch(ref: ResourceRef, opts: WatchOptions, fn: (e: WatchEvent) => void): Subscription {
    this.kindOf(ref);
    const current = (): KubeObject[] => {
      const listOpts: ListOptions = {};
      if (opts.namespace !== undefined) listOpts.namespace = opts.namespace;
      if (opts.filter !== undefined) listOpts.filter = opts.filter;
      return this.list(ref, listOpts).items;
    };
    return this.hub.watch(refKey(ref), opts, current, fn);
  }

  /** Hears every change of every kind (after per-kind watchers); returns an unsubscribe function. */
  subscribe(fn: (e: WatchEvent) => void): () => void {
    return this.hub.subscribe(fn);
  }

  /** Test hook: forgets watch history up to `rv` (default: all), so older watches get 410 Expired. */
  compact(rv: number = this.rv): void {
    this.hub.compact(rv);
  }

  /** Number of live per-kind watch subscriptions. */
  get watcherCount(): number {
    return this.hub.watcherCount;
  }
}
