/**
 * The rules the Store applies to every write, as pure functions of the kind, the stored object and
 * the new one: decoding (type meta first, undefined dropped, the kind's v1 conversion), generateName,
 * metadata carried over by updates, status-subresource merges, generation bumps, no-op detection and
 * delete preconditions.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { jsonEqual } from '../../kube-api/json-equal';
import { isTerminalPod } from '../../kube-api/pod-phase';
import { applyApiDefaults } from './defaults';
import * as errors from './errors';
import type { FieldError } from './errors';
import { definitionOf } from './kinds';
import { sameSpecPart } from './kinds/shared/json';
import { type ResourceKind, apiVersionOf } from './registry';
import { rfc3339 } from './time';
import type { KubeObject } from './types';

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Freezes an object and everything in it. */
export function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

/** Compares two objects ignoring RV and managedFields (for no-op detection). */
export function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return jsonEqual(strip(a), strip(b));
}

/** Whether an update bumps metadata.generation (the kind's rule, else any change outside metadata and status). */
export function generationChanged(kind: ResourceKind, old: KubeObject, obj: KubeObject): boolean {
  const rule = definitionOf(kind)?.generationChanged;
  if (rule !== undefined) return rule(old, obj);
  return !sameSpecPart(old, obj);
}

/** `prefix` plus five random characters (the names generateName produces). */
export function generateName(prefix: string): string {
  let s = prefix;
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return s;
}

/**
 * Decodes a written object: undefined values dropped, apiVersion/kind first and metadata second (so
 * cached JSON can drop the type prefix cheaply), then the kind's v1 conversion (`normalise`).
 */
export function normalise(kind: ResourceKind, o: Record<string, any>): KubeObject {
  dropUndefined(o);
  const { apiVersion: _a, kind: _k, metadata, ...rest } = o;
  const obj: KubeObject = {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    metadata: { ...(metadata ?? {}) },
    ...rest,
  };
  definitionOf(kind)?.normalise?.(obj);
  return obj;
}

/**
 * The object a write through the status subresource, or a main write of a kind with one, stores:
 * a status write changes status and, when it is a read-modify-write of the current object (its
 * resourceVersion matches), labels and annotations too (as UpdateStatus does; a Deployment's labels
 * stay); an unconditional status write keeps the stored metadata. A main write keeps the stored status.
 */
export function statusWrite(
  kind: ResourceKind,
  old: KubeObject,
  obj: KubeObject,
  input: Record<string, any>,
  subresource: string | undefined,
  wantRv: string | undefined,
): KubeObject {
  const hasStatusSub = kind.subresources.includes('status');
  if (subresource === 'status') {
    // A status write changes status and, when it is a read-modify-write of the current object
    // (its resourceVersion matches), labels and annotations too (as UpdateStatus does; a
    // Deployment's labels stay); an unconditional status write keeps the stored metadata.
    const fresh = wantRv !== undefined && wantRv !== '';
    const next = { ...structuredClone(old), status: obj['status'] } as KubeObject;
    if (fresh) {
      for (const k of ['labels', 'annotations'] as const) {
        if (k === 'labels' && definitionOf(kind)?.statusKeepsLabels === true) continue;
        const v = obj.metadata[k];
        if (v !== undefined) next.metadata[k] = structuredClone(v);
        else delete next.metadata[k];
      }
    }
    if (input['status'] === undefined) delete next['status'];
    return next;
  } else if (hasStatusSub && subresource !== 'binding') {
    if (old['status'] !== undefined) obj['status'] = structuredClone(old['status']);
    else delete obj['status'];
  }
  return obj;
}

/**
 * An update's metadata rules (the generic registry's BeforeUpdate): uid, creationTimestamp, deletion
 * stamps, generateName, generation and resourceVersion carry over from the stored object; no new
 * finalizer once deletion started (422); a Namespace's spec changes only through `finalize`.
 */
export function carryMetadata(
  kind: ResourceKind,
  old: KubeObject,
  obj: KubeObject,
  subresource: string | undefined,
): KubeObject['metadata'] {
  const name = obj.metadata.name ?? '';
  const meta = obj.metadata;
  meta.uid = old.metadata.uid!;
  meta.creationTimestamp = old.metadata.creationTimestamp!;
  if (old.metadata.deletionTimestamp !== undefined) meta.deletionTimestamp = old.metadata.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (old.metadata.deletionGracePeriodSeconds !== undefined)
    meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  if (old.metadata.generateName !== undefined && meta.generateName === undefined)
    meta.generateName = old.metadata.generateName;
  if (kind.hasGeneration) meta.generation = old.metadata.generation ?? 1;
  else delete meta.generation;
  meta.resourceVersion = old.metadata.resourceVersion!;
  if (old.metadata.deletionTimestamp !== undefined) {
    const added = (meta.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
    if (added.length > 0) {
      throw errors.invalid(kind.group, kind.kind, name, [
        {
          type: 'FieldValueForbidden',
          field: 'metadata.finalizers',
          detail: 'no new finalizers can be added if the object is being deleted',
        },
      ]);
    }
  }
  if (kind.resource === 'namespaces' && kind.group === '' && old['spec'] !== undefined && subresource !== 'finalize')
    obj['spec'] = structuredClone(old['spec']);
  return meta;
}

/** DeleteOptions.preconditions: a uid or resourceVersion that does not match the stored object is 409. */
export function checkPreconditions(
  kind: ResourceKind,
  name: string,
  cur: KubeObject,
  pre: { uid?: string; resourceVersion?: string } | undefined,
): void {
  if (pre?.uid !== undefined && pre.uid !== cur.metadata.uid) {
    throw errors.conflict(
      kind.group,
      kind.kind,
      name,
      `the UID in the precondition (${pre.uid}) does not match the UID in record (${cur.metadata.uid}). The object might have been deleted and then recreated`,
    );
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== cur.metadata.resourceVersion) {
    throw errors.conflict(
      kind.group,
      kind.kind,
      name,
      `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`,
    );
  }
}

/** Deletes properties whose value is `undefined` (never part of a JSON object), in place. */
function dropUndefined(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === 'object') dropUndefined(x);
    return;
  }
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x === undefined) delete o[k];
    else if (x !== null && typeof x === 'object') dropUndefined(x);
  }
}

/** `obj` with kube-apiserver's decode-time defaults applied, as a fresh copy (`obj` is frozen). */
export function defaultedCopy(kind: ResourceKind, obj: KubeObject): KubeObject {
  const copy = structuredClone(obj) as KubeObject;
  applyApiDefaults(kind, copy);
  return copy;
}

/**
 * Pods always take the graceful path (rest.BeforeDelete, then the store's
 * updateForGracefulDeletionAndFinalizers): a zero grace period is first written at its own
 * resourceVersion, a MODIFIED event, before the removal at the next. A live pod gets its
 * deletionTimestamp (and a bumped generation); a terminating one has its grace period shortened to
 * 0, the timestamp moved back by the old period. Returns that stamped pod, or undefined when the
 * object is removed at once (not a pod, or a pod already stamped with grace 0).
 */
export function podRemovalStamp(kind: ResourceKind, cur: KubeObject, now: Date): KubeObject | undefined {
  const grace = cur.metadata.deletionGracePeriodSeconds;
  if (kind.group !== '' || kind.resource !== 'pods') return undefined;
  if (cur.metadata.deletionTimestamp !== undefined && (grace === undefined || grace <= 0)) return undefined;
  const stamped = structuredClone(cur) as KubeObject;
  const was = cur.metadata.deletionTimestamp;
  stamped.metadata.deletionTimestamp =
    was === undefined ? rfc3339(now) : rfc3339(new Date(Date.parse(was) - (grace ?? 0) * 1000));
  stamped.metadata.deletionGracePeriodSeconds = 0;
  if (was === undefined && (cur.metadata.generation ?? 0) > 0)
    stamped.metadata.generation = cur.metadata.generation! + 1;
  return stamped;
}

/**
 * The grace period a DELETE gives an object: for a bound pod that has not finished, the request's,
 * else the one it is already terminating with, else its spec's, else 30 s; 0 for everything else.
 */
export function deleteGracePeriod(kind: ResourceKind, cur: KubeObject, requested: number | undefined): number {
  if (kind.group !== '' || kind.resource !== 'pods') return 0;
  if (cur['spec']?.nodeName === undefined || isTerminalPod(cur)) return 0;
  return requested ?? cur.metadata.deletionGracePeriodSeconds ?? cur['spec']?.terminationGracePeriodSeconds ?? 30;
}

/** Throws 422 Invalid with the field errors, if there are any. */
export function failIfInvalid(kind: ResourceKind, name: string, errs: FieldError[]): void {
  if (errs.length > 0) throw errors.invalid(kind.group, kind.kind, name, errs);
}
