/**
 * Handlers for resource requests: get, create, update, patch, delete, deletecollection and the
 * subresources status, scale, binding, eviction, log and namespaces/finalize.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Store } from '../store/store';
import * as E from '../store/errors';
import { StatusError } from '../store/errors';
import { type ResourceKind, apiVersionOf } from '../store/registry';
import { admitNewNode } from '../store/create-strategies';
import { serverSideApply } from '../store/managed-fields';
import type { KubeObject } from '../store/types';
import { decodeBody, mediaType, readBody, sendJSON, sendText } from './http-util';
import { PROTOBUF, decodeProtobufBody } from './protobuf';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch';
import { findAndDropUnknownFields } from './schema';
import { includeObjectOf, tableJSON, tableVersionOf, wantsTable } from './table';
import { bindPod } from './binding';
import { partialObject, wantsPartialMetadata } from './negotiate';
import { strictMergePatchError } from './strict-patch';
import { buildFilter } from './collection';

/** Per-request context the handlers need. */
export interface RequestContext {
  store: Store;
  kind: ResourceKind;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  q: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  maxBodyBytes: number;
  /** Manager name derived from the User-Agent when `fieldManager` is absent. */
  defaultManager: string;
  /** Admission (defaulting, priority...) run on creates; a message rejects with 403. */
  admit?: (kind: ResourceKind, obj: Record<string, any>) => string | undefined;
}

function runAdmission(c: RequestContext, obj: Record<string, any>): void {
  admitNewNode(c.kind, obj);
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

/** The options kind kube-apiserver validates the query of a write against. */
function optionsKind(method: string | undefined): string {
  return method === 'POST'
    ? 'CreateOptions'
    : method === 'PUT'
      ? 'UpdateOptions'
      : method === 'DELETE'
        ? 'DeleteOptions'
        : 'PatchOptions';
}

/** 422 for a dryRun value other than All (`CreateOptions.meta.k8s.io "" is invalid: dryRun: ...`). */
function badDryRun(method: string | undefined, all: unknown[]): E.StatusError {
  return E.invalidOptions(optionsKind(method), [
    { type: 'FieldValueNotSupported', field: 'dryRun', value: all, detail: 'supported values: "All"' },
  ]);
}

function dryRunOf(q: URLSearchParams, method?: string): boolean {
  const all = q.getAll('dryRun');
  for (const v of all) if (v !== 'All') throw badDryRun(method, all);
  return all.length > 0;
}

function fieldValidationOf(q: URLSearchParams, method: string | undefined): 'Strict' | 'Warn' | 'Ignore' {
  const v = q.get('fieldValidation') ?? '';
  if (v === '') return 'Warn';
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore')
    throw E.invalidOptions(optionsKind(method), [
      {
        type: 'FieldValueNotSupported',
        field: 'fieldValidation',
        value: v,
        detail: 'supported values: "", "Ignore", "Strict", "Warn"',
      },
    ]);
  return v;
}

function managerOf(c: RequestContext): string {
  const m = c.q.get('fieldManager');
  if (m !== null && m !== '') {
    if (m.length > 128) throw E.badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return m;
  }
  return c.defaultManager;
}

/** The Go package of a group's internal types (`core.ConfigMap`, `apps.Deployment`). */
function internalPackage(group: string): string {
  if (group === '' || group === 'events.k8s.io') return 'core';
  if (group === 'rbac.authorization.k8s.io') return 'rbac';
  return group.split('.')[0]!;
}

/** Checks apiVersion/kind of a decoded body against the kind served at the URL. */
function checkTypeMeta(
  kind: ResourceKind,
  body: unknown,
  expectKind = kind.kind,
  expectApiVersion = apiVersionOf(kind),
): Record<string, any> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw E.badRequest(
      `the object provided is unrecognized (must be of type ${expectKind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  const o = body as Record<string, any>;
  if (o['kind'] !== undefined && o['kind'] !== expectKind) {
    // The body decodes as its own kind, which does not convert to this one (transformDecodeError).
    const av = typeof o['apiVersion'] === 'string' ? o['apiVersion'] : '';
    const version = av.slice(av.indexOf('/') + 1);
    if (version !== '' && expectKind === kind.kind)
      throw E.badRequest(
        `${String(o['kind'])} in version "${version}" cannot be handled as a ${expectKind}: converting (${version}.${String(o['kind'])}) to (${internalPackage(kind.group)}.${expectKind}): unknown conversion`,
      );
    throw E.badRequest(`the kind in the data (${String(o['kind'])}) does not match the expected kind (${expectKind})`);
  }
  if (o['apiVersion'] !== undefined && o['apiVersion'] !== expectApiVersion) {
    throw E.badRequest(
      `the API version in the data (${String(o['apiVersion'])}) does not match the expected API version (${expectApiVersion})`,
    );
  }
  if (
    o['metadata'] !== undefined &&
    (o['metadata'] === null || typeof o['metadata'] !== 'object' || Array.isArray(o['metadata']))
  ) {
    throw E.badRequest(
      `the object provided is unrecognized (must be of type ${expectKind}): metadata must be an object`,
    );
  }
  o['metadata'] ??= {};
  return o;
}

/** Drops unknown fields and applies the fieldValidation directive; returns Warning header values. */
function validateFields(c: RequestContext, obj: Record<string, any>): string[] {
  const mode = fieldValidationOf(c.q, c.req.method);
  const raw = bodies.get(c.req);
  const problems = [
    ...(raw !== undefined && !mediaType(c.req.headers['content-type']).includes('yaml')
      ? duplicateFields(raw).map((f) => `duplicate field "${f}"`)
      : []),
    ...findAndDropUnknownFields(c.kind, obj).map((f) => `unknown field "${f}"`),
  ];
  if (problems.length === 0 || mode === 'Ignore') return [];
  if (mode === 'Strict') {
    const prefix =
      c.req.method === 'PATCH'
        ? ''
        : `${c.kind.kind} in version "${c.kind.version}" cannot be handled as a ${c.kind.kind}: `;
    throw E.badRequest(`${prefix}strict decoding error: ${problems.join(', ')}`);
  }
  return problems.map((p) => `299 - "${p.replace(/"/g, '\\"')}"`);
}

/** The raw text of each request body (duplicate fields are only visible there). */
const bodies = new WeakMap<IncomingMessage, string>();

/**
 * The paths of keys that appear twice in one JSON object (`data`, `metadata.labels.a`,
 * `spec.containers[0].name`), in document order, as the strict decoder reports them.
 */
export function duplicateFields(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  const value = (path: string): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      while (i < text.length) {
        ws();
        if (text[i] !== '"') return;
        const k = str();
        const p = path === '' ? k : `${path}.${k}`;
        if (seen.has(k)) out.push(p);
        seen.add(k);
        ws();
        if (text[i] !== ':') return;
        i++;
        value(p);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else return;
      }
    } else if (ch === '[') {
      i++;
      let n = 0;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      while (i < text.length) {
        value(`${path}[${n++}]`);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else return;
      }
    } else if (ch === '"') str();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value('');
  return out;
}

function respond(c: RequestContext, code: number, obj: KubeObject, warnings: string[] = []): void {
  const headers: Record<string, string> = {};
  const before = c.res.getHeader('Warning');
  if (warnings.length > 0)
    headers['Warning'] = [...(typeof before === 'string' ? [before] : []), ...warnings].join(', ');
  if (wantsTable(c.req.headers['accept'])) {
    sendJSON(
      c.res,
      code,
      tableJSON(
        c.kind,
        [obj],
        { resourceVersion: obj.metadata.resourceVersion },
        includeObjectOf(c.q.get('includeObject')),
        tableVersionOf(c.req.headers['accept']),
      ),
      headers,
    );
    return;
  }
  if (wantsPartialMetadata(c.req.headers['accept']) === 'PartialObjectMetadata') {
    sendJSON(c.res, code, partialObject(obj), headers);
    return;
  }
  sendJSON(c.res, code, c.store.toJSON(obj), headers);
}

async function body(c: RequestContext, expectKind: string): Promise<unknown> {
  const mt = mediaType(c.req.headers['content-type']);
  if (c.req.method !== 'PATCH' && mt === PROTOBUF)
    return decodeProtobufBody(await readBody(c.req, c.maxBodyBytes), expectKind);
  if (c.req.method !== 'PATCH' && mt !== '' && !mt.includes('json') && !mt.includes('yaml')) {
    // CBOR and other bodies are not decoded; say so as kube-apiserver does for unknown media types.
    c.req.resume();
    throw E.unsupportedMediaTypeBody(mt);
  }
  const buf = await readBody(c.req, c.maxBodyBytes);
  bodies.set(c.req, buf.toString('utf8'));
  return decodeBody(buf, c.req.headers['content-type'], expectKind);
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
  if (c.kind.group === 'apps' || c.kind.subresources.includes('status')) {
    // A create keeps the status the client sent only for kinds without a status subresource.
    if (c.kind.subresources.includes('status') && !(c.kind.group === '' && c.kind.resource === 'pods'))
      delete obj['status'];
  }
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

function scaleOf(kind: ResourceKind, o: KubeObject): Record<string, unknown> {
  // A ReplicationController's selector is a plain label map; the apps kinds use a LabelSelector.
  const sel = kind.resource === 'replicationcontrollers' ? o['spec']?.selector : o['spec']?.selector?.matchLabels;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    // ScaleSpec.replicas is omitempty: zero replicas encode as an empty spec.
    spec: (o['spec']?.replicas ?? 0) === 0 ? {} : { replicas: o['spec'].replicas },
    status: {
      replicas: o['status']?.replicas ?? 0,
      ...(sel !== undefined
        ? {
            selector: Object.entries(sel)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(','),
          }
        : {}),
    },
  };
}

function writeScale(c: RequestContext, cur: KubeObject, scale: Record<string, any>, dry: boolean): KubeObject {
  const replicas = scale['spec']?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw E.invalid('autoscaling', 'Scale', c.name!, [
      {
        type: 'FieldValueInvalid',
        field: 'spec.replicas',
        value: replicas,
        detail: 'must be greater than or equal to 0',
      },
    ]);
  }
  const rv = scale['metadata']?.resourceVersion;
  const next = structuredClone(cur) as KubeObject;
  next['spec'] = { ...(next['spec'] ?? {}), replicas };
  next.metadata.resourceVersion = rv !== undefined && rv !== '' ? rv : cur.metadata.resourceVersion;
  return c.store.update(c.kind, next, { dryRun: dry, fieldManager: managerOf(c) });
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

interface DeleteOpts {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  /** orphanDependents: false was given (the only case kube-apiserver answers 202 to a pending delete). */
  orphanDependentsFalse?: boolean;
}

async function deleteOptions(c: RequestContext): Promise<DeleteOpts> {
  const o: DeleteOpts = {};
  const buf = await readBody(c.req, c.maxBodyBytes);
  let b: Record<string, any> = {};
  if (buf.length > 0 && buf.toString('utf8').trim() !== '') {
    // client-go sends DeleteOptions as protobuf when it talks protobuf (helm uninstall does).
    const d =
      mediaType(c.req.headers['content-type']) === PROTOBUF
        ? decodeProtobufBody(buf, 'DeleteOptions')
        : decodeBody(buf, c.req.headers['content-type'] ?? 'application/json', 'DeleteOptions');
    if (d === null || typeof d !== 'object' || Array.isArray(d))
      throw E.badRequest('the body of the request is not a valid DeleteOptions object');
    b = d as Record<string, any>;
  }
  const gq = c.q.get('gracePeriodSeconds');
  const g = gq !== null ? Number(gq) : b['gracePeriodSeconds'];
  if (g !== undefined && g !== null) {
    if (typeof g !== 'number' || !Number.isInteger(g))
      throw E.badRequest(`gracePeriodSeconds: Invalid value: ${JSON.stringify(gq ?? g)}`);
    o.gracePeriodSeconds = Math.max(0, g);
  }
  const pp = c.q.get('propagationPolicy') ?? b['propagationPolicy'];
  const orphan = c.q.get('orphanDependents') ?? b['orphanDependents'];
  if (pp !== undefined && pp !== null) {
    if (!['Foreground', 'Background', 'Orphan'].includes(pp))
      throw E.invalidOptions('DeleteOptions', [
        {
          type: 'FieldValueNotSupported',
          field: 'propagationPolicy',
          value: pp,
          detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
        },
      ]);
    if (orphan !== undefined && orphan !== null)
      throw E.badRequest('orphanDependents: Invalid value: orphanDependents and propagationPolicy cannot both be set');
    o.propagationPolicy = pp;
  } else if (orphan === true || orphan === 'true') o.propagationPolicy = 'Orphan';
  else if (orphan === false || orphan === 'false') {
    o.propagationPolicy = 'Background';
    o.orphanDependentsFalse = true;
  }
  if (b['preconditions'] !== undefined && b['preconditions'] !== null) o.preconditions = b['preconditions'];
  const dq = c.q.getAll('dryRun');
  const db: unknown = b['dryRun'];
  const dvals = [...dq, ...(Array.isArray(db) ? db : [])];
  for (const v of dvals) if (v !== 'All') throw badDryRun('DELETE', dvals);
  if (dvals.length > 0) o.dryRun = true;
  return o;
}

/** Kinds whose REST storage sets ReturnDeletedObject (pkg/registry/.../storage/storage.go). */
const RETURNS_OBJECT = new Set([
  '/pods',
  '/podtemplates',
  '/serviceaccounts',
  '/services',
  '/resourcequotas',
  '/persistentvolumes',
  '/persistentvolumeclaims',
  '/namespaces',
  'storage.k8s.io/storageclasses',
  'storage.k8s.io/csinodes',
  'storage.k8s.io/csidrivers',
  'storage.k8s.io/volumeattachments',
  'storage.k8s.io/volumeattributesclasses',
  'resource.k8s.io/deviceclasses',
  'resource.k8s.io/resourceclaims',
  'resource.k8s.io/resourceclaimtemplates',
  'resource.k8s.io/resourceslices',
]);

/**
 * batch/v1 Jobs orphan their pods unless told otherwise; a DELETE that names no policy gets
 * kube-apiserver's warning (pkg/registry/batch/job/storage).
 */
function warnJobOrphans(c: RequestContext, opts: DeleteOpts): void {
  if (c.kind.group === 'batch' && c.kind.resource === 'jobs' && opts.propagationPolicy === undefined)
    c.res.setHeader(
      'Warning',
      '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"',
    );
}

/** DELETE of one object. */
export async function handleDelete(c: RequestContext): Promise<void> {
  const opts = await deleteOptions(c);
  warnJobOrphans(c, opts);
  const r = c.store.delete(c.kind, c.namespace, c.name!, opts);
  const key = `${c.kind.group}/${c.kind.resource}`;
  // Custom resources answer with a Status, like most kinds (their storage does not set ReturnDeletedObject).
  if (!r.deleted || RETURNS_OBJECT.has(key)) {
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
  warnJobOrphans(c, opts);
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

/** POST pods/NAME/binding. */
export async function handleBinding(c: RequestContext): Promise<void> {
  const dry = dryRunOf(c.q, c.req.method);
  const b = checkTypeMeta(c.kind, await body(c, 'Binding'), 'Binding', 'v1');
  if (b['metadata'].name !== undefined && b['metadata'].name !== c.name)
    throw E.badRequest('name in URL does not match name in Binding object');
  const target = b['target'];
  if (target?.kind !== undefined && target.kind !== 'Node' && target.kind !== '')
    throw E.invalid('', 'Binding', c.name!, [
      { type: 'FieldValueNotSupported', field: 'target.kind', value: target.kind, detail: 'supported values: "Node"' },
    ]);
  if (typeof target?.name !== 'string' || target.name === '')
    throw E.invalid('', 'Binding', c.name!, [{ type: 'FieldValueRequired', field: 'target.name' }]);
  bindPod(c.store, c.namespace!, c.name!, target.name, {
    annotations: b['metadata'].annotations,
    dryRun: dry,
    fieldManager: managerOf(c),
  });
  sendJSON(c.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** POST pods/NAME/eviction: deletes the pod (no PDB checks). */
export async function handleEviction(c: RequestContext): Promise<void> {
  await body(c, 'Eviction');
  c.store.delete(c.kind, c.namespace, c.name!, {});
  sendJSON(c.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** GET pods/NAME/log: synthetic container output; `follow=true` streams until the pod goes away. */
/** PodLogOptions query parameters are decoded before anything else (Go's strconv messages). */
function checkLogOptions(q: URLSearchParams): void {
  for (const k of ['tailLines', 'limitBytes', 'sinceSeconds']) {
    const v = q.get(k);
    if (v !== null && !/^[+-]?\d+$/.test(v))
      throw E.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
  for (const k of ['follow', 'previous', 'timestamps', 'insecureSkipTLSVerifyBackend']) {
    const v = q.get(k);
    if (
      v !== null &&
      v !== '' &&
      !['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)
    )
      throw E.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
}

export function handleLog(c: RequestContext, track: (close: () => void) => () => void): void {
  checkLogOptions(c.q);
  const pod = c.store.getOrThrow(c.kind, c.namespace, c.name!);
  const containers: string[] = (pod['spec']?.containers ?? []).map((x: any) => x.name);
  let container = c.q.get('container') ?? '';
  if (container === '') {
    if (containers.length !== 1)
      throw E.badRequest(
        `a container name must be specified for pod ${c.name}, choose one of: [${containers.join(' ')}]`,
      );
    container = containers[0]!;
  }
  if (!containers.includes(container) && !(pod['spec']?.initContainers ?? []).some((x: any) => x.name === container)) {
    throw E.badRequest(`container ${container} is not valid for pod ${c.name}`);
  }
  if (pod['spec']?.nodeName === undefined || pod['spec'].nodeName === '') {
    // LogLocation: a pod no node was assigned has no log location yet; the stream is empty.
    c.res.writeHead(204);
    c.res.end();
    return;
  }
  if (pod['status']?.phase === 'Pending') {
    throw E.badRequest(`container "${container}" in pod "${c.name}" is waiting to start: ContainerCreating`);
  }
  const ts = c.q.get('timestamps') === 'true';
  // The container's own times, as the runtime stamps its lines (RFC 3339 with nanoseconds): it started
  // when its status says, became ready when the pod did; only lines written later carry later times.
  const statuses: any[] = [
    ...(pod['status']?.containerStatuses ?? []),
    ...(pod['status']?.initContainerStatuses ?? []),
  ];
  const st = statuses.find((s) => s?.name === container)?.state;
  const started = String(
    st?.running?.startedAt ?? st?.terminated?.startedAt ?? pod['status']?.startTime ?? new Date().toISOString(),
  );
  const ready = String(
    (pod['status']?.conditions ?? []).find((x: any) => x?.type === 'Ready' && x?.status === 'True')
      ?.lastTransitionTime ?? started,
  );
  const lines: [string, string][] = [
    [started, `simulated container ${container} of pod ${c.namespace}/${c.name} started`],
    [started, `running on node ${String(pod['spec']?.nodeName)}`],
    [ready < started ? started : ready, 'ready'],
  ];
  const tail = c.q.get('tailLines');
  const shown = tail !== null ? lines.slice(Math.max(0, lines.length - Number(tail))) : lines;
  const fmt = ([at, l]: [string, string]): string => `${ts ? `${nanoTime(at)} ` : ''}${l}\n`;
  if (c.q.get('follow') !== 'true') {
    let text = shown.map(fmt).join('');
    const lb = c.q.get('limitBytes');
    if (lb !== null) text = text.slice(0, Number(lb));
    sendText(c.res, 200, text);
    return;
  }
  c.res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  for (const l of shown) c.res.write(fmt(l));
  const uid = pod.metadata.uid;
  let n = 0;
  const timer = setInterval(() => {
    const p = c.store.get(c.kind, c.namespace, c.name!);
    if (p === undefined || p.metadata.uid !== uid) return end();
    c.res.write(fmt([new Date().toISOString(), `heartbeat ${++n}`]));
  }, 1000);
  const untrack = track(() => end());
  function end(): void {
    clearInterval(timer);
    untrack();
    if (!c.res.writableEnded) c.res.end();
  }
  c.res.on('close', end);
}

/** `2026-01-01T00:00:05Z` or `...05.123Z` as a container runtime stamps log lines: nine fraction digits. */
function nanoTime(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) return rfc3339;
  const frac = /\.(\d+)Z$/.exec(rfc3339)?.[1] ?? '';
  return `${new Date(t).toISOString().slice(0, 19)}.${frac.padEnd(9, '0').slice(0, 9)}Z`;
}
