import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  heapInit,
  heapPop,
  numFeasibleNodesToFind,
  selectHost,
  selectHostIndex,
  type HeapEntry,
} from '@src/scheduler/runtime/node-selection';

describe('numFeasibleNodesToFind', () => {
  // The adaptive table of spec §4.5 (schedule_one.go numFeasibleNodesToFind).
  const table: [number, number, number][] = [
    [0, 0, 0],
    [0, 99, 99],
    [0, 100, 100],
    [0, 200, 100],
    [0, 1000, 420],
    [0, 5000, 500],
    [0, 5625, 281],
    [0, 6000, 300],
    [0, 15000, 750],
    [30, 1000, 300],
    [1, 1000, 100],
    [100, 1000, 1000],
    [50, 99, 99],
  ];
  for (const [pct, n, want] of table) {
    it(`percentage ${pct}, ${n} nodes → ${want}`, () => {
      assert.equal(numFeasibleNodesToFind(pct, n), want);
    });
  }
});

describe('Go container/heap node selection', () => {
  const entries = (totals: number[]): HeapEntry[] =>
    totals.map((t, i) => ({ name: `n${i}`, totalScore: t, randomizer: 0 }));

  it('takes the maximum total score', () => {
    assert.equal(selectHost(entries([10, 50, 30]))!.host, 'n1');
  });

  it('breaks ties by the heap layout, not by feasible order', () => {
    // heap.Init over [5, 9, 9, 9]: down(1) keeps n1; down(0) swaps n0 with its first child n1.
    assert.equal(selectHost(entries([5, 9, 9, 9]))!.host, 'n1');
    // [1, 2, 3, 3]: down(1) lifts n3 above n1, then down(0) prefers the left child n3 over the
    // equal n2, so the later node in feasible order wins.
    const h = entries([1, 2, 3, 3]);
    heapInit(h);
    assert.equal(h[0]!.name, 'n3');
  });

  it('reports every node sharing the top score', () => {
    const r = selectHost(entries([7, 9, 3, 9]))!;
    assert.deepEqual(r.tiedNodes, ['n1', 'n3']);
    assert.ok(['n1', 'n3'].includes(r.host));
  });

  it('pops in descending order of total score', () => {
    const h = entries([4, 8, 1, 9, 2, 7]);
    heapInit(h);
    const out: number[] = [];
    for (let e = heapPop(h); e; e = heapPop(h)) out.push(e.totalScore);
    assert.deepEqual(out, [9, 8, 7, 4, 2, 1]);
  });

  it('the index heap picks the same node as the entry heap (seeded random totals with many ties)', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const totals = Array.from({ length: 1 + rnd(60) }, () => rnd(5) * 100);
      const byEntries = selectHost(entries(totals))!;
      const byIndex = selectHostIndex(Float64Array.from(totals))!;
      assert.equal(`n${byIndex.host}`, byEntries.host);
      assert.deepEqual(
        byIndex.tied.map((i) => `n${i}`),
        byEntries.tiedNodes,
      );
    }
  });

  it('returns undefined for no nodes', () => {
    assert.equal(selectHost([]), undefined);
  });
});
