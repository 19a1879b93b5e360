import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, Node, Pod } from '@src/kube-api/types';
import { predict } from '@src/scheduler';
import { pickOneNodeForPreemption, type Candidate } from '@src/scheduler/plugins/defaultpreemption/preemption';

function node(name: string, cpu: string, extra: Partial<Node> = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { allocatable: { cpu, memory: '8Gi', pods: '110' } },
    ...extra,
  };
}

function pod(
  name: string,
  cpu: string,
  priority: number | undefined,
  nodeName?: string,
  extra: { startTime?: string; priorityClassName?: string; preemptionPolicy?: string } = {},
): Pod {
  const p: Pod = {
    metadata: { name, namespace: 'default', uid: name },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      ...(priority !== undefined ? { priority } : {}),
      ...(extra.priorityClassName ? { priorityClassName: extra.priorityClassName } : {}),
      ...(extra.preemptionPolicy ? { preemptionPolicy: extra.preemptionPolicy } : {}),
      containers: [{ name: 'c', resources: { requests: { cpu } } }],
    },
  };
  if (extra.startTime) p.status = { startTime: extra.startTime } as Pod['status'];
  return p;
}

function preemption(incoming: Pod, nodes: Node[], pods: Pod[], objects: KubeObject[] = []) {
  const r = predict(incoming, { nodes, pods, objects }, undefined, { now: Date.parse('2026-01-01T00:00:00Z') });
  assert.ok(r.ok, JSON.stringify(r));
  return r.result;
}

describe('DefaultPreemption victim selection (SelectVictimsOnNode)', () => {
  it('removes every lower-priority pod, then reprieves from the most important down', () => {
    const r = preemption(
      pod('p', '2', 10),
      [node('n1', '4')],
      [pod('v1', '1', 1, 'n1'), pod('v2', '1', 2, 'n1'), pod('v3', '1', 3, 'n1')],
    );
    assert.equal(r.selectedNode, undefined);
    assert.equal(r.preemption?.nominatedNode, 'n1');
    assert.deepEqual(
      r.preemption?.victims.map((v) => v.name),
      ['v1'],
    );
  });

  it('never evicts pods of equal or higher priority', () => {
    const r = preemption(
      pod('p', '2', 10),
      [node('n1', '4')],
      [pod('same', '1', 10, 'n1'), pod('high', '1', 20, 'n1'), pod('low', '1', 0, 'n1')],
    );
    assert.deepEqual(
      r.preemption?.victims.map((v) => v.name),
      ['low'],
    );
  });

  it('victims are listed most important first when several are needed', () => {
    const r = preemption(
      pod('p', '3', 10),
      [node('n1', '4')],
      [pod('a', '1', 1, 'n1'), pod('b', '1', 5, 'n1'), pod('c', '1', 3, 'n1'), pod('d', '1', 2, 'n1')],
    );
    // Free is 0; reprieving b (5) leaves 3 free; reprieving c, d or a would leave 2.
    assert.deepEqual(
      r.preemption?.victims.map((v) => v.name),
      ['c', 'd', 'a'],
    );
  });

  it('a node where even removing all lower-priority pods does not help keeps the filter reason', () => {
    const r = preemption(pod('p', '3', 10), [node('n1', '4')], [pod('high', '2', 100, 'n1'), pod('low', '1', 0, 'n1')]);
    assert.equal(r.preemption?.nominatedNode, undefined);
    assert.equal(
      r.failure,
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    );
  });
});

describe('DefaultPreemption with PreFilter extensions (RemovePod/AddPod)', () => {
  it('evicting a lower-priority pod clears a required anti-affinity conflict', () => {
    const p = pod('p', '100m', 100);
    p.spec!.affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    const db = (name: string, n: string, prio: number): Pod => ({
      ...pod(name, '100m', prio, n),
      metadata: { name, namespace: 'default', uid: name, labels: { app: 'db' } },
    });
    const r = preemption(p, [node('n1', '4'), node('n2', '4')], [db('low', 'n1', 0), db('high', 'n2', 200)]);
    // v1.37 says where preemption found room (the real v1.37.2 scheduler's message).
    assert.equal(
      r.failure,
      "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: found a potential placement for pod on node n1, preempting 1 victims",
    );
    assert.equal(r.preemption?.nominatedNode, 'n1');
    assert.deepEqual(
      r.preemption?.victims.map((v) => v.name),
      ['low'],
    );
  });

  it('topology spread skew is recomputed as victims are removed and reprieved', () => {
    const spread = pod('s', '100m', 100);
    spread.metadata!.labels = { app: 'w' };
    spread.spec!.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: 'w' } },
      },
    ];
    const w = (name: string, n: string): Pod => ({
      ...pod(name, '100m', 0, n),
      metadata: { name, namespace: 'default', uid: name, labels: { app: 'w' } },
    });
    // n1 holds 2 matching pods and n2 none (n2 is full of a more important pod), so the global minimum
    // stays 0 and n1 must drop to 0 matching pods: reprieving either victim would break maxSkew.
    const r = preemption(
      spread,
      [node('n1', '4'), node('n2', '100m')],
      [w('w1', 'n1'), w('w2', 'n1'), pod('filler', '100m', 1000, 'n2')],
    );
    assert.equal(r.preemption?.nominatedNode, 'n1');
    assert.deepEqual(r.preemption?.victims.map((v) => v.name).sort(), ['w1', 'w2']);
  });
});

describe('DefaultPreemption node choice (pickOneNodeForPreemption)', () => {
  const v = (name: string, priority: number, startTime?: string) =>
    pod(name, '1', priority, 'x', startTime ? { startTime } : {});
  const now = Date.parse('2026-01-01T00:00:00Z');
  const cases: { name: string; candidates: Candidate[]; want: string }[] = [
    {
      name: 'minimum highest-priority victim',
      candidates: [
        { node: 'a', victims: [v('a1', 5)], numPDBViolations: 0 },
        { node: 'b', victims: [v('b1', 3), v('b2', 3)], numPDBViolations: 0 },
      ],
      want: 'b',
    },
    {
      name: 'then the minimum sum of priorities',
      candidates: [
        { node: 'a', victims: [v('a1', 3), v('a2', 2)], numPDBViolations: 0 },
        { node: 'b', victims: [v('b1', 3), v('b2', 1)], numPDBViolations: 0 },
      ],
      want: 'b',
    },
    {
      name: 'then the fewest victims',
      candidates: [
        { node: 'a', victims: [v('a1', 3), v('a2', 0), v('a3', 0)], numPDBViolations: 0 },
        { node: 'b', victims: [v('b1', 3), v('b2', 0)], numPDBViolations: 0 },
      ],
      // Sums: a = 3+0+0 + 3·2^31, b = 3+0 + 2·2^31; b's shifted sum is smaller.
      want: 'b',
    },
    {
      name: 'then the latest start time among the highest-priority victims',
      candidates: [
        { node: 'a', victims: [v('a1', 3, '2025-01-01T00:00:00Z')], numPDBViolations: 0 },
        { node: 'b', victims: [v('b1', 3, '2025-06-01T00:00:00Z')], numPDBViolations: 0 },
      ],
      want: 'b',
    },
    {
      name: 'and finally the first candidate',
      candidates: [
        { node: 'a', victims: [v('a1', 3, '2025-01-01T00:00:00Z')], numPDBViolations: 0 },
        { node: 'b', victims: [v('b1', 3, '2025-01-01T00:00:00Z')], numPDBViolations: 0 },
      ],
      want: 'a',
    },
    {
      name: 'fewest PDB violations first',
      candidates: [
        { node: 'a', victims: [v('a1', 0)], numPDBViolations: 1 },
        { node: 'b', victims: [v('b1', 9)], numPDBViolations: 0 },
      ],
      want: 'b',
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(pickOneNodeForPreemption(c.candidates, now), c.want));

  it('predict nominates the node whose victims matter least', () => {
    const r = preemption(
      pod('p', '2', 10),
      [node('n1', '2'), node('n2', '2')],
      [pod('a', '2', 5, 'n1'), pod('b', '2', 1, 'n2')],
    );
    assert.equal(r.preemption?.nominatedNode, 'n2');
    assert.deepEqual(r.preemption?.victims, [{ namespace: 'default', name: 'b', priority: 1 }]);
  });
});

describe('DefaultPreemption eligibility and messages', () => {
  it('preemptionPolicy Never', () => {
    const r = preemption(
      pod('p', '2', 10, undefined, { preemptionPolicy: 'Never' }),
      [node('n1', '2')],
      [pod('a', '2', 0, 'n1')],
    );
    assert.equal(
      r.failure,
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
    assert.equal(r.preemption?.nominatedNode, undefined);
  });

  it('UU nodes are "not helpful", nodes without lower-priority pods have "no victims"', () => {
    const tainted = node('n1', '8', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } });
    const r = preemption(
      pod('p', '2', 0),
      [tainted, node('n2', '2'), node('n3', '2')],
      [pod('a', '1', 0, 'n2'), pod('b', '1', 0, 'n3')],
    );
    assert.equal(
      r.failure,
      '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('a PreFilter rejection makes preemption unhelpful on every node', () => {
    const p = pod('p', '1', 10);
    p.spec!.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['nowhere'] }] }],
        },
      },
    };
    const r = preemption(p, [node('n1', '2'), node('n2', '2')], [pod('a', '2', 0, 'n1')]);
    assert.match(r.failure!, /preemption: 0\/2 nodes are available: 2 Preemption is not helpful for scheduling\.$/);
  });

  it('priority comes from the PriorityClass (and globalDefault) when spec.priority is unset', () => {
    const classes: KubeObject[] = [
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 },
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'default' },
        value: 5,
        globalDefault: true,
      },
    ];
    const r = preemption(
      pod('p', '2', undefined, undefined, { priorityClassName: 'high' }),
      [node('n1', '2')],
      [pod('a', '2', undefined, 'n1')],
      classes,
    );
    assert.equal(r.pod.priority, 1000);
    assert.deepEqual(r.preemption?.victims, [{ namespace: 'default', name: 'a', priority: 5 }]);
  });

  it('an unknown PriorityClass is an input error', () => {
    const r = predict(pod('p', '1', undefined, undefined, { priorityClassName: 'nope' }), { nodes: [node('n1', '2')] });
    assert.equal(r.ok, false);
    assert.match(
      !r.ok ? r.errors[0]!.message : '',
      /^spec\.priorityClassName: .*no PriorityClass with name nope was found/,
    );
  });
});

describe('DefaultPreemption and PodDisruptionBudgets (FilterVictimsWithPDBViolation)', () => {
  const labelled = (p: Pod, labels: Record<string, string>): Pod => ({ ...p, metadata: { ...p.metadata, labels } });
  const pdb = (name: string, app: string, allowed: number, namespace = 'default'): KubeObject => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app } } },
    status: { disruptionsAllowed: allowed },
  });

  it('prefers the node whose victims violate no budget, even with a later start time', () => {
    // n1's victim is protected (0 disruptions allowed); without the budget n1 would win the last
    // tie-break (its victim started later).
    const r = preemption(
      pod('p', '3', 10),
      [node('n1', '4'), node('n2', '4')],
      [
        labelled(pod('db', '2', 0, 'n1', { startTime: '2025-06-01T00:00:00Z' }), { app: 'db' }),
        labelled(pod('web', '2', 0, 'n2', { startTime: '2025-01-01T00:00:00Z' }), { app: 'web' }),
      ],
      [pdb('db-pdb', 'db', 0)],
    );
    assert.equal(r.preemption?.nominatedNode, 'n2');
    assert.deepEqual(
      r.preemption?.victims.map((v) => v.name),
      ['web'],
    );
  });

  it('reprieves budget-protected pods first, so the unprotected one is evicted when one eviction suffices', () => {
    const r = preemption(
      pod('p', '2', 10),
      [node('n1', '4')],
      [
        labelled(pod('a', '2', 0, 'n1', { startTime: '2025-01-01T00:00:00Z' }), { app: 'db' }),
        labelled(pod('b', '2', 5, 'n1', { startTime: '2025-01-01T00:00:00Z' }), { app: 'cache' }),
      ],
      [pdb('db-pdb', 'db', 0)],
    );
    // Without the budget, b (more important) would be reprieved and a evicted.
    assert.deepEqual(
      r.preemption?.victims.map((v) => v.name),
      ['b'],
    );
  });

  it('a budget in another namespace, or one that still allows a disruption, protects nothing', () => {
    const r = preemption(
      pod('p', '3', 10),
      [node('n1', '4'), node('n2', '4')],
      [
        labelled(pod('db', '2', 0, 'n1', { startTime: '2025-06-01T00:00:00Z' }), { app: 'db' }),
        labelled(pod('web', '2', 0, 'n2', { startTime: '2025-01-01T00:00:00Z' }), { app: 'web' }),
      ],
      [pdb('db-pdb', 'db', 0, 'other'), pdb('web-pdb', 'web', 1)],
    );
    // Equal on every criterion but the start time: the victim that started last (db on n1) goes.
    assert.equal(r.preemption?.nominatedNode, 'n1');
  });
});
