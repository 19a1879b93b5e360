/**
 * The snapshot's objects of every kind other than Node, Pod and Namespace (Services, ReplicaSets,
 * PersistentVolumeClaims, StorageClasses, CSINodes, PriorityClasses, ...), by kind and namespace/name,
 * with the per-(kind, namespace) lists `Handle.objects` answers cached until that kind changes.
 */
import type { KubeObject } from '../../kube-api/types';

/** The most (kind, namespace) object lists {@link ObjectIndex.list} keeps between changes. */
export const OBJECT_LIST_CACHE_LIMIT = 1024;

/** The key of a namespaced (or cluster-scoped: namespace undefined) object. */
export function objKey(ns: string | undefined, name: string | undefined): string {
  return `${ns ?? ''}/${name ?? ''}`;
}

/** Objects by kind, then namespace/name. */
export class ObjectIndex {
  private readonly byKind = new Map<string, Map<string, KubeObject>>();
  private readonly listCache = new Map<string, KubeObject[]>();

  /** The objects of `kind`, in one namespace or all; the returned list is shared, never mutate it. */
  list(kind: string, namespace?: string): readonly KubeObject[] {
    const cacheKey = namespace === undefined ? `${kind}` : `${kind}\u0000${namespace}`;
    let list = this.listCache.get(cacheKey);
    if (list === undefined) {
      const all = this.byKind.get(kind);
      list = all ? [...all.values()] : [];
      if (namespace !== undefined) list = list.filter((o) => (o.metadata?.namespace ?? '') === namespace);
      // Bounded: a long-lived snapshot sees the namespaces of every pod ever predicted.
      if (this.listCache.size >= OBJECT_LIST_CACHE_LIMIT) this.listCache.clear();
      this.listCache.set(cacheKey, list);
    }
    return list;
  }

  /** One object by kind, namespace and name. */
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byKind.get(kind)?.get(objKey(namespace, name));
  }

  /** Adds or replaces `obj` under `kind`. */
  put(kind: string, obj: KubeObject): void {
    let m = this.byKind.get(kind);
    if (!m) {
      m = new Map();
      this.byKind.set(kind, m);
    }
    m.set(objKey(obj.metadata?.namespace, obj.metadata?.name), obj);
    this.invalidate(kind);
  }

  /** Removes one object, if present. */
  delete(kind: string, namespace: string | undefined, name: string): void {
    if (this.byKind.get(kind)?.delete(objKey(namespace, name))) this.invalidate(kind);
  }

  /** Copies every object of `other` into this (empty) index; the objects themselves are shared. */
  copyFrom(other: ObjectIndex): void {
    for (const [kind, m] of other.byKind) this.byKind.set(kind, new Map(m));
  }

  private invalidate(kind: string): void {
    for (const k of [...this.listCache.keys()]) {
      if (k === kind || k.startsWith(`${kind}\u0000`)) this.listCache.delete(k);
    }
  }
}
