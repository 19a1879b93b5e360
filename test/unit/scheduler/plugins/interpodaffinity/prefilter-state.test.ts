/**
 * InterPodAffinity PreFilter counters, ported from filtering_test.go
 * TestPreFilterStateAddRemovePod and TestGetTPMapMatchingIncomingAffinityAntiAffinity (upstream
 * compares the internal topologyToMatchedTermCount maps; here they are `"key=value"` records).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod, PodAffinity, PodAffinityTerm } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { newPodInfo } from '@src/scheduler/framework/node-info';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { PRE_FILTER_STATE_KEY, type PreFilterState } from '@src/scheduler/plugins/interpodaffinity/filtering';
import { create } from '@src/scheduler/plugins/interpodaffinity/plugin';

const label1 = { region: 'r1', zone: 'z11' };
const label2 = { region: 'r1', zone: 'z12' };
const label3 = { region: 'r2', zone: 'z21' };
const selector1 = { foo: 'bar' };
const inFooBar: PodAffinityTerm = {
  labelSelector: { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }] },
  topologyKey: 'region',
};
const complexTerms: PodAffinityTerm[] = [
  {
    labelSelector: { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar', 'buzz'] }] },
    topologyKey: 'region',
  },
  {
    labelSelector: { matchExpressions: [{ key: 'service', operator: 'NotIn', values: ['bar', 'security', 'test'] }] },
    topologyKey: 'zone',
  },
];
const antiAffinityFooBar: PodAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [inFooBar] };
const antiAffinityComplex: PodAffinity = { requiredDuringSchedulingIgnoredDuringExecution: complexTerms };
const affinityComplex: PodAffinity = { requiredDuringSchedulingIgnoredDuringExecution: complexTerms };
const nodes: Node[] = [
  { metadata: { name: 'nodeA', labels: label1 } },
  { metadata: { name: 'nodeB', labels: label2 } },
  { metadata: { name: 'nodeC', labels: label3 } },
];

function preFilterState(
  pending: Pod,
  pods: Pod[],
  ns: Node[],
): { state: CycleState; s: PreFilterState; plugin: ReturnType<typeof create>; snap: ReturnType<typeof snapshotFrom> } {
  const snap = snapshotFrom({ nodes: ns, pods });
  const plugin = create({ args: { hardPodAffinityWeight: 0 }, handle: snap, features: {} });
  const state = new CycleState();
  assert.equal(plugin.preFilter(state, pending, snap.nodeInfos()).status, null);
  return { state, s: state.read<PreFilterState>(PRE_FILTER_STATE_KEY)!, plugin, snap };
}

const counters = (s: PreFilterState) => ({
  existing: s.existingAntiAffinityCounts.toRecord(),
  affinity: s.affinityCounts.toRecord(),
  anti: s.antiAffinityCounts.toRecord(),
});

describe('InterPodAffinity AddPod/RemovePod (ported TestPreFilterStateAddRemovePod)', () => {
  const cases: {
    name: string;
    pending: Pod;
    existing: Pod[];
    added: Pod;
    wantAnti: Record<string, number>;
    wantAffinity: Record<string, number>;
  }[] = [
    {
      name: 'preFilterState anti-affinity terms are updated correctly after adding and removing a pod',
      pending: {
        metadata: { name: 'pending', labels: selector1 },
        spec: { affinity: { podAntiAffinity: antiAffinityFooBar } },
      },
      existing: [
        { metadata: { name: 'p1', labels: selector1 }, spec: { nodeName: 'nodeA' } },
        { metadata: { name: 'p2' }, spec: { nodeName: 'nodeC', affinity: { podAntiAffinity: antiAffinityFooBar } } },
      ],
      added: {
        metadata: { name: 'addedPod', labels: selector1 },
        spec: { nodeName: 'nodeB', affinity: { podAntiAffinity: antiAffinityFooBar } },
      },
      wantAnti: { 'region=r1': 2 },
      wantAffinity: {},
    },
    {
      name: 'preFilterState anti-affinity terms are updated correctly after adding and removing a pod (2nd case, same name)',
      pending: {
        metadata: { name: 'pending', labels: selector1 },
        spec: { affinity: { podAntiAffinity: antiAffinityComplex } },
      },
      existing: [
        { metadata: { name: 'p1', labels: selector1 }, spec: { nodeName: 'nodeA' } },
        { metadata: { name: 'p2' }, spec: { nodeName: 'nodeC', affinity: { podAntiAffinity: antiAffinityFooBar } } },
      ],
      added: {
        metadata: { name: 'addedPod', labels: selector1 },
        spec: { nodeName: 'nodeA', affinity: { podAntiAffinity: antiAffinityComplex } },
      },
      wantAnti: { 'region=r1': 2, 'zone=z11': 2, 'zone=z21': 1 },
      wantAffinity: {},
    },
    {
      name: 'preFilterState matching pod affinity and anti-affinity are updated correctly after adding and removing a pod',
      pending: {
        metadata: { name: 'pending', labels: selector1 },
        spec: { affinity: { podAffinity: affinityComplex } },
      },
      existing: [
        { metadata: { name: 'p1', labels: selector1 }, spec: { nodeName: 'nodeA' } },
        {
          metadata: { name: 'p2' },
          spec: { nodeName: 'nodeC', affinity: { podAntiAffinity: antiAffinityFooBar, podAffinity: affinityComplex } },
        },
      ],
      added: {
        metadata: { name: 'addedPod', labels: selector1 },
        spec: { nodeName: 'nodeA', affinity: { podAntiAffinity: antiAffinityComplex } },
      },
      wantAnti: {},
      wantAffinity: { 'region=r1': 2, 'zone=z11': 2 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const all = preFilterState(c.pending, [...c.existing, c.added], nodes).s;
      const { state, s, plugin, snap } = preFilterState(c.pending, c.existing, nodes);
      const original = counters(s.clone());
      const ni = snap.getNodeInfo(c.added.spec!.nodeName!)!;
      assert.equal(plugin.addPod(state, c.pending, newPodInfo(c.added), ni), null);
      assert.deepEqual(s.antiAffinityCounts.toRecord(), c.wantAnti);
      assert.deepEqual(s.affinityCounts.toRecord(), c.wantAffinity);
      assert.deepEqual(counters(s), counters(all));
      assert.equal(plugin.removePod(state, c.pending, newPodInfo(c.added), ni), null);
      assert.deepEqual(counters(s), original);
    });
  }
});

describe('InterPodAffinity incoming-pod counters (ported TestGetTPMapMatchingIncomingAffinityAntiAffinity)', () => {
  const nodeA: Node = { metadata: { name: 'nodeA', labels: { hostname: 'nodeA' } } };
  const normal = (...labels: string[]): Pod => ({
    metadata: { name: 'normal', labels: Object.fromEntries(labels.map((l) => [l, ''])) },
    spec: { nodeName: 'nodeA' },
  });
  const exists = (key: string): PodAffinityTerm => ({
    labelSelector: { matchExpressions: [{ key, operator: 'Exists' }] },
    topologyKey: 'hostname',
  });
  const pod = (name: string, affinity: string[], anti: string[]): Pod => ({
    metadata: { name },
    spec: {
      affinity: {
        ...(affinity.length
          ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: affinity.map(exists) } }
          : {}),
        ...(anti.length
          ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: anti.map(exists) } }
          : {}),
      },
    },
  });
  const cases: {
    name: string;
    existing: Pod[];
    pod: Pod;
    wantAffinity: Record<string, number>;
    wantAnti: Record<string, number>;
  }[] = [
    {
      name: "no pod has label that violates incoming pod's affinity and anti-affinity",
      existing: [normal('bbb')],
      pod: pod('aaa-anti', ['aaa'], ['aaa']),
      wantAffinity: {},
      wantAnti: {},
    },
    {
      name: "existing pod matches incoming pod's affinity and anti-affinity - single term case",
      existing: [normal('aaa')],
      pod: pod('affi-antiaffi', ['aaa'], ['aaa']),
      wantAffinity: { 'hostname=nodeA': 1 },
      wantAnti: { 'hostname=nodeA': 1 },
    },
    {
      name: "existing pod matches incoming pod's affinity and anti-affinity - multiple terms case",
      existing: [normal('aaa', 'bbb')],
      pod: pod('affi-antiaffi', ['aaa', 'bbb'], ['aaa']),
      wantAffinity: { 'hostname=nodeA': 2 }, // one for each term
      wantAnti: { 'hostname=nodeA': 1 },
    },
    {
      name: "existing pod not match incoming pod's affinity but matches anti-affinity",
      existing: [normal('aaa')],
      pod: pod('affi-antiaffi', ['aaa', 'bbb'], ['aaa', 'bbb']),
      wantAffinity: {},
      wantAnti: { 'hostname=nodeA': 1 },
    },
    {
      name: "incoming pod's anti-affinity has more than one term - existing pod violates partial term - case 1",
      existing: [normal('aaa', 'bbb')],
      pod: pod('anaffi-antiaffiti', ['aaa', 'ccc'], ['aaa', 'ccc']),
      wantAffinity: {},
      wantAnti: { 'hostname=nodeA': 1 },
    },
    {
      name: "incoming pod's anti-affinity has more than one term - existing pod violates partial term - case 2",
      existing: [normal('bbb')],
      pod: pod('affi-antiaffi', ['aaa', 'bbb'], ['aaa', 'bbb']),
      wantAffinity: {},
      wantAnti: { 'hostname=nodeA': 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { s } = preFilterState(c.pod, c.existing, [nodeA]);
      assert.deepEqual(s.affinityCounts.toRecord(), c.wantAffinity);
      assert.deepEqual(s.antiAffinityCounts.toRecord(), c.wantAnti);
    });
  }

  for (const name of ['nil test', 'incoming pod without affinity/anti-affinity causes a no-op']) {
    it(`${name} (PreFilter skips: nothing to count)`, () => {
      const snap = snapshotFrom({ nodes: [nodeA], pods: name === 'nil test' ? [] : [normal('aaa')] });
      const plugin = create({ args: {}, handle: snap, features: {} });
      const st = plugin.preFilter(
        new CycleState(),
        { metadata: { name: 'aaa-normal' }, spec: {} },
        snap.nodeInfos(),
      ).status;
      assert.equal(st?.code, 'Skip');
    });
  }
});
