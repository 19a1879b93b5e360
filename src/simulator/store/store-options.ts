/**
 * The options and results of the Store's public calls (re-exported from store.ts and index.ts).
 */
import type { KindRegistry } from './registry';
import type { KubeObject, ManagedFieldsEntry } from './types';

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
