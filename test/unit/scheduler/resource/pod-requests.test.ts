import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, Pod, ResourceList } from '@src/kube-api/types';
import { podRequests, podResourceErrors } from '@src/scheduler/resource/pod-requests';
import { calculateResource, DEFAULT_NON_MISSING_REQUESTS } from '@src/scheduler/resource/pod-resources';
import { milliValue, value } from '@src/kube-api/quantity';
import { NO_SCALARS, type ResourceMap } from '@src/scheduler/resource/resource';

function c(requests?: ResourceList, restartPolicy?: string): Container {
  const out: Container = requests ? { resources: { requests } } : {};
  if (restartPolicy) out.restartPolicy = restartPolicy;
  return out;
}

function pod(spec: Pod['spec'], status?: unknown): Pod {
  const p: Pod = { metadata: { name: 'p' }, spec };
  if (status) p.status = status as Pod['status'];
  return p;
}

/** Converts an exact map to integers the way the scheduler does: cpu in milli, the rest in units. */
function ints(m: ResourceMap): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of m) out[k] = k === 'cpu' ? milliValue(v) : value(v);
  return out;
}

describe('podRequests (component-helpers PodRequests)', () => {
  const cases: { name: string; pod: Pod; opts?: Parameters<typeof podRequests>[1]; want: Record<string, number> }[] = [
    {
      name: 'containers sum',
      pod: pod({ containers: [c({ cpu: '1', memory: '1Gi' }), c({ cpu: '500m', memory: '512Mi' })] }),
      want: { cpu: 1500, memory: 1610612736 },
    },
    {
      name: 'init containers take the max, not the sum',
      pod: pod({
        containers: [c({ cpu: '1' }), c({ cpu: '2' })],
        initContainers: [c({ cpu: '4' }), c({ cpu: '2', memory: '1Gi' })],
      }),
      want: { cpu: 4000, memory: 1073741824 },
    },
    {
      name: 'a sidecar adds to the sum and to later init containers',
      pod: pod({
        containers: [c({ cpu: '1' })],
        initContainers: [c({ cpu: '1' }, 'Always'), c({ cpu: '2' })],
      }),
      want: { cpu: 3000 },
    },
    {
      name: 'a sidecar after a regular init container does not add to it',
      pod: pod({
        containers: [c({ cpu: '1' })],
        initContainers: [c({ cpu: '5' }), c({ cpu: '1' }, 'Always')],
      }),
      want: { cpu: 5000 },
    },
    {
      name: 'overhead adds and creates keys',
      pod: pod({ containers: [c({ cpu: '1' })], overhead: { cpu: '250m', memory: '10Mi' } }),
      want: { cpu: 1250, memory: 10485760 },
    },
    {
      name: 'overhead excluded',
      pod: pod({ containers: [c({ cpu: '1' })], overhead: { cpu: '250m' } }),
      opts: { excludeOverhead: true },
      want: { cpu: 1000 },
    },
    {
      name: 'pod-level requests replace the container aggregate per supported key',
      pod: pod({
        containers: [c({ cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' })],
        resources: { requests: { cpu: '2', 'hugepages-2Mi': '4Mi', 'ephemeral-storage': '5Gi' } },
      }),
      want: { cpu: 2000, memory: 1073741824, 'ephemeral-storage': 1073741824, 'hugepages-2Mi': 4194304 },
    },
    {
      name: 'pod-level requests skipped when the gate is off',
      pod: pod({ containers: [c({ cpu: '1' })], resources: { requests: { cpu: '2' } } }),
      opts: { skipPodLevelResources: true },
      want: { cpu: 1000 },
    },
    {
      name: 'pod-level requests then overhead',
      pod: pod({ containers: [c({ cpu: '1' })], resources: { requests: { cpu: '2' } }, overhead: { cpu: '100m' } }),
      want: { cpu: 2100 },
    },
    {
      name: 'non-missing defaults fill absent keys only; an explicit 0 is kept',
      pod: pod({ containers: [c({ cpu: '0' }), c()] }),
      opts: { nonMissingContainerRequests: DEFAULT_NON_MISSING_REQUESTS },
      want: { cpu: 100, memory: 2 * 209715200 },
    },
    {
      name: 'non-missing defaults apply to init containers too',
      pod: pod({ containers: [c({ cpu: '50m', memory: '1Mi' })], initContainers: [c()] }),
      opts: { nonMissingContainerRequests: DEFAULT_NON_MISSING_REQUESTS },
      want: { cpu: 100, memory: 209715200 },
    },
    {
      name: 'exact sum before rounding: 0.5 + 0.5 bytes',
      pod: pod({ containers: [c({ memory: '0.5' }), c({ memory: '0.5' })] }),
      want: { memory: 1 },
    },
    {
      name: 'status resources: the max of spec, actuated and allocated',
      pod: pod(
        { containers: [{ name: 'a', resources: { requests: { cpu: '1', memory: '2Gi' } } }] },
        {
          containerStatuses: [
            { name: 'a', resources: { requests: { cpu: '1500m' } }, allocatedResources: { cpu: '1', memory: '1Gi' } },
          ],
        },
      ),
      opts: { useStatusResources: true },
      want: { cpu: 1500, memory: 2147483648 },
    },
    {
      name: 'status resources: an infeasible resize ignores spec',
      pod: pod(
        { containers: [{ name: 'a', resources: { requests: { cpu: '4' } } }] },
        {
          conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }],
          containerStatuses: [{ name: 'a', allocatedResources: { cpu: '1' } }],
        },
      ),
      opts: { useStatusResources: true },
      want: { cpu: 1000 },
    },
    {
      name: 'status resources: an infeasible resize without statuses counts no container requests',
      pod: pod(
        { containers: [{ name: 'a', resources: { requests: { cpu: '4' } } }], overhead: { cpu: '100m' } },
        { conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }] },
      ),
      opts: { useStatusResources: true },
      want: { cpu: 100 },
    },
    {
      name: 'status resources are ignored when not asked for',
      pod: pod(
        { containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] },
        { containerStatuses: [{ name: 'a', allocatedResources: { cpu: '3' } }] },
      ),
      want: { cpu: 1000 },
    },
    {
      name: 'invalid quantities count as absent',
      pod: pod({ containers: [c({ cpu: 'lots', memory: '1Ki' })] }),
      want: { memory: 1024 },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => assert.deepEqual(ints(podRequests(tc.pod, tc.opts)), tc.want));
  }
});

describe('calculateResource (PodInfo.CalculateResource)', () => {
  it('best-effort pod with 2 containers: defaults only in the non-zero values', () => {
    const r = calculateResource(pod({ containers: [c(), c()] }));
    assert.equal(r.non0CPU, 200);
    assert.equal(r.non0Mem, 419430400);
    assert.equal(r.resource.milliCPU, 0);
    assert.equal(r.resource.memory, 0);
  });
  it('an explicit cpu 0 is kept; memory defaults', () => {
    const r = calculateResource(pod({ containers: [c({ cpu: '0' })] }));
    assert.equal(r.non0CPU, 0);
    assert.equal(r.non0Mem, 209715200);
  });
  it('pod-level cpu set, memory missing everywhere: memory defaults per container', () => {
    const p = pod({ containers: [c(), c()], resources: { requests: { cpu: '3' } } });
    const r = calculateResource(p);
    assert.equal(r.resource.milliCPU, 3000);
    assert.equal(r.non0CPU, 3000);
    assert.equal(r.non0Mem, 2 * 209715200);
  });
  it('with PodLevelResources off, pod-level requests are ignored', () => {
    const p = pod({ containers: [c({ cpu: '1' })], resources: { requests: { cpu: '3' } } });
    const r = calculateResource(p, { PodLevelResources: false });
    assert.equal(r.resource.milliCPU, 1000);
  });
  it('pods that request no scalar resource share one read-only empty map; a GPU pod has its own', () => {
    const a = calculateResource(pod({ containers: [c({ cpu: '1' })] })).resource;
    const b = calculateResource(pod({ containers: [c()] })).resource;
    assert.equal(a.scalarResources, NO_SCALARS);
    assert.equal(b.scalarResources, NO_SCALARS);
    assert.throws(() => a.scalarResources.set('nvidia.com/gpu', 1), TypeError);
    assert.equal(NO_SCALARS.size, 0);
    const gpu = calculateResource(pod({ containers: [c({ 'nvidia.com/gpu': '1' })] })).resource;
    assert.notEqual(gpu.scalarResources, NO_SCALARS);
    assert.deepEqual([...gpu.scalarResources], [['nvidia.com/gpu', 1]]);
  });
  it('scalar, hugepages and ephemeral-storage go to Requested; unknown keys are ignored', () => {
    const p = pod({
      containers: [
        c({ 'nvidia.com/gpu': '2', 'hugepages-2Mi': '2Mi', 'ephemeral-storage': '1Gi', bogus: '5', pods: '1' }),
      ],
    });
    const r = calculateResource(p).resource;
    assert.deepEqual(
      [...r.scalarResources],
      [
        ['nvidia.com/gpu', 2],
        ['hugepages-2Mi', 2097152],
      ],
    );
    assert.equal(r.ephemeralStorage, 1073741824);
    assert.equal(r.allowedPodNumber, 1);
  });
});

describe('podResourceErrors', () => {
  it('names each invalid field', () => {
    const p = pod({
      containers: [c({ cpu: '1' }), c({ cpu: 'x' })],
      initContainers: [c({ memory: '1..' })],
      overhead: { cpu: 'y' },
    });
    assert.deepEqual(
      podResourceErrors(p).map((e) => e.field),
      [
        'spec.initContainers[0].resources.requests.memory',
        'spec.containers[1].resources.requests.cpu',
        'spec.overhead.cpu',
      ],
    );
  });
});

describe('malformed pods never throw', () => {
  const bad: unknown[] = [
    {},
    { spec: null },
    { spec: { containers: 'x', initContainers: 5 } },
    { spec: { containers: [null, { resources: { requests: 'cpu' } }, { resources: null }] } },
    { spec: { containers: [{ resources: { requests: { cpu: {} } } }], overhead: 5, resources: { requests: [] } } },
    { spec: { containers: [] }, status: { containerStatuses: 'x', conditions: [null] } },
  ];
  bad.forEach((p, i) => {
    it(`case ${i}`, () => {
      assert.doesNotThrow(() => {
        podRequests(p as Pod, { useStatusResources: true, nonMissingContainerRequests: DEFAULT_NON_MISSING_REQUESTS });
        calculateResource(p as Pod);
        podResourceErrors(p as Pod);
      });
    });
  });
});

describe('calculateResource agrees with PodRequests + per-container defaults (random pods)', () => {
  // A small deterministic PRNG (mulberry32) so failures reproduce.
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const cpuVals = [undefined, '0', '100m', '250m', '1', '1.5', 'bad'];
  const memVals = [undefined, '0', '64Mi', '1Gi', '0.5', '1e3', 'bad'];
  const container = (name: string): Container => {
    const r: ResourceList = {};
    const cpu = pick(cpuVals);
    const mem = pick(memVals);
    if (cpu !== undefined) r['cpu'] = cpu;
    if (mem !== undefined) r['memory'] = mem;
    return { name, resources: { requests: r }, ...(rnd() < 0.2 ? { restartPolicy: 'Always' } : {}) };
  };
  for (let i = 0; i < 200; i++) {
    const containers = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, j) => container(`c${j}`));
    const initContainers = Array.from({ length: Math.floor(rnd() * 3) }, (_, j) => container(`i${j}`));
    const status =
      rnd() < 0.3
        ? { containerStatuses: [{ name: 'c0', allocatedResources: { cpu: pick(['2', '50m']) } }] }
        : rnd() < 0.1
          ? { conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }] }
          : undefined;
    const p = pod({ containers, initContainers, ...(rnd() < 0.2 ? { overhead: { cpu: '10m' } } : {}) }, status);
    it(`random pod ${i}`, () => {
      const r = calculateResource(p);
      const full = podRequests(p, {
        useStatusResources: true,
        inPlacePodLevelResourcesVerticalScalingEnabled: true,
        nonMissingContainerRequests: DEFAULT_NON_MISSING_REQUESTS,
      });
      const cpu = full.get('cpu');
      const mem = full.get('memory');
      assert.equal(r.non0CPU, cpu === undefined ? 0 : milliValue(cpu));
      assert.equal(r.non0Mem, mem === undefined ? 0 : value(mem));
    });
  }
});
