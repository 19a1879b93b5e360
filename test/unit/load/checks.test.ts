/**
 * The load campaign's checks (test/load/checks.ts) judged on a perfect server's record, built here
 * from a plan, and on that record with one fault put in: each fault must be found and counted where
 * the summary line counts it, so a campaign that passes has really been checked.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire-shaped records built by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, objectKey, type WatchRecord } from '@test/load/checks';
import { eventTypeOf, REJECTION_STATUS } from '@test/load/kinds';
import { planCampaign, type Plan } from '@test/load/plan';
import type { SeenEvent } from '@test/load/watcher';
import type { WriteRecord } from '@test/load/writers';

const NS = ['ns-a', 'ns-b'];

/** What a correct server would have answered, kept and streamed for `plan`, sending steps client by client. */
function perfectRun(plan: Plan): {
  writes: WriteRecord[];
  final: Map<string, Record<string, any>>;
  watches: WatchRecord[];
} {
  let rv = 100;
  const writes: WriteRecord[] = [];
  const final = new Map<string, Record<string, any>>();
  const events = new Map<string, SeenEvent[]>();
  for (const steps of plan.schedules)
    for (const s of steps) {
      const o = plan.objects[s.objectId]!;
      const type = o.writes[s.writeIndex]!;
      const key = objectKey(plan, NS, o.id);
      const expected = REJECTION_STATUS[type] ?? 200;
      const rec: WriteRecord = {
        objectId: o.id,
        writeIndex: s.writeIndex,
        type,
        client: o.client,
        status: expected,
        expected,
        ms: 1,
        at: 0,
      };
      if (expected === 200) {
        rv++;
        const e: SeenEvent = {
          type: eventTypeOf(type),
          key: key.slice(key.indexOf('/') + 1),
          rv: String(rv),
          terminating: false,
          at: 0,
        };
        const l = events.get(o.kind.kind) ?? [];
        l.push(e);
        events.set(o.kind.kind, l);
        if (type === 'delete') final.delete(key);
        else {
          const obj = {
            metadata: { name: o.name, namespace: NS[o.namespaceIndex], resourceVersion: String(rv) },
            spec: { n: s.writeIndex },
          };
          final.set(key, obj);
          rec.rv = String(rv);
          rec.object = obj;
        }
      }
      writes.push(rec);
    }
  const watches: WatchRecord[] = [...events].map(([kind, evs]) => ({
    spec: { name: `${kind}-all`, path: '', kind, bookmarks: false, from: 'start' },
    startRv: '100',
    events: evs,
  }));
  return { writes, final, watches };
}

const plan = planCampaign(7, 3, 40, NS.length);

test('a perfect run passes every check', () => {
  const r = perfectRun(plan);
  const v = judge(plan, NS, r.writes, r.final, r.watches);
  assert.deepEqual(v.failures, []);
  assert.deepEqual([v.lost, v.outOfOrder, v.duplicate, v.unexpected, v.failed], [0, 0, 0, 0, 0]);
  assert.equal(v.matchedEvents, r.writes.filter((w) => w.expected === 200).length);
});

test('a dropped, a repeated and a reordered event are lost, duplicate and out of order', () => {
  const dropped = perfectRun(plan);
  (dropped.watches[0]!.events as SeenEvent[]).splice(3, 1);
  assert.equal(judge(plan, NS, dropped.writes, dropped.final, dropped.watches).lost, 1);

  const repeated = perfectRun(plan);
  const evs = repeated.watches[0]!.events as SeenEvent[];
  evs.push(evs[2]!);
  const v = judge(plan, NS, repeated.writes, repeated.final, repeated.watches);
  assert.deepEqual([v.duplicate, v.lost], [1, 0]);

  const swapped = perfectRun(plan);
  const s = swapped.watches[0]!.events as SeenEvent[];
  [s[4], s[5]] = [s[5]!, s[4]!];
  assert.equal(judge(plan, NS, swapped.writes, swapped.final, swapped.watches).outOfOrder, 1);
});

test('a watch from a resourceVersion must start after it, and only acknowledged writes may appear', () => {
  const r = perfectRun(plan);
  const w = r.watches[0]!;
  const mid: WatchRecord = { ...w, spec: { ...w.spec, from: 'mid' }, startRv: w.events[5]!.rv };
  assert.equal(judge(plan, NS, r.writes, r.final, [mid]).outOfOrder, 6, 'events at or before the start');
  const late: WatchRecord = { ...mid, events: w.events.slice(6) };
  assert.equal(judge(plan, NS, r.writes, r.final, [late]).failed, 0);
  const extra = { ...w.events[w.events.length - 1]!, rv: '100000', type: 'MODIFIED' };
  const kindWritten = plan.objects.find((o) => o.kind.kind === w.spec.kind)!.kind.controllerWrites;
  const v = judge(plan, NS, r.writes, r.final, [{ ...w, events: [...w.events, extra] }]);
  assert.equal(v.unexpected, kindWritten ? 0 : 1, 'an event no write explains');
});

test('the final state must hold the last acknowledged write, and nothing a rejected write did', () => {
  const changed = perfectRun(plan);
  const [k, obj] = [...changed.final][0]!;
  changed.final.set(k, { ...obj, spec: { n: -1 } });
  assert.equal(judge(plan, NS, changed.writes, changed.final, changed.watches).lost, 1);

  const deleted = plan.objects.find((o) => o.writes.at(-1) === 'delete')!;
  const undead = perfectRun(plan);
  undead.final.set(objectKey(plan, NS, deleted.id), { metadata: { name: deleted.name } });
  assert.equal(judge(plan, NS, undead.writes, undead.final, undead.watches).lost, 1);

  const accepted = perfectRun(plan);
  const rejected = accepted.writes.find((w) => w.expected !== 200)!;
  rejected.status = 200;
  assert.equal(judge(plan, NS, accepted.writes, accepted.final, accepted.watches).unexpected, 1);

  const stray = perfectRun(plan);
  stray.final.set('ConfigMap/ns-a/not-planned', { metadata: { name: 'not-planned' } });
  assert.equal(judge(plan, NS, stray.writes, stray.final, stray.watches).unexpected, 1);
});
