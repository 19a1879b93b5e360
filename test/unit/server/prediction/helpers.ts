/** Builders for prediction tests: nodes, pods and a fake set of cluster caches. */
import type { CachedChange, CachedObject, ClusterCaches, PredictionKind } from '@src/server/prediction/live-cluster';

/** A ready node with allocatable cpu/memory, labels and taints. */
export function node(
  name: string,
  opts: {
    cpu?: string;
    memory?: string;
    zone?: string;
    labels?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
  } = {},
): CachedObject {
  return {
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': opts.zone ?? 'zone-a', ...opts.labels },
    } as CachedObject['metadata'],
    spec: opts.taints ? { taints: opts.taints } : {},
    status: {
      allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: '110' },
      capacity: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: '110' },
    },
  };
}

/** A running pod bound to `nodeName` requesting `cpu`. */
export function boundPod(name: string, nodeName: string, cpu: string, priority = 0, ns = 'default'): CachedObject {
  return {
    kind: 'Pod',
    metadata: { name, namespace: ns, uid: `${ns}/${name}` } as CachedObject['metadata'],
    spec: { nodeName, priority, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }] },
    status: { phase: 'Running', startTime: '2026-01-01T00:00:00Z' },
  };
}

/** In-memory caches with a change event, as the explorer's ClusterData provides. */
export class FakeCaches implements ClusterCaches {
  readonly lists = new Map<string, CachedObject[]>();
  private readonly listeners = new Set<(kind: string, change: CachedChange) => void>();

  constructor(
    initial: {
      nodes?: CachedObject[];
      pods?: CachedObject[];
      other?: Partial<Record<PredictionKind, CachedObject[]>>;
    } = {},
  ) {
    this.lists.set('nodes', [...(initial.nodes ?? [])]);
    this.lists.set('pods', [...(initial.pods ?? [])]);
    for (const [k, v] of Object.entries(initial.other ?? {})) this.lists.set(k, [...(v ?? [])]);
  }

  list(kind: PredictionKind, namespace?: string): readonly CachedObject[] {
    const all = this.lists.get(kind) ?? [];
    return namespace === undefined ? all : all.filter((o) => (o.metadata?.namespace ?? '') === namespace);
  }

  /** The newest object of that namespace and name (a later `add` replaces an earlier one, as in a cache). */
  get(kind: PredictionKind, name: string, namespace?: string): CachedObject | undefined {
    const list = this.list(kind, namespace ?? '');
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.metadata?.name === name) return list[i];
    return undefined;
  }

  onDidChange(listener: (kind: string, change: CachedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds objects and fires the change. */
  add(kind: PredictionKind, ...objs: CachedObject[]): void {
    this.lists.set(kind, [...(this.lists.get(kind) ?? []), ...objs]);
    for (const l of this.listeners) l(kind, { added: objs, modified: [], deleted: [], resync: false });
  }

  /** Deletes objects by name and fires the change. */
  remove(kind: PredictionKind, ...names: string[]): void {
    const all = this.lists.get(kind) ?? [];
    const gone = all.filter((o) => names.includes(o.metadata?.name ?? ''));
    this.lists.set(
      kind,
      all.filter((o) => !gone.includes(o)),
    );
    for (const l of this.listeners) l(kind, { added: [], modified: [], deleted: gone, resync: false });
  }
}
