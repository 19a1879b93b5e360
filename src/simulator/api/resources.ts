/**
 * Handlers for resource requests: get, create, update, patch, delete and deletecollection, with the
 * status, scale and namespaces/finalize subresources (pod subresources: pod-subresources.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import * as E from '../store/errors';
import { StatusError } from '../store/errors';
import type { Store } from '../store/store';
import { apiVersionOf } from '../store/registry';
import { definitionOf } from '../store/kinds';
import { serverSideApply } from '../store/managed-fields';
import type { KubeObject } from '../store/types';
import { buildFilter } from './collection';
import { body, checkTypeMeta, validateFields } from './decode';
import { mediaType, sendJSON } from './http-util';
import { findAndDropUnknownFields } from './schema';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch';
import { type RequestContext, managerOf, respond } from './request-context';
import { scaleOf, writeScale } from './scale';
import { strictMergePatchError } from './strict-patch';
import { type DeleteOpts, deleteOptions, dryRunOf, fieldValidationOf } from './write-options';

export type { RequestContext } from './request-context';
export { handleBinding, handleEviction, handleLog } from './pod-subresources';

function runAdmission(c: RequestContext, obj: Record<string, any>): void {
  definitionOf(c.kind)?.admitCreate?.(obj);
  if (c.admit === undefined) return;
  const msg = c.admit(c.kind, obj);
  if (msg !== undefined)
    throw E.forbidden(
      c.kind.group,
      c.kind.resource,
      String(obj['metadata']?.name ?? obj['metadata']?.generateName ?? ''),
      msg,
    );
}

/** GET of a single object (or its status/scale subresource). */
export function handleGet(c: RequestContext): void {
  const o = c.store.getOrThrow(c.kind, c.namespace, c.name!);
  if (c.subresource === 'scale') {
    sendJSON(c.res, 200, scaleOf(c.kind, o));
    return;
  }
  respond(c, 200, o);
}

/** POST to a collection. */
export async function handleCreate(c: RequestContext): Promise<void> {
  const dry = dryRunOf(c.q, c.req.method);
  const obj = checkTypeMeta(c.kind, await body(c, c.kind.kind));
  const warnings = validateFields(c, obj);
  if (c.kind.namespaced) {
    const bns = obj['metadata']['namespace'];
    if (bns !== undefined && bns !== '' && bns !== c.namespace)
      throw E.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    obj['metadata']['namespace'] = c.namespace;
  }
  // A create keeps the status the client sent only for kinds without a status subresource (and Pods).
  if (c.kind.subresources.includes('status') && definitionOf(c.kind)?.createKeepsStatus !== true) delete obj['status'];
  // kube-apiserver records the create's fields on the decoded, defaulted object, then admits it.
  const manager = managerOf(c);
  const managedFields = c.store.managedFieldsForCreate(c.kind, obj, manager);
  runAdmission(c, obj);
  const created = c.store.create(c.kind, obj, { dryRun: dry, fieldManager: manager, managedFields });
  respond(c, 201, dry ? withoutResourceVersion(created) : created, warnings);
}

/** A dry-run create's answer: the object was never stored, so it has no resourceVersion. */
function withoutResourceVersion(o: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/** PUT of an object or its status/scale subresource. */
export async function handleUpdate(c: RequestContext): Promise<void> {
  const dry = dryRunOf(c.q, c.req.method);
  if (c.subresource === 'scale') {
    const cur = c.store.getOrThrow(c.kind, c.namespace, c.name!);
    const s = checkTypeMeta(c.kind, await body(c, 'Scale'), 'Scale', 'autoscaling/v1');
    sendJSON(c.res, 200, scaleOf(c.kind, writeScale(c, cur, s, dry)));
    return;
  }
  const obj = checkTypeMeta(c.kind, await body(c, c.kind.kind));
  const warnings = validateFields(c, obj);
  const meta = obj['metadata'];
  if (meta.name !== undefined && meta.name !== c.name)
    throw E.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${c.name})`);
  meta.name = c.name;
  if (c.kind.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== c.namespace)
      throw E.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    meta.namespace = c.namespace;
  }
  const opts: Parameters<Store['update']>[2] = { dryRun: dry, fieldManager: managerOf(c) };
  if (c.subresource !== undefined) opts.subresource = c.subresource;
  const updated = c.store.update(c.kind, obj, opts);
  respond(c, 200, updated, warnings);
}

/** PATCH: JSON patch, merge patch, strategic merge patch, or server-side apply. */
export async function handlePatch(c: RequestContext): Promise<void> {
  const dry = dryRunOf(c.q, c.req.method);
  const ct = mediaType(c.req.headers['content-type']);
  const types = [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
    'application/apply-patch+yaml',
    'application/apply-patch+cbor',
  ];
  if (!types.includes(ct) || ct === 'application/apply-patch+cbor') throw E.unsupportedMediaType(ct);
  if (ct === 'application/strategic-merge-patch+json' && c.kind.custom)
    throw E.unsupportedPatchType([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/apply-patch+yaml',
    ]);
  let patch: unknown;
  try {
    patch = await body(c, c.kind.kind);
  } catch (e) {
    // kube-apiserver's merge and strategic patchers report malformed JSON in their own words.
    if (
      e instanceof E.StatusError &&
      e.code === 400 &&
      ct !== 'application/apply-patch+yaml' &&
      ct !== 'application/json-patch+json'
    )
      throw E.badRequest('invalid JSON patch');
    throw e;
  }
  if (ct === 'application/apply-patch+yaml') {
    await handleApply(c, patch, dry);
    return;
  }
  if (c.q.get('force') !== null)
    throw E.invalidOptions('PatchOptions', [
      { type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' },
    ]);
  const cur = c.store.getOrThrow(c.kind, c.namespace, c.name!);
  const base: unknown = c.subresource === 'scale' ? scaleOf(c.kind, cur) : structuredClone(cur);
  let next: any;
  if (ct === 'application/json-patch+json') next = applyJsonPatch(base, patch);
  else {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw E.badRequest('invalid JSON patch');
    next = ct === 'application/merge-patch+json' ? applyMergePatch(base, patch) : applyStrategicMergePatch(base, patch);
  }
  if (next === null || typeof next !== 'object' || Array.isArray(next))
    throw E.badRequest('the patch produced an object that is not a JSON object');
  if (c.subresource === 'scale') {
    sendJSON(c.res, 200, scaleOf(c.kind, writeScale(c, cur, next, dry)));
    return;
  }
  if (ct === 'application/merge-patch+json' && !c.kind.custom && fieldValidationOf(c.q, c.req.method) === 'Strict') {
    const unknown = findAndDropUnknownFields(c.kind, structuredClone(next));
    if (unknown.length > 0)
      throw strictMergePatchError(
        cur,
        patch as Record<string, unknown>,
        unknown.map((f) => `unknown field "${f}"`),
      );
  }
  const obj = checkTypeMeta(c.kind, next);
  const warnings = validateFields(c, obj);
  if (obj['metadata'].name !== c.name)
    throw E.badRequest(
      `the name of the object (${String(obj['metadata'].name)}) does not match the name on the URL (${c.name})`,
    );
  if (c.kind.namespaced && obj['metadata'].namespace !== c.namespace)
    throw E.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (obj['metadata'].uid !== cur.metadata.uid) {
    throw E.conflict(
      c.kind.group,
      c.kind.resource,
      c.name!,
      `Precondition failed: UID in precondition: ${String(obj['metadata'].uid)}, UID in object meta: ${cur.metadata.uid}`,
    );
  }
  const opts: Parameters<Store['update']>[2] = { dryRun: dry, fieldManager: managerOf(c) };
  if (c.subresource !== undefined) opts.subresource = c.subresource;
  respond(c, 200, c.store.update(c.kind, obj, opts), warnings);
}

async function handleApply(c: RequestContext, applied: unknown, dry: boolean): Promise<void> {
  const manager = c.q.get('fieldManager');
  if (manager === null || manager === '')
    throw E.invalidOptions('PatchOptions', [
      { type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' },
    ]);
  const forceStr = c.q.get('force');
  if (forceStr !== null && forceStr !== 'true' && forceStr !== 'false')
    throw E.badRequest(`force: Invalid value: "${forceStr}"`);
  const force = forceStr === 'true';
  if (applied !== null && typeof applied === 'object' && !Array.isArray(applied)) {
    // The applied object is decoded as whatever it says it is; another kind is not this one's type.
    const a = applied as Record<string, unknown>;
    const av = typeof a['apiVersion'] === 'string' ? a['apiVersion'] : '';
    const k = typeof a['kind'] === 'string' ? a['kind'] : '';
    if ((k !== '' && k !== c.kind.kind) || (k !== '' && av !== '' && av !== apiVersionOf(c.kind))) {
      const gv = av.includes('/') ? av : `/${av}`;
      throw E.badRequest(`invalid object type: ${gv}, Kind=${k}`);
    }
  }
  const obj = checkTypeMeta(c.kind, applied);
  if (obj['apiVersion'] === undefined || obj['kind'] === undefined) throw E.badRequest(`invalid object type: /, Kind=`);
  if (obj['metadata'].managedFields !== undefined) throw E.badRequest('metadata.managedFields must be nil');
  if (!c.kind.custom) {
    // The applied configuration becomes a typed object before any fieldValidation: a field the
    // kind's schema does not declare fails that conversion (500, whatever the directive).
    const unknown = findAndDropUnknownFields(c.kind, structuredClone(obj));
    if (unknown.length > 0) {
      const gv = `${c.kind.group}/${c.kind.version}`;
      const errs = unknown.map((f) => `.${f}: field not declared in schema`);
      throw E.internal(
        `failed to create typed patch object (${String(obj['metadata'].namespace ?? '')}/${c.name}; ${gv}, Kind=${c.kind.kind}): ${errs.length === 1 ? errs[0] : `errors:\n  ${errs.join('\n  ')}`}`,
      );
    }
  }
  const warnings = validateFields(c, obj);
  if (obj['metadata'].name !== undefined && obj['metadata'].name !== c.name)
    throw E.badRequest(
      `the name of the object (${String(obj['metadata'].name)}) does not match the name on the URL (${c.name})`,
    );
  obj['metadata'].name = c.name;
  if (c.kind.namespaced) {
    if (obj['metadata'].namespace !== undefined && obj['metadata'].namespace !== c.namespace)
      throw E.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    obj['metadata'].namespace = c.namespace;
  }
  const cur = c.store.get(c.kind, c.namespace, c.name!);
  const result = serverSideApply(c.kind, cur, obj as KubeObject, manager, force, new Date(), c.subresource);
  if (result.conflicts.length > 0) {
    throw E.applyConflict(result.conflicts, result.message);
  }
  if (cur === undefined) {
    const created = result.object;
    const mf = created.metadata.managedFields ?? [];
    delete created.metadata.managedFields;
    runAdmission(c, created);
    const made = c.store.create(c.kind, created, { dryRun: dry, fieldManager: manager, managedFields: mf });
    respond(c, 201, dry ? withoutResourceVersion(made) : made, warnings);
    return;
  }
  result.object.metadata.resourceVersion = cur.metadata.resourceVersion!;
  const opts: Parameters<Store['update']>[2] = { dryRun: dry, fieldManager: manager, managedFieldsComputed: true };
  if (c.subresource !== undefined) opts.subresource = c.subresource;
  respond(c, 200, c.store.update(c.kind, result.object, opts), warnings);
}

/** The kind's warning for a DELETE that names no propagation policy (Jobs: their pods stay). */
function warnDefaultPolicy(c: RequestContext, opts: DeleteOpts): void {
  const warning = definitionOf(c.kind)?.deleteWarning;
  if (warning !== undefined && opts.propagationPolicy === undefined) c.res.setHeader('Warning', `299 - "${warning}"`);
}

/** DELETE of one object. */
export async function handleDelete(c: RequestContext): Promise<void> {
  const opts = await deleteOptions(c);
  warnDefaultPolicy(c, opts);
  const r = c.store.delete(c.kind, c.namespace, c.name!, opts);
  // Custom resources answer with a Status, like most kinds (their storage does not set ReturnDeletedObject).
  if (!r.deleted || definitionOf(c.kind)?.returnsDeletedObject === true) {
    // handlers/delete.go: 202 only for orphanDependents=false on an object not yet deleted.
    const code = !r.deleted && opts.orphanDependentsFalse === true ? 202 : 200;
    sendJSON(c.res, code, c.store.toJSON(r.object));
    return;
  }
  const details: Record<string, unknown> = { name: c.name };
  if (c.kind.group !== '') details['group'] = c.kind.group;
  details['kind'] = c.kind.resource;
  details['uid'] = r.object.metadata.uid;
  sendJSON(c.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
}

/** DELETE of a collection (with selectors): returns the list of deleted objects. */
export async function handleDeleteCollection(c: RequestContext): Promise<void> {
  const opts = await deleteOptions(c);
  warnDefaultPolicy(c, opts);
  const { filter, nodeName } = buildFilter(c.kind, c.q);
  const lo: Parameters<Store['list']>[1] = {};
  if (c.namespace !== undefined) lo.namespace = c.namespace;
  if (filter !== undefined) lo.filter = filter;
  if (nodeName !== undefined) lo.nodeName = nodeName;
  const items = c.store.list(c.kind, lo).items;
  const out: KubeObject[] = [];
  for (const o of items) {
    try {
      out.push(c.store.delete(c.kind, o.metadata.namespace, o.metadata.name!, opts).object);
    } catch (e) {
      if (!(e instanceof StatusError) || e.code !== 404) throw e;
    }
  }
  sendJSON(
    c.res,
    200,
    `{"kind":"${c.kind.kind}List","apiVersion":"${apiVersionOf(c.kind)}","metadata":{"resourceVersion":"${c.store.resourceVersion}"},"items":[${out.map((o) => c.store.toJSON(o, !c.kind.custom)).join(',')}]}`,
  );
}
