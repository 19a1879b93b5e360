/**
 * The resource kinds the explorer shows: how each is listed (a `WATCHED_KINDS` key), where it appears
 * (category), its API identity (for writes and View YAML) and its tree-item context value.
 */
import type { WatchedKind } from '../../cluster/cluster-session';

/** A tree category under a context. */
export type Category = 'workloads' | 'network' | 'config' | 'storage';

/** One kind the tree lists. */
export interface KindInfo {
  key: WatchedKind;
  /** Plural label, e.g. `Deployments`. */
  label: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
  category: Category | undefined;
  /** The tree-item context value (lower-case kind), matched by menus. */
  contextValue: string;
}

const k = (
  key: WatchedKind,
  label: string,
  kind: string,
  apiVersion: string,
  namespaced: boolean,
  category: Category | undefined,
): KindInfo => ({ key, label, kind, apiVersion, namespaced, category, contextValue: kind.toLowerCase() });

/** Every kind the explorer knows, in display order. */
export const KINDS: readonly KindInfo[] = [
  k('deployments', 'Deployments', 'Deployment', 'apps/v1', true, 'workloads'),
  k('statefulsets', 'StatefulSets', 'StatefulSet', 'apps/v1', true, 'workloads'),
  k('daemonsets', 'DaemonSets', 'DaemonSet', 'apps/v1', true, 'workloads'),
  k('replicasets', 'ReplicaSets', 'ReplicaSet', 'apps/v1', true, 'workloads'),
  k('jobs', 'Jobs', 'Job', 'batch/v1', true, 'workloads'),
  k('cronjobs', 'CronJobs', 'CronJob', 'batch/v1', true, 'workloads'),
  k('pods', 'Pods', 'Pod', 'v1', true, 'workloads'),
  k('services', 'Services', 'Service', 'v1', true, 'network'),
  k('ingresses', 'Ingresses', 'Ingress', 'networking.k8s.io/v1', true, 'network'),
  k('endpointslices', 'EndpointSlices', 'EndpointSlice', 'discovery.k8s.io/v1', true, 'network'),
  k('configmaps', 'ConfigMaps', 'ConfigMap', 'v1', true, 'config'),
  k('secrets', 'Secrets', 'Secret', 'v1', true, 'config'),
  k('persistentvolumeclaims', 'PersistentVolumeClaims', 'PersistentVolumeClaim', 'v1', true, 'storage'),
  k('persistentvolumes', 'PersistentVolumes', 'PersistentVolume', 'v1', false, 'storage'),
  k('storageclasses', 'StorageClasses', 'StorageClass', 'storage.k8s.io/v1', false, 'storage'),
  k('nodes', 'Nodes', 'Node', 'v1', false, undefined),
  k('namespaces', 'Namespaces', 'Namespace', 'v1', false, undefined),
  k('events', 'Events', 'Event', 'v1', true, undefined),
  k('replicationcontrollers', 'ReplicationControllers', 'ReplicationController', 'v1', true, undefined),
  k('csinodes', 'CSINodes', 'CSINode', 'storage.k8s.io/v1', false, undefined),
  k('priorityclasses', 'PriorityClasses', 'PriorityClass', 'scheduling.k8s.io/v1', false, undefined),
  k('poddisruptionbudgets', 'PodDisruptionBudgets', 'PodDisruptionBudget', 'policy/v1', true, 'config'),
  k('csidrivers', 'CSIDrivers', 'CSIDriver', 'storage.k8s.io/v1', false, 'storage'),
  k('volumeattachments', 'VolumeAttachments', 'VolumeAttachment', 'storage.k8s.io/v1', false, 'storage'),
  k('csistoragecapacities', 'CSIStorageCapacities', 'CSIStorageCapacity', 'storage.k8s.io/v1', true, undefined),
  k('runtimeclasses', 'RuntimeClasses', 'RuntimeClass', 'node.k8s.io/v1', false, undefined),
  k('deviceclasses', 'DeviceClasses', 'DeviceClass', 'resource.k8s.io/v1', false, undefined),
  k(
    'customresourcedefinitions',
    'CustomResourceDefinitions',
    'CustomResourceDefinition',
    'apiextensions.k8s.io/v1',
    false,
    undefined,
  ),
];

const BY_KEY = new Map<string, KindInfo>(KINDS.map((x) => [x.key, x]));

/** The kind info for a watched-kind key, if the explorer knows it. */
export function kindInfo(key: string): KindInfo | undefined {
  return BY_KEY.get(key);
}

/** Category labels, in display order. */
export const CATEGORIES: readonly { key: Category; label: string }[] = [
  { key: 'workloads', label: 'Workloads' },
  { key: 'network', label: 'Network' },
  { key: 'config', label: 'Config' },
  { key: 'storage', label: 'Storage' },
];

/** The kinds of a category. */
export function kindsOf(category: Category): KindInfo[] {
  return KINDS.filter((x) => x.category === category);
}
