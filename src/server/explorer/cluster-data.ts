/**
 * The explorer's view of one session's caches: each kind is read through one cluster-wide cache, or,
 * when the user chose namespaces, through one cache per chosen namespace (so RBAC-limited users who may
 * not list cluster-wide still see their namespaces). Adds change versions and a pods-by-node index.
 *
 * Contract: caches start on first use of a kind and are shared with everyone using the same session
 * (predictions included). `list` never throws; `state` reports the worst state of a kind's caches.
 */
import type { CacheChange, CacheState, KubeObjectLike, ResourceCache } from '../../cluster/resource-cache';
import { WATCHED_KINDS, type ClusterSession, type WatchedKind } from '../../cluster/cluster-session';
import { Emitter } from '../../shared/emitter';
import { kindInfo } from './kinds';

/** A Kubernetes object as JSON. */
export type KubeObj = KubeObjectLike & {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectLike['metadata'] & {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[];
    creationTimestamp?: string;
    deletionTimestamp?: string;
    managedFields?: unknown;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON of many kinds, read by field path.
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON of many kinds, read by field path.
  status?: any;
  data?: Record<string, string>;
  [k: string]: unknown;
};

/** A kind's aggregated cache state. */
export interface KindState {
  state: CacheState;
  message: string;
}

const STATE_RANK: Record<CacheState, number> = {
  unauthorized: 7,
  forbidden: 6,
  tooLarge: 5,
  unreachable: 4,
  syncing: 3,
  idle: 2,
  stopped: 1,
  synced: 0,
};

/** Listens to changes of one kind. */
export type KindListener = (kind: string, change: CacheChange<KubeObj>) => void;

/** One kind read through one or more caches. */
export class KindSource {
  private readonly offs: (() => void)[] = [];
  version = 0;

  constructor(
    readonly kind: string,
    readonly caches: readonly ResourceCache<KubeObj>[],
    onChange: (change: CacheChange<KubeObj>) => void,
    onState: () => void,
  ) {
    for (const c of caches) {
      this.offs.push(
        c.onDidChange((ch) => {
          this.version++;
          onChange(ch);
        }),
      );
      this.offs.push(c.onDidChangeState(() => onState()));
    }
  }

  /** Every object (of namespace `ns`, when given). */
  list(ns?: string): KubeObj[] {
    if (this.caches.length === 1) return this.caches[0]!.list(ns);
    const out: KubeObj[] = [];
    for (const c of this.caches) for (const o of c.list(ns)) out.push(o);
    return out;
  }

  /** One object. */
  get(name: string, ns?: string): KubeObj | undefined {
    for (const c of this.caches) {
      const o = c.get(name, ns);
      if (o !== undefined) return o;
    }
    return undefined;
  }

  /** The worst state of the caches, with its message. */
  get state(): KindState {
    let worst: KindState = { state: 'synced', message: '' };
    for (const c of this.caches)
      if (STATE_RANK[c.state] > STATE_RANK[worst.state]) worst = { state: c.state, message: c.message };
    return worst;
  }

  /** Resolves when every cache has listed once. */
  whenSynced(): Promise<void> {
    return Promise.all(this.caches.map((c) => c.whenSynced())).then(() => undefined);
  }

  /** Stops listening (the caches belong to the session). */
  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }
}

/** Inserts `/namespaces/<ns>` before the resource of a collection path. */
function namespacedPath(path: string, ns: string): string {
  return path.replace(/\/([^/]+)$/, `/namespaces/${encodeURIComponent(ns)}/$1`);
}

/** The explorer's data over a session. */
export class ClusterData {
  private readonly sources = new Map<string, KindSource>();
  private readonly changed = new Emitter<{ kind: string; change: CacheChange<KubeObj> }>();
  private readonly stateChanged = new Emitter<string>();
  private podIndex: { version: number; byNode: Map<string, KubeObj[]> } | undefined;

  /** `namespaces` empty means all namespaces. */
  constructor(
    readonly session: ClusterSession,
    readonly namespaces: readonly string[],
  ) {}

  /** The collection paths a built-in kind is read from: one per chosen namespace, else the cluster-wide one. */
  collectionPaths(kind: WatchedKind): string[] {
    const namespaced = kindInfo(kind)?.namespaced ?? true;
    return namespaced && this.namespaces.length > 0
      ? this.namespaces.map((ns) => namespacedPath(WATCHED_KINDS[kind], ns))
      : [WATCHED_KINDS[kind]];
  }

  /** The source of a built-in kind, starting its caches. */
  source(kind: WatchedKind): KindSource {
    return (
      this.sources.get(kind) ??
      this.makeSource(
        kind,
        this.collectionPaths(kind).map((p) => this.session.cacheForPath<KubeObj>(p)),
      )
    );
  }

  /** The source of any collection under its own `key` (custom resources; `path` is the cluster-wide collection path). */
  customSource(key: string, path: string, namespaced: boolean, labelSelector?: string): KindSource {
    const s = this.sources.get(key);
    if (s !== undefined) return s;
    const sel = labelSelector !== undefined ? { labelSelector } : {};
    const caches =
      namespaced && this.namespaces.length > 0
        ? this.namespaces.map((ns) => this.session.cacheForPath<KubeObj>(namespacedPath(path, ns), sel))
        : [this.session.cacheForPath<KubeObj>(path, sel)];
    return this.makeSource(key, caches);
  }

  private makeSource(key: string, caches: ResourceCache<KubeObj>[]): KindSource {
    const s = new KindSource(
      key,
      caches,
      (change) => this.changed.fire({ kind: key, change }),
      () => this.stateChanged.fire(key),
    );
    this.sources.set(key, s);
    return s;
  }

  /** Objects of a kind (of one namespace when given). */
  list(kind: WatchedKind, ns?: string): KubeObj[] {
    return this.source(kind).list(ns);
  }

  /**
   * One object of a started kind by name (and namespace, for namespaced kinds), from its caches' index;
   * undefined when the kind is not started. Starts nothing (so a reader after `dispose` restarts no watch).
   */
  get(kind: WatchedKind, name: string, ns?: string): KubeObj | undefined {
    return this.sources.get(kind)?.get(name, ns);
  }

  /** The objects of one namespace of a started kind (empty when the kind is not started); starts nothing. */
  listStarted(kind: WatchedKind, ns: string): KubeObj[] {
    return this.sources.get(kind)?.list(ns) ?? [];
  }

  /** The kinds started so far. */
  startedKinds(): string[] {
    return [...this.sources.keys()];
  }

  /** A started source, without starting anything. */
  started(key: string): KindSource | undefined {
    return this.sources.get(key);
  }

  /** Pods bound to `node`, from an index rebuilt when pods change. */
  podsOnNode(node: string): KubeObj[] {
    const pods = this.source('pods');
    if (this.podIndex === undefined || this.podIndex.version !== pods.version) {
      const byNode = new Map<string, KubeObj[]>();
      for (const p of pods.list()) {
        const n = p.spec?.nodeName as string | undefined;
        if (!n) continue;
        let arr = byNode.get(n);
        if (arr === undefined) byNode.set(n, (arr = []));
        arr.push(p);
      }
      this.podIndex = { version: pods.version, byNode };
    }
    return this.podIndex.byNode.get(node) ?? [];
  }

  /** Registers a change listener; returns its remover. */
  onDidChange(l: KindListener): () => void {
    return this.changed.event(({ kind, change }) => l(kind, change));
  }

  /** Registers a state listener (a kind's cache became forbidden, unreachable, synced...). */
  onDidChangeState(l: (kind: string) => void): () => void {
    return this.stateChanged.event(l);
  }

  /** Stops listening to the caches (the session owns and stops them). */
  dispose(): void {
    for (const s of this.sources.values()) s.dispose();
    this.sources.clear();
    this.changed.dispose();
    this.stateChanged.dispose();
  }
}
