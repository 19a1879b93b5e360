/**
 * The campaign's verdicts, pure functions over what was sent, answered, watched and finally listed.
 *
 * Answers: a write the plan expects to be accepted must get a 2xx answer; a rejected-by-design write
 * must get exactly its REJECTION_STATUS (409 for a stale resourceVersion or an existing name, 422 for
 * a failed JSON-patch test, 415 for a strategic patch of a custom resource). Successive acknowledged
 * writes of one object carry increasing resourceVersions.
 *
 * Final state ("the last acknowledged write wins"): per object, take its last acknowledged write in
 * the object's own order (one client sends an object's writes one at a time, so that order is the
 * order the server acknowledged them). After an acknowledged delete, or when no write was
 * acknowledged, the object must be absent. Otherwise it must be present exactly as acknowledged:
 * the listed object equals the acknowledged answer field for field (resourceVersion, managedFields,
 * data, spec, status; apiVersion/kind aside, which list items may omit). For kinds a controller also
 * writes (Deployment status), the spec, the labels and the load's own annotations must equal the
 * acknowledged ones and the resourceVersion may only be newer. Rejected writes have no effect: they
 * are the only writes that set REJECTED_ANNOTATION, which therefore never appears; and no object of
 * the run may exist that the plan did not create.
 *
 * Watches: a watch's scope is its kind, its namespace (if any) and resourceVersions after the one it
 * started from. Every acknowledged write in scope must appear exactly once, as an event of the
 * write's type (ADDED for a create, MODIFIED for a patch, apply or update, DELETED for a delete) with
 * the write's resourceVersion (a delete answered with a Status has none: the DELETED event's
 * resourceVersion, as any watch saw it, stands in). Events come in strictly increasing
 * resourceVersion order, compared as integers (the simulator's counter; kube-apiserver's etcd
 * revisions), across resumptions; none is at or before the start. An event on one of the run's
 * objects that no acknowledged write explains is unexpected, unless a controller writes that kind.
 * One step of an acknowledged delete is explained too: kube-apiserver deletes a pod gracefully even
 * with a zero grace period, writing the deletionTimestamp (a MODIFIED event of a terminating object,
 * at a resourceVersion nobody is answered with) before the DELETED one.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here. */
import { isDeepStrictEqual } from 'node:util';
import { eventTypeOf, REJECTED_ANNOTATION } from './kinds';
import type { Plan } from './plan';
import type { SeenEvent, WatchSpec } from './watcher';
import { acknowledged, type WriteRecord } from './writers';

/** A watch's record, as the checks read it. */
export interface WatchRecord {
  spec: WatchSpec;
  startRv: string;
  events: readonly SeenEvent[];
  error?: string;
}

/** The verdict of one campaign. */
export interface Verdict {
  /** Acknowledged writes missing from the final state or from a watch in whose scope they fall. */
  lost: number;
  outOfOrder: number;
  duplicate: number;
  /** Effects nobody acknowledged: unexplained events, objects or fields of rejected writes; wrong answers. */
  unexpected: number;
  /** Events that matched an acknowledged write. */
  matchedEvents: number;
  /** Individual checks passed (answers, objects, expected events). */
  passed: number;
  /** Individual checks failed (the counts above, plus watches that ended with an error). */
  failed: number;
  /** The first failures, one sentence each. */
  failures: string[];
}

const MAX_MESSAGES = 30;

/** `<Kind>/<namespace>/<name>` of a planned object. */
export function objectKey(plan: Plan, namespaces: readonly string[], id: number): string {
  const o = plan.objects[id]!;
  return `${o.kind.kind}/${namespaces[o.namespaceIndex]}/${o.name}`;
}

function stripType(o: Record<string, any>): Record<string, any> {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

function loadAnnotations(o: Record<string, any>): Record<string, string> {
  const a = (o['metadata']?.['annotations'] ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(a).filter(([k]) => k.startsWith('load.kubeforecast.io/')));
}

/** Judges one campaign (see the file comment). `final` maps objectKey → the listed object. */
export function judge(
  plan: Plan,
  namespaces: readonly string[],
  writes: readonly WriteRecord[],
  final: ReadonlyMap<string, Record<string, any>>,
  watches: readonly WatchRecord[],
): Verdict {
  const v: Verdict = {
    lost: 0,
    outOfOrder: 0,
    duplicate: 0,
    unexpected: 0,
    matchedEvents: 0,
    passed: 0,
    failed: 0,
    failures: [],
  };
  const fail = (what: keyof Pick<Verdict, 'lost' | 'outOfOrder' | 'duplicate' | 'unexpected'>, msg: string): void => {
    v[what]++;
    v.failed++;
    if (v.failures.length < MAX_MESSAGES) v.failures.push(msg);
  };
  const byObject = new Map<number, WriteRecord[]>();
  for (const w of writes) {
    let l = byObject.get(w.objectId);
    if (l === undefined) byObject.set(w.objectId, (l = []));
    l.push(w);
  }
  for (const l of byObject.values()) l.sort((a, b) => a.writeIndex - b.writeIndex);
  const key = (id: number): string => objectKey(plan, namespaces, id);

  // Answers.
  for (const w of writes) {
    if (w.status === -1) continue; // skipped after its object's failure, counted there
    const ok = w.expected === 200 ? acknowledged(w) : w.status === w.expected;
    if (ok) v.passed++;
    else
      fail(
        'unexpected',
        `${key(w.objectId)} write ${w.writeIndex} (${w.type}): expected ${w.expected === 200 ? '2xx' : w.expected}, got ${w.status === 0 ? `no answer (${w.error})` : w.status}`,
      );
  }
  for (const [id, l] of byObject) {
    let prev = 0;
    for (const w of l) {
      if (!acknowledged(w) || w.rv === undefined) continue;
      if (Number(w.rv) <= prev)
        fail('outOfOrder', `${key(id)}: write ${w.writeIndex} acknowledged at resourceVersion ${w.rv} ≤ ${prev}`);
      prev = Number(w.rv);
    }
  }

  // Final state.
  const planned = new Set<string>();
  for (const o of plan.objects) {
    const k = key(o.id);
    planned.add(k);
    const acked = (byObject.get(o.id) ?? []).filter(acknowledged);
    const last = acked[acked.length - 1];
    const got = final.get(k);
    if (last === undefined || last.type === 'delete') {
      if (got === undefined) v.passed++;
      else if (last === undefined) fail('unexpected', `${k}: exists, but no write of it was acknowledged`);
      else fail('lost', `${k}: its delete (write ${last.writeIndex}) was acknowledged, but it still exists`);
      continue;
    }
    if (got === undefined) {
      fail('lost', `${k}: missing; its last acknowledged write was ${last.writeIndex} (${last.type})`);
      continue;
    }
    const want = last.object;
    if (want === undefined) {
      fail('lost', `${k}: write ${last.writeIndex} (${last.type}) was acknowledged without an object`);
      continue;
    }
    if (REJECTED_ANNOTATION in (got['metadata']?.['annotations'] ?? {})) {
      fail('unexpected', `${k}: carries a rejected write's annotation ${REJECTED_ANNOTATION}`);
      continue;
    }
    const same = o.kind.controllerWrites
      ? isDeepStrictEqual(got['spec'], want['spec']) &&
        isDeepStrictEqual(got['metadata']?.['labels'], want['metadata']?.['labels']) &&
        isDeepStrictEqual(loadAnnotations(got), loadAnnotations(want)) &&
        Number(got['metadata']?.['resourceVersion']) >= Number(want['metadata']?.['resourceVersion'])
      : isDeepStrictEqual(stripType(got), stripType(want));
    if (same) v.passed++;
    else
      fail(
        'lost',
        `${k}: differs from its last acknowledged write ${last.writeIndex} (${last.type}, resourceVersion ${last.rv}; now ${got['metadata']?.['resourceVersion']})`,
      );
  }
  for (const k of final.keys())
    if (!planned.has(k)) fail('unexpected', `${k}: exists with the run's label, but the plan never created it`);

  // Watches. The resourceVersion of deletes answered with a Status: the DELETED event any watch saw.
  const deletedAt = new Map<string, string>();
  for (const w of watches)
    for (const e of w.events) if (e.type === 'DELETED') deletedAt.set(`${w.spec.kind}/${e.key}`, e.rv);
  interface Expected {
    key: string;
    rv: string;
    type: string;
    write: WriteRecord;
  }
  const expectedAll: Expected[] = [];
  const ackedRvs = new Map<string, Set<string>>();
  /** Per object, the resourceVersion of its acknowledged delete (a terminating MODIFIED just before it is explained). */
  const deleteRv = new Map<string, number>();
  for (const [id, l] of byObject) {
    const k = key(id);
    const rvs = new Set<string>();
    ackedRvs.set(k, rvs);
    for (const w of l) {
      if (!acknowledged(w)) continue;
      const rv = w.rv ?? (w.type === 'delete' ? deletedAt.get(k) : undefined);
      if (rv === undefined) {
        // Seen by no watch at all: every watch in whose scope it falls reports it lost below.
        expectedAll.push({ key: k, rv: '', type: eventTypeOf(w.type), write: w });
        continue;
      }
      rvs.add(rv);
      if (w.type === 'delete') deleteRv.set(k, Number(rv));
      expectedAll.push({ key: k, rv, type: eventTypeOf(w.type), write: w });
    }
  }
  const controllerWritten = new Set(plan.objects.filter((o) => o.kind.controllerWrites).map((o) => o.kind.kind));
  for (const w of watches) {
    if (w.error !== undefined) {
      v.failed++;
      if (v.failures.length < MAX_MESSAGES) v.failures.push(w.error);
    }
    const start = Number(w.startRv);
    const seen = new Map<string, SeenEvent[]>();
    let prev = start;
    for (const e of w.events) {
      const full = `${w.spec.kind}/${e.key}`;
      const at = `${full}@${e.rv}`;
      const same = seen.get(at);
      if (same !== undefined) {
        same.push(e);
        fail('duplicate', `watch ${w.spec.name}: ${e.type} ${full} at resourceVersion ${e.rv} delivered again`);
        continue;
      }
      seen.set(at, [e]);
      if (Number(e.rv) <= prev)
        fail(
          'outOfOrder',
          `watch ${w.spec.name}: ${e.type} ${full} at resourceVersion ${e.rv} after ${prev === start ? `its start ${start}` : prev}`,
        );
      prev = Math.max(prev, Number(e.rv));
      const rvs = ackedRvs.get(full);
      const deletionStep =
        e.type === 'MODIFIED' && e.terminating && Number(e.rv) < (deleteRv.get(full) ?? Number(e.rv));
      if (rvs !== undefined && !rvs.has(e.rv) && !controllerWritten.has(w.spec.kind) && !deletionStep)
        fail(
          'unexpected',
          `watch ${w.spec.name}: ${e.type} ${full} at resourceVersion ${e.rv} that no write was acknowledged with`,
        );
    }
    for (const x of expectedAll) {
      const [kind, ns] = x.key.split('/');
      if (kind !== w.spec.kind || (w.spec.namespace !== undefined && ns !== w.spec.namespace)) continue;
      if (x.rv !== '' && Number(x.rv) <= start) continue;
      if (x.rv === '' && w.spec.from === 'mid') continue; // its resourceVersion is unknown: in scope or not, nobody can say
      const got = x.rv === '' ? undefined : seen.get(`${x.key}@${x.rv}`)?.[0];
      if (got === undefined)
        fail(
          'lost',
          `watch ${w.spec.name}: no event for ${x.key} write ${x.write.writeIndex} (${x.write.type}) at resourceVersion ${x.rv || '?'}`,
        );
      else if (got.type !== x.type)
        fail('lost', `watch ${w.spec.name}: ${x.key} at resourceVersion ${x.rv} came as ${got.type}, not ${x.type}`);
      else {
        v.passed++;
        v.matchedEvents++;
      }
    }
  }
  return v;
}
