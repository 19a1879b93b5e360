/**
 * The contended counters' check (test/load/contention.ts) on hand-made records: it passes only when
 * no acknowledged increment was lost, in the final count or in a watch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiClient } from '@test/real-cluster/api-client';
import type { WatchRecord } from '@test/load/checks';
import { Counters } from '@test/load/contention';

/** Answers every GET of a counter with `count` (the checker's only read). */
const finalCount = (count: number): ApiClient =>
  ({
    request: async () => ({ status: 200, body: { data: { count: String(count) } }, text: '' }),
  }) as unknown as ApiClient;

function counters(values: number[]): Counters {
  const c = new Counters('ns', 'run', 1);
  values.forEach((value, i) => c.acked.push({ counter: 0, value, rv: String(10 + i) }));
  return c;
}

const watch = (rvs: number[]): WatchRecord => ({
  spec: { name: 'configmaps-all', path: '', kind: 'ConfigMap', bookmarks: false, from: 'start' },
  startRv: '1',
  events: rvs.map((rv) => ({ type: 'MODIFIED', key: 'ns/load-counter-0', rv: String(rv), terminating: false, at: 0 })),
});

test('increments 1..N acknowledged once each, a final count of N and every event seen pass', async () => {
  const v = await counters([1, 2, 3]).check(finalCount(3), [watch([10, 11, 12])]);
  assert.deepEqual(v, { passed: 4, lost: 0, failures: [] });
});

test('a lost update, a wrong final count and a missing event are each lost', async () => {
  assert.equal((await counters([1, 2, 2]).check(finalCount(2), [watch([10, 11, 12])])).lost, 1);
  assert.equal((await counters([1, 2, 3]).check(finalCount(2), [watch([10, 11, 12])])).lost, 1);
  assert.equal((await counters([1, 2, 3]).check(finalCount(3), [watch([10, 12])])).lost, 1);
});
