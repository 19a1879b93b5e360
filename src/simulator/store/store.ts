/**
 * The simulator's object store: the single write path for HTTP handlers, controllers and loaders.
 *
 * Semantics follow kube-apiserver's storage (apiserver/pkg/storage/testing/correctness/model.go):
 * one global increasing resourceVersion; every create/update/delete takes the next RV; a no-op update
 * writes nothing and emits nothing; a delete returns the object at its new RV. On top it keeps the
 * metadata rules (uid, creationTimestamp, generation, managedFields), validation, finalizers, graceful
 * pod deletion, ownerReference garbage collection and namespace termination.
 *
 * Design for scale: one map per kind and per namespace, a spec.nodeName index for pods, frozen objects
 * that are shared rather than cloned on reads, and a cached JSON string per stored object.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { randomUUID } from 'node:crypto';
import * as errors from './errors';
import { type FieldError, StatusError } from './errors';
import { applyApiDefaults } from './defaults';
import { prepareCreated, PV_PROTECTION, PVC_PROTECTION } from './create-strategies';
import { FOREGROUND, finalizersAfterDelete, ORPHAN } from './gc-policy';
import { updateManagedFields } from './managed-fields';
import { KindRegistry, type ResourceKind, type ResourceRef, apiVersionOf, kindFromCrd, refKey } from './registry';
import type { KubeObject, ManagedFieldsEntry, WatchEvent } from './types';
import { validateObject, validateUpdate } from './validation';

/** Options common to writes. */
export interface WriteOptions {
  /** Run everything, persist nothing, emit nothing (dryRun=All). */
  dryRun?: boolean;
  /** The managedFields manager; defaults to `unknown`. */
  fieldManager?: string;
  /** Create only: store these managedFields as given (server-side apply) instead of computing them. */
  managedFields?: ManagedFieldsEntry[];
}

/** Options for `update`. */
export interface UpdateOptions extends WriteOptions {
  /**
   * `status` writes only `.status`; otherwise `.status` is kept from the stored object (for kinds with a
   * status subresource). `binding` (pods, used by `bindPod`) writes spec.nodeName and status in one write.
   */
  subresource?: string;
  /** When false, an empty `metadata.resourceVersion` in the new object is still an unconditional update (default true). */
  allowUnconditional?: boolean;
  /** Internal: the managedFields were already computed (server-side apply). */
  managedFieldsComputed?: boolean;
}

/** Options for `delete` (mirrors `metav1.DeleteOptions`). */
export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Result of `delete`: the object (its final state, or the state marked for deletion) and whether it is gone. */
export interface DeleteResult {
  object: KubeObject;
  /** True when the object was removed now; false when it only got a deletionTimestamp. */
  deleted: boolean;
}

/** Options for `list`. */
export interface ListOptions {
  /** Restrict to one namespace (namespaced kinds). */
  namespace?: string;
  /** Only pods whose spec.nodeName equals this (served from an index). */
  nodeName?: string;
  /** Keep only objects for which this returns true. */
  filter?: (o: KubeObject) => boolean;
  /** Start after this `namespace/name` key (exclusive), for paging. */
  after?: string;
  /** Stop after this many items. */
  limit?: number;
}

/** Result of `list`. */
export interface ListResult {
  items: KubeObject[];
  /** The store's RV at the time of the list. */
  resourceVersion: number;
  /** When `limit` cut the list: the key of the last returned item and how many matching items remain. */
  next?: { after: string; remaining: number };
}

/** Options for `watch`. */
export interface WatchOptions {
  namespace?: string;
  /**
   * Deliver changes after this RV (replayed from history). Undefined: first synthetic ADDED events for
   * every current object, then live changes. Throws 410 Expired if the history no longer reaches back.
   */
  sinceResourceVersion?: number;
  /** Selector: an object that stops matching yields DELETED, one that starts matching yields ADDED. */
  filter?: (o: KubeObject) => boolean;
}

/** A live watch; `close()` stops delivery. */
export interface Subscription {
  close(): void;
}

/** What the store does with a bound, running pod deleted with a grace period. */
export type GracefulPodDeletion =
  /** Remove after min(grace, maxGraceMs) (default): stands in for a kubelet. */
  | 'timer'
  /** Only set deletionTimestamp; a simulated kubelet must delete with gracePeriodSeconds 0. */
  | 'external';

/** Store construction options. */
export interface StoreOptions {
  registry?: KindRegistry;
  /** Number of events kept for watch replay (default 200,000). */
  historySize?: number;
  /** Clock (tests). */
  now?: () => Date;
  /** Graceful pod deletion mode (default 'timer'). */
  gracefulPodDeletion?: GracefulPodDeletion;
  /** Upper bound of the 'timer' mode delay in ms (default 1000). */
  maxGraceMs?: number;
  /**
   * How long after a DELETE that leaves the `orphan` or `foregroundDeletion` finalizer the garbage
   * collector acts on it, in ms (default 1000: as kube-controller-manager, never within the request, and
   * late enough that a read right after the DELETE still finds the object on a busy machine).
   */
  gcDelayMs?: number;
  /** Create the bootstrap namespaces (default true). */
  bootstrap?: boolean;
  /** Called when a watch listener throws (default: console.error); the write itself still succeeds. */
  onListenerError?: (e: unknown) => void;
}

interface Listener {
  ref: string;
  namespace: string | undefined;
  filter: ((o: KubeObject) => boolean) | undefined;
  fn: (e: WatchEvent) => void;
}

/** Per-kind storage: namespace → name → object, plus cached sorted keys. */
class KindTable {
  readonly byNs = new Map<string, Map<string, KubeObject>>();
  private sortedNs: string[] | undefined;
  private readonly sortedNames = new Map<string, string[]>();
  size = 0;

  get(ns: string, name: string): KubeObject | undefined {
    return this.byNs.get(ns)?.get(name);
  }

  set(ns: string, name: string, obj: KubeObject): void {
    let m = this.byNs.get(ns);
    if (m === undefined) {
      m = new Map();
      this.byNs.set(ns, m);
      this.sortedNs = undefined;
    }
    if (!m.has(name)) {
      this.size++;
      this.sortedNames.delete(ns);
    }
    m.set(name, obj);
  }

  remove(ns: string, name: string): void {
    const m = this.byNs.get(ns);
    if (m?.delete(name) === true) {
      this.size--;
      this.sortedNames.delete(ns);
      if (m.size === 0) {
        this.byNs.delete(ns);
        this.sortedNs = undefined;
      }
    }
  }

  namespaces(): string[] {
    if (this.sortedNs === undefined) this.sortedNs = [...this.byNs.keys()].sort();
    return this.sortedNs;
  }

  names(ns: string): string[] {
    let s = this.sortedNames.get(ns);
    if (s === undefined) {
      s = [...(this.byNs.get(ns)?.keys() ?? [])].sort();
      this.sortedNames.set(ns, s);
    }
    return s;
  }
}

/** The most JSON text (characters) the per-object serialisation cache holds before it starts afresh. */
const JSON_CACHE_MAX_CHARS = 128 * 1024 * 1024;

const BOOTSTRAP_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** Finalizers the store's garbage collector and volume protection pass act on (see `scheduleGc`). */
const CRD_CLEANUP = 'customresourcecleanup.apiextensions.k8s.io';
const CONTROLLER_FINALIZERS = new Set([ORPHAN, FOREGROUND, PV_PROTECTION, PVC_PROTECTION, CRD_CLEANUP]);
/** Namespaces that cannot be deleted (403). */
export const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

function keyOf(ns: string, name: string): string {
  return ns === '' ? name : `${ns}/${name}`;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Compares two objects ignoring RV and managedFields (for no-op detection). */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): string => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
    return JSON.stringify({ ...o, metadata: meta });
  };
  return strip(a) === strip(b);
}

function specPart(o: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return JSON.stringify(rest);
}

/** Whether an update bumps metadata.generation (each registry strategy's PrepareForUpdate). */
function generationChanged(kind: ResourceKind, old: KubeObject, obj: KubeObject): boolean {
  const key = `${kind.group}/${kind.resource}`;
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (key === 'apps/deployments')
    return !same(old['spec'], obj['spec']) || !same(old.metadata.annotations, obj.metadata.annotations);
  if (key === 'discovery.k8s.io/endpointslices')
    return specPart(old) !== specPart(obj) || !same(old.metadata.labels, obj.metadata.labels);
  if (key === '/pods') return !same(old['spec'], obj['spec']);
  return specPart(old) !== specPart(obj);
}

/**
 * The object store. See src/simulator/README.md for the contract. All methods are synchronous; watch
 * listeners are called synchronously after each change, in RV order.
 */
export class Store {
  /** The kinds served; CRDs created in this store register their kinds here. */
  readonly registry: KindRegistry;
  private rv = 0;
  private readonly tables = new Map<string, KindTable>();
  private readonly nodeIndex = new Map<string, Set<string>>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly listeners = new Set<Listener>();
  private readonly globalListeners = new Set<(e: WatchEvent) => void>();
  private readonly history: WatchEvent[] = [];
  private historyStart = 0;
  private compactedRv = 0;
  private readonly historySize: number;
  private readonly now: () => Date;
  private readonly graceful: GracefulPodDeletion;
  private readonly maxGraceMs: number;
  private readonly gcDelayMs: number;
  /** Serialised objects (see toJSON), dropped whole once they hold JSON_CACHE_MAX_CHARS. */
  private jsonCache = new WeakMap<object, string>();
  private jsonCacheChars = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly onListenerError: (e: unknown) => void;

  /** Creates a store; by default with the built-in kinds and the bootstrap namespaces. */
  constructor(opts: StoreOptions = {}) {
    this.registry = opts.registry ?? new KindRegistry();
    this.historySize = opts.historySize ?? 200_000;
    this.now = opts.now ?? (() => new Date());
    this.graceful = opts.gracefulPodDeletion ?? 'timer';
    this.maxGraceMs = opts.maxGraceMs ?? 1000;
    this.gcDelayMs = opts.gcDelayMs ?? 1000;
    this.onListenerError = opts.onListenerError ?? ((e: unknown) => console.error('store: a watch listener failed', e));
    if (opts.bootstrap !== false) {
      for (const ns of BOOTSTRAP_NAMESPACES)
        this.create(
          { group: '', resource: 'namespaces' },
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        );
    }
  }

  /** The current (latest) global resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest RV a watch may start from (older gives 410 Expired). */
  get oldestWatchableResourceVersion(): number {
    return this.compactedRv;
  }

  /** Returns the kind for a ref or throws 404 (`the server could not find the requested resource`). */
  kindOf(ref: ResourceRef): ResourceKind {
    const k = this.registry.get(ref.group, ref.resource);
    if (k === undefined) throw errors.pathNotFound();
    return k;
  }

  private table(ref: ResourceRef): KindTable {
    const key = refKey(ref);
    let t = this.tables.get(key);
    if (t === undefined) {
      t = new KindTable();
      this.tables.set(key, t);
    }
    return t;
  }

  /** Returns the stored (frozen) object, or undefined. `namespace` is ignored for cluster-scoped kinds. */
  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = this.kindOf(ref);
    return this.tables.get(refKey(ref))?.get(k.namespaced ? (namespace ?? '') : '', name);
  }

  /** Like `get` but throws 404 NotFound with upstream's message. */
  getOrThrow(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject {
    const o = this.get(ref, namespace, name);
    if (o === undefined) throw errors.notFound(ref.group, ref.resource, name);
    return o;
  }

  /** Number of stored objects of a kind (optionally in one namespace). */
  count(ref: ResourceRef, namespace?: string): number {
    const t = this.tables.get(refKey(ref));
    if (t === undefined) return 0;
    return namespace === undefined ? t.size : (t.byNs.get(namespace)?.size ?? 0);
  }

  /** Lists objects sorted by namespace then name. Items are the frozen stored objects (no copies). */
  list(ref: ResourceRef, opts: ListOptions = {}): ListResult {
    const kind = this.kindOf(ref);
    const t = this.tables.get(refKey(ref));
    const items: KubeObject[] = [];
    const resourceVersion = this.rv;
    if (t === undefined) return { items, resourceVersion };
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
    const filter = opts.filter;
    const after = opts.after;
    let next: ListResult['next'];
    const namespaces = !kind.namespaced ? [''] : opts.namespace !== undefined ? [opts.namespace] : t.namespaces();
    let indexed: Set<string> | undefined;
    if (opts.nodeName !== undefined && refKey(ref) === '/pods')
      indexed = this.nodeIndex.get(opts.nodeName) ?? new Set();
    let remaining = 0;
    let lastKey = '';
    let afterNs = '';
    let afterName = '';
    if (after !== undefined) {
      const i = kind.namespaced ? after.indexOf('/') : -1;
      afterNs = i < 0 ? '' : after.slice(0, i);
      afterName = i < 0 ? after : after.slice(i + 1);
    }
    if (indexed !== undefined) {
      // Served from the spec.nodeName index: only this node's pods are visited.
      const keys: [string, string][] = [];
      for (const k of indexed) {
        const i = k.indexOf('/');
        const ns = k.slice(0, i);
        if (opts.namespace !== undefined && ns !== opts.namespace) continue;
        keys.push([ns, k.slice(i + 1)]);
      }
      keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
      for (const [ns, name] of keys) {
        if (after !== undefined && (ns < afterNs || (ns === afterNs && name <= afterName))) continue;
        const o = t.get(ns, name);
        if (o === undefined || (filter !== undefined && !filter(o))) continue;
        if (items.length < limit) {
          items.push(o);
          lastKey = keyOf(ns, name);
        } else remaining++;
      }
    }
    for (const ns of indexed !== undefined ? [] : namespaces) {
      const m = t.byNs.get(ns);
      if (m === undefined) continue;
      if (after !== undefined && ns < afterNs) continue;
      const skipNames = after !== undefined && ns === afterNs;
      for (const name of t.names(ns)) {
        if (skipNames && name <= afterName) continue;
        const key = keyOf(ns, name);
        const o = m.get(name)!;
        if (filter !== undefined && !filter(o)) continue;
        if (items.length < limit) {
          items.push(o);
          lastKey = key;
        } else remaining++;
      }
    }
    if (remaining > 0) next = { after: lastKey, remaining };
    return next === undefined ? { items, resourceVersion } : { items, resourceVersion, next };
  }

  /**
   * Serialises a stored object to JSON, cached per object. With `withoutTypeMeta`, drops the leading
   * apiVersion/kind (list items of built-in kinds omit them, as kube-apiserver does).
   */
  toJSON(obj: KubeObject, withoutTypeMeta = false): string {
    let s = this.jsonCache.get(obj);
    if (s === undefined) {
      s = JSON.stringify(obj);
      if (Object.isFrozen(obj)) {
        // Bounded: at 150,000 pods the text of every object doubled the simulator's heap (past V8's limit).
        if (this.jsonCacheChars + s.length > JSON_CACHE_MAX_CHARS) {
          this.jsonCache = new WeakMap();
          this.jsonCacheChars = 0;
        }
        this.jsonCache.set(obj, s);
        this.jsonCacheChars += s.length;
      }
    }
    if (!withoutTypeMeta) return s;
    const prefix = `{"apiVersion":${JSON.stringify(obj.apiVersion)},"kind":${JSON.stringify(obj.kind)},`;
    return s.startsWith(prefix) ? `{${s.slice(prefix.length)}` : s;
  }

  private checkNamespace(kind: ResourceKind, ns: string | undefined, name: string, forCreate: boolean): string {
    if (!kind.namespaced) return '';
    if (ns === undefined || ns === '') {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const nsObj = this.tables.get('/namespaces')?.get('', ns);
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

  private generateName(prefix: string): string {
    let s = prefix;
    for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
    return s;
  }

  /** Puts apiVersion/kind first and metadata second so cached JSON can drop the type prefix cheaply. */
  private normalise(kind: ResourceKind, o: Record<string, any>): KubeObject {
    dropUndefined(o);
    const { apiVersion: _a, kind: _k, metadata, ...rest } = o;
    const obj: KubeObject = {
      apiVersion: apiVersionOf(kind),
      kind: kind.kind,
      metadata: { ...(metadata ?? {}) },
      ...rest,
    };
    if (kind.group === '' && kind.resource === 'secrets' && obj['stringData'] !== undefined) {
      // Upstream's v1 conversion: stringData overwrites data keys (base64) and is never stored.
      const sd: unknown = obj['stringData'];
      if (sd !== null && typeof sd === 'object') {
        const data: Record<string, string> = { ...(obj['data'] ?? {}) };
        for (const [k, v] of Object.entries(sd as Record<string, unknown>))
          data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        obj['data'] = data;
      }
      delete obj['stringData'];
    }
    return obj;
  }

  private fail(kind: ResourceKind, name: string, errs: FieldError[]): void {
    if (errs.length > 0) throw errors.invalid(kind.group, kind.kind, name, errs);
  }

  /**
   * Creates an object. Sets uid, creationTimestamp, resourceVersion, generation (kinds that track it)
   * and managedFields; resolves generateName. Throws 409 AlreadyExists, 404 for a missing namespace,
   * 403 in a terminating namespace, 422 Invalid (with causes), 400 for a client-set resourceVersion.
   */
  create(ref: ResourceRef, input: Record<string, any>, opts: WriteOptions = {}): KubeObject {
    const kind = this.kindOf(ref);
    const obj = this.normalise(kind, structuredClone(input));
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
      meta.name = this.generateName(meta.generateName);
    }
    const name = meta.name ?? '';
    this.fail(kind, name, validateObject(kind, obj));
    const ns = this.checkNamespace(kind, meta.namespace, name, true);
    if (kind.namespaced) meta.namespace = ns;
    else delete meta.namespace;
    const t = this.table(ref);
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
    this.prepareForCreate(kind, obj);
    if (opts.dryRun === true) {
      meta.resourceVersion = String(this.rv + 1);
      return deepFreeze(obj);
    }
    meta.resourceVersion = String(++this.rv);
    deepFreeze(obj);
    this.store(ref, kind, ns, name, obj, undefined);
    this.emit({ type: 'ADDED', object: obj, resourceVersion: this.rv, refKey: refKey(ref) });
    this.afterWrite(kind, undefined, obj);
    return obj;
  }

  /**
   * The managedFields a create by `manager` records (kube-apiserver computes them on the decoded,
   * defaulted object before admission mutates it): call before admission, pass to `create`.
   */
  managedFieldsForCreate(ref: ResourceRef, input: Record<string, any>, manager: string): ManagedFieldsEntry[] {
    const kind = this.kindOf(ref);
    const obj = this.normalise(kind, structuredClone(input));
    applyApiDefaults(kind, obj);
    delete obj.metadata.managedFields;
    updateManagedFields(kind, undefined, obj, manager, undefined, this.now());
    return obj.metadata.managedFields ?? [];
  }

  /** The registry strategies' PrepareForCreate: what kube-apiserver sets after the field manager ran. */
  private prepareForCreate(kind: ResourceKind, obj: KubeObject): void {
    if (kind.custom) return;
    prepareCreated(kind, obj, obj.metadata.creationTimestamp!);
    if (kind.group === '' && kind.resource === 'namespaces') {
      obj['spec'] = { finalizers: ['kubernetes'], ...(obj['spec'] ?? {}) };
      if (obj.metadata.deletionTimestamp === undefined) obj['status'] = { phase: 'Active' };
    }
    if (kind.group === '' && kind.resource === 'pods') {
      obj['status'] ??= {};
      if (obj['status'].phase === undefined) obj['status'].phase = 'Pending';
      obj['status'].qosClass ??= qosClass(obj['spec']);
    }
    if (kind.group === '' && kind.resource === 'services') this.allocateServiceIPs(obj, undefined);
  }

  /** The registry strategies' PrepareForUpdate (what generation does is in `generationChanged`). */
  private prepareForUpdate(kind: ResourceKind, old: KubeObject, obj: KubeObject): void {
    if (kind.group === '' && kind.resource === 'services') this.allocateServiceIPs(obj, old);
    if (kind.group === 'apps' && kind.resource === 'daemonsets') {
      // The v1 form of the internal templateGeneration: kept from the old object, bumped with the template.
      const key = 'deprecated.daemonset.template.generation';
      const was = Number(old.metadata.annotations?.[key] ?? '0');
      const next = JSON.stringify(old['spec']?.template) !== JSON.stringify(obj['spec']?.template) ? was + 1 : was;
      if (was > 0) obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [key]: String(next) };
    }
  }

  /**
   * Service cluster IPs as the service REST storage assigns them (single-stack IPv4, 10.96.0.0/12):
   * a new Service gets a free address unless it is headless or ExternalName; an update keeps the
   * addresses it had when the request leaves them out.
   */
  private allocateServiceIPs(obj: KubeObject, old: KubeObject | undefined): void {
    const spec = obj['spec'];
    if (spec === undefined || spec === null || typeof spec !== 'object') return;
    if (spec.type === 'ExternalName') return;
    const os = old?.['spec'];
    if (os !== undefined && os.type !== 'ExternalName') {
      if (spec.clusterIP === undefined || spec.clusterIP === '') spec.clusterIP = os.clusterIP;
      if (spec.clusterIPs === undefined) spec.clusterIPs = os.clusterIPs;
      spec.ipFamilies ??= os.ipFamilies;
      spec.ipFamilyPolicy ??= os.ipFamilyPolicy;
    }
    if (spec.clusterIP === undefined || spec.clusterIP === '') {
      const used = new Set<string>();
      for (const m of this.tables.get('/services')?.byNs.values() ?? [])
        for (const svc of m.values()) {
          const ip: unknown = svc['spec']?.clusterIP;
          if (typeof ip === 'string') used.add(ip);
        }
      let ip = '';
      for (let tries = 0; tries < 1000; tries++) {
        const n = 2 + Math.floor(Math.random() * ((1 << 20) - 3));
        ip = `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
        if (!used.has(ip)) break;
      }
      spec.clusterIP = ip;
    }
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
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
      const obj = this.normalise(kind, input);
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
        if (this.tables.get('/namespaces')?.get('', ns) === undefined) {
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
      const t = this.table(kind);
      const old = t.get(ns, name);
      meta.resourceVersion = String(++this.rv);
      deepFreeze(obj);
      this.store(kind, kind, ns, name, obj, old);
      this.emit(
        old === undefined
          ? { type: 'ADDED', object: obj, resourceVersion: this.rv, refKey: refKey(kind) }
          : { type: 'MODIFIED', object: obj, previous: old, resourceVersion: this.rv, refKey: refKey(kind) },
      );
      if (kind.group === 'apiextensions.k8s.io' && kind.resource === 'customresourcedefinitions') {
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
    let obj = this.normalise(kind, structuredClone(input));
    applyApiDefaults(kind, obj);
    const name = obj.metadata.name ?? '';
    const ns = kind.namespaced ? (obj.metadata.namespace ?? '') : '';
    if (kind.namespaced && ns === '')
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    const t = this.table(ref);
    const old = t.get(ns, name);
    if (old === undefined) throw errors.notFound(kind.group, kind.resource, name);
    const wantRv = obj.metadata.resourceVersion;
    if (wantRv !== undefined && wantRv !== '' && wantRv !== old.metadata.resourceVersion) {
      throw errors.conflict(kind.group, kind.resource, name);
    }
    const hasStatusSub = kind.subresources.includes('status');
    if (opts.subresource === 'status') {
      // A status write changes status and, when it is a read-modify-write of the current object
      // (its resourceVersion matches), labels and annotations too (as UpdateStatus does; a
      // Deployment's labels stay); an unconditional status write keeps the stored metadata.
      const fresh = wantRv !== undefined && wantRv !== '';
      const next = { ...structuredClone(old), status: obj['status'] } as KubeObject;
      if (fresh) {
        for (const k of ['labels', 'annotations'] as const) {
          if (k === 'labels' && kind.group === 'apps' && kind.resource === 'deployments') continue;
          const v = obj.metadata[k];
          if (v !== undefined) next.metadata[k] = structuredClone(v);
          else delete next.metadata[k];
        }
      }
      obj = next;
      if (input['status'] === undefined) delete obj['status'];
    } else if (hasStatusSub && opts.subresource !== 'binding') {
      if (old['status'] !== undefined) obj['status'] = structuredClone(old['status']);
      else delete obj['status'];
    }
    const meta = obj.metadata;
    meta.uid = old.metadata.uid!;
    meta.creationTimestamp = old.metadata.creationTimestamp!;
    if (old.metadata.deletionTimestamp !== undefined) meta.deletionTimestamp = old.metadata.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined)
      meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    if (old.metadata.generateName !== undefined && meta.generateName === undefined)
      meta.generateName = old.metadata.generateName;
    if (kind.hasGeneration) meta.generation = old.metadata.generation ?? 1;
    else delete meta.generation;
    meta.resourceVersion = old.metadata.resourceVersion!;
    if (old.metadata.deletionTimestamp !== undefined) {
      const added = (meta.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
      if (added.length > 0) {
        throw errors.invalid(kind.group, kind.kind, name, [
          {
            type: 'FieldValueForbidden',
            field: 'metadata.finalizers',
            detail: 'no new finalizers can be added if the object is being deleted',
          },
        ]);
      }
    }
    if (
      kind.resource === 'namespaces' &&
      kind.group === '' &&
      old['spec'] !== undefined &&
      opts.subresource !== 'finalize'
    )
      obj['spec'] = structuredClone(old['spec']);
    this.fail(kind, name, [
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
    if (!kind.custom) this.prepareForUpdate(kind, old, obj);
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
    this.store(ref, kind, ns, name, obj, old);
    this.emit({ type: 'MODIFIED', object: obj, previous: old, resourceVersion: this.rv, refKey: refKey(ref) });
    this.afterWrite(kind, old, obj);
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

  private store(
    ref: ResourceRef,
    kind: ResourceKind,
    ns: string,
    name: string,
    obj: KubeObject,
    old: KubeObject | undefined,
  ): void {
    this.table(ref).set(ns, name, obj);
    const key = keyOf(ns, name);
    if (kind.group === '' && kind.resource === 'pods') {
      const oldNode: string | undefined = old?.['spec']?.nodeName;
      const newNode: string | undefined = obj['spec']?.nodeName;
      if (oldNode !== newNode) {
        if (oldNode !== undefined) this.nodeIndex.get(oldNode)?.delete(key);
        if (newNode !== undefined) {
          let s = this.nodeIndex.get(newNode);
          if (s === undefined) this.nodeIndex.set(newNode, (s = new Set()));
          s.add(key);
        }
      }
    }
    const ownKey = `${refKey(ref)}|${ns}|${name}`;
    const oldOwners = new Set((old?.metadata.ownerReferences ?? []).map((r) => r.uid));
    const newOwners = new Set((obj.metadata.ownerReferences ?? []).map((r) => r.uid));
    for (const u of oldOwners) if (!newOwners.has(u)) this.dependents.get(u)?.delete(ownKey);
    for (const u of newOwners) {
      let s = this.dependents.get(u);
      if (s === undefined) this.dependents.set(u, (s = new Set()));
      s.add(ownKey);
    }
  }

  private unstore(ref: ResourceRef, kind: ResourceKind, ns: string, name: string, old: KubeObject): void {
    this.table(ref).remove(ns, name);
    const key = keyOf(ns, name);
    if (kind.group === '' && kind.resource === 'pods') {
      const n: string | undefined = old['spec']?.nodeName;
      if (n !== undefined) this.nodeIndex.get(n)?.delete(key);
    }
    const ownKey = `${refKey(ref)}|${ns}|${name}`;
    for (const r of old.metadata.ownerReferences ?? []) this.dependents.get(r.uid)?.delete(ownKey);
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
    const cur = this.table(ref).get(ns, name);
    if (cur === undefined) throw errors.notFound(kind.group, kind.resource, name);
    const pre = opts.preconditions;
    if (pre?.uid !== undefined && pre.uid !== cur.metadata.uid) {
      throw errors.conflict(
        kind.group,
        kind.kind,
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${cur.metadata.uid}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw errors.conflict(
        kind.group,
        kind.kind,
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`,
      );
    }
    const isNs = kind.group === '' && kind.resource === 'namespaces';
    if (isNs && PROTECTED_NAMESPACES.has(name)) {
      throw errors.forbidden('', 'namespaces', name, `this namespace may not be deleted`);
    }
    if (opts.dryRun === true)
      return { object: cur, deleted: cur.metadata.finalizers === undefined || cur.metadata.finalizers.length === 0 };
    if (isNs) return this.terminateNamespace(ref, cur);
    if (kind.group === 'apiextensions.k8s.io' && kind.resource === 'customresourcedefinitions')
      if (cur.metadata.deletionTimestamp === undefined) return this.terminateCrd(ref, kind, cur);
    const isPod = kind.group === '' && kind.resource === 'pods';
    const phase = cur['status']?.phase;
    let grace = 0;
    if (isPod && cur['spec']?.nodeName !== undefined && phase !== 'Succeeded' && phase !== 'Failed') {
      grace =
        opts.gracePeriodSeconds ??
        cur.metadata.deletionGracePeriodSeconds ??
        cur['spec']?.terminationGracePeriodSeconds ??
        30;
    }
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
      const updated = this.writeInternal(ref, kind, ns, name, cur, next);
      if (finalizers.length === 0 && grace > 0 && this.graceful === 'timer') this.scheduleRemoval(ref, ns, name, grace);
      this.scheduleGc(ref, updated);
      const after = this.table(ref).get(ns, name);
      return after === undefined ? { object: updated, deleted: true } : { object: after, deleted: false };
    }
    const removed = this.remove(ref, kind, ns, name, cur);
    this.deleteDependents(removed);
    return { object: removed, deleted: true };
  }

  /**
   * The garbage collector's turn for an owner being deleted with the `orphan` or `foregroundDeletion`
   * finalizer, `gcDelayMs` after the write (kube-controller-manager acts on a watch event, never inside
   * the DELETE): orphaning strips the owner's ownerReferences from its dependents, then drops the
   * finalizer; foreground deletes the dependents and drops the finalizer once no dependent that blocks
   * owner deletion is left.
   */
  private scheduleGc(ref: ResourceRef, obj: KubeObject): void {
    const fins = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp === undefined || !fins.some((f) => CONTROLLER_FINALIZERS.has(f))) return;
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name!;
    const uid = obj.metadata.uid;
    const t = setTimeout(() => {
      this.timers.delete(t);
      try {
        this.collect(ref, ns, name, uid);
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
      }
    }, this.gcDelayMs);
    t.unref();
    this.timers.add(t);
  }

  private collect(ref: ResourceRef, ns: string, name: string, uid: string | undefined): void {
    const kind = this.registry.get(ref.group, ref.resource);
    const cur = this.tables.get(refKey(ref))?.get(ns, name);
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
      this.deleteCustomResources(cur);
      this.dropFinalizer(ref, kind, ns, name, CRD_CLEANUP);
    }
    if (fins.includes(ORPHAN)) {
      this.orphanDependents(cur);
      this.dropFinalizer(ref, kind, ns, name, ORPHAN);
    } else if (fins.includes(FOREGROUND)) {
      this.deleteDependents(cur, true);
      const now = this.tables.get(refKey(ref))?.get(ns, name);
      if (now !== undefined && now.metadata.uid === uid && !this.hasBlockingDependents(now))
        this.dropFinalizer(ref, kind, ns, name, FOREGROUND);
    }
  }

  /**
   * The CRD registry's first DELETE: deletionTimestamp, the customresourcecleanup finalizer and a
   * Terminating condition; the garbage collector pass (as apiextensions' finalizer controller) then
   * deletes the custom resources and drops the finalizer.
   */
  private terminateCrd(ref: ResourceRef, kind: ResourceKind, cur: KubeObject): DeleteResult {
    const next = structuredClone(cur) as KubeObject;
    const ts = rfc3339(this.now());
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
    const updated = this.writeInternal(ref, kind, '', cur.metadata.name!, cur, next);
    this.scheduleGc(ref, updated);
    return { object: updated, deleted: false };
  }

  /** Removes every custom resource of a CRD being deleted. */
  private deleteCustomResources(crd: KubeObject): void {
    const ck = kindFromCrd(crd);
    const t = ck === undefined ? undefined : this.tables.get(refKey(ck));
    const kind = ck === undefined ? undefined : this.registry.get(ck.group, ck.resource);
    if (ck === undefined || t === undefined || kind === undefined) return;
    for (const [ns, m] of [...t.byNs.entries()])
      for (const o of [...m.values()]) this.remove(ck, kind, ns, o.metadata.name!, o);
  }

  /**
   * Whether a PersistentVolume is in use (the pv-protection controller's check): Bound to a claim that
   * still exists (with no binder here to mark it Released, a vanished claim frees it).
   */
  private volumeInUse(pv: KubeObject): boolean {
    if (pv['status']?.phase !== 'Bound') return false;
    const ref = pv['spec']?.claimRef;
    return this.tables.get('/persistentvolumeclaims')?.get(ref?.namespace ?? '', ref?.name ?? '') !== undefined;
  }

  /** Whether a pod that is not finished mounts the claim (the pvc-protection controller's check). */
  private claimInUse(ns: string, claim: string): boolean {
    const pods = this.tables.get(refKey({ group: '', resource: 'pods' }))?.byNs.get(ns);
    for (const p of pods?.values() ?? []) {
      const phase = p['status']?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      if ((p['spec']?.volumes ?? []).some((v: any) => v?.persistentVolumeClaim?.claimName === claim)) return true;
    }
    return false;
  }

  private dropFinalizer(ref: ResourceRef, kind: ResourceKind, ns: string, name: string, finalizer: string): void {
    const cur = this.tables.get(refKey(ref))?.get(ns, name);
    if (cur === undefined || !(cur.metadata.finalizers ?? []).includes(finalizer)) return;
    const next = structuredClone(cur) as KubeObject;
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    this.writeInternal(ref, kind, ns, name, cur, next);
  }

  private scheduleRemoval(ref: ResourceRef, ns: string, name: string, grace: number): void {
    const uid = this.table(ref).get(ns, name)?.metadata.uid;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        const o = this.table(ref).get(ns, name);
        if (
          o !== undefined &&
          o.metadata.uid === uid &&
          o.metadata.deletionTimestamp !== undefined &&
          (o.metadata.finalizers ?? []).length === 0
        ) {
          this.delete(ref, ns, name, { gracePeriodSeconds: 0 });
        }
      },
      Math.min(grace * 1000, this.maxGraceMs),
    );
    t.unref();
    this.timers.add(t);
  }

  /** Cancels pending graceful-deletion timers (call when shutting down). */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private writeInternal(
    ref: ResourceRef,
    kind: ResourceKind,
    ns: string,
    name: string,
    old: KubeObject,
    next: KubeObject,
  ): KubeObject {
    next.metadata.resourceVersion = String(++this.rv);
    deepFreeze(next);
    this.store(ref, kind, ns, name, next, old);
    this.emit({ type: 'MODIFIED', object: next, previous: old, resourceVersion: this.rv, refKey: refKey(ref) });
    this.afterWrite(kind, old, next);
    return next;
  }

  private remove(ref: ResourceRef, kind: ResourceKind, ns: string, name: string, cur: KubeObject): KubeObject {
    const grace = cur.metadata.deletionGracePeriodSeconds;
    if (
      kind.group === '' &&
      kind.resource === 'pods' &&
      (cur.metadata.deletionTimestamp === undefined || (grace !== undefined && grace > 0))
    ) {
      // Pods always take the graceful path (rest.BeforeDelete, then the store's
      // updateForGracefulDeletionAndFinalizers): a zero grace period is first written at its own
      // resourceVersion, a MODIFIED event, before the removal at the next. A live pod gets its
      // deletionTimestamp (and a bumped generation); a terminating one has its grace period
      // shortened to 0, the timestamp moved back by the old period. Only a pod already stamped with
      // grace 0 is removed at once.
      const stamped = structuredClone(cur) as KubeObject;
      const was = cur.metadata.deletionTimestamp;
      stamped.metadata.deletionTimestamp =
        was === undefined ? rfc3339(this.now()) : rfc3339(new Date(Date.parse(was) - (grace ?? 0) * 1000));
      stamped.metadata.deletionGracePeriodSeconds = 0;
      if (was === undefined && (cur.metadata.generation ?? 0) > 0)
        stamped.metadata.generation = cur.metadata.generation! + 1;
      cur = this.writeInternal(ref, kind, ns, name, cur, stamped);
    }
    const final = structuredClone(cur) as KubeObject;
    final.metadata.resourceVersion = String(++this.rv);
    deepFreeze(final);
    this.unstore(ref, kind, ns, name, cur);
    this.emit({ type: 'DELETED', object: final, previous: cur, resourceVersion: this.rv, refKey: refKey(ref) });
    this.afterDelete(kind, ns, final);
    return final;
  }

  private parseOwnKey(k: string): { ref: ResourceRef; ns: string; name: string } {
    const [rk, ns, name] = k.split('|') as [string, string, string];
    const slash = rk.indexOf('/');
    return { ref: { group: rk.slice(0, slash), resource: rk.slice(slash + 1) }, ns, name };
  }

  private hasDependents(owner: KubeObject): boolean {
    return (this.dependents.get(owner.metadata.uid!)?.size ?? 0) > 0;
  }

  /** Whether a dependent's ownerReference to `owner` has blockOwnerDeletion (foreground waits for those). */
  private hasBlockingDependents(owner: KubeObject): boolean {
    const uid = owner.metadata.uid!;
    for (const k of this.dependents.get(uid) ?? []) {
      const { ref, ns, name } = this.parseOwnKey(k);
      const d = this.tables.get(refKey(ref))?.get(ns, name);
      if (d?.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true)) return true;
    }
    return false;
  }

  private orphanDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid!;
    for (const k of [...(this.dependents.get(uid) ?? [])]) {
      const { ref, ns, name } = this.parseOwnKey(k);
      const kind = this.registry.get(ref.group, ref.resource);
      const d = this.tables.get(refKey(ref))?.get(ns, name);
      if (kind === undefined || d === undefined) continue;
      const next = structuredClone(d) as KubeObject;
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      this.writeInternal(ref, kind, ns, name, d, next);
    }
  }

  /**
   * Deletes an owner's dependents that have no other existing owner (others only lose the reference).
   * For a foreground owner (`foreground`), a dependent that has dependents of its own is deleted in
   * the foreground too, the rest in the background.
   */
  private deleteDependents(owner: KubeObject, foreground = false): void {
    const uid = owner.metadata.uid!;
    for (const k of [...(this.dependents.get(uid) ?? [])]) {
      const { ref, ns, name } = this.parseOwnKey(k);
      const d = this.tables.get(refKey(ref))?.get(ns, name);
      if (d === undefined || d.metadata.deletionTimestamp !== undefined) continue;
      const others = (d.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid && this.ownerExists(r.uid));
      try {
        if (others.length > 0) {
          const kind = this.kindOf(ref);
          const next = structuredClone(d) as KubeObject;
          next.metadata.ownerReferences = d.metadata.ownerReferences!.filter((r) => r.uid !== uid);
          this.writeInternal(ref, kind, ns, name, d, next);
        } else
          this.delete(ref, ns, name, {
            propagationPolicy: foreground && this.hasDependents(d) ? 'Foreground' : 'Background',
          });
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
      }
    }
  }

  private ownerExists(uid: string): boolean {
    for (const t of this.tables.values())
      for (const m of t.byNs.values()) for (const o of m.values()) if (o.metadata.uid === uid) return true;
    return false;
  }

  /** After a delete, finish foreground owners whose dependents are gone and terminating namespaces that emptied. */
  private afterDelete(kind: ResourceKind, ns: string, final: KubeObject): void {
    for (const r of final.metadata.ownerReferences ?? []) {
      // A foreground owner gets the garbage collector's attention again once a dependent is gone.
      const owner = this.findByUid(r);
      if (owner !== undefined) this.scheduleGc(owner.ref, owner.obj);
    }
    if (kind.group === '' && kind.resource === 'persistentvolumeclaims')
      for (const pv of this.tables.get('/persistentvolumes')?.byNs.get('')?.values() ?? [])
        if (pv['spec']?.claimRef?.namespace === ns && pv['spec']?.claimRef?.name === final.metadata.name)
          this.scheduleGc({ group: '', resource: 'persistentvolumes' }, pv);
    if (kind.group === '' && kind.resource === 'pods')
      for (const v of final['spec']?.volumes ?? []) {
        const claim = this.tables.get('/persistentvolumeclaims')?.get(ns, v?.persistentVolumeClaim?.claimName);
        if (claim !== undefined) this.scheduleGc({ group: '', resource: 'persistentvolumeclaims' }, claim);
      }
    if (kind.namespaced && ns !== '') {
      const nsObj = this.tables.get('/namespaces')?.get('', ns);
      if (nsObj?.metadata.deletionTimestamp !== undefined) this.checkNamespaceEmpty(nsObj);
    }
    if (kind.group === 'apiextensions.k8s.io' && kind.resource === 'customresourcedefinitions') {
      const ck = kindFromCrd(final);
      if (ck !== undefined) {
        this.tables.delete(refKey(ck));
        this.registry.unregister(ck);
      }
    }
  }

  private findByUid(r: {
    apiVersion: string;
    kind: string;
    uid: string;
  }): { ref: ResourceRef; obj: KubeObject } | undefined {
    const kind = this.registry.byKind(r.apiVersion, r.kind);
    if (kind === undefined) return undefined;
    const t = this.tables.get(refKey(kind));
    if (t === undefined) return undefined;
    for (const m of t.byNs.values())
      for (const o of m.values()) if (o.metadata.uid === r.uid) return { ref: kind, obj: o };
    return undefined;
  }

  private terminateNamespace(ref: ResourceRef, cur: KubeObject): DeleteResult {
    const kind = this.kindOf(ref);
    const name = cur.metadata.name!;
    let obj = cur;
    if (cur.metadata.deletionTimestamp === undefined) {
      const next = structuredClone(cur) as KubeObject;
      next.metadata.deletionTimestamp = rfc3339(this.now());
      next['status'] = { ...(next['status'] ?? {}), phase: 'Terminating' };
      obj = this.writeInternal(ref, kind, '', name, cur, next);
    }
    for (const k of this.registry.all()) {
      if (!k.namespaced) continue;
      const t = this.tables.get(refKey(k));
      const m = t?.byNs.get(name);
      if (m === undefined) continue;
      for (const n of [...m.keys()]) {
        const o = m.get(n);
        if (o === undefined || o.metadata.deletionTimestamp !== undefined) continue;
        try {
          this.delete(k, name, n, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!(e instanceof StatusError)) throw e;
        }
      }
    }
    const still = this.table(ref).get('', name);
    if (still === undefined) return { object: obj, deleted: true };
    const after = this.checkNamespaceEmpty(still);
    return after === undefined ? { object: still, deleted: false } : { object: obj, deleted: true };
  }

  /** Removes a terminating namespace once it holds nothing; returns the final object if removed. */
  private checkNamespaceEmpty(nsObj: KubeObject): KubeObject | undefined {
    const name = nsObj.metadata.name!;
    for (const k of this.registry.all()) {
      if (k.namespaced && (this.tables.get(refKey(k))?.byNs.get(name)?.size ?? 0) > 0) return undefined;
    }
    const ref = { group: '', resource: 'namespaces' };
    const cur = this.table(ref).get('', name);
    if (cur === undefined || (cur.metadata.finalizers ?? []).length > 0) return undefined;
    return this.remove(ref, this.kindOf(ref), '', name, cur);
  }

  /** Side effects of a successful write: finalizer removal completes deletion; CRDs register kinds. */
  private afterWrite(kind: ResourceKind, old: KubeObject | undefined, obj: KubeObject): void {
    if (
      kind.group === 'apiextensions.k8s.io' &&
      kind.resource === 'customresourcedefinitions' &&
      obj.metadata.deletionTimestamp === undefined
    ) {
      const ck = kindFromCrd(obj);
      if (ck !== undefined) {
        const prev = this.registry.get(ck.group, ck.resource);
        if (prev === undefined || JSON.stringify(prev) !== JSON.stringify(ck)) this.registry.register(ck);
        const conds: any[] = obj['status']?.conditions ?? [];
        if (!conds.some((c) => c?.type === 'Established' && c?.status === 'True')) {
          const next = structuredClone(obj) as KubeObject;
          const ts = rfc3339(this.now());
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
          const cur = this.table(kind).get('', nm)!;
          // The naming and establishing controllers write through the status subresource.
          updateManagedFields(kind, cur, next, 'kube-apiserver', 'status', this.now());
          this.writeInternal(kind, kind, '', nm, cur, next);
        }
      }
    }
    if (
      old !== undefined &&
      obj.metadata.deletionTimestamp !== undefined &&
      (obj.metadata.finalizers ?? []).length === 0
    ) {
      const ns = kind.namespaced ? obj.metadata.namespace! : '';
      const cur = this.table(kind).get(ns, obj.metadata.name!);
      const isPodWaiting =
        kind.resource === 'pods' && kind.group === '' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
      if (cur === obj && (old.metadata.finalizers ?? []).length > 0 && !isPodWaiting) {
        if (kind.group === '' && kind.resource === 'namespaces') this.checkNamespaceEmpty(cur);
        else this.deleteDependentsAndRemove(kind, ns, cur);
      }
    }
  }

  private deleteDependentsAndRemove(kind: ResourceKind, ns: string, cur: KubeObject): void {
    const removed = this.remove(kind, kind, ns, cur.metadata.name!, cur);
    this.deleteDependents(removed);
  }

  private emit(e: WatchEvent): void {
    if (this.history.length - this.historyStart >= this.historySize) {
      this.compactedRv = this.history[this.historyStart]!.resourceVersion;
      this.historyStart++;
      if (this.historyStart > 4096 && this.historyStart * 2 > this.history.length) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    this.history.push(e);
    // A failing listener must neither undo nor interrupt a write that is already stored.
    for (const l of this.listeners) {
      if (l.ref !== e.refKey) continue;
      try {
        this.deliver(l, e);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    for (const g of this.globalListeners) {
      try {
        g(e);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  private deliver(l: Listener, e: WatchEvent): void {
    if (l.namespace !== undefined && e.object.metadata.namespace !== l.namespace) return;
    if (l.filter === undefined) {
      l.fn(e);
      return;
    }
    const now = l.filter(e.object);
    const before = e.previous !== undefined && e.type !== 'ADDED' ? l.filter(e.previous) : false;
    if (e.type === 'DELETED') {
      if (now || before) l.fn(e);
    } else if (now && before) l.fn(e);
    else if (now && !before) l.fn({ ...e, type: 'ADDED' });
    else if (!now && before) {
      // As the watch cache does: the object as it last matched, at the event's resourceVersion.
      const prev = e.previous!;
      const object = { ...prev, metadata: { ...prev.metadata, resourceVersion: e.object.metadata.resourceVersion } };
      l.fn({ ...e, type: 'DELETED', object });
    }
  }

  /**
   * Watches one kind. Events are delivered synchronously, in RV order, after any replay. Throws 410
   * Expired (`too old resource version: N (M)`) when `sinceResourceVersion` predates the kept history.
   */
  watch(ref: ResourceRef, opts: WatchOptions, fn: (e: WatchEvent) => void): Subscription {
    this.kindOf(ref);
    const l: Listener = { ref: refKey(ref), namespace: opts.namespace, filter: opts.filter, fn };
    const since = opts.sinceResourceVersion;
    if (since === undefined) {
      const listOpts: ListOptions = {};
      if (opts.namespace !== undefined) listOpts.namespace = opts.namespace;
      if (opts.filter !== undefined) listOpts.filter = opts.filter;
      for (const o of this.list(ref, listOpts).items)
        fn({ type: 'ADDED', object: o, resourceVersion: Number(o.metadata.resourceVersion), refKey: l.ref });
    } else {
      if (since < this.compactedRv)
        throw errors.expired(`too old resource version: ${since} (${this.compactedRv + 1})`);
      for (let i = this.firstIndexAfter(since); i < this.history.length; i++) {
        const e = this.history[i]!;
        if (e.refKey === l.ref) this.deliver(l, e);
      }
    }
    this.listeners.add(l);
    return { close: () => this.listeners.delete(l) };
  }

  private firstIndexAfter(rv: number): number {
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.resourceVersion <= rv) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Hears every change of every kind (after per-kind watchers); returns an unsubscribe function. */
  subscribe(fn: (e: WatchEvent) => void): () => void {
    this.globalListeners.add(fn);
    return () => this.globalListeners.delete(fn);
  }

  /** Test hook: forgets watch history up to `rv` (default: all), so older watches get 410 Expired. */
  compact(rv: number = this.rv): void {
    while (this.historyStart < this.history.length && this.history[this.historyStart]!.resourceVersion <= rv)
      this.historyStart++;
    this.compactedRv = Math.max(this.compactedRv, rv);
  }

  /** Number of live per-kind watch subscriptions. */
  get watcherCount(): number {
    return this.listeners.size;
  }
}

/** The pod's QoS class (v1 qos.GetPodQOS over containers and init containers, cpu and memory). */
function qosClass(spec: any): string {
  const cs: any[] = [
    ...(Array.isArray(spec?.containers) ? spec.containers : []),
    ...(Array.isArray(spec?.initContainers) ? spec.initContainers : []),
  ];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Deletes properties whose value is `undefined` (never part of a JSON object), in place. */
function dropUndefined(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === 'object') dropUndefined(x);
    return;
  }
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x === undefined) delete o[k];
    else if (x !== null && typeof x === 'object') dropUndefined(x);
  }
}

/** `obj` with kube-apiserver's decode-time defaults applied, as a fresh copy (`obj` is frozen). */
function defaultedCopy(kind: ResourceKind, obj: KubeObject): KubeObject {
  const copy = structuredClone(obj) as KubeObject;
  applyApiDefaults(kind, copy);
  return copy;
}
