/**
 * The snapshot's objects of every kind other than Node, Pod and Namespace (Services, ReplicaSets,
 * PersistentVolumeClaims, StorageClasses, CSINodes, PriorityClasses, ...), by kind, namespace and
 * name, with the per-(kind, namespace) lists `Handle.objects` answers cached until that kind changes.
 *
 * Contract: objects are held in nested maps (kind → namespace → name), so no key string is built
 * per object. `list(kind, namespace)` is that namespace's objects in insertion order (a replaced
 * object keeps its place); `list(kind)` is every namespace's list, namespaces in the order their
 * first (still present) object arrived. Cluster-scoped objects are namespace ''.
 */
import type { KubeObject } from '../../kube-api/types';

/** The most (kind, namespace) object lists {@link ObjectIndex.list} keeps between changes. */
export const OBJECT_LIST_CACHE_LIMIT = 1024;

/** namespace → name → value, for objects of one kind (cluster-scoped: namespace ''). */
export class NamespacedMap<V> {
  private readonly byNamespace = new Map<string, Map<string, V>>();

  get(namespace: string | undefined, name: string): V | undefined {
    return this.byNamespace.get(namespace ?? '')?.get(name);
  }

  set(namespace: string | undefined, name: string, value: V): void {
    const ns = namespace ?? '';
    let m = this.byNamespace.get(ns);
    if (m === undefined) this.byNamespace.set(ns, (m = new Map()));
    m.set(name, value);
  }

  /** Removes one entry; a namespace left empty is dropped. Returns whether it was present. */
  delete(namespace: string | undefined, name: string): boolean {
    const ns = namespace ?? '';
    const m = this.byNamespace.get(ns);
    if (m === undefined || !m.delete(name)) return false;
    if (m.size === 0) this.byNamespace.delete(ns);
    return true;
  }

  /** The values of one namespace, in insertion order. */
  valuesIn(namespace: string): IterableIterator<V> | readonly V[] {
    return this.byNamespace.get(namespace)?.values() ?? [];
  }

  /** Every value, namespace by namespace. */
  *values(): IterableIterator<V> {
    for (const m of this.byNamespace.values()) yield* m.values();
  }

  /** An independent copy (the values themselves are shared). */
  clone(): NamespacedMap<V> {
    const c = new NamespacedMap<V>();
    for (const [ns, m] of this.byNamespace) c.byNamespace.set(ns, new Map(m));
    return c;
  }
}

/** Objects by kind, then namespace, then name. */
export class ObjectIndex {
  private readonly byKind = new Map<string, NamespacedMap<KubeObject>>();
  private readonly listCache = new Map<string, KubeObject[]>();

  /** The objects of `kind`, in one namespace or all; the returned list is shared, never mutate it. */
  list(kind: string, namespace?: string): readonly KubeObject[] {
    const cacheKey = namespace === undefined ? `${kind}` : `${kind}\u0000${namespace}`;
    let list = this.listCache.get(cacheKey);
    if (list === undefined) {
      const all = this.byKind.get(kind);
      list = all === undefined ? [] : [...(namespace === undefined ? all.values() : all.valuesIn(namespace))];
      // Bounded: a long-lived snapshot sees the namespaces of every pod ever predicted.
      if (this.listCache.size >= OBJECT_LIST_CACHE_LIMIT) this.listCache.clear();
      this.listCache.set(cacheKey, list);
    }
    return list;
  }

  /** One object by kind, namespace and name. */
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byKind.get(kind)?.get(namespace, name);
  }

  /** Adds or replaces `obj` under `kind` (its own `kind` field is not read). */
  put(kind: string, obj: KubeObject): void {
    let m = this.byKind.get(kind);
    if (!m) {
      m = new NamespacedMap();
      this.byKind.set(kind, m);
    }
    m.set(obj.metadata?.namespace, obj.metadata?.name ?? '', obj);
    this.invalidate(kind);
  }

  /** Removes one object, if present. */
  delete(kind: string, namespace: string | undefined, name: string): void {
    if (this.byKind.get(kind)?.delete(namespace, name)) this.invalidate(kind);
  }

  /** Copies every object of `other` into this (empty) index; the objects themselves are shared. */
  copyFrom(other: ObjectIndex): void {
    for (const [kind, m] of other.byKind) this.byKind.set(kind, m.clone());
  }

  private invalidate(kind: string): void {
    for (const k of [...this.listCache.keys()]) {
      if (k === kind || k.startsWith(`${kind}\u0000`)) this.listCache.delete(k);
    }
  }
}

/**
 * `objects` with `kind` set on each, for code that dispatches on `.kind` (`lookupFromObjects`): the
 * index stores objects as given under an explicit kind, and list items lack their own, so those are
 * shallow-copied here (callers pass few objects: PriorityClasses, RuntimeClasses).
 */
export function withKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.map((o) => (o.kind === kind ? o : { ...o, kind }));
}
