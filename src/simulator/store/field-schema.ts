/**
 * The type schema server-side field tracking walks, built as kube-openapi's schemaconv builds it for
 * kube-apiserver's field manager (ToSchemaFromOpenAPI): from kube-apiserver v1.37.2's own OpenAPI v3
 * documents (captured in api/openapi-data, see openapi-data.ts) for built-in kinds, from the CRD's
 * `openAPIV3Schema` for custom kinds.
 *
 * - objects with `properties` are structs; `additionalProperties` gives the type of other keys;
 *   `x-kubernetes-map-type: atomic` makes a map one leaf (also when set on the referring field);
 * - arrays are atomic unless `x-kubernetes-list-type` says `set` or `map` (with
 *   `x-kubernetes-list-map-keys`), or, without a list type, `x-kubernetes-patch-strategy: merge`
 *   makes them associative (keyed by `x-kubernetes-patch-merge-key`, or a set without one);
 * - a schema without a type accepts anything (deduced from the value: maps granular, lists atomic);
 * - struct fields carry their OpenAPI `default` (list keys default from it: a port's `protocol`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- OpenAPI documents are walked as JSON. */
import { capturedV3 } from '../api/openapi-data';

/** A resolved type. */
export type TypeNode = ScalarNode | ListNode | MapNode | AnyNode;

export interface ScalarNode {
  readonly t: 'scalar';
}

export interface ListNode {
  readonly t: 'list';
  /** Atomic lists are one leaf; associative lists are keyed by `keys` (empty: a set of scalars). */
  readonly atomic: boolean;
  readonly keys: readonly string[];
  readonly elem: () => TypeNode;
}

export interface MapNode {
  readonly t: 'map';
  readonly atomic: boolean;
  /** Struct fields by name. */
  readonly fields: ReadonlyMap<string, Field>;
  /** The type of keys that are not struct fields; undefined when none are allowed. */
  readonly elem: (() => TypeNode) | undefined;
  /** The struct's required fields (non-`omitempty` in Go). */
  readonly required: ReadonlySet<string>;
  /** True for a Go map (`additionalProperties` with a schema and no `properties`), never for a struct. */
  readonly goMap?: boolean;
  /** The definition name, for named types. */
  readonly name?: string;
}

/** A value of any shape: maps granular (elements deduced), lists atomic (`atomicAll`: maps atomic too). */
export interface AnyNode {
  readonly t: 'any';
  readonly atomicAll: boolean;
  /** When the schema has no type but lists properties or items. */
  readonly map?: MapNode;
  readonly list?: ListNode;
}

export interface Field {
  readonly type: () => TypeNode;
  /** The field's OpenAPI default, if any. */
  readonly default?: unknown;
  /** True when the field's default is `{}`: a struct that is not a pointer (always present in Go). */
  readonly struct: boolean;
}

const DEDUCED: AnyNode = { t: 'any', atomicAll: false };
const UNTYPED_ATOMIC: AnyNode = { t: 'any', atomicAll: true };
const SCALAR: ScalarNode = { t: 'scalar' };

/** The deduced type (any shape, maps granular, lists atomic). */
export const deduced: TypeNode = DEDUCED;

type Definitions = Record<string, any>;

class Converter {
  private readonly byName = new Map<string, TypeNode>();
  private readonly inline = new WeakMap<object, TypeNode>();

  constructor(private readonly defs: Definitions) {}

  named(name: string): TypeNode {
    let n = this.byName.get(name);
    if (n !== undefined) return n;
    if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') n = SCALAR;
    else if (name === 'io.k8s.apimachinery.pkg.runtime.RawExtension') n = UNTYPED_ATOMIC;
    else {
      const d = this.defs[name];
      n = d === undefined ? DEDUCED : this.parse(d, false);
      if (n.t === 'map') n = { ...n, name };
    }
    this.byName.set(name, n);
    return n;
  }

  /** The type a property or item schema refers to (a `$ref`, a one-element `allOf`, or inline). */
  ref(s: any, preserveUnknown: boolean): () => TypeNode {
    const r: unknown = s?.$ref ?? (Array.isArray(s?.allOf) && s.allOf.length === 1 ? s.allOf[0]?.$ref : undefined);
    if (typeof r === 'string') {
      const name = r.slice(r.lastIndexOf('/') + 1);
      const mapType = s['x-kubernetes-map-type'];
      let cached: TypeNode | undefined;
      return () => {
        if (cached !== undefined) return cached;
        let n = this.named(name);
        if ((mapType === 'atomic' || mapType === 'granular') && n.t === 'map')
          n = { ...n, atomic: mapType === 'atomic' };
        return (cached = n);
      };
    }
    let cached: TypeNode | undefined;
    return () => {
      if (cached !== undefined) return cached;
      if (s === null || typeof s !== 'object') return (cached = DEDUCED);
      const hit = this.inline.get(s);
      if (hit !== undefined) return (cached = hit);
      const n = this.parse(s, preserveUnknown);
      this.inline.set(s, n);
      return (cached = n);
    };
  }

  parse(s: any, preserveUnknownIn: boolean): TypeNode {
    const preserveUnknown = preserveUnknownIn || s?.['x-kubernetes-preserve-unknown-fields'] === true;
    if (s?.['x-kubernetes-int-or-string'] === true) return SCALAR;
    const type: unknown = Array.isArray(s?.type) ? s.type[0] : s?.type;
    switch (type) {
      case 'object':
        return this.object(s, preserveUnknown);
      case 'array':
        return this.list(s, preserveUnknown);
      case 'integer':
      case 'boolean':
      case 'number':
      case 'string':
        return SCALAR;
      default: {
        if (s?.properties !== undefined || s?.additionalProperties !== undefined || s?.items !== undefined) {
          const n: AnyNode = {
            t: 'any',
            atomicAll: false,
            map: this.object(s, preserveUnknown),
            list: this.list(s, preserveUnknown),
          };
          return n;
        }
        return DEDUCED;
      }
    }
  }

  private object(s: any, preserveUnknown: boolean): MapNode {
    const fields = new Map<string, Field>();
    const props: Record<string, any> = s.properties ?? {};
    for (const [name, p] of Object.entries(props)) {
      const f: { type: () => TypeNode; default?: unknown; struct: boolean } = {
        type: this.ref(p, preserveUnknown),
        struct: isEmptyObject(p?.default),
      };
      if (p?.default !== undefined) f.default = p.default;
      fields.set(name, f);
    }
    let elem: (() => TypeNode) | undefined;
    const ap = s.additionalProperties;
    if (ap === undefined || ap === null) {
      elem = preserveUnknown || fields.size === 0 ? () => DEDUCED : undefined;
    } else if (typeof ap === 'object') elem = this.ref(ap, preserveUnknown);
    else if (ap === true) elem = () => DEDUCED;
    else elem = undefined;
    return {
      t: 'map',
      atomic: s['x-kubernetes-map-type'] === 'atomic',
      fields,
      elem,
      required: new Set(Array.isArray(s.required) ? (s.required as string[]) : []),
      ...(fields.size === 0 && ap !== null && typeof ap === 'object' ? { goMap: true } : {}),
    };
  }

  private list(s: any, preserveUnknown: boolean): ListNode {
    let atomic = true;
    let keys: string[] = [];
    const lt = s['x-kubernetes-list-type'];
    if (lt !== undefined) {
      if (lt === 'set') atomic = false;
      else if (lt === 'map') {
        atomic = false;
        keys = Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : [];
      }
    } else {
      const ps = s['x-kubernetes-patch-strategy'];
      if (ps === 'merge' || ps === 'merge,retainKeys') {
        atomic = false;
        const k = s['x-kubernetes-patch-merge-key'];
        if (typeof k === 'string') keys = [k];
      }
    }
    const items = s.items;
    const elem: () => TypeNode =
      items !== undefined && items !== null && typeof items === 'object' && !Array.isArray(items)
        ? this.ref(items, preserveUnknown)
        : () => UNTYPED_ATOMIC;
    return { t: 'list', atomic, keys, elem };
  }
}

function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

let builtin: { conv: Converter; byGvk: Map<string, string> } | undefined;

function builtins(): { conv: Converter; byGvk: Map<string, string> } {
  if (builtin !== undefined) return builtin;
  const defs: Definitions = {};
  const byGvk = new Map<string, string>();
  const v3 = capturedV3();
  for (const p of v3.paths) {
    const doc = v3.docs.get(p);
    if (doc === undefined) continue;
    let parsed: any;
    try {
      parsed = JSON.parse(doc.body.toString('utf8'));
    } catch {
      continue;
    }
    const schemas: Record<string, any> = parsed?.components?.schemas ?? {};
    for (const [name, s] of Object.entries(schemas)) {
      defs[name] ??= s;
      const gvks: any[] = Array.isArray(s?.['x-kubernetes-group-version-kind'])
        ? s['x-kubernetes-group-version-kind']
        : [];
      for (const g of gvks) {
        const key = `${g.group ?? ''}/${g.version}/${g.kind}`;
        // Prefer the kind's own package over meta types that list every GVK (DeleteOptions, WatchEvent).
        if (!byGvk.has(key) || !name.startsWith('io.k8s.apimachinery')) byGvk.set(key, name);
      }
    }
  }
  builtin = { conv: new Converter(defs), byGvk };
  return builtin;
}

/** The schema of a built-in kind (undefined when kube-apiserver's documents do not have it). */
export function builtinType(group: string, version: string, kind: string): TypeNode | undefined {
  const b = builtins();
  const name = b.byGvk.get(`${group}/${version}/${kind}`);
  return name === undefined ? undefined : b.conv.named(name);
}

const crdTypes = new WeakMap<object, TypeNode>();

/**
 * The schema of a custom kind from its CRD version's `openAPIV3Schema`: the object's own fields, with
 * apiVersion/kind strings and metadata as ObjectMeta (as the apiextensions-apiserver builds it).
 */
export function crdType(openAPIV3Schema: unknown): TypeNode {
  if (openAPIV3Schema === null || typeof openAPIV3Schema !== 'object') return DEDUCED;
  const hit = crdTypes.get(openAPIV3Schema);
  if (hit !== undefined) return hit;
  const b = builtins();
  const s = openAPIV3Schema as Record<string, any>;
  const props = { ...(s['properties'] ?? {}) };
  props['apiVersion'] = { type: 'string' };
  props['kind'] = { type: 'string' };
  props['metadata'] = { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', default: {} };
  const root = b.conv.parse({ ...s, type: 'object', properties: props }, false);
  crdTypes.set(openAPIV3Schema, root);
  return root;
}

/** Resolves which node applies to a value (deduceAtom): `any` nodes become map, list or scalar. */
export function nodeFor(n: TypeNode, v: unknown): TypeNode {
  if (n.t !== 'any') return n;
  if (Array.isArray(v)) return n.list ?? { t: 'list', atomic: true, keys: [], elem: () => UNTYPED_ATOMIC };
  if (v !== null && typeof v === 'object')
    return (
      n.map ?? {
        t: 'map',
        atomic: n.atomicAll,
        fields: new Map(),
        elem: () => (n.atomicAll ? UNTYPED_ATOMIC : DEDUCED),
        required: new Set(),
      }
    );
  return SCALAR;
}

/** The type of one key of a map node: its struct field, else the element type. */
export function fieldType(m: MapNode, key: string): TypeNode {
  const f = m.fields.get(key);
  if (f !== undefined) return f.type();
  return m.elem !== undefined ? m.elem() : DEDUCED;
}

const C = 'io.k8s.api.core.v1.';
/**
 * Fields Go always encodes, as `null` when unset: non-pointer metav1.Time (and MicroTime) fields,
 * which `omitempty` does not leave out and the schema cannot tell from pointers. By definition name.
 */
const NULL_TIME_FIELDS: Record<string, readonly string[]> = {
  [`${C}Event`]: ['firstTimestamp', 'lastTimestamp', 'eventTime'],
  'io.k8s.api.events.v1.Event': ['deprecatedFirstTimestamp', 'deprecatedLastTimestamp'],
  [`${C}PodCondition`]: ['lastProbeTime', 'lastTransitionTime'],
  [`${C}NodeCondition`]: ['lastHeartbeatTime', 'lastTransitionTime'],
  [`${C}PersistentVolumeClaimCondition`]: ['lastProbeTime', 'lastTransitionTime'],
  [`${C}NamespaceCondition`]: ['lastTransitionTime'],
  [`${C}ReplicationControllerCondition`]: ['lastTransitionTime'],
  [`${C}ContainerStateRunning`]: ['startedAt'],
  [`${C}ContainerStateTerminated`]: ['startedAt', 'finishedAt'],
  'io.k8s.api.apps.v1.DeploymentCondition': ['lastUpdateTime', 'lastTransitionTime'],
  'io.k8s.api.apps.v1.ReplicaSetCondition': ['lastTransitionTime'],
  'io.k8s.api.apps.v1.StatefulSetCondition': ['lastTransitionTime'],
  'io.k8s.api.apps.v1.DaemonSetCondition': ['lastTransitionTime'],
  'io.k8s.api.batch.v1.JobCondition': ['lastProbeTime', 'lastTransitionTime'],
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionCondition': ['lastTransitionTime'],
};

/** The fields of a named struct Go encodes as `null` when unset (see NULL_TIME_FIELDS). */
export function nullFieldsOf(node: MapNode): readonly string[] {
  return node.name === undefined ? [] : (NULL_TIME_FIELDS[node.name] ?? []);
}

/** The schema field tracking and defaulting walk for a kind. */
export function typeOf(kind: {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly custom: boolean;
  readonly schema?: unknown;
}): TypeNode {
  if (kind.custom) return kind.schema !== undefined ? crdType(kind.schema) : DEDUCED;
  return builtinType(kind.group, kind.version, kind.kind) ?? DEDUCED;
}
