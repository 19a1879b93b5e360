/**
 * The contract of one served kind: what `kinds/<resource>.ts` declares, in the spirit of
 * kube-apiserver's pkg/registry/<group>/<resource>/strategy.go. The registry, the store's write path,
 * the defaulter, the validator, the field manager and the Table printer all read a kind's behaviour
 * from its definition; nothing outside `kinds/` switches on a built-in kind's name for these jobs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { FieldError } from '../../errors';
import type { KubeObject } from '../../types';
import type { Printer } from './printing';

/** A wire JSON object. */
export type Obj = Record<string, any>;

/** What a create/update strategy may read from the store. */
export interface StrategyContext {
  /** Every stored object of one kind (by group and plural resource), in no particular order. */
  objects(ref: { readonly group: string; readonly resource: string }): Iterable<KubeObject>;
}

/** One built-in served resource: identity, scope, defaults, validation, printing, fields, subresources. */
export interface KindDefinition {
  /** API group; `''` for the core group. */
  readonly group: string;
  /** The one served version, e.g. `v1`. */
  readonly version: string;
  /** Plural resource name used in URLs, e.g. `pods`. */
  readonly resource: string;
  /** Kind, e.g. `Pod`. */
  readonly kind: string;
  /** Short names for kubectl, e.g. `['po']`. */
  readonly shortNames?: readonly string[];
  /** Discovery categories, e.g. `['all']`. */
  readonly categories?: readonly string[];
  /** Scope: whether objects live in namespaces. */
  readonly namespaced: boolean;
  /** Discovery verbs (default: all eight read/write verbs). */
  readonly verbs?: readonly string[];
  /** Served subresources, e.g. `['status', 'scale']`. */
  readonly subresources?: readonly string[];
  /** Whether `metadata.generation` tracks spec changes. */
  readonly hasGeneration?: boolean;
  /** Known fields: the field-selector labels served beyond `metadata.name` and `metadata.namespace`. */
  readonly fieldLabels?: readonly string[];
  /** Server-side Table printing (columns and cells); `nameAgePrinter` when upstream prints only those. */
  readonly printer: Printer;
  /** The hand-written `SetDefaults_*` of the kind (schema defaults are applied after, for every kind). */
  readonly defaults?: (o: Obj) => void;
  /** The kind's naming rule for `metadata.name` (default: DNS-1123 subdomain). */
  readonly validateName?: (name: string, field: string) => FieldError[];
  /** Create and update validation beyond name and labels; pushes onto `errs`. */
  readonly validate?: (o: KubeObject, errs: FieldError[]) => void;
  /** Update-only validation (immutable fields); `old` is the stored object, defaulted. */
  readonly validateUpdate?: (old: KubeObject, o: KubeObject, errs: FieldError[]) => void;
  /** The v1 conversion on decode (e.g. a Secret's `stringData`). */
  readonly normalise?: (o: KubeObject) => void;
  /** PrepareForCreate: what the strategy sets after the field manager ran (uid and timestamps set). */
  readonly prepareForCreate?: (o: KubeObject, ctx: StrategyContext) => void;
  /** PrepareForUpdate beyond generation (see `generationChanged`). */
  readonly prepareForUpdate?: (old: KubeObject, o: KubeObject, ctx: StrategyContext) => void;
  /** Whether an update bumps `metadata.generation` (default: anything but metadata and status changed). */
  readonly generationChanged?: (old: KubeObject, o: KubeObject) => boolean;
  /** Admission for objects created through the API only (not bulk loads), before the field manager. */
  readonly admitCreate?: (o: Obj) => void;
  /** GetResetFields of the status subresource beyond `spec` (field paths, e.g. `['metadata', 'labels']`). */
  readonly statusResetFields?: readonly (readonly string[])[];
  /** A status write keeps the stored labels (Deployments' UpdateStatus). */
  readonly statusKeepsLabels?: boolean;
  /** DefaultGarbageCollectionPolicy when not DeleteDependents (Background). */
  readonly gcPolicy?: 'Orphan' | 'Unsupported';
  /** The REST storage sets ReturnDeletedObject: DELETE answers with the object, not a Status. */
  readonly returnsDeletedObject?: boolean;
  /** A create keeps the status the client sent although the kind has a status subresource (Pods). */
  readonly createKeepsStatus?: boolean;
  /** The Warning header of every request for the kind (a deprecation). */
  readonly requestWarning?: string;
  /** The Warning header of a DELETE that names no propagation policy (the kind orphans by default). */
  readonly deleteWarning?: string;
  /** The scale subresource's selector: a LabelSelector's matchLabels (default) or a plain label map. */
  readonly scaleSelector?: 'matchLabels' | 'map';
}
