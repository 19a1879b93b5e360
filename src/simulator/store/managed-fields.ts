/**
 * managedFields bookkeeping and server-side apply (upstream: structured-merge-diff and
 * apiserver/pkg/endpoints/handlers/fieldmanager). Field sets are computed from objects with the
 * merge keys of the built-in kinds (containers by name, ports by containerPort/port, ...).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { StatusCause } from './errors';
import type { KubeObject, ManagedFieldsEntry } from './types';

/** List fields that merge by key (strategic merge patch and apply), keyed by field name. */
export function mergeKeyFor(field: string, items: readonly unknown[]): string | undefined {
  const all = (k: string): boolean =>
    items.every((i) => i !== null && typeof i === 'object' && !Array.isArray(i) && (i as any)[k] !== undefined);
  let k: string | undefined;
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      k = 'name';
      break;
    case 'volumeMounts':
      k = 'mountPath';
      break;
    case 'volumeDevices':
      k = 'devicePath';
      break;
    case 'ports':
      k = items.length > 0 && all('containerPort') ? 'containerPort' : 'port';
      break;
    case 'conditions':
      k = 'type';
      break;
    case 'ownerReferences':
      k = 'uid';
      break;
    case 'hostAliases':
      k = 'ip';
      break;
    default:
      return undefined;
  }
  return all(k) ? k : undefined;
}

const SEP = '\u0001';
const SKIP_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'generateName',
]);

function isObj(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Collects leaf paths (joined by SEP) with their JSON values. */
export function leaves(obj: Record<string, any>): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, path: string[], field: string): void => {
    if (isObj(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 && path.length > 0) out.set(path.join(SEP), '{}');
      for (const k of keys) {
        if (path.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
        if (path.length === 1 && path[0] === 'f:metadata' && SKIP_META.has(k)) continue;
        walk(v[k], [...path, `f:${k}`], k);
      }
      return;
    }
    if (Array.isArray(v)) {
      const mk = mergeKeyFor(field, v);
      if (mk !== undefined && v.length > 0) {
        for (const item of v) {
          const el = `k:${JSON.stringify({ [mk]: item[mk] })}`;
          out.set([...path, el, '.'].join(SEP), '.');
          walk(item, [...path, el], '');
        }
        return;
      }
      out.set(path.join(SEP), JSON.stringify(v));
      return;
    }
    out.set(path.join(SEP), JSON.stringify(v));
  };
  walk(obj, [], '');
  return out;
}

/** Converts a set of SEP-joined paths into the nested `fieldsV1` object. */
export function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const p of paths) {
    let cur = root;
    for (const el of p.split(SEP)) {
      cur[el] ??= {};
      cur = cur[el];
    }
  }
  return root;
}

/** Converts a `fieldsV1` object into SEP-joined leaf paths. */
export function fromFieldsV1(f: Record<string, unknown> | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (node: Record<string, any>, path: string[]): void => {
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) {
      out.add(path.join(SEP));
      return;
    }
    for (const k of keys) walk(node[k] ?? {}, [...path, k]);
  };
  if (f !== undefined) walk(f as Record<string, any>, []);
  return out;
}

/** Renders a path as upstream prints it in conflicts: `.spec.containers[name="c"].image`. */
export function displayPath(p: string): string {
  let s = '';
  for (const el of p.split(SEP)) {
    if (el === '.') continue;
    if (el.startsWith('f:')) s += `.${el.slice(2)}`;
    else if (el.startsWith('k:')) {
      const o = JSON.parse(el.slice(2)) as Record<string, unknown>;
      s += `[${Object.entries(o)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    }
  }
  return s;
}

/**
 * Orders entries as upstream's sortEncodedManagedFields: by operation (Apply before Update), then time
 * (whole seconds), manager, apiVersion and subresource.
 */
export function sortManagedFields(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const secs = (e: ManagedFieldsEntry): number => (e.time === undefined ? 0 : Math.floor(Date.parse(e.time) / 1000));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      secs(p) - secs(q) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion ?? '', q.apiVersion ?? '') ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Records an Update-operation write in `obj.metadata.managedFields` (mutates `obj`): the manager gains
 * the fields it changed, other managers lose them, removed fields leave every set.
 */
export function updateManagedFields(
  old: KubeObject | undefined,
  obj: KubeObject,
  manager: string,
  op: 'Update',
  subresource: string | undefined,
  now: Date,
): void {
  const before = old === undefined ? new Map<string, string>() : leaves(old);
  const after = leaves(obj);
  const changed = new Set<string>();
  for (const [k, v] of after) if (before.get(k) !== v) changed.add(k);
  const removed = new Set<string>();
  for (const k of before.keys()) if (!after.has(k)) removed.add(k);
  const entries: ManagedFieldsEntry[] = (old?.metadata.managedFields ?? obj.metadata.managedFields ?? []).map((e) => ({
    ...e,
  }));
  const out: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of entries) {
    const set = fromFieldsV1(e.fieldsV1);
    const isMine = e.manager === manager && e.operation === op && (e.subresource ?? '') === (subresource ?? '');
    if (isMine) {
      for (const c of changed) set.add(c);
      mine = e;
    } else for (const c of changed) set.delete(c);
    for (const r of removed) set.delete(r);
    if (set.size === 0) continue;
    e.fieldsV1 = toFieldsV1(set);
    if (isMine) e.time = rfc3339(now);
    out.push(e);
  }
  if (mine === undefined && changed.size > 0) {
    const e: ManagedFieldsEntry = {
      manager,
      operation: op,
      apiVersion: obj.apiVersion,
      time: rfc3339(now),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(changed),
    };
    if (subresource !== undefined && subresource !== '') e.subresource = subresource;
    out.push(e);
  }
  if (out.length > 0) obj.metadata.managedFields = sortManagedFields(out);
  else delete obj.metadata.managedFields;
}

/** Merges `applied` into `base` the way apply does: maps recursively, keyed lists by key, the rest replaced. */
export function applyMerge(base: unknown, applied: unknown, field = ''): unknown {
  if (isObj(base) && isObj(applied)) {
    const r: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(applied)) r[k] = applyMerge(base[k], v, k);
    return r;
  }
  if (Array.isArray(base) && Array.isArray(applied)) {
    const mk = mergeKeyFor(field, [...base, ...applied]);
    if (mk === undefined) return structuredClone(applied);
    const r: any[] = base.map((x) => x);
    for (const a of applied) {
      const i = r.findIndex((x) => x[mk] === a[mk]);
      if (i >= 0) r[i] = applyMerge(r[i], a, '');
      else r.push(structuredClone(a));
    }
    return r;
  }
  return structuredClone(applied);
}

/** Deletes one path (SEP-joined) from an object in place. */
export function removePath(obj: Record<string, any>, p: string): void {
  const els = p.split(SEP);
  if (els[els.length - 1] === '.') els.pop();
  let cur: any = obj;
  const trail: { parent: any; key: string }[] = [];
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    const last = i === els.length - 1;
    if (el.startsWith('f:')) {
      const k = el.slice(2);
      if (!isObj(cur)) return;
      if (last) {
        delete cur[k];
        // Maps emptied by the removal go too (as apply leaves no empty `labels: {}` behind).
        let child = cur;
        for (let j = trail.length - 1; j >= 0 && isObj(child) && Object.keys(child).length === 0; j--) {
          const t = trail[j]!;
          if (!isObj(t.parent)) break;
          delete t.parent[t.key];
          child = t.parent;
        }
      } else {
        trail.push({ parent: cur, key: k });
        cur = cur[k];
      }
    } else if (el.startsWith('k:')) {
      if (!Array.isArray(cur)) return;
      const key = JSON.parse(el.slice(2)) as Record<string, unknown>;
      const [kk, kv] = Object.entries(key)[0]!;
      const idx = cur.findIndex((x: any) => x?.[kk] === kv);
      if (idx < 0) return;
      if (last) cur.splice(idx, 1);
      else cur = cur[idx];
    }
  }
}

/** Result of a server-side apply computation. */
export interface ApplyResult {
  /** The merged object with its new managedFields (not yet stored). */
  object: KubeObject;
  /** Conflicts with other managers (empty when none or when forced). */
  conflicts: StatusCause[];
}

/**
 * Computes a server-side apply of `applied` by `manager` onto `current` (undefined: create). Conflicts
 * are fields owned by another manager whose value would change; with `force` they are taken over.
 * Fields this manager applied before but omits now are removed unless another manager owns them.
 */
export function serverSideApply(
  current: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  now: Date,
): ApplyResult {
  const appliedLeaves = leaves(applied);
  const appliedSet = new Set(appliedLeaves.keys());
  const entries: ManagedFieldsEntry[] = (current?.metadata.managedFields ?? []).map((e) => ({ ...e }));
  const curLeaves = current === undefined ? new Map<string, string>() : leaves(current);
  const conflicts: StatusCause[] = [];
  const conflicting = new Set<string>();
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Apply') continue;
    for (const p of fromFieldsV1(e.fieldsV1)) {
      if (!appliedSet.has(p)) continue;
      const cur = curLeaves.get(p);
      if (cur !== undefined && cur !== appliedLeaves.get(p)) {
        conflicting.add(p);
        conflicts.push({
          reason: 'FieldManagerConflict',
          message: `conflict with "${e.manager}"${e.operation === 'Update' ? ` using ${e.apiVersion}` : ''}`,
          field: displayPath(p),
        });
      }
    }
  }
  const base: Record<string, any> =
    current === undefined
      ? { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} }
      : structuredClone(current);
  const { metadata: am, ...arest } = applied;
  const merged = applyMerge(base, { ...arest, metadata: am }) as KubeObject;
  const prev = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  const others = new Set<string>();
  for (const e of entries)
    if (e !== prev) for (const p of fromFieldsV1(e.fieldsV1)) if (!(force && conflicting.has(p))) others.add(p);
  if (prev !== undefined) {
    const dropped = [...fromFieldsV1(prev.fieldsV1)].filter((p) => !appliedSet.has(p) && !others.has(p));
    dropped.sort((a, b) => b.length - a.length);
    for (const p of dropped) removePath(merged, p);
  }
  const out: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    if (e === prev) continue;
    if (force) {
      const set = fromFieldsV1(e.fieldsV1);
      for (const c of conflicting) set.delete(c);
      if (set.size === 0) continue;
      e.fieldsV1 = toFieldsV1(set);
    }
    out.push(e);
  }
  out.push({
    manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time: rfc3339(now),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedSet),
  });
  merged.metadata.managedFields = sortManagedFields(out);
  return { object: merged, conflicts: force ? [] : conflicts };
}
