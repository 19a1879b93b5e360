/**
 * Save Cluster Snapshot: the objects scheduling depends on, as a `v1 List` the simulated cluster loads
 * with `--snapshot FILE`, so placements can be tried against a copy of a real cluster, offline.
 *
 * Contract: includes every kind the tree and the scheduler model read (`PREDICTION_KINDS`, workloads,
 * ConfigMaps, Ingresses, CRDs) but Secrets (so never Secret values), Events and EndpointSlices (which the
 * target's controllers derive); every item carries apiVersion and kind; uid, generation, ownerReferences
 * and status are kept so the reloaded cluster is the same cluster (controllers adopt their pods rather
 * than make new ones); resourceVersion and managedFields are dropped. Pure; kinds that cannot be read are listed in `skipped` with why.
 */
import type { WatchedKind } from '../../cluster/cluster-session';
import type { KindState, KubeObj } from './cluster-data';
import { kindInfo } from './kinds';

/** The kinds a snapshot holds, in load order (namespaces before what lives in them). */
export const SNAPSHOT_KINDS = [
  'namespaces',
  'priorityclasses',
  'runtimeclasses',
  'deviceclasses',
  'storageclasses',
  'csidrivers',
  'customresourcedefinitions',
  'persistentvolumes',
  'csinodes',
  'nodes',
  'configmaps',
  'services',
  'persistentvolumeclaims',
  'deployments',
  'replicationcontrollers',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'cronjobs',
  'jobs',
  'pods',
  'poddisruptionbudgets',
  'ingresses',
  'csistoragecapacities',
  'volumeattachments',
] as const satisfies readonly WatchedKind[];

/** What the writer reads. */
export interface SnapshotSource {
  list(kind: WatchedKind): KubeObj[];
  state(kind: WatchedKind): KindState;
}

/** The snapshot document. */
export interface ClusterSnapshotFile {
  apiVersion: 'v1';
  kind: 'List';
  metadata: { annotations: Record<string, string> };
  items: KubeObj[];
}

/**
 * Server-owned metadata the target cluster assigns anew. uid and generation stay: ownerReferences name
 * their owners by uid (without it the reloaded controllers would not recognise their pods and make a
 * second set), and a status's observedGeneration refers to the generation.
 */
const DROP_META = ['managedFields', 'resourceVersion', 'selfLink'] as const;

/** One object, ready to load elsewhere. */
function cleanForSnapshot(kind: WatchedKind, o: KubeObj): KubeObj {
  const info = kindInfo(kind)!;
  const metadata = { ...o.metadata } as Record<string, unknown>;
  for (const k of DROP_META) delete metadata[k];
  const ann = metadata['annotations'] as Record<string, string> | undefined;
  if (ann?.['kubectl.kubernetes.io/last-applied-configuration'] !== undefined) {
    const rest = { ...ann };
    delete rest['kubectl.kubernetes.io/last-applied-configuration'];
    metadata['annotations'] = rest;
  }
  const out: KubeObj = {
    ...o,
    apiVersion: info.apiVersion,
    kind: info.kind,
    metadata: metadata as KubeObj['metadata'],
  };
  // A Service's cluster IPs are allocated by the target cluster.
  if (kind === 'services' && out.spec) {
    const spec = { ...out.spec };
    if (spec.clusterIP !== 'None') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    out.spec = spec;
  }
  return out;
}

/**
 * The annotation naming the Kubernetes version the snapshot was taken from (`v1.37.2`): the simulated
 * cluster that loads it serves that minor release, so predictions over the copy model the same
 * kube-scheduler release (its scores differ between releases) and read as they did on the original.
 */
export const VERSION_ANNOTATION = 'kube-forecast/kubernetes-version';

/** The minor release a snapshot's text records (`37` for `v1.37.2`), or undefined (older snapshots). */
export function snapshotVersionMinor(text: string): number | undefined {
  const m = /["']?kube-forecast\/kubernetes-version["']?\s*:\s*["']?v?1\.(\d+)/.exec(text);
  return m !== null ? Number(m[1]) : undefined;
}

/** Builds the snapshot of `src` taken from `context` (serving `kubernetesVersion`) at `now`. */
export function buildSnapshot(
  src: SnapshotSource,
  context: string,
  now: Date = new Date(),
  kubernetesVersion?: string,
): { snapshot: ClusterSnapshotFile; counts: Record<string, number>; skipped: string[] } {
  const items: KubeObj[] = [];
  const counts: Record<string, number> = {};
  const skipped: string[] = [];
  for (const kind of SNAPSHOT_KINDS) {
    const st = src.state(kind);
    if (st.state !== 'synced') {
      skipped.push(`${kind}: ${st.state}${st.message ? ` (${st.message})` : ''}`);
      continue;
    }
    const list = src.list(kind);
    counts[kind] = list.length;
    for (const o of list) items.push(cleanForSnapshot(kind, o));
  }
  return {
    snapshot: {
      apiVersion: 'v1',
      kind: 'List',
      metadata: {
        annotations: {
          'kube-forecast/context': context,
          'kube-forecast/taken-at': now.toISOString(),
          ...(kubernetesVersion !== undefined ? { [VERSION_ANNOTATION]: kubernetesVersion } : {}),
          ...(skipped.length > 0 ? { 'kube-forecast/skipped': skipped.join('; ') } : {}),
        },
      },
      items,
    },
    counts,
    skipped,
  };
}
