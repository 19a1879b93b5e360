import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  balancedResourceScore,
  balancedResourceScorer,
  create,
  legacyBalancedResourceScorer,
} from '@src/scheduler/plugins/noderesources/balanced-allocation';
import { makeNode } from '@test/builders/node';
import { container as ctr, makePod } from '@test/builders/pod';
import { cycleState as state, handleWith, nodeInfo } from '@test/builders/scheduler';

const CPU_MEM = {
  resources: [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ],
};

function scoreOf(
  pod: ReturnType<typeof makePod>,
  ni: ReturnType<typeof nodeInfo>,
  args: Record<string, unknown> = CPU_MEM,
) {
  const pl = create({ args, handle: handleWith(), features: {} });
  const st = state();
  const pre = pl.preScore(st, pod, [ni]);
  if (pre !== null) return pre.code;
  return pl.score(st, pod, ni).score;
}

describe('balancedResourceScore', () => {
  it('uses |f0 - f1| / 2 for two resources, with Go float order (0.3, 0.1 → 90)', () => {
    assert.equal(balancedResourceScore([3, 1], [10, 10]), 90);
  });
  it('truncates (1 - std) * 100 toward zero: fractions 0.9 and 0.7 give 89, not 90', () => {
    assert.equal(balancedResourceScore([9, 7], [10, 10]), 89);
  });
  it('caps fractions at 1 and skips resources with allocatable 0', () => {
    assert.equal(balancedResourceScore([20, 5, 7], [10, 10, 0]), 75);
  });
  it('uses the population standard deviation for three or more resources', () => {
    // Fractions 3000/3500, 5000/40000, 4/8 → std ≈ 0.2990 → 70.
    assert.equal(balancedResourceScore([3000, 5000, 4], [3500, 40000, 8]), 70);
  });
  it('is 100 with a single resource', () => {
    assert.equal(balancedResourceScore([1, 0], [10, 0]), 100);
  });
});

describe('balancedResourceScorer (v1.36+): 50 + (50 + with − without) / 2', () => {
  it('75 means the balance did not change', () => {
    assert.equal(balancedResourceScorer([5, 5], [2, 2], [10, 10]), 75);
  });
  it('reaches 100 when a pod turns the worst balance into a perfect one', () => {
    assert.equal(balancedResourceScorer([10, 10], [10, 0], [10, 10]), 100);
  });
  it('reaches 50 when a pod turns a perfect balance into the worst one', () => {
    assert.equal(balancedResourceScorer([10, 0], [0, 0], [10, 10]), 50);
  });
  it('truncates each sub-score separately (89 from float error → 69, not 70)', () => {
    assert.equal(balancedResourceScorer([9, 7], [0, 0], [10, 10]), 69);
  });
  it('differs from the pre-1.36 scorer, which looks only at the balance with the pod', () => {
    assert.equal(legacyBalancedResourceScorer([9, 7], [0, 0], [10, 10]), 89);
  });
});

describe('NodeResourcesBalancedAllocation plugin', () => {
  it('spec §8 setup A: 78 and 71', () => {
    const alloc = { cpu: '4000m', memory: '8Gi' };
    const pod = makePod('p', { containers: [ctr({ cpu: '500m', memory: '2Gi' })] });
    assert.equal(
      scoreOf(
        pod,
        nodeInfo(
          makeNode('n1', { allocatable: alloc }),
          makePod('p', { containers: [ctr({ cpu: '3', memory: '1Gi' })] }),
        ),
      ),
      78,
    );
    assert.equal(
      scoreOf(
        pod,
        nodeInfo(
          makeNode('n2', { allocatable: alloc }),
          makePod('p', { containers: [ctr({ cpu: '1', memory: '2Gi' })] }),
        ),
      ),
      71,
    );
  });

  it('skips best-effort pods at PreScore, and an explicit-zero pod too', () => {
    const ni = nodeInfo(makeNode('n', { allocatable: { cpu: '4', memory: '8Gi' } }));
    assert.equal(scoreOf(makePod('p', { containers: [ctr(), ctr()] }), ni), 'Skip');
    assert.equal(scoreOf(makePod('p', { containers: [ctr({ cpu: '0', memory: '0' })] }), ni), 'Skip');
  });

  it('scores a best-effort pod 0 when PreScore did not run', () => {
    const pl = create({ args: CPU_MEM, handle: handleWith(), features: {} });
    const ni = nodeInfo(makeNode('n', { allocatable: { cpu: '4', memory: '8Gi' } }));
    assert.equal(pl.score(state(), makePod('p', { containers: [ctr()] }), ni).score, 0);
  });

  it('uses Requested (no defaults) on the node side: best-effort pods on the node weigh nothing', () => {
    const node = makeNode('n', { allocatable: { cpu: '1', memory: '1000' } });
    const pod = makePod('p', { containers: [ctr({ cpu: '500m', memory: '500' })] });
    const empty = scoreOf(pod, nodeInfo(node));
    const withBestEffort = scoreOf(
      pod,
      nodeInfo(node, makePod('p', { containers: [ctr()] }), makePod('p', { containers: [ctr()] })),
    );
    assert.equal(empty, 75);
    assert.equal(withBestEffort, 75);
  });

  it('ignores a scalar resource the pod does not request', () => {
    const args = { resources: [...CPU_MEM.resources, { name: 'nvidia.com/gpu', weight: 1 }] };
    const node = makeNode('n', { allocatable: { cpu: '4', memory: '4Gi', 'nvidia.com/gpu': '8' } });
    const pod = makePod('p', { containers: [ctr({ cpu: '1', memory: '1Gi' })] });
    assert.equal(scoreOf(pod, nodeInfo(node), args), scoreOf(pod, nodeInfo(node)));
  });

  it('rejects weights other than 1, as upstream validation does', () => {
    assert.throws(
      () => create({ args: { resources: [{ name: 'cpu', weight: 2 }] }, handle: handleWith(), features: {} }),
      /resources\[0\]\.weight: Invalid value: 2: must be 1/,
    );
  });
});
