/**
 * What kube-apiserver sets on a new object after the field manager ran (so none of it is in the
 * creator's managedFields): the Job strategy's generated selector, the PersistentVolume strategy's
 * phase transition time and the StorageObjectInUseProtection admission plugin's finalizers; and the
 * TaintNodesByCondition admission plugin, which only API creates go through (`admitNewNode`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here. */
import type { ResourceKind } from './registry';
import type { KubeObject } from './types';

/** The finalizers StorageObjectInUseProtection adds (removed by the protection controllers). */
export const PV_PROTECTION = 'kubernetes.io/pv-protection';
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';

/** Applies the create-time strategy of `kind` to `obj` (uid and creationTimestamp already set). */
export function prepareCreated(kind: ResourceKind, obj: KubeObject, creationTimestamp: string): void {
  const key = `${kind.group}/${kind.resource}`;
  if (key === 'batch/jobs') generateJobSelector(obj);
  if (key === '/persistentvolumes') {
    obj['status'] = { phase: 'Pending', lastPhaseTransitionTime: creationTimestamp };
    addFinalizer(obj, PV_PROTECTION);
  }
  if (key === '/persistentvolumeclaims') addFinalizer(obj, PVC_PROTECTION);
  if (key === 'apiextensions.k8s.io/customresourcedefinitions') {
    // The CRD strategy: no conditions yet, the storage version recorded as stored.
    const versions: any[] = Array.isArray(obj['spec']?.versions) ? obj['spec'].versions : [];
    const storage = versions.find((v) => v?.storage === true)?.name;
    obj['status'] = {
      conditions: null,
      acceptedNames: { plural: '', kind: '' },
      ...(obj['status'] ?? {}),
      ...(storage !== undefined ? { storedVersions: [storage] } : {}),
    };
  }
}

/**
 * The TaintNodesByCondition admission plugin, for Nodes created through the API: a new Node carries
 * the `node.kubernetes.io/not-ready` NoSchedule taint until the node lifecycle controller sees it Ready.
 */
export function admitNewNode(kind: ResourceKind, obj: Record<string, any>): void {
  if (kind.group !== '' || kind.resource !== 'nodes') return;
  const spec: any = (obj['spec'] ??= {});
  const taints: any[] = Array.isArray(spec.taints) ? spec.taints : [];
  if (!taints.some((t) => t?.key === NOT_READY && t?.effect === 'NoSchedule'))
    spec.taints = [...taints, { key: NOT_READY, effect: 'NoSchedule' }];
}

const NOT_READY = 'node.kubernetes.io/not-ready';

function addFinalizer(obj: KubeObject, f: string): void {
  const fins = obj.metadata.finalizers ?? [];
  if (!fins.includes(f)) obj.metadata.finalizers = [...fins, f];
}

/**
 * pkg/registry/batch/job generateSelector (unless spec.manualSelector): the template gets the job-name
 * and controller-uid labels (legacy and batch.kubernetes.io/ forms) where the user set none, and the
 * selector matches batch.kubernetes.io/controller-uid.
 */
function generateJobSelector(obj: KubeObject): void {
  const spec: any = obj['spec'];
  if (spec === null || typeof spec !== 'object' || spec.manualSelector === true) return;
  const name = obj.metadata.name!;
  const uid = obj.metadata.uid!;
  spec.template ??= {};
  spec.template.metadata ??= {};
  const labels: Record<string, string> = { ...(spec.template.metadata.labels ?? {}) };
  for (const k of ['job-name', 'batch.kubernetes.io/job-name']) labels[k] ??= name;
  for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid']) labels[k] ??= uid;
  spec.template.metadata.labels = labels;
  spec.selector ??= {};
  spec.selector.matchLabels = { ...(spec.selector.matchLabels ?? {}) };
  spec.selector.matchLabels['batch.kubernetes.io/controller-uid'] ??= uid;
}
