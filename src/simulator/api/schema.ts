/**
 * Unknown fields for `fieldValidation` (Strict/Warn/Ignore), found as kube-apiserver's strict decoder
 * finds them: over the kind's schema (kube-apiserver v1.37.2's own OpenAPI v3 for built-in kinds, the
 * CRD's `openAPIV3Schema` for custom kinds, where `x-kubernetes-preserve-unknown-fields` keeps
 * anything), in document order, named by path (`unknown field "spec.containers[0].foo"`), and always
 * dropped (custom resources are pruned).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { type TypeNode, fieldType, nodeFor, typeOf } from '../store/field-schema';
import type { ResourceKind } from '../store/registry';

function walk(v: unknown, t: TypeNode, path: string, out: string[]): void {
  const node = nodeFor(t, v);
  if (node.t === 'map') {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const p = path === '' ? k : `${path}.${k}`;
      if (!node.fields.has(k) && node.elem === undefined) {
        out.push(p);
        delete o[k];
        continue;
      }
      walk(o[k], fieldType(node, k), p, out);
    }
    return;
  }
  if (node.t === 'list' && Array.isArray(v)) {
    const elem = node.elem();
    v.forEach((x, i) => walk(x, elem, `${path}[${i}]`, out));
  }
}

/**
 * Lists the unknown fields of a (mutable) object as upstream prints them, and removes them from the
 * object. Kinds without a schema (custom kinds whose CRD has none) keep everything.
 */
export function findAndDropUnknownFields(kind: ResourceKind, obj: Record<string, any>): string[] {
  const out: string[] = [];
  if (kind.custom && kind.schema === undefined) return out;
  walk(obj, typeOf(kind), '', out);
  return out;
}
