/**
 * Object shapes the store works with. Objects are plain JSON; the store only reads `metadata` and a few
 * well-known fields, so any kind (including custom resources) fits.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */

/** `metav1.OwnerReference`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** `metav1.ObjectMeta` (the fields the simulator reads or writes). */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  [k: string]: unknown;
}

/** `metav1.ManagedFieldsEntry`. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/**
 * A stored object. Objects returned by the store are deeply frozen: never mutate them, copy with
 * `structuredClone` (or build a new object) and write the copy back.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [k: string]: any;
}

/** A change notification. `object` is the new state (for DELETED: the final state at the delete's RV). */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** The state before this change (undefined for ADDED). */
  previous?: KubeObject;
  /** The RV of this change (equal to `object.metadata.resourceVersion`). */
  resourceVersion: number;
  /** Storage key `group/resource` of the changed object. */
  refKey: string;
}
