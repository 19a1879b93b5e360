/**
 * A list as it was at an earlier resourceVersion, rebuilt from the store's history the way
 * kube-apiserver's watch cache serves `resourceVersionMatch=Exact` (ListFromCacheSnapshot): the
 * current objects with every later change of the kind undone. Undefined when nothing changed since.
 * The caller checks that the history still reaches back to `rv` (else 410 Expired).
 */
import type { ResourceKind } from '../store/registry';
import type { Store, ListOptions } from '../store/store';
import type { KubeObject, WatchEvent } from '../store/types';

export function listAt(store: Store, kind: ResourceKind, rv: number, opts: ListOptions): KubeObject[] | undefined {
  const later: WatchEvent[] = [];
  store.watch(kind, { sinceResourceVersion: rv }, (e) => later.push(e)).close();
  if (later.length === 0) return undefined;
  const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name ?? ''}`;
  const byKey = new Map(store.list(kind).items.map((o) => [key(o), o]));
  for (const e of later.reverse()) {
    if (e.type === 'ADDED') byKey.delete(key(e.object));
    else if (e.previous !== undefined) byKey.set(key(e.previous), e.previous);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, o]) => o)
    .filter(
      (o) =>
        (opts.namespace === undefined || o.metadata.namespace === opts.namespace) &&
        (opts.nodeName === undefined || o['spec']?.nodeName === opts.nodeName) &&
        (opts.filter === undefined || opts.filter(o)),
    );
}
