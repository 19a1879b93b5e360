/**
 * The 422 kube-apiserver answers a JSON merge patch with fieldValidation=Strict whose result has
 * unknown fields (handlers/patch.go): the patched document's JSON is quoted in the message as
 * `patch: Invalid value: "<json>": strict decoding error: ...` for an empty kind and name.
 *
 * The quoted JSON is what evanphx/json-patch's MergePatch makes of the stored object's encoding:
 * top-level keys sorted (a Go map), a value the patch touched re-encoded with sorted keys, a value it
 * did not touch as the object was encoded (ObjectMeta and managedFields in their Go field order).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON walked by key. */
import { StatusError, invalid } from '../store/errors';
import type { KubeObject } from '../store/types';
import { OBJECT_META_ORDER } from '../store/wire-order';

const MANAGED_FIELDS_ORDER = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'];

/** The Status for a Strict merge patch whose result has `problems` (`unknown field "spec"`, ...). */
export function strictMergePatchError(
  cur: KubeObject,
  patch: Record<string, unknown>,
  problems: string[],
): StatusError {
  const e = invalid('', '', '', [
    {
      type: 'FieldValueInvalid',
      field: 'patch',
      value: mergedText(cur, patch),
      detail: `strict decoding error: ${problems.join(', ')}`,
    },
  ]);
  delete e.status.details?.kind;
  return e;
}

function mergedText(cur: KubeObject, patch: Record<string, unknown>): string {
  const keys = new Set([...Object.keys(cur), ...Object.keys(patch)]);
  const parts: string[] = [];
  for (const k of [...keys].sort()) {
    const p = patch[k];
    if (!(k in patch)) parts.push(`${JSON.stringify(k)}:${encoded(k, (cur as any)[k])}`);
    else if (p === null) continue;
    else parts.push(`${JSON.stringify(k)}:${sortedJSON(merge((cur as any)[k], p))}`);
  }
  return `{${parts.join(',')}}`;
}

function merge(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/** A value as a Go map encodes it: keys sorted at every level. */
function sortedJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJSON).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJSON((v as any)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** An untouched top-level value as kube-apiserver encoded the object. */
function encoded(key: string, v: unknown): string {
  if (key !== 'metadata' || v === null || typeof v !== 'object') return JSON.stringify(v);
  const m = v as Record<string, unknown>;
  return ordered(m, OBJECT_META_ORDER, (k, x) =>
    k === 'managedFields' && Array.isArray(x)
      ? `[${x.map((e) => ordered(e as Record<string, unknown>, MANAGED_FIELDS_ORDER, (_k, y) => JSON.stringify(y))).join(',')}]`
      : JSON.stringify(x),
  );
}

function ordered(o: Record<string, unknown>, order: readonly string[], enc: (k: string, v: unknown) => string): string {
  const keys = [...order.filter((k) => k in o), ...Object.keys(o).filter((k) => !order.includes(k))];
  return `{${keys
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${enc(k, o[k])}`)
    .join(',')}}`;
}
