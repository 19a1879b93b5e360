/**
 * The defaults kube-apiserver v1.37.2 applies when it decodes a built-in object (before the field
 * manager records the write and before admission), reimplemented from k8s.io/kubernetes
 * pkg/apis/<group>/v1/defaults.go (`SetDefaults_*`) and their generated callers:
 *
 * - hand-written defaults per kind (Pod, pod templates, Service, PersistentVolume(Claim), Job, ...),
 *   declared by each kind's file under kinds/ (`defaults`);
 * - declarative defaults from the schema (`+default` markers: a port's protocol `TCP`...) and the
 *   zero values of fields Go always encodes (non-pointer structs `{}`, non-`omitempty` strings and
 *   numbers), both read from kube-apiserver's own OpenAPI v3 documents (field-schema.ts).
 *
 * What the registry strategies and admission plugins add (cluster IPs, a pod's priority and
 * tolerations, finalizers, status) is not here. Every function mutates the object it is given and is
 * idempotent.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are wire JSON walked by field path. */
import { type MapNode, type TypeNode, fieldType, nodeFor, nullFieldsOf, typeOf } from './field-schema';
import { kindDefaults } from './kinds';
import { isObj } from './kinds/shared/json';
import type { ResourceKind } from './registry';

type Obj = Record<string, any>;

/**
 * The schema's defaults for absent fields of present structs: declarative `+default` values, the
 * zero values of fields Go always encodes, and `{}` for non-pointer structs.
 */
export function schemaDefaults(v: unknown, t: TypeNode): void {
  const node = nodeFor(t, v);
  if (node.t === 'map') {
    if (!isObj(v)) return;
    structDefaults(v, node);
    return;
  }
  if (node.t === 'list' && Array.isArray(v)) {
    const elem = node.elem();
    for (const x of v) schemaDefaults(x, elem);
  }
}

/** Zero `+default` markers on `omitempty` fields: Go leaves them out when it encodes. */
const OMITTED_ZERO_DEFAULTS = new Set(['io.k8s.api.core.v1.ReplicationControllerSpec.minReadySeconds']);

function structDefaults(v: Obj, node: MapNode): void {
  for (const [k, f] of node.fields) {
    if (v[k] !== undefined) continue;
    if (node.name !== undefined && OMITTED_ZERO_DEFAULTS.has(`${node.name}.${k}`)) continue;
    if (nullFieldsOf(node).includes(k)) {
      v[k] = null;
      continue;
    }
    if (f.struct) v[k] = {};
    else if (f.default !== undefined && (typeof f.default !== 'object' || f.default === null)) v[k] = f.default;
  }
  for (const [k, x] of Object.entries(v))
    if (x !== null && typeof x === 'object') schemaDefaults(x, fieldType(node, k));
}

/** Applies kube-apiserver's decode-time defaults to a built-in object (custom resources are left alone). */
export function applyApiDefaults(
  kind: Pick<ResourceKind, 'group' | 'version' | 'kind' | 'custom' | 'schema'>,
  o: Obj,
): void {
  if (kind.custom) return;
  kindDefaults(kind.group, kind.kind)?.(o);
  const t = typeOf(kind);
  schemaDefaults(o, t);
  omitEmptyCollections(o, t);
}

/**
 * Leaves out what Go's encoding leaves out of a decoded object: an `omitempty` map or list field that is
 * empty or null (`labels: {}`, `tolerations: []`, `annotations: null`) is not stored and never served,
 * so a write that adds only such a field is a no-op. Struct fields (`resources: {}`) stay: `omitempty`
 * never leaves out a struct. Required (non-`omitempty`) fields stay as they are.
 */
export function omitEmptyCollections(v: unknown, t: TypeNode): void {
  const node = nodeFor(t, v);
  if (node.t === 'list' && Array.isArray(v)) {
    const elem = node.elem();
    for (const x of v) if (x !== null && typeof x === 'object') omitEmptyCollections(x, elem);
    return;
  }
  if (node.t !== 'map' || !isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    const ft = fieldType(node, k);
    if (node.fields.has(k) && !node.required.has(k) && isEmptyCollection(x, ft)) delete v[k];
    else if (x !== null && typeof x === 'object') omitEmptyCollections(x, ft);
  }
}

/** True for `null`, `{}` or `[]` in a field typed as a Go map or a list. */
function isEmptyCollection(x: unknown, t: TypeNode): boolean {
  const isList = t.t === 'list';
  const isMap = t.t === 'map' && t.goMap === true;
  if (!isList && !isMap) return false;
  if (x === null) return true;
  return isList ? Array.isArray(x) && x.length === 0 : isObj(x) && Object.keys(x).length === 0;
}
