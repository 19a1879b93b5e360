import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@src/kube-api/types';
import type { FeatureGates } from '@src/scheduler/framework/interface';
import { leastRequestedScore } from '@src/scheduler/plugins/noderesources/least-allocated';
import { mostRequestedScore } from '@src/scheduler/plugins/noderesources/most-allocated';
import { create, fits, REASON_SIDECARS_DISABLED, REASON_TOO_MANY_PODS } from '@src/scheduler/plugins/noderesources/fit';
import { makeNode } from '@test/builders/node';
import { container as ctr, makePod } from '@test/builders/pod';
import { cycleState as state, handleWith, nodeInfo } from '@test/builders/scheduler';

const LEAST = {
  scoringStrategy: {
    type: 'LeastAllocated',
    resources: [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ],
  },
};

function fit(args: Record<string, unknown> = LEAST, features: FeatureGates = {}, objs: KubeObject[] = []) {
  return create({ args, handle: handleWith(objs), features });
}

function filterStatus(
  pl: ReturnType<typeof fit>,
  pod: ReturnType<typeof makePod>,
  ni: ReturnType<typeof nodeInfo>,
): { code: string; reasons: readonly string[] } | 'Success' {
  const st = state();
  const pf = pl.preFilter(st, pod, [ni]);
  if (pf.status !== null) return { code: pf.status.code, reasons: pf.status.reasons };
  const s = pl.filter(st, pod, ni);
  return s === null ? 'Success' : { code: s.code, reasons: s.reasons };
}

describe('NodeResourcesFit Filter', () => {
  it('reports several reasons on one node, in upstream order; U when each request fits the node alone', () => {
    const node = makeNode('n', { allocatable: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '10Gi', pods: '1' } });
    const existing = makePod('p', {
      containers: [ctr({ cpu: '1500m', memory: '1536Mi', 'ephemeral-storage': '9Gi' })],
    });
    const pod = makePod('p', { containers: [ctr({ cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' })] });
    assert.deepEqual(filterStatus(fit(), pod, nodeInfo(node, existing)), {
      code: 'Unschedulable',
      reasons: [REASON_TOO_MANY_PODS, 'Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage'],
    });
  });

  it('is UnschedulableAndUnresolvable when one request exceeds allocatable outright', () => {
    const node = makeNode('n', { allocatable: { cpu: '2', memory: '2Gi' } });
    const pod = makePod('p', { containers: [ctr({ cpu: '3', memory: '1Gi' })] });
    assert.deepEqual(filterStatus(fit(), pod, nodeInfo(node)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient cpu'],
    });
  });

  it('applies no non-zero defaults: a best-effort pod only meets the pod-count check', () => {
    const node = makeNode('n', { allocatable: { cpu: '0', memory: '0' } });
    assert.equal(filterStatus(fit(), makePod('p', { containers: [ctr(), ctr()] }), nodeInfo(node)), 'Success');
    const full = makeNode('n', { allocatable: { cpu: '1', memory: '1Gi', pods: '1' } });
    assert.deepEqual(
      filterStatus(fit(), makePod('p', { containers: [ctr()] }), nodeInfo(full, makePod('p', { containers: [ctr()] }))),
      {
        code: 'Unschedulable',
        reasons: [REASON_TOO_MANY_PODS],
      },
    );
  });

  it('reports scalar resources in sorted name order, each with its own code', () => {
    const node = makeNode('n', { allocatable: { cpu: '4', 'example.com/b': '1', 'example.com/a': '4' } });
    const existing = makePod('p', { containers: [ctr({ 'example.com/a': '3' })] });
    const pod = makePod('p', {
      containers: [ctr({ 'example.com/z': '1', 'example.com/b': '1', 'example.com/a': '2' })],
    });
    assert.deepEqual(filterStatus(fit(), pod, nodeInfo(node, existing)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient example.com/a', 'Insufficient example.com/z'],
    });
  });

  it('skips ignored extended resources and ignored resource groups, never native ones', () => {
    const node = makeNode('n', { allocatable: { cpu: '4' } });
    const pod = makePod('p', {
      containers: [ctr({ 'example.com/a': '1', 'vendor.io/x': '1', 'hugepages-2Mi': '2Mi' })],
    });
    const args = {
      ...LEAST,
      ignoredResources: ['example.com/a'],
      ignoredResourceGroups: ['vendor.io', 'hugepages-2Mi'],
    };
    assert.deepEqual(filterStatus(fit(args), pod, nodeInfo(node)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient hugepages-2Mi'],
    });
  });

  it('ignores a scalar request of 0 but still leaves the no-request shortcut', () => {
    const node = makeNode('n', { allocatable: { cpu: '1', pods: '1' } });
    const pod = makePod('p', { containers: [ctr({ 'example.com/a': '0' })] });
    assert.equal(filterStatus(fit(), pod, nodeInfo(node)), 'Success');
  });

  it('before v1.37, rejects restartable init containers when SidecarContainers is off; v1.37 never does', () => {
    const node = makeNode('n', { allocatable: { cpu: '4' } });
    const pod = makePod('p', {
      containers: [ctr({ cpu: '1' })],
      spec: { initContainers: [ctr({ cpu: '1' }, 'Always')] },
    });
    const at = (kubernetesVersion: string, features: FeatureGates = {}) =>
      create({ args: LEAST, handle: handleWith([]), features, kubernetesVersion });
    assert.deepEqual(filterStatus(at('v1.36.3'), pod, nodeInfo(node)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: [REASON_SIDECARS_DISABLED],
    });
    assert.equal(filterStatus(at('v1.36.3', { SidecarContainers: true }), pod, nodeInfo(node)), 'Success');
    // v1.37.2's fit.go no longer reads the gate (the real scheduler's oracle agrees).
    assert.equal(filterStatus(at('v1.37.2'), pod, nodeInfo(node)), 'Success');
  });

  it('counts sidecars in the request: sum of containers and sidecars vs later init containers', () => {
    const node = makeNode('n', { allocatable: { cpu: '2' } });
    const pod = makePod('p', {
      containers: [ctr({ cpu: '1' })],
      spec: { initContainers: [ctr({ cpu: '1' }, 'Always'), ctr({ cpu: '1500m' })] },
    });
    assert.deepEqual(filterStatus(fit(LEAST, { SidecarContainers: true }), pod, nodeInfo(node)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient cpu'],
    });
  });

  it('uses pod-level requests only when PodLevelResources is on', () => {
    const node = makeNode('n', { allocatable: { cpu: '2' } });
    const pod = makePod('p', { containers: [ctr({ cpu: '1' })], spec: { resources: { requests: { cpu: '3' } } } });
    assert.equal(filterStatus(fit(), pod, nodeInfo(node)), 'Success');
    assert.deepEqual(filterStatus(fit(LEAST, { PodLevelResources: true }), pod, nodeInfo(node)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient cpu'],
    });
  });

  it('includes pod overhead', () => {
    const node = makeNode('n', { allocatable: { cpu: '1' } });
    const pod = makePod('p', { containers: [ctr({ cpu: '900m' })], spec: { overhead: { cpu: '200m' } } });
    assert.deepEqual(filterStatus(fit(), pod, nodeInfo(node)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient cpu'],
    });
  });

  it('leaves DRA-backed extended resources to DynamicResources when DRAExtendedResource is on', () => {
    const node = makeNode('n', { allocatable: { cpu: '1' } });
    const classes: KubeObject[] = [
      { kind: 'DeviceClass', metadata: { name: 'gpu' }, spec: { extendedResourceName: 'example.com/gpu' } },
    ];
    const explicit = makePod('p', { containers: [ctr({ 'example.com/gpu': '1' })] });
    const implicit = makePod('p', { containers: [ctr({ 'deviceclass.resource.kubernetes.io/gpu': '1' })] });
    const unmapped = makePod('p', { containers: [ctr({ 'example.com/other': '1' })] });
    const on = fit(LEAST, { DRAExtendedResource: true }, classes);
    assert.equal(filterStatus(on, explicit, nodeInfo(node)), 'Success');
    assert.equal(filterStatus(on, implicit, nodeInfo(node)), 'Success');
    assert.deepEqual(filterStatus(on, unmapped, nodeInfo(node)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient example.com/other'],
    });
    assert.deepEqual(filterStatus(fit(LEAST, {}, classes), explicit, nodeInfo(node)), {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient example.com/gpu'],
    });
  });

  it('turns an invalid quantity into an Error naming the field', () => {
    const pod = makePod('p', { containers: [ctr({ cpu: '1' }), ctr({ memory: 'lots' })] });
    assert.deepEqual(filterStatus(fit(), pod, nodeInfo(makeNode('n', { allocatable: { cpu: '4' } }))), {
      code: 'Error',
      reasons: [
        "spec.containers[1].resources.requests.memory: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      ],
    });
  });

  it('errors when Filter runs without PreFilter', () => {
    const s = fit().filter(state(), makePod('p', { containers: [] }), nodeInfo(makeNode('n', { allocatable: {} })));
    assert.equal(s?.code, 'Error');
    assert.equal(s?.message(), 'error reading "PreFilterNodeResourcesFit" from cycleState: not found');
  });
});

describe('NodeResourcesFit Score', () => {
  function score(args: Record<string, unknown>, pod: ReturnType<typeof makePod>, ni: ReturnType<typeof nodeInfo>) {
    const pl = fit(args);
    const st = state();
    assert.equal(pl.preScore(st, pod, [ni]), null);
    return pl.score(st, pod, ni).score;
  }

  it('spec §8 setup A: LeastAllocated 37 and 56', () => {
    const alloc = { cpu: '4000m', memory: '8Gi' };
    const pod = makePod('p', { containers: [ctr({ cpu: '500m', memory: '2Gi' })] });
    assert.equal(
      score(
        LEAST,
        pod,
        nodeInfo(
          makeNode('n1', { allocatable: alloc }),
          makePod('p', { containers: [ctr({ cpu: '3', memory: '1Gi' })] }),
        ),
      ),
      37,
    );
    assert.equal(
      score(
        LEAST,
        pod,
        nodeInfo(
          makeNode('n2', { allocatable: alloc }),
          makePod('p', { containers: [ctr({ cpu: '1', memory: '2Gi' })] }),
        ),
      ),
      56,
    );
  });

  it('uses non-zero defaults in scoring: a best-effort pod counts as 100m / 200Mi on both sides', () => {
    const node = makeNode('n', { allocatable: { cpu: '1', memory: '1000Mi' } });
    // Node side: one best-effort pod (100m, 200Mi); pod side: 100m, 200Mi.
    // cpu (1000-200)*100/1000 = 80, memory (1000-400)*100/1000 = 60 → 70.
    assert.equal(
      score(LEAST, makePod('p', { containers: [ctr()] }), nodeInfo(node, makePod('p', { containers: [ctr()] }))),
      70,
    );
  });

  it('keeps an explicit 0 request as 0 in scoring', () => {
    const node = makeNode('n', { allocatable: { cpu: '1', memory: '1000Mi' } });
    // cpu: 0 requested explicitly → 100; memory defaults to 200Mi → 80; mean 90.
    assert.equal(score(LEAST, makePod('p', { containers: [ctr({ cpu: '0' })] }), nodeInfo(node)), 90);
  });

  it('MostAllocated caps requests at capacity; weights give a truncated mean', () => {
    const args = {
      scoringStrategy: {
        type: 'MostAllocated',
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 2 },
        ],
      },
    };
    const node = makeNode('n', { allocatable: { cpu: '1', memory: '3' } });
    // cpu 2000/1000 → capped 100; memory 1/3 → 33; (100*1 + 33*2)/3 = 55.
    assert.equal(score(args, makePod('p', { containers: [ctr({ cpu: '2', memory: '1' })] }), nodeInfo(node)), 55);
  });

  it('RequestedToCapacityRatio interpolates with truncation and rounds the weighted mean', () => {
    const args = {
      scoringStrategy: {
        type: 'RequestedToCapacityRatio',
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 2 },
        ],
        requestedToCapacityRatio: {
          shape: [
            { utilization: 0, score: 10 },
            { utilization: 100, score: 3 },
          ],
        },
      },
    };
    const node = makeNode('n', { allocatable: { cpu: '3', memory: '7' } });
    // cpu util 1000*100/3000 = 33 → 100 + (30-100)*33/100 = 100 - 23 (trunc toward 0) = 77.
    // memory util 1*100/7 = 14 → 100 - 9 = 91 (−980/100 → −9). (77 + 182)/3 = 86.33 → 86.
    assert.equal(score(args, makePod('p', { containers: [ctr({ cpu: '1', memory: '1' })] }), nodeInfo(node)), 86);
  });

  it('skips a scalar resource the pod does not request, and one the node lacks', () => {
    const args = {
      scoringStrategy: {
        type: 'LeastAllocated',
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'example.com/x', weight: 5 },
        ],
      },
    };
    const node = makeNode('n', { allocatable: { cpu: '1', 'example.com/x': '4' } });
    assert.equal(score(args, makePod('p', { containers: [ctr({ cpu: '500m' })] }), nodeInfo(node)), 50);
    // Requested: (4-1)*100/4 = 75 → (50 + 75*5)/6 = 70.
    assert.equal(
      score(args, makePod('p', { containers: [ctr({ cpu: '500m', 'example.com/x': '1' })] }), nodeInfo(node)),
      70,
    );
    const without = makeNode('m', { allocatable: { cpu: '1' } });
    assert.equal(
      score(args, makePod('p', { containers: [ctr({ cpu: '500m', 'example.com/x': '1' })] }), nodeInfo(without)),
      50,
    );
  });

  it('is exact beyond 2^53 intermediate products (memory bytes × 100)', () => {
    // (c - r) * 100 / c = 55.9999999… exactly → 55; IEEE doubles round the product and give 56.
    const c = 8537412623475202;
    const r = 3756461554329089;
    assert.equal(Math.trunc(((c - r) * 100) / c), 56);
    assert.equal(leastRequestedScore(r, c), 55);
    const args = { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'memory', weight: 1 }] } };
    assert.equal(
      score(
        args,
        makePod('p', { containers: [ctr({ memory: String(r) })] }),
        nodeInfo(makeNode('n', { allocatable: { memory: String(c) } })),
      ),
      55,
    );
    assert.equal(mostRequestedScore(c - r, c), 55);
  });

  it('rejects invalid args with the field errors', () => {
    assert.throws(
      () => fit({ scoringStrategy: { type: 'Nope', resources: [{ name: 'cpu', weight: 200 }] } }),
      /scoringStrategy\.type: Unsupported value: "Nope".*scoringStrategy\.resources\[0\]\.weight: Invalid value: 200/,
    );
  });

  it('defaults missing args to LeastAllocated over cpu and memory', () => {
    const node = makeNode('n', { allocatable: { cpu: '4000m', memory: '8Gi' } });
    const pod = makePod('p', { containers: [ctr({ cpu: '500m', memory: '2Gi' })] });
    const pl = create({ args: undefined, handle: handleWith(), features: {} });
    const st = state();
    const ni = nodeInfo(node, makePod('p', { containers: [ctr({ cpu: '3', memory: '1Gi' })] }));
    pl.preScore(st, pod, [ni]);
    assert.equal(pl.score(st, pod, ni).score, 37);
  });
});

describe('fits (exported Fits helper)', () => {
  it('returns each shortfall with its figures, and nothing when the pod fits', () => {
    const node = makeNode('n', { allocatable: { cpu: '2', memory: '1Gi', pods: '110' } });
    const ni = nodeInfo(node, makePod('p', { containers: [ctr({ cpu: '1500m', memory: '512Mi' })] }));
    assert.deepEqual(fits(makePod('p', { containers: [ctr({ cpu: '1', memory: '256Mi' })] }), ni), [
      {
        resourceName: 'cpu',
        reason: 'Insufficient cpu',
        requested: 1000,
        used: 1500,
        capacity: 2000,
        unresolvable: false,
      },
    ]);
    assert.deepEqual(fits(makePod('p', { containers: [ctr({ cpu: '500m' })] }), ni), []);
  });
});
