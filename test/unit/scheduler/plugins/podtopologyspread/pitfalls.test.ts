/**
 * PodTopologySpread behaviours the spec's pitfalls checklist (§9, item 10) calls out, plus the
 * preemption extensions (AddPod / RemovePod on a cloned state) and Go's math.Log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, TopologySpreadConstraint } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { newPodInfo } from '@src/scheduler/framework/node-info';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  create,
} from '@src/scheduler/plugins/podtopologyspread/plugin';
import { goLog } from '@src/scheduler/plugins/podtopologyspread/go-log';
import { PRE_SCORE_STATE_KEY, type PreScoreState } from '@src/scheduler/plugins/podtopologyspread/scoring';
import { makeNode } from '@test/builders/node';
import { makePod, podsOn } from '@test/builders/pod';

const HOST = 'kubernetes.io/hostname';
const web = { app: 'web' };

function hard(
  maxSkew: number,
  key: string,
  labelSelector: TopologySpreadConstraint['labelSelector'],
): TopologySpreadConstraint {
  return {
    maxSkew,
    topologyKey: key,
    whenUnsatisfiable: 'DoNotSchedule',
    ...(labelSelector === undefined ? {} : { labelSelector }),
  };
}

/** PreFilter + Filter on every node; returns node → code ("Success" when it passes). */
function filterAll(pod: Pod, nodes: ReturnType<typeof makeNode>[], existing: Pod[]): Record<string, string> {
  const snap = snapshotFrom({ nodes, pods: existing });
  const pl = create({ args: { defaultingType: 'List' }, handle: snap, features: {} });
  const state = new CycleState();
  const pre = pl.preFilter(state, pod, snap.nodeInfos()).status;
  assert.equal(pre, null);
  const out: Record<string, string> = {};
  for (const ni of snap.nodeInfos()) out[ni.name] = pl.filter(state, pod, ni)?.code ?? 'Success';
  return out;
}

const twoHosts = [makeNode('a', { labels: { [HOST]: 'a' } }), makeNode('b', { labels: { [HOST]: 'b' } })];

describe('PodTopologySpread pitfall 10', () => {
  it('does not count terminating pods', () => {
    const pod = makePod('p', {
      labels: web,
      spec: { topologySpreadConstraints: [hard(1, HOST, { matchLabels: web })] },
    });
    const terminating = [makePod('t1', { node: 'a', labels: web, terminating: true })];
    assert.deepEqual(filterAll(pod, twoHosts, terminating), { a: 'Success', b: 'Success' });
    const live = [makePod('t1', { node: 'a', labels: web })];
    assert.deepEqual(filterAll(pod, twoHosts, live), { a: 'Unschedulable', b: 'Success' });
  });

  it('does not count pods of other namespaces', () => {
    const pod = makePod('p', {
      labels: web,
      spec: { topologySpreadConstraints: [hard(1, HOST, { matchLabels: web })] },
    });
    assert.deepEqual(filterAll(pod, twoHosts, podsOn('a', 'o', 3, web, 'other')), { a: 'Success', b: 'Success' });
  });

  it('counts 0 pods for an empty {} selector, yet the incoming pod matches it itself', () => {
    const existing = podsOn('a', 'x', 5, web);
    // maxSkew 1: five matching pods on a would exceed it if counted.
    const podEmpty = makePod('p', { labels: web, spec: { topologySpreadConstraints: [hard(1, HOST, {})] } });
    assert.deepEqual(filterAll(podEmpty, twoHosts, existing), { a: 'Success', b: 'Success' });
    // maxSkew 0 exposes the self match: 0 + 1 - 0 > 0 on every node.
    const podSelf = makePod('p', { labels: web, spec: { topologySpreadConstraints: [hard(0, HOST, {})] } });
    assert.deepEqual(filterAll(podSelf, twoHosts, existing), { a: 'Unschedulable', b: 'Unschedulable' });
    // A nil selector matches nothing, not even the pod itself.
    const podNil = makePod('p', { labels: web, spec: { topologySpreadConstraints: [hard(0, HOST, undefined)] } });
    assert.deepEqual(filterAll(podNil, twoHosts, existing), { a: 'Success', b: 'Success' });
  });

  it('gives the hostname constraint the weight ln(len(feasible) - ignored + 2)', () => {
    const nodes = [
      makeNode('a', { labels: { [HOST]: 'a', zone: 'z1' } }),
      makeNode('b', { labels: { [HOST]: 'b', zone: 'z1' } }),
      makeNode('c', { labels: { [HOST]: 'c', zone: 'z2' } }),
      makeNode('d', { labels: { [HOST]: 'd' } }), // no zone: ignored
    ];
    const snap = snapshotFrom({ nodes, pods: podsOn('a', 'x', 2, web) });
    const pl = create({ args: { defaultingType: 'List' }, handle: snap, features: {} });
    const soft = (key: string): TopologySpreadConstraint => ({
      maxSkew: 1,
      topologyKey: key,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: web },
    });
    const pod = makePod('p', { labels: web, spec: { topologySpreadConstraints: [soft(HOST), soft('zone')] } });
    const state = new CycleState();
    assert.equal(pl.preScore(state, pod, snap.nodeInfos()), null);
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY)!;
    assert.deepEqual([...s.ignoredNodes], ['d']);
    assert.equal(s.topologyNormalizingWeight[0], goLog(3 + 2)); // 4 feasible - 1 ignored
    assert.equal(s.topologyNormalizingWeight[1], goLog(2 + 2)); // zones z1, z2
    const scores = snap.nodeInfos().map((ni) => ({ name: ni.name, score: pl.score(state, pod, ni).score }));
    pl.normalizeScore(state, pod, scores);
    // a: 2·ln5 + 0 + 2·ln4 + 0 = 6 → 0; b: 2·ln4 = 3 → 50; c: 0 → 100; d: ignored → 0.
    assert.deepEqual(scores, [
      { name: 'a', score: 0 },
      { name: 'b', score: 50 },
      { name: 'c', score: 100 },
      { name: 'd', score: 0 },
    ]);
  });

  it('rejects a node missing the topology key as UnschedulableAndUnresolvable with upstream reasons', () => {
    const pod = makePod('p', {
      labels: web,
      spec: { topologySpreadConstraints: [hard(1, 'zone', { matchLabels: web })] },
    });
    const nodes = [makeNode('a', { labels: { zone: 'z1' } }), makeNode('b')];
    const snap = snapshotFrom({ nodes, pods: podsOn('a', 'x', 2, web) });
    const pl = create({ args: { defaultingType: 'List' }, handle: snap, features: {} });
    const state = new CycleState();
    pl.preFilter(state, pod, snap.nodeInfos());
    const b = pl.filter(state, pod, snap.getNodeInfo('b')!)!;
    assert.equal(b.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(b.reasons, [ERR_REASON_NODE_LABEL_NOT_MATCH]);
    assert.equal(
      ERR_REASON_NODE_LABEL_NOT_MATCH,
      "node(s) didn't match pod topology spread constraints (missing required label)",
    );
    assert.equal(ERR_REASON_CONSTRAINTS_NOT_MATCH, "node(s) didn't match pod topology spread constraints");
  });
});

describe('PodTopologySpread PreFilterExtensions (preemption)', () => {
  it('RemovePod on a cloned state lifts the skew; the original state is unchanged', () => {
    const pod = makePod('p', {
      labels: web,
      spec: { topologySpreadConstraints: [hard(1, HOST, { matchLabels: web })] },
    });
    const existing = [...podsOn('a', 'x', 2, web), makePod('y1', { node: 'b', labels: web })];
    const snap = snapshotFrom({ nodes: twoHosts, pods: existing });
    const pl = create({ args: { defaultingType: 'List' }, handle: snap, features: {} });
    const state = new CycleState();
    pl.preFilter(state, pod, snap.nodeInfos());
    const a = snap.getNodeInfo('a')!;
    assert.equal(pl.filter(state, pod, a)?.code, 'Unschedulable'); // 2 + 1 - 1 > 1
    const what = state.clone();
    assert.equal(pl.removePod(what, pod, a.pods[0]!, a), null);
    assert.equal(pl.filter(what, pod, a), null); // 1 + 1 - 1 <= 1
    assert.equal(pl.filter(state, pod, a)?.code, 'Unschedulable');
    // AddPod of a matching pod on b restores a skew of 0 on b, and b stays feasible.
    assert.equal(
      pl.addPod(what, pod, newPodInfo(makePod('z', { node: 'b', labels: web })), snap.getNodeInfo('b')!),
      null,
    );
    assert.equal(pl.filter(what, pod, snap.getNodeInfo('b')!)?.code, 'Unschedulable'); // 2 + 1 - 1 > 1
  });

  it('ignores added pods of another namespace and pods not matching the selector', () => {
    const pod = makePod('p', {
      labels: web,
      spec: { topologySpreadConstraints: [hard(1, HOST, { matchLabels: web })] },
    });
    const snap = snapshotFrom({ nodes: twoHosts, pods: [] });
    const pl = create({ args: { defaultingType: 'List' }, handle: snap, features: {} });
    const state = new CycleState();
    pl.preFilter(state, pod, snap.nodeInfos());
    const a = snap.getNodeInfo('a')!;
    pl.addPod(state, pod, newPodInfo(makePod('o', { node: 'a', labels: web, namespace: 'other' })), a);
    pl.addPod(state, pod, newPodInfo(makePod('d', { node: 'a', labels: { app: 'db' } })), a);
    assert.equal(pl.filter(state, pod, a), null);
    pl.addPod(state, pod, newPodInfo(makePod('w', { node: 'a', labels: web })), a);
    pl.addPod(state, pod, newPodInfo(makePod('w2', { node: 'a', labels: web })), a);
    assert.equal(pl.filter(state, pod, a)?.code, 'Unschedulable');
  });
});

describe("Go's math.Log", () => {
  it('returns the float64 values Go computes for small integers', () => {
    // Reference values computed with Go's algorithm in IEEE doubles (an independent Python
    // transcription of src/math/log.go). For 14 (12 feasible hostnames) and 176 Go's result is one
    // ulp above what V8's Math.log returns in Node 20, which is why the port exists.
    assert.equal(goLog(2), 0.6931471805599453);
    assert.equal(goLog(3), 1.0986122886681096);
    assert.equal(goLog(14), 2.639057329615259);
    assert.equal(goLog(176), 5.170483995038152);
    assert.equal(goLog(4), 1.3862943611198906);
    assert.equal(goLog(5), 1.6094379124341003);
    assert.equal(goLog(5002), 8.517593111437565);
  });

  it('handles the special cases like Go', () => {
    assert.equal(goLog(0), -Infinity);
    assert.ok(Number.isNaN(goLog(-1)));
    assert.equal(goLog(Infinity), Infinity);
    assert.ok(Number.isNaN(goLog(NaN)));
    assert.equal(goLog(1), 0);
  });

  it('stays within one ulp of Math.log for topology sizes up to 20000 nodes', () => {
    for (let n = 2; n <= 20002; n++) {
      const a = goLog(n);
      const b = Math.log(n);
      assert.ok(Math.abs(a - b) <= Number.EPSILON * Math.abs(b), `n=${n}: ${a} vs ${b}`);
    }
  });
});

describe('PodTopologySpread bad input', () => {
  const run = (c: unknown) => {
    const snap = snapshotFrom({ nodes: twoHosts });
    const pl = create({ args: { defaultingType: 'List' }, handle: snap, features: {} });
    const pod = makePod('p', { labels: web, spec: { topologySpreadConstraints: [c as TopologySpreadConstraint] } });
    return pl.preFilter(new CycleState(), pod, snap.nodeInfos()).status;
  };

  it('returns an Error status naming the field instead of guessing', () => {
    const st = run({
      maxSkew: '1',
      topologyKey: HOST,
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: web },
    });
    assert.equal(st?.code, 'Error');
    assert.match(st!.message(), /spec\.topologySpreadConstraints\[0\]\.maxSkew: must be an integer/);
    const bad = run({
      maxSkew: 1,
      topologyKey: HOST,
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
    });
    assert.equal(bad?.code, 'Error');
    assert.match(
      bad!.message(),
      /^get constraints from pod: obtaining pod's hard topology spread constraints: values: Invalid value/,
    );
  });

  it('names the soft constraints in PreScore errors', () => {
    const snap = snapshotFrom({ nodes: twoHosts });
    const pl = create({ args: { defaultingType: 'List' }, handle: snap, features: {} });
    const pod = makePod('p', {
      labels: web,
      spec: {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: HOST,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
          },
        ],
      },
    });
    const st = pl.preScore(new CycleState(), pod, snap.nodeInfos());
    assert.equal(st?.code, 'Error');
    assert.match(
      st!.message(),
      /^calculating preScoreState: obtaining pod's soft topology spread constraints: values: Invalid value/,
    );
  });
});
