/**
 * managedFields bookkeeping and server-side apply, as kube-apiserver's field manager keeps them
 * (k8s.io/apimachinery util/managedfields/internal over structured-merge-diff v6): field sets are
 * computed over the kind's schema (field-schema.ts, typed.ts), so atomic and granular maps and
 * lists, associative list keys (`k:{"containerPort":80,"protocol":"TCP"}`), sets (`v:`) and the `.`
 * entries of fields that were absent come out as upstream records them.
 *
 * - Update (create, update, patch): the comparison of the live object (a zero object on create)
 *   with the new one; the writer gains what it added or changed, every other entry loses those and
 *   what was removed; the strategy's reset fields (`status` on the main resource, `spec`... on
 *   `status`) are not tracked; apiVersion, kind, metadata name/namespace/uid... never are.
 * - Apply: the applied configuration's field set is the applier's; the merge keeps other managers'
 *   fields; fields the applier applied before and dropped now are removed unless someone else owns
 *   them; a change to a field another manager owns is a conflict unless forced.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { StatusCause } from './errors';
import { typeOf } from './field-schema';
import { PathSet, displayPath } from './fieldpath';
import { definitionOf } from './kinds';
import type { ResourceKind } from './registry';
import { compare, ensureNamedFieldsAreMembers, goView, merge, removeItems, toFieldSet } from './typed';
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

/** The schema field tracking walks for a kind. */
export { typeOf } from './field-schema';

type Kind = Pick<ResourceKind, 'group' | 'version' | 'kind' | 'resource' | 'custom' | 'schema' | 'subresources'>;

function pathSet(...paths: string[][]): PathSet {
  const s = new PathSet();
  for (const p of paths) s.insert(p.map((f) => `f:${f}`));
  return s;
}

/** The strategy's reset fields (GetResetFields): not tracked for writes through this endpoint. */
export function resetFields(kind: Kind, subresource: string | undefined): PathSet {
  const hasStatus = kind.subresources.includes('status');
  if (subresource === 'status') {
    if (kind.custom) return pathSet(['metadata'], ['spec']);
    return pathSet(['spec'], ...(definitionOf(kind)?.statusResetFields ?? []).map((p) => [...p]));
  }
  if (subresource === undefined || subresource === '') return hasStatus ? pathSet(['status']) : new PathSet();
  return new PathSet();
}

/** What the field manager never records (stripMetaManager). */
const STRIP = (() => {
  const s = pathSet(['apiVersion'], ['kind'], ['metadata']);
  for (const f of [
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ])
    s.insert(['f:metadata', `f:${f}`]);
  return s;
})();

/** One decoded entry. */
interface Managed {
  entry: ManagedFieldsEntry;
  set: PathSet;
}

function decode(entries: readonly ManagedFieldsEntry[] | undefined): Managed[] {
  return (entries ?? []).map((e) => ({ entry: { ...e }, set: PathSet.fromFieldsV1(e.fieldsV1) }));
}

function encode(ms: Managed[]): ManagedFieldsEntry[] {
  return sortManagedFields(
    ms
      .filter((m) => !m.set.empty())
      .map((m) => ({ ...m.entry, fieldsType: 'FieldsV1' as const, fieldsV1: m.set.toFieldsV1() })),
  );
}

function sameManager(e: ManagedFieldsEntry, manager: string, op: string, apiVersion: string, sub: string): boolean {
  return e.manager === manager && e.operation === op && e.apiVersion === apiVersion && (e.subresource ?? '') === sub;
}

/** The object a create starts from: the kind's zero value (Creater.New), as its Go struct holds it. */
function zeroObject(): Record<string, unknown> {
  return { metadata: { creationTimestamp: null } };
}

/**
 * Records an Update-operation write (create, update, patch) in `obj.metadata.managedFields` (mutates
 * `obj`): see the file comment. `old` is undefined for a create.
 */
export function updateManagedFields(
  kind: Kind,
  old: KubeObject | undefined,
  obj: KubeObject,
  manager: string,
  subresource: string | undefined,
  now: Date,
): void {
  const t = typeOf(kind);
  const sub = subresource ?? '';
  const reset = resetFields(kind, subresource);
  const strip = (o: Record<string, unknown>): Record<string, unknown> => {
    const { metadata, ...rest } = o;
    const m = { ...(metadata as Record<string, unknown>) };
    delete m['managedFields'];
    return { ...rest, metadata: m };
  };
  const live = goView(strip(old ?? zeroObject()), t);
  const next = goView(strip(obj), t);
  const cmp = compare(live, next, t);
  const changed = cmp.modified.union(cmp.added).recursiveDifference(reset);
  const removed = cmp.removed.recursiveDifference(reset);
  // The request's own managedFields replace the live ones (decodeLiveOrNew), except on subresources.
  const managed = decode(
    sub === '' ? (obj.metadata.managedFields ?? old?.metadata.managedFields) : old?.metadata.managedFields,
  );
  for (const m of managed) m.set = m.set.difference(changed).difference(removed);
  const mine = changed.difference(STRIP);
  if (!mine.empty()) {
    const apiVersion = obj.apiVersion;
    const prev = managed.find((m) => sameManager(m.entry, manager, 'Update', apiVersion, sub));
    if (prev !== undefined) {
      prev.set = mine.union(prev.set);
      prev.entry.time = rfc3339(now);
    } else {
      const entry: ManagedFieldsEntry = {
        manager,
        operation: 'Update',
        apiVersion,
        time: rfc3339(now),
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      };
      if (sub !== '') entry.subresource = sub;
      managed.push({ entry, set: mine });
    }
  }
  const out = encode(managed);
  if (out.length > 0) obj.metadata.managedFields = out;
  else delete obj.metadata.managedFields;
}

/** Result of a server-side apply computation. */
export interface ApplyResult {
  /** The merged object with its new managedFields (not yet stored). */
  object: KubeObject;
  /** Conflicts with other managers (empty when none or when forced). */
  conflicts: StatusCause[];
  /** kube-apiserver's message for the conflicts. */
  message: string;
}

function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource !== undefined && e.subresource !== '') s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

/**
 * Computes a server-side apply of `applied` by `manager` onto `current` (undefined: create), as the
 * file comment says. The object is merged over the kind's schema; defaults are the caller's.
 */
export function serverSideApply(
  kind: Kind,
  current: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  now: Date,
  subresource?: string,
): ApplyResult {
  const t = typeOf(kind);
  const sub = subresource ?? '';
  const reset = resetFields(kind, subresource);
  const apiVersion = applied.apiVersion;
  const liveRaw: Record<string, any> =
    current === undefined ? { metadata: {} } : structuredClone(current as Record<string, any>);
  const liveMf = liveRaw['metadata']?.managedFields as ManagedFieldsEntry[] | undefined;
  if (liveRaw['metadata'] !== undefined) delete liveRaw['metadata'].managedFields;
  let merged = (merge(liveRaw, applied, t) ?? {}) as Record<string, any>;
  const managed = decode(liveMf);
  const prevIdx = managed.findIndex((m) => sameManager(m.entry, manager, 'Apply', apiVersion, sub));
  const last = prevIdx >= 0 ? managed[prevIdx]!.set : undefined;
  const mine = toFieldSet(applied, t).recursiveDifference(reset);
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion,
    time: rfc3339(now),
    fieldsType: 'FieldsV1',
    fieldsV1: {},
  };
  if (sub !== '') entry.subresource = sub;
  const self: Managed = { entry, set: mine };
  if (prevIdx >= 0) managed.splice(prevIdx, 1);
  const all = [...managed, self];
  // Prune what this manager applied last time and no longer applies (Updater.prune).
  if (last !== undefined && !last.empty()) {
    const lastE = ensureNamedFieldsAreMembers(last, t);
    const pruned = (removeItems(merged, lastE, t) ?? {}) as Record<string, any>;
    let owned = new PathSet();
    for (const m of all) owned = owned.union(m.set);
    const mergedSet = ensureNamedFieldsAreMembers(toFieldSet(merged, t), t);
    const prunedSet = ensureNamedFieldsAreMembers(toFieldSet(pruned, t), t);
    const back = (removeItems(
      merged,
      mergedSet.difference(prunedSet.union(ensureNamedFieldsAreMembers(owned, t))),
      t,
    ) ?? {}) as Record<string, any>;
    const backSet = ensureNamedFieldsAreMembers(toFieldSet(back, t), t);
    merged = (removeItems(merged, mergedSet.difference(backSet).intersection(lastE), t) ?? {}) as Record<string, any>;
  }
  // Conflicts and removals against the other managers (Updater.update).
  const cmp = compare(goView(liveRaw, t), goView(merged, t), t);
  const changed = cmp.modified.union(cmp.added).recursiveDifference(reset);
  const removed = cmp.removed.recursiveDifference(reset);
  const conflicts: StatusCause[] = [];
  const byManager = new Map<string, string[]>();
  for (const m of managed) {
    const c = m.set.intersection(changed);
    if (c.empty()) continue;
    for (const p of c.paths()) {
      const field = displayPath(p);
      const who = printManager(m.entry);
      conflicts.push({ reason: 'FieldManagerConflict', message: `conflict with ${who}`, field });
      byManager.set(who, [...(byManager.get(who) ?? []), field]);
    }
    if (force) m.set = m.set.difference(c);
  }
  for (const m of managed) m.set = m.set.difference(removed);
  self.set = self.set.difference(STRIP);
  const object = merged as KubeObject;
  object.metadata ??= {};
  object.metadata.managedFields = encode(all);
  let message = '';
  if (conflicts.length === 1)
    message = `Apply failed with 1 conflict: ${conflicts[0]!.message}: ${conflicts[0]!.field}`;
  else if (conflicts.length > 1) {
    const lines: string[] = [];
    for (const who of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${who}:`);
      for (const f of byManager.get(who)!) lines.push(`- ${f}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return { object, conflicts: force ? [] : conflicts, message: force ? '' : message };
}
