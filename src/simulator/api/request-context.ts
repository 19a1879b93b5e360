/**
 * What every resource handler works with: the request's context, the field manager a write records,
 * and the answer for one object (JSON, Table or PartialObjectMetadata, as the Accept header asks).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as E from '../store/errors';
import type { ResourceKind } from '../store/registry';
import type { Store } from '../store/store';
import type { KubeObject } from '../store/types';
import { sendJSON } from './http-util';
import { partialObject, wantsPartialMetadata } from './negotiate';
import { includeObjectOf, tableJSON, tableVersionOf, wantsTable } from './table';

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

/** The `fieldManager` query parameter (at most 128 bytes), else the User-Agent's manager. */
export function managerOf(c: RequestContext): string {
  const m = c.q.get('fieldManager');
  if (m !== null && m !== '') {
    if (m.length > 128) throw E.badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return m;
  }
  return c.defaultManager;
}

/** Answers with one object, as the Accept header asks; `warnings` become Warning headers. */
export function respond(c: RequestContext, code: number, obj: KubeObject, warnings: string[] = []): void {
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
