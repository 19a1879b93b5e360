/**
 * A watch-based cache of one resource type (an informer), shared by the tree and predictions.
 *
 * Contract:
 * - `start()` lists (paginated with `limit`/`continue`), then watches from the list's
 *   resourceVersion with bookmarks. A closed watch resumes from the last seen version;
 *   410 Gone re-lists and replaces the content (deleted objects are reported as deletions).
 * - A watch that stays silent for WATCH_IDLE_MS (`watchIdleMs`) is cut and resumed the same way: a
 *   connection that died without closing (a laptop's sleep, a VPN or network change) would otherwise
 *   leave the cache stale for good, since nothing ever ends it.
 * - Failures never throw: the cache moves to `unreachable`, `forbidden` or `unauthorized`
 *   with a message, retries with exponential backoff capped at MAX_BACKOFF_MS (`delay` is injected), staying in
 *   that state (no flicker through `syncing`) until a retry succeeds, and converges to the
 *   server's content when it recovers — no stale or duplicate items.
 * - A refusal (forbidden, unauthorized) after the server was unreachable restarts the backoff at
 *   0.5 s: the server answers again, and what it refused may be allowed a moment later.
 * - An answer with `Retry-After` (429 TooManyRequests, as kube-apiserver's priority and fairness
 *   throttles) is retried after exactly that long, without growing the backoff: a throttled cache
 *   recovers within `Retry-After` of the throttling ending, as client-go's requests do.
 * - Listeners get batched changes; callers debounce for UI.
 * - With `maxItems`, a list that turns out to hold more objects (the server's `remainingItemCount`,
 *   or the pages read so far) is abandoned: the cache holds nothing, moves to `tooLarge` with a
 *   message, and neither watches nor retries (the owner decides what to cache instead).
 */
import type { RestClient, WatchEvent, WatchHandle } from './rest-client';
import { Emitter } from '../shared/emitter';
import { ObjectIndex, type KubeObjectLike } from './object-index';

export type { KubeObjectLike } from './object-index';

export type CacheState =
  'idle' | 'syncing' | 'synced' | 'unreachable' | 'forbidden' | 'unauthorized' | 'tooLarge' | 'stopped';

export interface CacheChange<T> {
  added: T[];
  modified: T[];
  deleted: T[];
  /** True when the change is a full re-list (the content was replaced). */
  resync: boolean;
}

export interface ResourceCacheOptions {
  /** Collection path, e.g. `/api/v1/pods` or `/apis/apps/v1/namespaces/x/deployments`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  pageSize?: number;
  /** Injected for tests: resolves after `ms`. */
  delay?: (ms: number) => Promise<void>;
  maxBackoffMs?: number;
  /** Seconds a watch asks the server to keep open before it is resumed. */
  watchTimeoutSeconds?: number;
  /** Overrides {@link WATCH_IDLE_MS}. */
  watchIdleMs?: number;
  /**
   * Applied to every listed or watched object before it is stored or reported (client-go's
   * `SetTransform`): it receives the freshly parsed object and returns what the cache keeps.
   */
  transform?: (o: KubeObjectLike) => KubeObjectLike;
  /** The most objects this cache keeps; a larger collection leaves it `tooLarge` (see the contract). */
  maxItems?: number;
}

/**
 * Objects per list page: client-go's pager default. Every cache of a session lists at once at connect,
 * and each page is in memory three times while it is read (bytes, text, objects); smaller pages keep
 * that transient small.
 */
export const DEFAULT_PAGE_SIZE = 500;

/**
 * How long a watch may stay silent before it is taken for dead and resumed. kube-apiserver sends each
 * watcher that asked for bookmarks a BOOKMARK every minute (61 s apart on v1.37.2, measured), so a live
 * watch is never silent this long: two bookmarks missed, plus a margin. On a server that sends no
 * bookmarks a quiet watch is resumed every 150 s, at the cost of one request.
 */
export const WATCH_IDLE_MS = 150_000;

/**
 * The longest wait between retries after failures (0.5 s doubling up to this). Not client-go's 30 s:
 * these caches serve one person's editor, and whatever the length of an outage, the tree and the
 * predictions must follow a recovered cluster within seconds (npm run chaos holds every fault to
 * 10 s after it clears). A `Retry-After` from the server still replaces it.
 */
export const MAX_BACKOFF_MS = 5_000;

type Listener<T> = (change: CacheChange<T>) => void;

/** The state a failed request leaves a reader in: 403 forbidden, 401 unauthorized, anything else unreachable. */
export function failureState(status: number): CacheState {
  return status === 403 ? 'forbidden' : status === 401 ? 'unauthorized' : 'unreachable';
}

export class ResourceCache<T extends KubeObjectLike> {
  private items = new ObjectIndex<T>();
  private readonly changed = new Emitter<CacheChange<T>>();
  private readonly stateChanged = new Emitter<{ state: CacheState; message: string }>();
  private resourceVersion = '';
  private watchHandle: WatchHandle | undefined;
  private running = false;
  private backoffMs = 0;
  /** The server's `Retry-After` of the last failure, which replaces the next backoff. */
  private retryAfterMs: number | undefined;
  private _state: CacheState = 'idle';
  private _message = '';
  private syncedWaiters: (() => void)[] = [];
  private readonly delay: (ms: number) => Promise<void>;

  constructor(
    private readonly client: RestClient,
    private readonly opts: ResourceCacheOptions,
  ) {
    this.delay = opts.delay ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get state(): CacheState {
    return this._state;
  }

  /** Why the cache is not synced (server message), or '' when it is. */
  get message(): string {
    return this._message;
  }

  list(namespace?: string): T[] {
    return [...this.items.values(namespace)];
  }

  get(name: string, namespace?: string): T | undefined {
    return this.items.get(name, namespace);
  }

  get size(): number {
    return this.items.size;
  }

  /** Registers a change listener (objects added, modified, deleted, or a re-list); returns its remover. */
  onDidChange(l: Listener<T>): () => void {
    return this.changed.event(l);
  }

  /** Registers a state listener (listing, synced, forbidden, unreachable… with the server's message); returns its remover. */
  onDidChangeState(l: (s: CacheState, message: string) => void): () => void {
    return this.stateChanged.event(({ state, message }) => l(state, message));
  }

  /** Resolves once the first list has completed (or immediately if it has). */
  whenSynced(): Promise<void> {
    if (this._state === 'synced') return Promise.resolve();
    return new Promise((r) => this.syncedWaiters.push(r));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
    this.watchHandle?.stop();
    this.setState('stopped', '');
  }

  private setState(s: CacheState, message: string): void {
    if (s === this._state && message === this._message) return;
    this._state = s;
    this._message = message;
    if (s === 'synced') {
      const w = this.syncedWaiters;
      this.syncedWaiters = [];
      for (const r of w) r();
    }
    this.stateChanged.fire({ state: s, message });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (!this.resourceVersion) {
        const ok = await this.relist();
        if (!ok) {
          if (this._state === 'tooLarge') return;
          await this.backoff();
          continue;
        }
      }
      const outcome = await this.watchOnce();
      if (!this.running) return;
      if (outcome === 'gone') {
        this.resourceVersion = '';
        continue;
      }
      if (outcome === 'failed') await this.backoff();
    }
  }

  private async backoff(): Promise<void> {
    if (this.retryAfterMs !== undefined) {
      const ms = this.retryAfterMs;
      this.retryAfterMs = undefined;
      await this.delay(ms);
      return;
    }
    this.backoffMs = Math.min(this.backoffMs ? this.backoffMs * 2 : 500, this.opts.maxBackoffMs ?? MAX_BACKOFF_MS);
    await this.delay(this.backoffMs);
  }

  private async relist(): Promise<boolean> {
    // A retry after a failure keeps saying what failed until it succeeds: the view message and the
    // status stay steady instead of blinking back to "syncing" at every attempt.
    if (this._state !== 'unreachable' && this._state !== 'forbidden' && this._state !== 'unauthorized')
      this.setState('syncing', '');
    let fresh = new ObjectIndex<T>();
    let cont: string | undefined;
    let rv = '';
    do {
      const r = await this.client.request<{
        items?: T[];
        metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
      }>({
        path: this.opts.path,
        query: {
          limit: this.opts.pageSize ?? DEFAULT_PAGE_SIZE,
          continue: cont,
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
        },
      });
      if (!this.running) return false;
      if (r.status < 200 || r.status >= 300 || !r.body) {
        if (r.status === 410 && cont) {
          // The continue token expired mid-list: start the list again.
          fresh = new ObjectIndex<T>();
          cont = undefined;
          continue;
        }
        this.fail(r.status, r.error ?? 'list failed');
        this.retryAfterMs = r.retryAfterSeconds !== undefined ? Math.max(250, r.retryAfterSeconds * 1000) : undefined;
        return false;
      }
      for (const item of r.body.items ?? []) {
        const o = this.opts.transform ? (this.opts.transform(item) as T) : item;
        fresh.set(o);
      }
      cont = r.body.metadata?.continue || undefined;
      rv = r.body.metadata?.resourceVersion ?? rv;
      const max = this.opts.maxItems;
      const total = fresh.size + (cont ? Number(r.body.metadata?.remainingItemCount ?? 0) : 0);
      if (max !== undefined && total > max) {
        const change: CacheChange<T> = { added: [], modified: [], deleted: [...this.items.values()], resync: true };
        this.items = new ObjectIndex<T>();
        this.setState('tooLarge', `more than ${max.toLocaleString('en-US')} objects`);
        this.emit(change);
        return false;
      }
    } while (cont);
    const change: CacheChange<T> = { added: [], modified: [], deleted: [], resync: true };
    for (const o of this.items.values()) if (fresh.sameAs(o) === undefined) change.deleted.push(o);
    for (const o of fresh.values()) {
      const old = this.items.sameAs(o);
      if (!old) change.added.push(o);
      else if (old.metadata?.resourceVersion !== o.metadata?.resourceVersion) change.modified.push(o);
    }
    this.items = fresh;
    this.resourceVersion = rv;
    this.backoffMs = 0;
    this.setState('synced', '');
    this.emit(change);
    return true;
  }

  private fail(status: number, message: string): void {
    const state = failureState(status);
    // An unreachable server that now answers 403 (a kube-apiserver just restarted authorizes before its
    // RBAC caches fill) or 401 is back: its retries start over at 0.5 s instead of waiting out the
    // backoff the outage grew.
    if (this._state === 'unreachable' && state !== 'unreachable') this.backoffMs = 0;
    this.setState(state, message);
  }

  private watchOnce(): Promise<'closed' | 'gone' | 'failed'> {
    return new Promise((resolve) => {
      let gone = false;
      const handle = this.client.watch(
        {
          path: this.opts.path,
          query: {
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300,
            labelSelector: this.opts.labelSelector,
            fieldSelector: this.opts.fieldSelector,
          },
          idleTimeoutMs: this.opts.watchIdleMs ?? WATCH_IDLE_MS,
        },
        (e) => {
          if (e.type === 'ERROR') {
            if (e.object?.code === 410) gone = true;
            handle.stop();
            return;
          }
          this.apply(e);
        },
      );
      this.watchHandle = handle;
      void handle.done.then((end) => {
        if (gone || end?.status === 410) resolve('gone');
        else if (end?.stalled)
          resolve('closed'); // resumed from the last version seen, as after a close
        else if (end && (end.status !== undefined || end.error)) {
          this.fail(end.status ?? 0, end.error ?? 'watch failed');
          this.retryAfterMs =
            end.retryAfterSeconds !== undefined ? Math.max(250, end.retryAfterSeconds * 1000) : undefined;
          // Forget the version so that recovery re-lists and drops anything missed meanwhile.
          this.resourceVersion = '';
          resolve('failed');
        } else resolve('closed');
      });
    });
  }

  private apply(e: WatchEvent): void {
    let o = e.object as T;
    const rv = o?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (e.type === 'BOOKMARK') return;
    if (this.opts.transform) o = this.opts.transform(o) as T;
    const change: CacheChange<T> = { added: [], modified: [], deleted: [], resync: false };
    if (e.type === 'DELETED') {
      if (this.items.delete(o)) change.deleted.push(o);
    } else if (this.items.set(o)) change.modified.push(o);
    else change.added.push(o);
    this.backoffMs = 0;
    if (this._state !== 'synced') this.setState('synced', '');
    this.emit(change);
  }

  private emit(change: CacheChange<T>): void {
    if (!change.added.length && !change.modified.length && !change.deleted.length && !change.resync) return;
    this.changed.fire(change);
  }
}
