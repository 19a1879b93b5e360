/**
 * The in-memory cluster caches the in-process benchmarks (codelens, whatif) predict against: the
 * `ClusterCaches` the language server's LiveCluster reads, filled with a generated cluster.
 */
import type { CachedChange, CachedObject, ClusterCaches, PredictionKind } from '../src/server/prediction/live-cluster';

const ZONES = ['zone-a', 'zone-b', 'zone-c'];

export class BenchCaches implements ClusterCaches {
  readonly lists = new Map<string, CachedObject[]>();
  private readonly listeners = new Set<(kind: string, change: CachedChange) => void>();
  list(kind: PredictionKind, namespace?: string): readonly CachedObject[] {
    const all = this.lists.get(kind) ?? [];
    return namespace === undefined ? all : all.filter((o) => (o.metadata?.namespace ?? '') === namespace);
  }
  get(kind: PredictionKind, name: string, namespace?: string): CachedObject | undefined {
    return this.list(kind, namespace ?? '').find((o) => o.metadata?.name === name);
  }
  onDidChange(l: (kind: string, change: CachedChange) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  fire(kind: string, change: CachedChange): void {
    for (const l of this.listeners) l(kind, change);
  }
}

/**
 * `nodes` nodes in three zones (every 50th tainted), `pods` running pods in 20 namespaces, pod `i` on
 * node `nodeOf(i)` (round-robin by default).
 */
export function benchCluster(nodes: number, pods: number, nodeOf = (i: number): number => i % nodes): BenchCaches {
  const c = new BenchCaches();
  const ns: CachedObject[] = [];
  for (let i = 0; i < nodes; i++) {
    const name = `node-${i}`;
    ns.push({
      metadata: {
        name,
        labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': ZONES[i % 3]! },
      } as CachedObject['metadata'],
      spec: i % 50 === 0 ? { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } : {},
      status: {
        allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
        capacity: { cpu: '32', memory: '128Gi', pods: '110' },
      },
    });
  }
  const ps: CachedObject[] = [];
  for (let i = 0; i < pods; i++) {
    const name = `pod-${i}`;
    ps.push({
      metadata: {
        name,
        namespace: `ns-${i % 20}`,
        uid: `uid-${i}`,
        labels: { app: `app-${i % 200}` },
      } as CachedObject['metadata'],
      spec: {
        nodeName: `node-${nodeOf(i)}`,
        priority: 0,
        containers: [{ name: 'c', image: `img-${i % 30}`, resources: { requests: { cpu: '250m', memory: '512Mi' } } }],
      },
      status: { phase: 'Running' },
    });
  }
  c.lists.set('nodes', ns);
  c.lists.set('pods', ps);
  c.lists.set(
    'namespaces',
    Array.from({ length: 20 }, (_, i) => ({ metadata: { name: `ns-${i}` } })),
  );
  return c;
}
