/**
 * PodTopologySpread PreFilterExtensions.AddPod / RemovePod, ported from filtering_test.go
 * TestPreFilterStateAddPod and TestPreFilterStateRemovePod: the per-constraint match counts and
 * the two critical paths after adding or removing one pod (what preemption's what-if runs rely
 * on). Upstream keys its expectations by topology pair; here they are listed per constraint, in
 * constraint order. Critical paths compare as upstream's cmpOpts do: entries with equal counts
 * are ordered by topology value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod, TopologySpreadConstraint } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { newPodInfo } from '@src/scheduler/framework/node-info';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { PRE_FILTER_STATE_KEY, type PreFilterState } from '@src/scheduler/plugins/podtopologyspread/filtering';
import { create } from '@src/scheduler/plugins/podtopologyspread/plugin';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

const MAX = 2147483647;
const foo = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const bar = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] };
const hard = (key: string, sel: object): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: key,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: sel,
});
const p = (name: string, node: string, labels: Record<string, string>, ns = 'default'): Pod =>
  makePod(name, { node, labels, namespace: ns });
const n = (name: string, zone: string, extra: Record<string, string> = {}): Node =>
  makeNode(name, { labels: { zone, node: name, ...extra } });
const notInBar = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'foo', operator: 'NotIn', values: ['bar'] }] }],
    },
  },
};

type Paths = [[string, number], [string, number]];

/** Upstream's test-only `criticalPaths.sort`: equal counts are ordered by topology value. */
function sortPaths(p: Paths): Paths {
  if (p[0][1] === p[1][1] && p[0][0] > p[1][0])
    return [
      [p[1][0], p[0][1]],
      [p[0][0], p[1][1]],
    ];
  return p;
}

/** The state after PreFilter and one AddPod / RemovePod, in the shape of `Case.want`. */
function stateAfter(
  preemptor: Pod,
  nodes: Node[],
  existingPods: Pod[],
  nodeIdx: number,
  pod: Pod,
  op: 'add' | 'remove',
  enableNodeInclusionPolicy: boolean,
): Case['want'] {
  const snap = snapshotFrom({ nodes, pods: existingPods });
  const features = {
    NodeInclusionPolicyInPodTopologySpread: enableNodeInclusionPolicy,
    MatchLabelKeysInPodTopologySpread: false,
  };
  const pl = create({ args: { defaultingType: 'List' }, handle: snap, features });
  const state = new CycleState();
  assert.equal(pl.preFilter(state, preemptor, snap.nodeInfos()).status, null);
  const ni = snap.getNodeInfo(nodes[nodeIdx]!.metadata!.name!)!;
  const st =
    op === 'add'
      ? pl.addPod(state, preemptor, newPodInfo(pod), ni)
      : pl.removePod(state, preemptor, newPodInfo(pod), ni);
  assert.equal(st, null);
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY)!;
  return s.constraints.map((_, i) => ({
    paths: sortPaths([
      [s.criticalPaths[i]!.value0, s.criticalPaths[i]!.num0],
      [s.criticalPaths[i]!.value1, s.criticalPaths[i]!.num1],
    ]),
    counts: Object.fromEntries([...s.tpValueToMatchNum[i]!].sort(([a], [b]) => (a < b ? -1 : 1))),
  }));
}

interface Case {
  name: string;
  preemptor: Pod;
  addedPod: Pod;
  existingPods: Pod[];
  nodeIdx: number;
  nodes: Node[];
  enableNodeInclusionPolicy?: boolean;
  /** Per constraint: [[value0, num0], [value1, num1]] critical paths and the value → count map. */
  want: { paths: Paths; counts: Record<string, number> }[];
}

const cases: Case[] = [
  {
    name: 'node a and b both impact current min match',
    preemptor: makePod('p', { labels: { foo: '' }, spec: { topologySpreadConstraints: [hard('node', foo)] } }),
    addedPod: p('p-a1', 'node-a', { foo: '' }),
    existingPods: [],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1'), n('node-b', 'zone1')],
    want: [
      {
        paths: [
          ['node-b', 0],
          ['node-a', 1],
        ],
        counts: { 'node-a': 1, 'node-b': 0 },
      },
    ],
  },
  {
    name: 'only node a impacts current min match',
    preemptor: makePod('p', { labels: { foo: '' }, spec: { topologySpreadConstraints: [hard('node', foo)] } }),
    addedPod: p('p-a1', 'node-a', { foo: '' }),
    existingPods: [p('p-b1', 'node-b', { foo: '' })],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1'), n('node-b', 'zone1')],
    want: [
      {
        paths: [
          ['node-a', 1],
          ['node-b', 1],
        ],
        counts: { 'node-a': 1, 'node-b': 1 },
      },
    ],
  },
  {
    name: "add a pod in a different namespace doesn't change topologyKeyToMinPodsMap",
    preemptor: makePod('p', { labels: { foo: '' }, spec: { topologySpreadConstraints: [hard('node', foo)] } }),
    addedPod: p('p-a1', 'node-a', { foo: '' }, 'ns1'),
    existingPods: [p('p-b1', 'node-b', { foo: '' })],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1'), n('node-b', 'zone1')],
    want: [
      {
        paths: [
          ['node-a', 0],
          ['node-b', 1],
        ],
        counts: { 'node-a': 0, 'node-b': 1 },
      },
    ],
  },
  {
    name: "add pod on non-critical node won't trigger re-calculation",
    preemptor: makePod('p', { labels: { foo: '' }, spec: { topologySpreadConstraints: [hard('node', foo)] } }),
    addedPod: p('p-b2', 'node-b', { foo: '' }),
    existingPods: [p('p-b1', 'node-b', { foo: '' })],
    nodeIdx: 1,
    nodes: [n('node-a', 'zone1'), n('node-b', 'zone1')],
    want: [
      {
        paths: [
          ['node-a', 0],
          ['node-b', 2],
        ],
        counts: { 'node-a': 0, 'node-b': 2 },
      },
    ],
  },
  {
    name: 'node a and x both impact topologyKeyToMinPodsMap on zone and node',
    preemptor: makePod('p', {
      labels: { foo: '' },
      spec: { topologySpreadConstraints: [hard('zone', foo), hard('node', foo)] },
    }),
    addedPod: p('p-a1', 'node-a', { foo: '' }),
    existingPods: [],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1'), n('node-x', 'zone2')],
    want: [
      {
        paths: [
          ['zone2', 0],
          ['zone1', 1],
        ],
        counts: { zone1: 1, zone2: 0 },
      },
      {
        paths: [
          ['node-x', 0],
          ['node-a', 1],
        ],
        counts: { 'node-a': 1, 'node-x': 0 },
      },
    ],
  },
  {
    name: 'only node a impacts topologyKeyToMinPodsMap on zone and node',
    preemptor: makePod('p', {
      labels: { foo: '' },
      spec: { topologySpreadConstraints: [hard('zone', foo), hard('node', foo)] },
    }),
    addedPod: p('p-a1', 'node-a', { foo: '' }),
    existingPods: [p('p-x1', 'node-x', { foo: '' })],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1'), n('node-x', 'zone2')],
    want: [
      {
        paths: [
          ['zone1', 1],
          ['zone2', 1],
        ],
        counts: { zone1: 1, zone2: 1 },
      },
      {
        paths: [
          ['node-a', 1],
          ['node-x', 1],
        ],
        counts: { 'node-a': 1, 'node-x': 1 },
      },
    ],
  },
  {
    name: 'node a impacts topologyKeyToMinPodsMap on node, node x impacts topologyKeyToMinPodsMap on zone',
    preemptor: makePod('p', {
      labels: { foo: '' },
      spec: { topologySpreadConstraints: [hard('zone', foo), hard('node', foo)] },
    }),
    addedPod: p('p-a1', 'node-a', { foo: '' }),
    existingPods: [
      p('p-b1', 'node-b', { foo: '' }),
      p('p-b2', 'node-b', { foo: '' }),
      p('p-x1', 'node-x', { foo: '' }),
    ],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1'), n('node-b', 'zone1'), n('node-x', 'zone2')],
    want: [
      {
        paths: [
          ['zone2', 1],
          ['zone1', 3],
        ],
        counts: { zone1: 3, zone2: 1 },
      },
      {
        paths: [
          ['node-a', 1],
          ['node-x', 1],
        ],
        counts: { 'node-a': 1, 'node-b': 2, 'node-x': 1 },
      },
    ],
  },
  {
    name: 'Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on zone',
    preemptor: makePod('p', {
      labels: { foo: '', bar: '' },
      spec: { topologySpreadConstraints: [hard('zone', foo), hard('node', bar)] },
    }),
    addedPod: p('p-a1', 'node-a', { foo: '' }),
    existingPods: [
      p('p-b1', 'node-b', { foo: '', bar: '' }),
      p('p-x1', 'node-x', { foo: '', bar: '' }),
      p('p-x2', 'node-x', { bar: '' }),
    ],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1'), n('node-b', 'zone1'), n('node-x', 'zone2')],
    want: [
      {
        paths: [
          ['zone2', 1],
          ['zone1', 2],
        ],
        counts: { zone1: 2, zone2: 1 },
      },
      {
        paths: [
          ['node-a', 0],
          ['node-b', 1],
        ],
        counts: { 'node-a': 0, 'node-b': 1, 'node-x': 2 },
      },
    ],
  },
  {
    name: 'Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on both zone and node',
    preemptor: makePod('p', {
      labels: { foo: '', bar: '' },
      spec: { topologySpreadConstraints: [hard('zone', foo), hard('node', bar)] },
    }),
    addedPod: p('p-a1', 'node-a', { foo: '', bar: '' }),
    existingPods: [
      p('p-b1', 'node-b', { bar: '' }),
      p('p-x1', 'node-x', { foo: '', bar: '' }),
      p('p-x2', 'node-x', { bar: '' }),
    ],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1'), n('node-b', 'zone1'), n('node-x', 'zone2')],
    want: [
      {
        paths: [
          ['zone1', 1],
          ['zone2', 1],
        ],
        counts: { zone1: 1, zone2: 1 },
      },
      {
        paths: [
          ['node-a', 1],
          ['node-b', 1],
        ],
        counts: { 'node-a': 1, 'node-b': 1, 'node-x': 2 },
      },
    ],
  },
  {
    name: 'add a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy disabled',
    preemptor: makePod('p', {
      labels: { foo: '' },
      spec: { affinity: notInBar, topologySpreadConstraints: [hard('zone', foo)] },
    }),
    addedPod: p('p-a1', 'node-a', { foo: '', zone: 'zone1' }),
    existingPods: [p('p-a2', 'node-a', { foo: '', zone: 'zone1' }), p('p-b1', 'node-b', { foo: '', zone: 'zone2' })],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1', { foo: 'bar' }), n('node-b', 'zone2', { foo: '' })],
    enableNodeInclusionPolicy: false,
    want: [
      {
        paths: [
          ['zone2', 1],
          ['', MAX],
        ],
        counts: { zone2: 1 },
      },
    ],
  },
  {
    name: 'add a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy enabled',
    preemptor: makePod('p', {
      labels: { foo: '' },
      spec: { affinity: notInBar, topologySpreadConstraints: [hard('zone', foo)] },
    }),
    addedPod: p('p-a1', 'node-a', { foo: '', zone: 'zone1' }),
    existingPods: [p('p-a2', 'node-a', { foo: '', zone: 'zone1' }), p('p-b1', 'node-b', { foo: '', zone: 'zone2' })],
    nodeIdx: 0,
    nodes: [n('node-a', 'zone1', { foo: 'bar' }), n('node-b', 'zone2', { foo: '' })],
    enableNodeInclusionPolicy: true,
    want: [
      {
        paths: [
          ['zone2', 1],
          ['', MAX],
        ],
        counts: { zone2: 1 },
      },
    ],
  },
];

describe('PodTopologySpread AddPod (ported TestPreFilterStateAddPod)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = stateAfter(
        c.preemptor,
        c.nodes,
        c.existingPods,
        c.nodeIdx,
        c.addedPod,
        'add',
        c.enableNodeInclusionPolicy ?? false,
      );
      assert.deepEqual(
        got,
        c.want.map((w) => ({ ...w, paths: sortPaths(w.paths) })),
      );
    });
  }
});

const zoneNodes = () => [n('node-a', 'zone1'), n('node-b', 'zone1'), n('node-x', 'zone2')];
const zonePreemptor = makePod('p', { labels: { foo: '' }, spec: { topologySpreadConstraints: [hard('zone', foo)] } });

interface RemoveCase {
  name: string;
  preemptor: Pod;
  nodes: Node[];
  existingPods: Pod[];
  /** Index into existingPods of the removed pod, or -1 to remove `deletedPod`. */
  deletedPodIdx: number;
  deletedPod?: Pod;
  nodeIdx: number;
  enableNodeInclusionPolicy?: boolean;
  want: Case['want'];
}

const removeCases: RemoveCase[] = [
  {
    name: 'one spreadConstraint on zone, topologyKeyToMinPodsMap unchanged',
    preemptor: zonePreemptor,
    nodes: zoneNodes(),
    existingPods: [
      p('p-a1', 'node-a', { foo: '' }),
      p('p-b1', 'node-b', { foo: '' }),
      p('p-x1', 'node-x', { foo: '' }),
    ],
    deletedPodIdx: 0,
    nodeIdx: 0,
    want: [
      {
        paths: [
          ['zone1', 1],
          ['zone2', 1],
        ],
        counts: { zone1: 1, zone2: 1 },
      },
    ],
  },
  {
    name: 'one spreadConstraint on node, topologyKeyToMinPodsMap changed',
    preemptor: zonePreemptor,
    nodes: [...zoneNodes(), n('node-y', 'zone2')],
    existingPods: [
      p('p-a1', 'node-a', { foo: '' }),
      p('p-b1', 'node-b', { foo: '' }),
      p('p-x1', 'node-x', { foo: '' }),
      p('p-y1', 'node-y', { foo: '' }),
    ],
    deletedPodIdx: 0,
    nodeIdx: 0,
    want: [
      {
        paths: [
          ['zone1', 1],
          ['zone2', 2],
        ],
        counts: { zone1: 1, zone2: 2 },
      },
    ],
  },
  {
    name: "delete an irrelevant pod won't help",
    preemptor: zonePreemptor,
    nodes: [...zoneNodes(), n('node-y', 'zone2')],
    existingPods: [
      p('p-a0', 'node-a', { bar: '' }),
      p('p-a1', 'node-a', { foo: '' }),
      p('p-b1', 'node-b', { foo: '' }),
      p('p-x1', 'node-x', { foo: '' }),
      p('p-y1', 'node-y', { foo: '' }),
    ],
    deletedPodIdx: 0,
    nodeIdx: 0,
    want: [
      {
        paths: [
          ['zone1', 2],
          ['zone2', 2],
        ],
        counts: { zone1: 2, zone2: 2 },
      },
    ],
  },
  {
    name: "delete a non-existing pod won't help",
    preemptor: zonePreemptor,
    nodes: [...zoneNodes(), n('node-y', 'zone2')],
    existingPods: [
      p('p-a1', 'node-a', { foo: '' }),
      p('p-b1', 'node-b', { foo: '' }),
      p('p-x1', 'node-x', { foo: '' }),
      p('p-y1', 'node-y', { foo: '' }),
    ],
    deletedPodIdx: -1,
    deletedPod: p('p-a0', 'node-a', { bar: '' }),
    nodeIdx: 0,
    want: [
      {
        paths: [
          ['zone1', 2],
          ['zone2', 2],
        ],
        counts: { zone1: 2, zone2: 2 },
      },
    ],
  },
  {
    name: 'two spreadConstraints',
    preemptor: makePod('p', {
      labels: { foo: '' },
      spec: { topologySpreadConstraints: [hard('zone', foo), hard('node', foo)] },
    }),
    nodes: zoneNodes(),
    existingPods: [
      p('p-a1', 'node-a', { foo: '' }),
      p('p-a2', 'node-a', { foo: '' }),
      p('p-b1', 'node-b', { foo: '' }),
      p('p-x1', 'node-x', { foo: '' }),
      p('p-x2', 'node-x', { foo: '' }),
    ],
    deletedPodIdx: 3,
    nodeIdx: 2,
    want: [
      {
        paths: [
          ['zone2', 1],
          ['zone1', 3],
        ],
        counts: { zone1: 3, zone2: 1 },
      },
      {
        paths: [
          ['node-b', 1],
          ['node-x', 1],
        ],
        counts: { 'node-a': 2, 'node-b': 1, 'node-x': 1 },
      },
    ],
  },
  {
    name: 'remove a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy disabled',
    preemptor: makePod('p', {
      labels: { foo: '' },
      spec: { affinity: notInBar, topologySpreadConstraints: [hard('zone', foo)] },
    }),
    nodes: [n('node-a', 'zone1', { foo: 'bar' }), n('node-b', 'zone2', { foo: '' })],
    existingPods: [p('p-a2', 'node-a', { foo: '', zone: 'zone1' }), p('p-b1', 'node-b', { foo: '', zone: 'zone2' })],
    // Upstream leaves deletedPodIdx at Go's zero value, so existingPods[0] is the pod removed.
    deletedPodIdx: 0,
    nodeIdx: 0,
    enableNodeInclusionPolicy: false,
    want: [
      {
        paths: [
          ['zone2', 1],
          ['', MAX],
        ],
        counts: { zone2: 1 },
      },
    ],
  },
  {
    name: 'remove a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy enabled',
    preemptor: makePod('p', {
      labels: { foo: '' },
      spec: { affinity: notInBar, topologySpreadConstraints: [hard('zone', foo)] },
    }),
    nodes: [n('node-a', 'zone1', { foo: 'bar' }), n('node-b', 'zone2', { foo: '' })],
    existingPods: [p('p-a2', 'node-a', { foo: '', zone: 'zone1' }), p('p-b1', 'node-b', { foo: '', zone: 'zone2' })],
    // Upstream leaves deletedPodIdx at Go's zero value, so existingPods[0] is the pod removed.
    deletedPodIdx: 0,
    nodeIdx: 0,
    enableNodeInclusionPolicy: true,
    want: [
      {
        paths: [
          ['zone2', 1],
          ['', MAX],
        ],
        counts: { zone2: 1 },
      },
    ],
  },
  {
    name: 'remove a pod when scheduling node affinity matched pod with NodeInclusionPolicy disabled',
    preemptor: zonePreemptor,
    nodes: [n('node-a', 'zone1', { foo: 'bar' }), n('node-b', 'zone2', { foo: '' })],
    existingPods: [p('p-a1', 'node-a', { foo: '', zone: 'zone1' }), p('p-b2', 'node-b', { foo: '', zone: 'zone2' })],
    // Upstream leaves deletedPodIdx at Go's zero value, so existingPods[0] is the pod removed.
    deletedPodIdx: 0,
    nodeIdx: 1,
    enableNodeInclusionPolicy: false,
    want: [
      {
        paths: [
          ['zone2', 0],
          ['zone1', 1],
        ],
        counts: { zone1: 1, zone2: 0 },
      },
    ],
  },
  {
    name: 'remove a pod when scheduling node affinity matched pod with NodeInclusionPolicy enabled',
    preemptor: zonePreemptor,
    nodes: [n('node-a', 'zone1', { foo: 'bar' }), n('node-b', 'zone2', { foo: '' })],
    existingPods: [p('p-a1', 'node-a', { foo: '', zone: 'zone1' }), p('p-b2', 'node-b', { foo: '', zone: 'zone2' })],
    // Upstream leaves deletedPodIdx at Go's zero value, so existingPods[0] is the pod removed.
    deletedPodIdx: 0,
    nodeIdx: 1,
    enableNodeInclusionPolicy: true,
    want: [
      {
        paths: [
          ['zone2', 0],
          ['zone1', 1],
        ],
        counts: { zone1: 1, zone2: 0 },
      },
    ],
  },
];

describe('PodTopologySpread RemovePod (ported TestPreFilterStateRemovePod)', () => {
  for (const c of removeCases) {
    it(c.name, () => {
      const deleted = c.deletedPodIdx >= 0 ? c.existingPods[c.deletedPodIdx]! : c.deletedPod!;
      const got = stateAfter(
        c.preemptor,
        c.nodes,
        c.existingPods,
        c.nodeIdx,
        deleted,
        'remove',
        c.enableNodeInclusionPolicy ?? false,
      );
      assert.deepEqual(
        got,
        c.want.map((w) => ({ ...w, paths: sortPaths(w.paths) })),
      );
    });
  }
});
