/**
 * The registry of resource kinds the simulator serves. Discovery, URL routing, Table printing and the
 * store all read it, so a kind registered here (built-in or from a CRD) is served everywhere at once.
 * Built-in kinds come from their files under kinds/ (kinds/index.ts lists them).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { type KindDefinition, KINDS } from './kinds';

/** One served resource: the fields discovery publishes plus the simulator's own behaviour flags. */
export interface ResourceKind {
  /** API group; `''` for the core group. */
  readonly group: string;
  /** Served version, e.g. `v1`. */
  readonly version: string;
  /** Plural resource name used in URLs, e.g. `pods`. */
  readonly resource: string;
  /** Singular name, e.g. `pod`. */
  readonly singular: string;
  /** Kind, e.g. `Pod`. */
  readonly kind: string;
  /** Whether objects live in namespaces. */
  readonly namespaced: boolean;
  /** Short names for kubectl, e.g. `['po']`. */
  readonly shortNames: readonly string[];
  /** Discovery verbs. */
  readonly verbs: readonly string[];
  /** Discovery categories, e.g. `['all']`. */
  readonly categories: readonly string[];
  /** Served subresources, e.g. `['status', 'binding', 'log']`. */
  readonly subresources: readonly string[];
  /** Whether `metadata.generation` tracks spec changes. */
  readonly hasGeneration: boolean;
  /** Extra field-selector labels supported beyond `metadata.name` and `metadata.namespace`. */
  readonly fieldLabels: readonly string[];
  /** True for kinds created from a CustomResourceDefinition. */
  readonly custom: boolean;
  /** For custom kinds: the CRD's additionalPrinterColumns (name, type, jsonPath, priority...). */
  readonly printerColumns?: readonly PrinterColumn[];
  /** For custom kinds: the served version's `schema.openAPIV3Schema` (field tracking, pruning). */
  readonly schema?: unknown;
}

/** A CRD additionalPrinterColumns entry. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
  readonly format?: string;
}

/** Identifies the storage of one kind: group plus plural resource (versions share storage). */
export interface ResourceRef {
  readonly group: string;
  readonly resource: string;
}

/** Returns the apiVersion string (`v1`, `apps/v1`) of a kind. */
export function apiVersionOf(k: { group: string; version: string }): string {
  return k.group === '' ? k.version : `${k.group}/${k.version}`;
}

/** Returns the storage key of a resource (`apps/deployments`, `/pods`). */
export function refKey(r: ResourceRef): string {
  return `${r.group}/${r.resource}`;
}

/** The verbs of a kind that supports every read and write. */
const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The registry entry of a built-in kind file. */
function fromDefinition(d: KindDefinition): ResourceKind {
  return {
    group: d.group,
    version: d.version,
    resource: d.resource,
    singular: d.kind.toLowerCase(),
    kind: d.kind,
    namespaced: d.namespaced,
    shortNames: d.shortNames ?? [],
    verbs: d.verbs ?? RW,
    categories: d.categories ?? [],
    subresources: d.subresources ?? [],
    hasGeneration: d.hasGeneration ?? false,
    fieldLabels: d.fieldLabels ?? [],
    custom: false,
  };
}

/**
 * Holds every served kind. Kinds are keyed by (group, resource); each has one served version.
 * Listeners hear about registrations so discovery caches can be invalidated.
 */
export class KindRegistry {
  private readonly byRef = new Map<string, ResourceKind>();
  private readonly listeners = new Set<() => void>();
  private readonly kindIndex = new Map<string, ResourceKind>();

  /** Creates a registry holding the built-in kinds of kinds/index.ts (unless `empty` is true). */
  constructor(empty = false) {
    if (!empty) for (const d of KINDS) this.register(fromDefinition(d));
  }

  /** Adds or replaces a kind. */
  register(kind: ResourceKind): void {
    this.byRef.set(refKey(kind), kind);
    for (const l of this.listeners) l();
  }

  /** Removes a kind; returns whether it existed. */
  unregister(ref: ResourceRef): boolean {
    const had = this.byRef.delete(refKey(ref));
    if (had) for (const l of this.listeners) l();
    return had;
  }

  /** Looks a kind up by group and plural resource name, optionally checking the version. */
  get(group: string, resource: string, version?: string): ResourceKind | undefined {
    const k = this.byRef.get(`${group}/${resource}`);
    if (k === undefined || (version !== undefined && k.version !== version)) return undefined;
    return k;
  }

  /** Looks a kind up by apiVersion (`apps/v1`) and Kind (`Deployment`). */
  byKind(apiVersion: string, kind: string): ResourceKind | undefined {
    const hit = this.kindIndex.get(`${apiVersion}|${kind}`);
    if (hit !== undefined && this.byRef.get(refKey(hit)) === hit) return hit;
    for (const k of this.byRef.values()) {
      if (k.kind === kind && apiVersionOf(k) === apiVersion) {
        this.kindIndex.set(`${apiVersion}|${kind}`, k);
        return k;
      }
    }
    return undefined;
  }

  /** Every registered kind, in registration order. */
  all(): ResourceKind[] {
    return [...this.byRef.values()];
  }

  /** Group names with their served versions, core group (`''`) included, in registration order. */
  groups(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const k of this.byRef.values()) {
      const vs = m.get(k.group) ?? [];
      if (!vs.includes(k.version)) vs.push(k.version);
      m.set(k.group, vs);
    }
    return m;
  }

  /** Registers a callback run after every change; returns a function that removes it. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** Builds the ResourceKind a CustomResourceDefinition object describes (its storage version). */
export function kindFromCrd(crd: Record<string, any>): ResourceKind | undefined {
  const spec = crd['spec'];
  if (spec === undefined || spec === null) return undefined;
  const versions: any[] = Array.isArray(spec.versions) ? spec.versions : [];
  const served = versions.find((v) => v?.storage === true) ?? versions.find((v) => v?.served !== false) ?? versions[0];
  if (served === undefined || typeof spec.group !== 'string' || typeof spec.names?.plural !== 'string')
    return undefined;
  const hasStatus = served.subresources?.status !== undefined;
  const hasScale = served.subresources?.scale !== undefined;
  const cols: PrinterColumn[] | undefined = Array.isArray(served.additionalPrinterColumns)
    ? served.additionalPrinterColumns
    : undefined;
  return {
    group: spec.group,
    version: String(served.name),
    resource: spec.names.plural,
    singular: spec.names.singular ?? String(spec.names.kind).toLowerCase(),
    kind: spec.names.kind,
    namespaced: spec.scope !== 'Cluster',
    shortNames: spec.names.shortNames ?? [],
    verbs: RW,
    categories: spec.names.categories ?? [],
    subresources: [...(hasStatus ? ['status'] : []), ...(hasScale ? ['scale'] : [])],
    hasGeneration: true,
    fieldLabels: [],
    custom: true,
    ...(cols !== undefined ? { printerColumns: cols } : {}),
    ...(served.schema?.openAPIV3Schema !== undefined ? { schema: served.schema.openAPIV3Schema } : {}),
  };
}
