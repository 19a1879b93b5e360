/**
 * The load's writers: one HTTP client per planned client (its own keep-alive connection, the
 * admin's bearer token, the cluster's CA), each sending its schedule one request at a time while
 * the others do the same. Contract of `runWriters`: every step of the plan is sent once (none is
 * retried: a write whose answer never came is recorded with status 0 and its object's later writes
 * are skipped); every answer is recorded with its status, latency, and for a 2xx answer the
 * acknowledged resourceVersion and object (a delete answered with a Status carries none).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here. */
import { ApiClient } from '../real-cluster/api-client';
import { REJECTION_STATUS, writeRequest, type WriteType } from './kinds';
import type { Plan, PlannedObject } from './plan';

/** One write as sent and answered. */
export interface WriteRecord {
  objectId: number;
  /** Index of the write in its object's plan. */
  writeIndex: number;
  type: WriteType;
  client: number;
  /** HTTP status; 0 when no answer came (transport error or timeout); -1 when skipped. */
  status: number;
  /** The status the plan expects: 2xx (written as 200) for accepted writes, else REJECTION_STATUS. */
  expected: number;
  /** The resourceVersion of a 2xx answer's object (absent for a delete answered with a Status). */
  rv?: string;
  /** The acknowledged object (2xx answers that carry one). */
  object?: Record<string, any>;
  ms: number;
  /** Milliseconds since the load started, when the answer arrived. */
  at: number;
  /** The error text of a status-0 write. */
  error?: string;
}

/** True for an acknowledged (2xx) write. */
export const acknowledged = (w: WriteRecord): boolean => w.status >= 200 && w.status < 300;

/** Where and as whom the writers connect. */
export interface Endpoint {
  server: string;
  ca: string;
  token: string;
}

/** What the writers need besides the plan. */
export interface WriterOptions {
  endpoint: Endpoint;
  run: string;
  namespaces: readonly string[];
  /** Called after every answer (the campaign starts the mid-run watch from it). */
  onAnswer?: (w: WriteRecord, done: number) => void;
  /** Per-request timeout (default 120 s: a loaded 2-core machine can stall etcd for seconds). */
  timeoutMs?: number;
  /** Run by client `client` on its own connection after its step `stepIndex` (the contended counters). */
  between?: (api: ApiClient, client: number, stepIndex: number) => Promise<void>;
}

/** Sends the whole plan (see the file comment); resolves the records, in answer order, and the wall time. */
export async function runWriters(plan: Plan, o: WriterOptions): Promise<{ writes: WriteRecord[]; ms: number }> {
  const records: WriteRecord[] = [];
  const t0 = performance.now();
  const state = new Map<number, { last?: Record<string, any>; createdRv?: string; broken: boolean }>();
  const stateOf = (id: number): { last?: Record<string, any>; createdRv?: string; broken: boolean } => {
    let s = state.get(id);
    if (s === undefined) state.set(id, (s = { broken: false }));
    return s;
  };
  const client = async (c: number): Promise<void> => {
    const api = new ApiClient(o.endpoint.server, o.endpoint.ca, { token: o.endpoint.token });
    for (const [stepIndex, step] of plan.schedules[c]!.entries()) {
      const obj: PlannedObject = plan.objects[step.objectId]!;
      const type = obj.writes[step.writeIndex]!;
      const s = stateOf(obj.id);
      const expected = REJECTION_STATUS[type] ?? 200;
      const rec: WriteRecord = {
        objectId: obj.id,
        writeIndex: step.writeIndex,
        type,
        client: c,
        status: -1,
        expected,
        ms: 0,
        at: 0,
      };
      if (!s.broken) {
        const req = writeRequest(obj.kind, type, {
          name: obj.name,
          namespace: o.namespaces[obj.namespaceIndex]!,
          run: o.run,
          client: c,
          n: step.writeIndex,
          ...(s.last !== undefined ? { last: s.last } : {}),
          ...(s.createdRv !== undefined ? { createdRv: s.createdRv } : {}),
        });
        const start = performance.now();
        try {
          const r = await api.request(req.method, req.path, req.body, o.timeoutMs ?? 120_000, req.contentType);
          rec.status = r.status;
          const body = r.body as Record<string, any> | undefined;
          if (acknowledged(rec) && body?.['kind'] !== 'Status' && body?.['metadata']?.['resourceVersion']) {
            rec.rv = String(body['metadata']['resourceVersion']);
            rec.object = body;
          }
        } catch (e) {
          rec.status = 0;
          rec.error = e instanceof Error ? e.message : String(e);
        }
        rec.ms = performance.now() - start;
        rec.at = performance.now() - t0;
        if (acknowledged(rec)) {
          if (type === 'create') s.createdRv = rec.rv;
          if (rec.object !== undefined) s.last = rec.object;
        } else if (rec.status === 0 || (type === 'create' && expected === 200)) {
          // The object's state is unknown (or it does not exist): its later writes cannot be planned.
          s.broken = true;
        }
      }
      records.push(rec);
      o.onAnswer?.(rec, records.length);
      await o.between?.(api, c, stepIndex);
    }
  };
  await Promise.all(plan.schedules.map((_, c) => client(c)));
  return { writes: records, ms: performance.now() - t0 };
}
