/**
 * The object store's tables: one map per kind and per namespace (with cached sorted keys), the
 * spec.nodeName index of pods, the ownerReference index of dependents, the sorted, paged list, and a
 * cached JSON string per stored (frozen) object. Holds objects only: resourceVersions, validation and
 * events are the Store's.
 */

import { type ResourceKind, type ResourceRef, refKey } from './registry';
import type { ListOptions, ListResult } from './store-options';
import type { KubeObject } from './types';
import { inWireOrder } from './wire-order';

/** Per-kind storage: namespace → name → object, plus cached sorted keys. */
export class KindTable {
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

/** `ns/name`, or `name` for cluster-scoped objects. */
export function keyOf(ns: string, name: string): string {
  return ns === '' ? name : `${ns}/${name}`;
}

/** The key of an object in the dependents index: `group/resource|ns|name`. */
function ownKeyOf(ref: ResourceRef, ns: string, name: string): string {
  return `${refKey(ref)}|${ns}|${name}`;
}

/** Every kind's table plus the indexes kept beside them. */
export class ObjectTables {
  private readonly tables = new Map<string, KindTable>();
  private readonly nodeIndex = new Map<string, Set<string>>();
  /** Owner uid → dependents' keys (see ownKeyOf). */
  private readonly dependents = new Map<string, Set<string>>();
  /** Serialised objects (see toJSON), dropped whole once they hold JSON_CACHE_MAX_CHARS. */
  private jsonCache = new WeakMap<object, string>();
  private jsonCacheChars = 0;

  /** The table of a kind, created on first use. */
  table(ref: ResourceRef): KindTable {
    const key = refKey(ref);
    let t = this.tables.get(key);
    if (t === undefined) {
      t = new KindTable();
      this.tables.set(key, t);
    }
    return t;
  }

  /** The table of a kind if it has one. */
  peek(ref: ResourceRef): KindTable | undefined {
    return this.tables.get(refKey(ref));
  }

  /** A stored object, by storage namespace (`''` for cluster-scoped) and name. */
  get(ref: ResourceRef, ns: string, name: string): KubeObject | undefined {
    return this.tables.get(refKey(ref))?.get(ns, name);
  }

  /** Every stored object of a kind. */
  *objects(ref: ResourceRef): Iterable<KubeObject> {
    for (const m of this.tables.get(refKey(ref))?.byNs.values() ?? []) yield* m.values();
  }

  /** Forgets a kind's table (a CRD's kind going away). */
  drop(ref: ResourceRef): void {
    this.tables.delete(refKey(ref));
  }

  /** Whether any stored object has this uid. */
  hasUid(uid: string): boolean {
    for (const t of this.tables.values())
      for (const m of t.byNs.values()) for (const o of m.values()) if (o.metadata.uid === uid) return true;
    return false;
  }

  /** The keys of an owner's dependents, parsed. */
  dependentsOf(uid: string): { ref: ResourceRef; ns: string; name: string }[] {
    return [...(this.dependents.get(uid) ?? [])].map((k) => {
      const [rk, ns, name] = k.split('|') as [string, string, string];
      const slash = rk.indexOf('/');
      return { ref: { group: rk.slice(0, slash), resource: rk.slice(slash + 1) }, ns, name };
    });
  }

  /** Whether an owner has dependents. */
  hasDependents(uid: string): boolean {
    return (this.dependents.get(uid)?.size ?? 0) > 0;
  }

  /** Stores `obj` (replacing `old`) and updates the node and dependents indexes. */
  put(
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
    const ownKey = ownKeyOf(ref, ns, name);
    const oldOwners = new Set((old?.metadata.ownerReferences ?? []).map((r) => r.uid));
    const newOwners = new Set((obj.metadata.ownerReferences ?? []).map((r) => r.uid));
    for (const u of oldOwners) if (!newOwners.has(u)) this.dependents.get(u)?.delete(ownKey);
    for (const u of newOwners) {
      let s = this.dependents.get(u);
      if (s === undefined) this.dependents.set(u, (s = new Set()));
      s.add(ownKey);
    }
  }

  /** Removes a stored object and its index entries. */
  take(ref: ResourceRef, kind: ResourceKind, ns: string, name: string, old: KubeObject): void {
    this.table(ref).remove(ns, name);
    const key = keyOf(ns, name);
    if (kind.group === '' && kind.resource === 'pods') {
      const n: string | undefined = old['spec']?.nodeName;
      if (n !== undefined) this.nodeIndex.get(n)?.delete(key);
    }
    const ownKey = ownKeyOf(ref, ns, name);
    for (const r of old.metadata.ownerReferences ?? []) this.dependents.get(r.uid)?.delete(ownKey);
  }

  /** Lists objects sorted by namespace then name (see Store.list); `resourceVersion` is the store's. */
  list(kind: ResourceKind, ref: ResourceRef, opts: ListOptions, resourceVersion: number): ListResult {
    const t = this.tables.get(refKey(ref));
    const items: KubeObject[] = [];

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
      s = JSON.stringify(inWireOrder(obj));
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
}
