/**
 * Keeps one incremental `ClusterSnapshot` in step with the session's shared watch caches, and a
 * generation number that changes whenever the snapshot does.
 *
 * Contract: the snapshot is built once from the caches' lists and then updated in place from their
 * change events (a node added, a pod deleted); it is never rebuilt per prediction. A re-list
 * (`resync`) of a kind replaces that kind's objects. Listeners hear about every applied change.
 * Never throws on malformed objects (the snapshot ignores what it cannot index).
 *
 * Nodes enter the snapshot in name order, and a node that appears later (a watch event) rebuilds it,
 * so the model's node order (kube-scheduler's zone-interleaved node tree, which breaks ties between
 * equally good nodes) depends only on the nodes there are, never on when this server saw them: a
 * server that watched a node being added predicts what a freshly connected one does.
 */
import { ClusterSnapshot } from '../../scheduler';
import { Emitter } from '../../shared/emitter';
import { BoundedMap, ownString } from '../bounded-map';

/** The cache keys (as `src/cluster/cluster-session.ts` `WATCHED_KINDS` names them) the model reads, with their kinds. */
export const PREDICTION_KINDS = {
  nodes: 'Node',
  pods: 'Pod',
  namespaces: 'Namespace',
  services: 'Service',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  replicationcontrollers: 'ReplicationController',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  persistentvolumes: 'PersistentVolume',
  storageclasses: 'StorageClass',
  csinodes: 'CSINode',
  priorityclasses: 'PriorityClass',
  poddisruptionbudgets: 'PodDisruptionBudget',
  csidrivers: 'CSIDriver',
  volumeattachments: 'VolumeAttachment',
  csistoragecapacities: 'CSIStorageCapacity',
  runtimeclasses: 'RuntimeClass',
  deviceclasses: 'DeviceClass',
} as const;

/** A cache key the model reads. */
export type PredictionKind = keyof typeof PREDICTION_KINDS;

/** A Kubernetes object as the caches hold it. */
export interface CachedObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  [k: string]: unknown;
}

/** One batch of changes of one kind, as `ResourceCache` reports it. */
export interface CachedChange {
  added: readonly CachedObject[];
  modified: readonly CachedObject[];
  deleted: readonly CachedObject[];
  /** True when the cache re-listed: its content was replaced. */
  resync: boolean;
}

/**
 * What the cluster backend exposes for predictions: the session's caches (shared with the
 * explorer) and their change event. `src/server/explorer/cluster-data.ts` `ClusterData` has this shape.
 */
export interface ClusterCaches {
  /** Every cached object of a kind (starting its cache on first use); of one namespace when given (starting nothing). */
  list(kind: PredictionKind, namespace?: string): readonly CachedObject[];
  /** One cached object by kind, name and namespace (absent for cluster-scoped kinds); starts nothing. */
  get(kind: PredictionKind, name: string, namespace?: string): CachedObject | undefined;
  /** Registers a change listener for every started kind; returns its remover. */
  onDidChange(listener: (kind: string, change: CachedChange) => void): () => void;
  /** The cluster's `/version` gitVersion once known; predictions model that release's scheduler. */
  kubernetesVersion?(): string | undefined;
}

/** The most label sets {@link LiveCluster.workloadPods} remembers within one generation. */
export const MAX_WORKLOAD_MEMO = 256;

/** The incremental snapshot over one set of caches. */
export class LiveCluster {
  private snap = new ClusterSnapshot();
  private gen = 1;
  private readonly off: () => void;
  private readonly changed = new Emitter<void>();
  private readonly workloadMemo = new BoundedMap<string, CachedObject[]>(MAX_WORKLOAD_MEMO);
  private workloadMemoGen = -1;

  /** Builds the snapshot from the caches' current lists and follows their changes. */
  constructor(private readonly caches: ClusterCaches) {
    this.off = caches.onDidChange((kind, change) => this.apply(kind, change));
    this.rebuild();
  }

  /** The snapshot; do not keep it across generations if you need a stable view. */
  get snapshot(): ClusterSnapshot {
    this.snap.kubernetesVersion = this.caches.kubernetesVersion?.();
    return this.snap;
  }

  /** Changes whenever the snapshot changes (a cache key for predictions). */
  get generation(): number {
    return this.gen;
  }

  /**
   * The cached pod `namespace/name` (for prediction vs actual and Why Pending?), read from the
   * caches' own index (this class keeps none).
   */
  pod(namespace: string, name: string): CachedObject | undefined {
    try {
      return this.caches.get('pods', name, namespace);
    } catch {
      return undefined;
    }
  }

  /**
   * The pods of a workload created from a manifest: pods of `namespace` owned by a controller whose
   * labels include every one of `labels` (the template's), from the caches' list of that namespace.
   * Memoised per generation, for at most {@link MAX_WORKLOAD_MEMO} label sets (the documents' own, so
   * they are not trusted to be few).
   */
  workloadPods(namespace: string, labels: Readonly<Record<string, string>>): CachedObject[] {
    const entries = Object.entries(labels);
    if (entries.length === 0) return [];
    if (this.workloadMemoGen !== this.gen) {
      this.workloadMemo.clear();
      this.workloadMemoGen = this.gen;
    }
    const key = `${namespace}\u0000${JSON.stringify(entries.sort())}`;
    let hit = this.workloadMemo.get(key);
    if (hit === undefined) {
      hit = [];
      let pods: readonly CachedObject[] = [];
      try {
        pods = this.caches.list('pods', namespace);
      } catch {
        pods = [];
      }
      for (const o of pods) {
        const md = o.metadata as
          { labels?: Record<string, string>; ownerReferences?: { controller?: boolean }[] } | undefined;
        if (!md?.ownerReferences?.some((r) => r.controller === true)) continue;
        if (entries.every(([lk, lv]) => md.labels?.[lk] === lv)) hit.push(o);
      }
      this.workloadMemo.set(ownString(key), hit);
    }
    return hit;
  }

  /** The number of label sets remembered (tests check the bound). */
  get workloadMemoSize(): number {
    return this.workloadMemo.size;
  }

  /** Registers a listener called after each applied change; returns its remover. */
  onDidChange(listener: () => void): () => void {
    return this.changed.event(listener);
  }

  /** Applies one batch of changes; kinds the model does not read are ignored. */
  apply(key: string, change: CachedChange): void {
    const kind = (PREDICTION_KINDS as Record<string, string>)[key];
    if (kind === undefined) return;
    if (change.resync && kind !== 'Node' && kind !== 'Pod' && kind !== 'Namespace') {
      this.replaceKind(key as PredictionKind, kind);
    } else if (change.resync || (kind === 'Node' && change.added.length > 0)) {
      this.rebuild();
    } else {
      for (const o of change.deleted) {
        const name = o.metadata?.name;
        if (typeof name === 'string') this.snap.remove(kind, o.metadata?.namespace, name);
      }
      for (const o of change.added) put(this.snap, o, kind);
      for (const o of change.modified) put(this.snap, o, kind);
    }
    this.gen++;
    this.changed.fire();
  }

  /**
   * Replaces the objects of one kind with its cache's list: a re-list of a kind the model holds few of
   * (each cache the snapshot starts lists once, after the pods) costs that kind, not a rebuild that
   * walks 150,000 pods again.
   */
  private replaceKind(key: PredictionKind, kind: string): void {
    for (const o of [...this.snap.objects(kind)]) this.snap.remove(kind, o.metadata?.namespace, o.metadata?.name ?? '');
    let list: readonly CachedObject[] = [];
    try {
      list = this.caches.list(key);
    } catch {
      list = [];
    }
    for (const o of list) put(this.snap, o, kind);
  }

  /** Rebuilds the snapshot from the caches' lists (at start, after a node is added, or a re-list of nodes, pods or namespaces). */
  rebuild(): void {
    const snap = new ClusterSnapshot();
    // Nodes first so that pods land on known nodes; the order of the rest does not matter.
    for (const key of Object.keys(PREDICTION_KINDS) as PredictionKind[]) {
      const kind = PREDICTION_KINDS[key];
      let list: readonly CachedObject[] = [];
      try {
        list = this.caches.list(key);
      } catch {
        list = [];
      }
      for (const o of kind === 'Node' ? [...list].sort(byName) : list) put(snap, o, kind);
    }
    this.snap = snap;
    this.gen++;
  }

  /** Stops following the caches. */
  dispose(): void {
    this.off();
    this.changed.dispose();
  }
}

function byName(a: CachedObject, b: CachedObject): number {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Adds or updates one object of `kind`, as the caches hold it: no object is copied (list items lack
 * their `kind`, which the snapshot's `upsertAs` takes separately), so nothing is held twice. Copying
 * 50,000 pods to add their kind once made every later prediction about six times slower in
 * bench/codelens.ts (5.5 ms against 32.5 ms), most likely through the copies' object layout in the
 * model's per-pod loops; copying the other kinds cost about 250 bytes an object (22 MB for 60,000
 * ReplicaSets and 30,000 Services in a synthetic 150,000-pod cluster). Readers that dispatch on `.kind` restore it themselves (scheduler `withKind`).
 */
function put(snap: ClusterSnapshot, o: CachedObject, kind: string): void {
  snap.upsertAs(kind, o as never);
}
