/**
 * Which tree rows a cache change touches, collected for {@link TREE_DEBOUNCE_MS} and then announced
 * once (`kube/didChangeTree` with the ids of rows whose children changed; `''` is the root).
 */
import type { CacheChange } from '../../cluster/resource-cache';
import { Emitter, type Event } from '../../shared/emitter';
import type { KubeObj } from './cluster-data';
import { kindInfo } from './kinds';
import { CATEGORY_PREFIX } from './tree-model';
import { childId, objectId } from './tree-ids';

/** How long tree changes are collected before the client is told. */
const TREE_DEBOUNCE_MS = 250;

/** Debounces changed row ids of one context's tree. */
export class TreeChanges {
  private readonly changed = new Emitter<string[]>();
  private pendingIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  /** The ids collected since the last announcement, debounced. */
  readonly onDidChange: Event<string[]> = this.changed.event;

  /** Collects changes of the tree under `context`. */
  constructor(private readonly context: string) {}

  /** Queues `ids` for the next announcement. */
  queue(ids: readonly string[]): void {
    if (this.disposed) return;
    for (const id of ids) this.pendingIds.add(id);
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const out = [...this.pendingIds];
      this.pendingIds.clear();
      this.changed.fire(out);
    }, TREE_DEBOUNCE_MS);
  }

  /** The tree rows whose children change when `kind` changes (`change` undefined: a state change). */
  affectedIds(kind: string, change: CacheChange<KubeObj> | undefined): string[] {
    const ctx = childId('', this.context);
    const ids = new Set<string>();
    const nsSection = childId(ctx, 'namespaces');
    if (kind === 'nodes') ids.add(childId(ctx, 'nodes')).add(ctx);
    else if (kind === 'namespaces') ids.add(nsSection).add(ctx);
    else if (kind === 'customresourcedefinitions') ids.add(childId(ctx, 'crds')).add(ctx);
    else if (kind.startsWith('cr:')) ids.add(childId(ctx, 'crds'));
    else if (kind === 'helm') ids.add(childId(ctx, 'helm'));
    else if (kind === 'events') {
      // Events only matter for Pending pods' reasons.
      ids.add(childId(ctx, `${CATEGORY_PREFIX}workloads`));
    }
    const info = kindInfo(kind);
    if (info?.category !== undefined) ids.add(childId(ctx, `${CATEGORY_PREFIX}${info.category}`));
    if (kind === 'pods') {
      ids.add(childId(ctx, 'nodes')).add(childId(ctx, 'cluster'));
      if (change === undefined || change.resync || change.added.length > 0 || change.deleted.length > 0)
        ids.add(nsSection);
    }
    if (info?.namespaced) {
      const namespaces = new Set<string>();
      if (change === undefined) ids.add(nsSection);
      else
        for (const o of [...change.added, ...change.modified, ...change.deleted])
          namespaces.add(o.metadata?.namespace ?? '');
      for (const ns of namespaces) ids.add(objectId(nsSection, { kind: 'namespaces', namespace: '', name: ns }));
      if (change?.resync) ids.add(nsSection);
    }
    return [...ids];
  }

  /** Drops what is pending and forgets the listeners. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
