/**
 * Storage lookups shared by the volume plugins, after
 * staging/src/k8s.io/component-helpers/storage/volume/helpers.go (`GetPersistentVolumeClaimClass`,
 * `GetPersistentVolumeClass`), staging/src/k8s.io/component-helpers/storage/ephemeral/ephemeral.go
 * (`VolumeClaimName`, `VolumeIsForPod`) and pkg/volume/util (`CheckNodeAffinity`).
 *
 * Contract: lookups go through the framework `Handle`; "not found" is a value carrying
 * client-go's error text (`persistentvolumeclaim "x" not found`), never an exception.
 */
import type { KubeObject, Node, NodeSelector, Pod, Volume } from '../../../kube-api/types';
import { compileNodeSelector } from '../../../kube-api/node-affinity';
import type { Handle } from '../../framework/interface';
import { isQuantityError, parseQuantity, valueBig } from '../../../kube-api/quantity';

/** The beta annotation that overrides `spec.storageClassName`. */
const ANN_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** `volume.kubernetes.io/selected-node`, set on a claim once a node is chosen for provisioning. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The provisioner name meaning "no dynamic provisioning". */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';

/** client-go's NotFound message for a kind (lower-cased resource name) and object name. */
export function notFoundMessage(resource: string, name: string): string {
  return `${resource} ${JSON.stringify(name)} not found`;
}

/** `GetPersistentVolumeClaimClass`: the beta annotation first, then `spec.storageClassName`. */
export function claimClass(pvc: KubeObject): string {
  const ann = pvc.metadata?.annotations?.[ANN_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  const sc = pvc.spec?.storageClassName;
  return typeof sc === 'string' ? sc : '';
}

/** `GetPersistentVolumeClass`. */
export function volumeClass(pv: KubeObject): string {
  const ann = pv.metadata?.annotations?.[ANN_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  const sc = pv.spec?.storageClassName;
  return typeof sc === 'string' ? sc : '';
}

/** `ephemeral.VolumeClaimName`: `<pod name>-<volume name>`. */
function ephemeralClaimName(pod: Pod, vol: Volume): string {
  return `${pod.metadata?.name ?? ''}-${vol.name ?? ''}`;
}

/** `ephemeral.VolumeIsForPod`: the claim must be controlled by the pod; returns the error text or undefined. */
export function volumeIsForPod(pod: Pod, pvc: KubeObject): string | undefined {
  const uid = pod.metadata?.uid;
  const owner = pvc.metadata?.ownerReferences?.find((o) => o.controller === true);
  if (!owner || (uid !== undefined && owner.uid !== uid)) {
    return `PVC ${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''} was not created for pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} (pod is not owner)`;
  }
  return undefined;
}

/** A claim name a pod volume refers to, and whether it is a generic ephemeral volume. */
export interface ClaimRef {
  name: string;
  ephemeral: boolean;
}

/** The claims a pod uses: `persistentVolumeClaim.claimName` and generic ephemeral volumes, in order. */
export function podClaims(pod: Pod): ClaimRef[] {
  const out: ClaimRef[] = [];
  const vols = pod.spec?.volumes;
  if (!Array.isArray(vols)) return out;
  for (const v of vols) {
    if (v == null) continue;
    if (v.persistentVolumeClaim != null) out.push({ name: v.persistentVolumeClaim.claimName ?? '', ephemeral: false });
    else if (v.ephemeral != null) out.push({ name: ephemeralClaimName(pod, v), ephemeral: true });
  }
  return out;
}

/** Looks a claim up in the pod's namespace. */
export function getClaim(h: Handle, pod: Pod, name: string): KubeObject | undefined {
  const ns = pod.metadata?.namespace;
  if (ns !== undefined && ns !== '') return h.getObject('PersistentVolumeClaim', ns, name);
  // A pod without a namespace is in "default" once created; accept claims written either way.
  return h.getObject('PersistentVolumeClaim', 'default', name) ?? h.getObject('PersistentVolumeClaim', '', name);
}

/** Looks a (cluster-scoped) PV up. */
export function getVolume(h: Handle, name: string): KubeObject | undefined {
  return h.getObject('PersistentVolume', undefined, name);
}

/** Looks a StorageClass up. */
export function getStorageClass(h: Handle, name: string): KubeObject | undefined {
  return h.getObject('StorageClass', undefined, name);
}

/**
 * The model treats a claim with `spec.volumeName` as bound. Upstream's `isPVCFullyBound` also
 * wants the `pv.kubernetes.io/bind-completed` annotation; hand-written manifests rarely carry it.
 */
export function isClaimBound(pvc: KubeObject): boolean {
  return typeof pvc.spec?.volumeName === 'string' && pvc.spec.volumeName !== '';
}

/** The storage request of a claim in bytes (`resources.requests.storage`), 0 when absent or malformed. */
export function claimRequest(pvc: KubeObject): bigint {
  const q = parseQuantity(pvc.spec?.resources?.requests?.storage ?? 0);
  return isQuantityError(q) ? 0n : valueBig(q);
}

/** The capacity of a PV in bytes (`spec.capacity.storage`). */
export function volumeCapacity(pv: KubeObject): bigint {
  const q = parseQuantity(pv.spec?.capacity?.storage ?? 0);
  return isQuantityError(q) ? 0n : valueBig(q);
}

const selectorCache = new WeakMap<object, (node: Node) => boolean>();

/** `volumeutil.CheckNodeAffinity`: a PV without required node affinity fits every node. */
export function volumeFitsNode(pv: KubeObject, node: Node): boolean {
  const req = pv.spec?.nodeAffinity?.required as NodeSelector | undefined;
  if (req == null) return true;
  let m = selectorCache.get(req);
  if (!m) {
    m = compileNodeSelector(req);
    selectorCache.set(req, m);
  }
  return m(node);
}
