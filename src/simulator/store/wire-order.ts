/**
 * The order kube-apiserver writes an object's metadata in: the field order of Go's `metav1.ObjectMeta`
 * (k8s.io/apimachinery/pkg/apis/meta/v1/types.go), which its JSON encoder follows. The store sets
 * metadata fields in whatever order a write computes them (a resourceVersion after managedFields, say);
 * clients that read the wire text in order, such as a cache dropping managedFields, the last field, see
 * the server's order.
 *
 * Contract: `inWireOrder(obj)` is `obj` with `metadata`'s keys in ObjectMeta's order (unknown keys after
 * them, in their own order) and every other key where it was; `obj` itself is not changed.
 */
import type { KubeObject } from './types';

/** metav1.ObjectMeta's JSON field names, in its Go field order. */
export const OBJECT_META_ORDER: readonly string[] = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

const RANK = new Map(OBJECT_META_ORDER.map((k, i) => [k, i]));

/** True when `keys` already follow ObjectMeta's order. */
function ordered(keys: readonly string[]): boolean {
  let last = -1;
  for (const k of keys) {
    const r = RANK.get(k) ?? OBJECT_META_ORDER.length;
    if (r < last) return false;
    last = r;
  }
  return true;
}

/** `obj` with its metadata in kube-apiserver's order (see the contract above). */
export function inWireOrder(obj: KubeObject): KubeObject {
  const meta = obj.metadata as Record<string, unknown> | undefined;
  if (meta === undefined || meta === null || typeof meta !== 'object') return obj;
  const keys = Object.keys(meta);
  if (ordered(keys)) return obj;
  const sorted: Record<string, unknown> = {};
  for (const k of OBJECT_META_ORDER) if (k in meta) sorted[k] = meta[k];
  for (const k of keys) if (!RANK.has(k)) sorted[k] = meta[k];
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) out[k] = k === 'metadata' ? sorted : (obj as Record<string, unknown>)[k];
  return out as KubeObject;
}
