/**
 * A watch cache's objects, by namespace and then name (cluster-scoped objects under the namespace '').
 *
 * Contract: one object per (namespace, name); `set` replaces. Keyed by the strings the objects already
 * hold, so it adds no key string per object (a `namespace/name` key costs two concatenated strings
 * each: ~25 MB over the ~380,000 objects of `npm run bench:explorer`), and one namespace's objects are
 * read without visiting the others.
 */
/** The part of a Kubernetes object a cache reads. */
export interface KubeObjectLike {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string };
}

const namespaceOf = (o: KubeObjectLike): string => o.metadata?.namespace ?? '';
const nameOf = (o: KubeObjectLike): string => o.metadata?.name ?? '';

/** Objects by namespace, then name. */
export class ObjectIndex<T extends KubeObjectLike> {
  private readonly byNamespace = new Map<string, Map<string, T>>();
  private count = 0;

  /** How many objects it holds. */
  get size(): number {
    return this.count;
  }

  /** The object `name` of `namespace` ('' or undefined for cluster-scoped objects). */
  get(name: string, namespace?: string): T | undefined {
    return this.byNamespace.get(namespace ?? '')?.get(name);
  }

  /** The object stored under `o`'s namespace and name. */
  sameAs(o: KubeObjectLike): T | undefined {
    return this.byNamespace.get(namespaceOf(o))?.get(nameOf(o));
  }

  /** Stores `o`, replacing the object of its namespace and name; true when it replaced one. */
  set(o: T): boolean {
    const ns = namespaceOf(o);
    let names = this.byNamespace.get(ns);
    if (names === undefined) this.byNamespace.set(ns, (names = new Map()));
    const replaced = names.has(nameOf(o));
    names.set(nameOf(o), o);
    if (!replaced) this.count++;
    return replaced;
  }

  /** Removes the object of `o`'s namespace and name; true when there was one. */
  delete(o: KubeObjectLike): boolean {
    const ns = namespaceOf(o);
    const names = this.byNamespace.get(ns);
    if (names === undefined || !names.delete(nameOf(o))) return false;
    if (names.size === 0) this.byNamespace.delete(ns);
    this.count--;
    return true;
  }

  /** Every object (of `namespace`, when given). */
  *values(namespace?: string): IterableIterator<T> {
    if (namespace !== undefined) {
      const names = this.byNamespace.get(namespace);
      if (names !== undefined) yield* names.values();
      return;
    }
    for (const names of this.byNamespace.values()) yield* names.values();
  }
}
