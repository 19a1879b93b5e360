/**
 * DomainSums (PodTopologySpread's all-nodes pass carried across cycles): after any sequence of node
 * changes, additions, removals and reorderings, the sums and the value order equal a fresh pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeInfo } from '@src/scheduler/framework/interface';
import { DomainSums, type Contribute } from '@src/scheduler/plugins/podtopologyspread/domain-sums';
// A seeded random source, so failures replay.
import { seededRandom as rng } from '@test/builders/random';

/** What a fake node adds per constraint: a value and a count, or nothing. */
interface Fake {
  generation: number;
  adds: ({ value: string; count: number } | undefined)[];
}

const contribute: Contribute = (_ni, nodeInfo, add) => {
  const f = nodeInfo as unknown as Fake;
  f.adds.forEach((a, i) => {
    if (a !== undefined) add(i, a.value, a.count);
  });
};

/** The sums and value order of a fresh pass, per constraint. */
function fresh(nodes: Fake[], n: number): Map<string, number>[] {
  const out = Array.from({ length: n }, () => new Map<string, number>());
  for (const f of nodes)
    f.adds.forEach((a, i) => {
      if (a !== undefined) out[i]!.set(a.value, (out[i]!.get(a.value) ?? 0) + a.count);
    });
  return out;
}

describe('DomainSums', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: sums and value order equal a fresh pass through 300 random changes`, () => {
      const r = rng(seed);
      const n = 2;
      let gen = 0;
      const randomAdds = (): Fake['adds'] =>
        Array.from({ length: n }, () =>
          r() < 0.2 ? undefined : { value: `v${Math.floor(r() * 5)}`, count: Math.floor(r() * 4) },
        );
      let nodes: Fake[] = Array.from({ length: 10 }, () => ({ generation: ++gen, adds: randomAdds() }));
      const sums = new DomainSums('s', n);
      for (let step = 0; step < 300; step++) {
        sums.update(nodes as unknown as NodeInfo[], contribute);
        const want = fresh(nodes, n);
        for (let i = 0; i < n; i++) {
          assert.deepEqual([...sums.orderedValues(i)], [...want[i]!.keys()], `step ${step} constraint ${i}: order`);
          for (const [v, total] of want[i]!) assert.equal(sums.sum(i, v), total, `step ${step} ${i} ${v}`);
        }
        const op = r();
        if (op < 0.4) {
          // A node changes in place (new generation).
          const f = nodes[Math.floor(r() * nodes.length)]!;
          f.adds = randomAdds();
          f.generation = ++gen;
        } else if (op < 0.6 && nodes.length > 2) {
          nodes.splice(Math.floor(r() * nodes.length), 1);
        } else if (op < 0.8) {
          nodes.splice(Math.floor(r() * (nodes.length + 1)), 0, { generation: ++gen, adds: randomAdds() });
        } else {
          // Reordered (another node list order).
          nodes = [...nodes].sort(() => r() - 0.5);
        }
      }
    });
  }
});
