/**
 * One connected cluster (one kubeconfig context): its REST client, discovery, writer and the
 * watch caches of every resource type anyone asked for. Owned by the language server and
 * shared by the tree and the predictions (one cache, never one per view).
 *
 * Contract: caches start on first `cache(kind)` and stop on `dispose()`. `health()` never
 * throws. Nothing here writes the kubeconfig.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { CacheInterner } from './cache-interner';
import { resourceOfPath, slimForCache } from './cache-transform';
import { Discovery } from './discovery';
import { HeapCompaction } from './heap-compaction';
import { ObjectWriter } from './object-writer';
import { DEFAULT_PAGE_SIZE, ResourceCache, type KubeObjectLike } from './resource-cache';
import { RestClient } from './rest-client';

/** The built-in kinds the explorer and the scheduler model watch, by a short key. */
export const WATCHED_KINDS = {
  nodes: '/api/v1/nodes',
  pods: '/api/v1/pods',
  namespaces: '/api/v1/namespaces',
  services: '/api/v1/services',
  endpointslices: '/apis/discovery.k8s.io/v1/endpointslices',
  configmaps: '/api/v1/configmaps',
  secrets: '/api/v1/secrets',
  events: '/api/v1/events',
  persistentvolumeclaims: '/api/v1/persistentvolumeclaims',
  persistentvolumes: '/api/v1/persistentvolumes',
  replicationcontrollers: '/api/v1/replicationcontrollers',
  deployments: '/apis/apps/v1/deployments',
  replicasets: '/apis/apps/v1/replicasets',
  statefulsets: '/apis/apps/v1/statefulsets',
  daemonsets: '/apis/apps/v1/daemonsets',
  jobs: '/apis/batch/v1/jobs',
  cronjobs: '/apis/batch/v1/cronjobs',
  ingresses: '/apis/networking.k8s.io/v1/ingresses',
  storageclasses: '/apis/storage.k8s.io/v1/storageclasses',
  csinodes: '/apis/storage.k8s.io/v1/csinodes',
  priorityclasses: '/apis/scheduling.k8s.io/v1/priorityclasses',
  poddisruptionbudgets: '/apis/policy/v1/poddisruptionbudgets',
  csidrivers: '/apis/storage.k8s.io/v1/csidrivers',
  volumeattachments: '/apis/storage.k8s.io/v1/volumeattachments',
  csistoragecapacities: '/apis/storage.k8s.io/v1/csistoragecapacities',
  runtimeclasses: '/apis/node.k8s.io/v1/runtimeclasses',
  deviceclasses: '/apis/resource.k8s.io/v1/deviceclasses',
  customresourcedefinitions: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
} as const;

export type WatchedKind = keyof typeof WATCHED_KINDS;

export interface ClusterHealth {
  reachable: boolean;
  version?: string;
  ready?: boolean;
  /** The failing check's text (e.g. `[-]etcd failed`), or the connection error. */
  message?: string;
}

/**
 * The most objects one cluster-wide cache keeps (any kind). A larger collection is not cached: the
 * cache says `tooLarge` and the tree asks the user to choose namespaces, whose caches are per namespace
 * and unlimited. bench:explorer caches 150,000 realistic pods (with every other kind) below it.
 */
export const CLUSTER_WIDE_MAX_ITEMS = 250_000;

export interface SessionOptions {
  /** Restricts namespaced caches to one namespace (for users who cannot list cluster-wide). */
  namespace?: string;
  delay?: (ms: number) => Promise<void>;
  maxBackoffMs?: number;
  /** Overrides {@link CLUSTER_WIDE_MAX_ITEMS} (tests). */
  maxClusterWideItems?: number;
  /** Overrides WATCH_IDLE_MS of resource-cache.ts (tests; `KF_WATCH_IDLE_MS` for the server process). */
  watchIdleMs?: number;
}

export class ClusterSession {
  readonly client: RestClient;
  readonly discovery: Discovery;
  readonly writer: ObjectWriter;
  private readonly caches = new Map<string, ResourceCache<KubeObjectLike>>();
  /** Shares repeated strings between the objects of every cache of this session. */
  private readonly interner = new CacheInterner();
  private readonly compaction = new HeapCompaction();

  constructor(
    kc: KubeConfig,
    private readonly opts: SessionOptions = {},
  ) {
    this.client = new RestClient(kc);
    this.discovery = new Discovery(this.client);
    this.writer = new ObjectWriter(this.client, this.discovery);
  }

  get contextName(): string {
    return this.client.contextName;
  }

  /** The shared cache of a built-in kind, started on first use. */
  cache<T extends KubeObjectLike = KubeObjectLike>(kind: WatchedKind): ResourceCache<T> {
    return this.cacheForPath<T>(WATCHED_KINDS[kind]);
  }

  /** The shared cache of any collection path (custom resources, namespaced lists). */
  cacheForPath<T extends KubeObjectLike = KubeObjectLike>(
    path: string,
    selectors: { labelSelector?: string; fieldSelector?: string } = {},
  ): ResourceCache<T> {
    const key = `${path}?${selectors.labelSelector ?? ''}&${selectors.fieldSelector ?? ''}`;
    let c = this.caches.get(key);
    if (!c) {
      const resource = resourceOfPath(path);
      c = new ResourceCache<KubeObjectLike>(this.client, {
        path,
        ...selectors,
        // What the tree and the model read; opening an object fetches it whole (fetchObject).
        transform: (o) => slimForCache(o, this.interner, resource),
        ...(path.includes('/namespaces/') ? {} : { maxItems: this.opts.maxClusterWideItems ?? CLUSTER_WIDE_MAX_ITEMS }),
        ...(this.opts.delay ? { delay: this.opts.delay } : {}),
        ...(this.opts.maxBackoffMs ? { maxBackoffMs: this.opts.maxBackoffMs } : {}),
        ...(this.opts.watchIdleMs ? { watchIdleMs: this.opts.watchIdleMs } : {}),
      });
      this.caches.set(key, c);
      // A (re-)list replaces the content; a large one leaves garbage worth one collection.
      c.onDidChange((ch) => {
        if (ch.resync) this.compaction.noteList(ch.added.length + ch.modified.length);
      });
      c.start();
    }
    return c as unknown as ResourceCache<T>;
  }

  /**
   * Every object of collection `path` as the server has it, read page by page (`limit`/`continue`)
   * without the caches' transform (they keep slim copies: cache-transform.ts); or why it could not be read.
   */
  async listWhole<T extends KubeObjectLike = KubeObjectLike>(
    path: string,
  ): Promise<{ items: T[] } | { status: number; error: string }> {
    const items: T[] = [];
    let cont: string | undefined;
    do {
      const r = await this.client.request<{ items?: T[]; metadata?: { continue?: string } }>({
        path,
        query: { limit: DEFAULT_PAGE_SIZE, continue: cont },
      });
      if (r.status < 200 || r.status >= 300 || !r.body)
        return { status: r.status, error: r.error ?? `the list answered ${r.status}` };
      for (const o of r.body.items ?? []) items.push(o);
      cont = r.body.metadata?.continue || undefined;
    } while (cont);
    return { items };
  }

  async health(): Promise<ClusterHealth> {
    const v = await this.client.request<{ gitVersion?: string }>({ path: '/version', timeoutMs: 5000 });
    if (v.status === 0) return { reachable: false, message: v.error ?? 'unreachable' };
    const ready = await this.client.request<string>({
      path: '/readyz',
      query: { verbose: true },
      accept: 'text/plain',
      timeoutMs: 5000,
    });
    const failing = typeof ready.body === 'string' ? ready.body.split('\n').filter((l) => l.startsWith('[-]')) : [];
    return {
      reachable: true,
      ...(v.body?.gitVersion ? { version: v.body.gitVersion } : {}),
      ready: ready.status === 200,
      ...(ready.status !== 200
        ? { message: failing.join('; ') || ready.error || `readyz answered ${ready.status}` }
        : {}),
    };
  }

  dispose(): void {
    this.compaction.dispose();
    for (const c of this.caches.values()) c.stop();
    this.caches.clear();
  }
}
