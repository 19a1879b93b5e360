/**
 * The store's watch hub: per-kind watchers and every-kind subscribers, the bounded event history
 * watches replay from, compaction (a watch from before the kept history gets 410 Expired), and the
 * selector semantics of a filtered watch (an object that stops matching arrives as DELETED, one that
 * starts matching as ADDED). Listeners run synchronously, in resourceVersion order; one that throws
 * neither undoes nor interrupts the write that is already stored.
 */
import * as errors from './errors';
import type { Subscription, WatchOptions } from './store-options';
import type { KubeObject, WatchEvent } from './types';

interface Listener {
  ref: string;
  namespace: string | undefined;
  filter: ((o: KubeObject) => boolean) | undefined;
  fn: (e: WatchEvent) => void;
}

/** Watchers, subscribers and the event history. */
export class WatchHub {
  private readonly listeners = new Set<Listener>();
  private readonly globalListeners = new Set<(e: WatchEvent) => void>();
  private readonly history: WatchEvent[] = [];
  private historyStart = 0;
  private compactedRv = 0;

  /** Keeps the last `historySize` events; `onListenerError` hears listeners that throw. */
  constructor(
    private readonly historySize: number,
    private readonly onListenerError: (e: unknown) => void,
  ) {}

  /** The oldest RV a watch may start from (older gives 410 Expired). */
  get oldestWatchableResourceVersion(): number {
    return this.compactedRv;
  }

  /** Number of live per-kind watch subscriptions. */
  get watcherCount(): number {
    return this.listeners.size;
  }

  /** Records a change and delivers it to the kind's watchers, then to every subscriber. */
  emit(e: WatchEvent): void {
    if (this.history.length - this.historyStart >= this.historySize) {
      this.compactedRv = this.history[this.historyStart]!.resourceVersion;
      this.historyStart++;
      if (this.historyStart > 4096 && this.historyStart * 2 > this.history.length) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    this.history.push(e);
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
   * Watches the kind stored under `refKey`. Without `sinceResourceVersion`, first a synthetic ADDED
   * for each of `current()` (the matching objects now); with it, a replay of the history after it, or
   * 410 Expired (`too old resource version: N (M)`) when the history no longer reaches back.
   */
  watch(
    refKey: string,
    opts: WatchOptions,
    current: () => readonly KubeObject[],
    fn: (e: WatchEvent) => void,
  ): Subscription {
    const l: Listener = { ref: refKey, namespace: opts.namespace, filter: opts.filter, fn };
    const since = opts.sinceResourceVersion;
    if (since === undefined) {
      for (const o of current())
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

  /** Forgets history up to `rv`, so older watches get 410 Expired. */
  compact(rv: number): void {
    while (this.historyStart < this.history.length && this.history[this.historyStart]!.resourceVersion <= rv)
      this.historyStart++;
    this.compactedRv = Math.max(this.compactedRv, rv);
  }
}
