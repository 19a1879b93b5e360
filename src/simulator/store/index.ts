/**
 * Public API of the simulator's object store. Controllers, loaders and the HTTP layer import from here.
 */
export { Store, PROTECTED_NAMESPACES } from './store';
export type {
  WriteOptions,
  UpdateOptions,
  DeleteOptions,
  DeleteResult,
  ListOptions,
  ListResult,
  WatchOptions,
  Subscription,
  StoreOptions,
  GracefulPodDeletion,
} from './store';
export { KindRegistry, apiVersionOf, refKey, kindFromCrd } from './registry';
export type { ResourceKind, ResourceRef, PrinterColumn } from './registry';
export type { KubeObject, ObjectMeta, OwnerReference, ManagedFieldsEntry, WatchEvent } from './types';
export { StatusError } from './errors';
export type { Status, StatusCause, FieldError } from './errors';
export * as statusErrors from './errors';
export { parseLabelSelector, parseFieldSelector, matchesFields, fieldValue } from './selectors';
export { serverSideApply } from './managed-fields';

/** Well-known refs for the built-in kinds, e.g. `R.pods` = `{ group: '', resource: 'pods' }`. */
export const R = {
  namespaces: { group: '', resource: 'namespaces' },
  nodes: { group: '', resource: 'nodes' },
  pods: { group: '', resource: 'pods' },
  services: { group: '', resource: 'services' },
  endpoints: { group: '', resource: 'endpoints' },
  configmaps: { group: '', resource: 'configmaps' },
  secrets: { group: '', resource: 'secrets' },
  serviceaccounts: { group: '', resource: 'serviceaccounts' },
  persistentvolumes: { group: '', resource: 'persistentvolumes' },
  persistentvolumeclaims: { group: '', resource: 'persistentvolumeclaims' },
  events: { group: '', resource: 'events' },
  deployments: { group: 'apps', resource: 'deployments' },
  replicasets: { group: 'apps', resource: 'replicasets' },
  statefulsets: { group: 'apps', resource: 'statefulsets' },
  daemonsets: { group: 'apps', resource: 'daemonsets' },
  controllerrevisions: { group: 'apps', resource: 'controllerrevisions' },
  jobs: { group: 'batch', resource: 'jobs' },
  cronjobs: { group: 'batch', resource: 'cronjobs' },
  endpointslices: { group: 'discovery.k8s.io', resource: 'endpointslices' },
  priorityclasses: { group: 'scheduling.k8s.io', resource: 'priorityclasses' },
  storageclasses: { group: 'storage.k8s.io', resource: 'storageclasses' },
  csinodes: { group: 'storage.k8s.io', resource: 'csinodes' },
  eventsV1: { group: 'events.k8s.io', resource: 'events' },
  leases: { group: 'coordination.k8s.io', resource: 'leases' },
  poddisruptionbudgets: { group: 'policy', resource: 'poddisruptionbudgets' },
  customresourcedefinitions: { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
} as const;
