/**
 * The query and body options of writes, validated as kube-apiserver validates them: dryRun (only
 * `All`), fieldValidation, and DELETE's DeleteOptions (grace period, propagation policy or the
 * deprecated orphanDependents, preconditions, dryRun) from the query or the body.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import * as E from '../store/errors';
import { decodeBody, mediaType, readBody } from './http-util';
import { PROTOBUF, decodeProtobufBody } from './protobuf';
import type { RequestContext } from './request-context';

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
export function badDryRun(method: string | undefined, all: unknown[]): E.StatusError {
  return E.invalidOptions(optionsKind(method), [
    { type: 'FieldValueNotSupported', field: 'dryRun', value: all, detail: 'supported values: "All"' },
  ]);
}

/** Whether the write is a dry run (`dryRun=All`; any other value is 422). */
export function dryRunOf(q: URLSearchParams, method?: string): boolean {
  const all = q.getAll('dryRun');
  for (const v of all) if (v !== 'All') throw badDryRun(method, all);
  return all.length > 0;
}

/** The fieldValidation directive (default Warn; anything else than Strict, Warn, Ignore is 422). */
export function fieldValidationOf(q: URLSearchParams, method: string | undefined): 'Strict' | 'Warn' | 'Ignore' {
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

export interface DeleteOpts {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  /** orphanDependents: false was given (the only case kube-apiserver answers 202 to a pending delete). */
  orphanDependentsFalse?: boolean;
}

/** A DELETE's options from its query and body. */
export async function deleteOptions(c: RequestContext): Promise<DeleteOpts> {
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
