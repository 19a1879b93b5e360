import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '@src/kube-api/types';
import { EXTENSION_POINTS, type ExtensionPoint, type SchedulerProfile } from '@src/scheduler/config/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import type { NodeInfo, NodeScore, Plugin, PluginFactory, PreFilterResult } from '@src/scheduler/framework/interface';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { Status } from '@src/scheduler/framework/status';
import { ABSENT_STATUS_KEY } from '@src/scheduler/plugins/defaultpreemption/default-preemption';
import { Framework, mergePreFilterResult } from '@src/scheduler/runtime/framework';
import { fitErrorMessage, Scheduler } from '@src/scheduler/runtime/schedule-one';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

/** A configurable fake plugin. */
function fake(name: string, impl: Record<string, unknown>): Plugin {
  return { name, ...impl } as Plugin;
}

function profile(
  points: Partial<Record<ExtensionPoint, { name: string; weight?: number }[]>>,
  pct = 0,
): SchedulerProfile {
  const plugins = {} as SchedulerProfile['plugins'];
  for (const p of EXTENSION_POINTS) {
    plugins[p] = (points[p] ?? []).map((x) => ({ name: x.name, weight: x.weight ?? 1 }));
  }
  return { schedulerName: 'test', percentageOfNodesToScore: pct, plugins, pluginConfig: {} };
}

function build(plugins: Plugin[], points: Parameters<typeof profile>[0], nodes = 3, pct = 0) {
  const snap = snapshotFrom({ nodes: Array.from({ length: nodes }, (_, i) => makeNode(`n${i + 1}`)) });
  const byName = new Map(plugins.map((p) => [p.name, p]));
  const registry = (n: string): PluginFactory | undefined => (byName.has(n) ? () => byName.get(n)! : undefined);
  const { framework, errors } = Framework.fromProfile(profile(points, pct), snap, { registry });
  assert.deepEqual(errors, []);
  return { framework, snap, sched: new Scheduler(framework, snap) };
}

const pod: Pod = makePod('p');
const names = (r: PreFilterResult | undefined) => (r ? [...r.nodeNames].sort() : undefined);

describe('RunPreFilterPlugins', () => {
  it('intersects results and names a single plugin when the intersection is empty', () => {
    const a = fake('A', { preFilter: () => ({ result: { nodeNames: new Set(['n1']) }, status: null }) });
    const b = fake('B', { preFilter: () => ({ result: { nodeNames: new Set(['n2']) }, status: null }) });
    const { framework } = build([a, b], { preFilter: [{ name: 'A' }, { name: 'B' }] });
    const out = framework.runPreFilterPlugins(new CycleState(), pod);
    assert.equal(out.status?.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(out.status?.reasons, ["node(s) didn't satisfy plugin(s) [A B] simultaneously"]);
  });

  it('says "didn\'t satisfy plugin X" when one restricting plugin empties the set', () => {
    const a = fake('A', { preFilter: () => ({ result: { nodeNames: new Set<string>() }, status: null }) });
    const { framework } = build([a], { preFilter: [{ name: 'A' }] });
    assert.deepEqual(framework.runPreFilterPlugins(new CycleState(), pod).status?.reasons, [
      "node(s) didn't satisfy plugin A",
    ]);
  });

  it('records skipped plugins so their Filter does not run', () => {
    let filtered = 0;
    const a = fake('A', {
      preFilter: () => ({ status: Status.skip() }),
      filter: () => (filtered++, Status.unresolvable('no')),
    });
    const { sched } = build([a], { preFilter: [{ name: 'A' }], filter: [{ name: 'A' }] });
    const r = sched.schedulePod(pod);
    assert.equal(filtered, 0);
    assert.ok(r.selectedNode);
  });

  it('stops at UnschedulableAndUnresolvable but keeps running after Unschedulable', () => {
    const seen: string[] = [];
    const u = fake('U', { preFilter: () => (seen.push('U'), { status: Status.unschedulable('u') }) });
    const uu = fake('UU', { preFilter: () => (seen.push('UU'), { status: Status.unresolvable('uu') }) });
    const last = fake('L', { preFilter: () => (seen.push('L'), { status: null }) });
    const { framework } = build([u, uu, last], { preFilter: [{ name: 'U' }, { name: 'UU' }, { name: 'L' }] });
    const out = framework.runPreFilterPlugins(new CycleState(), pod);
    assert.deepEqual(seen, ['U', 'UU']);
    assert.equal(out.status?.plugin, 'UU');
  });

  it('wraps an Error status with the plugin name', () => {
    const e = fake('E', { preFilter: () => ({ status: Status.error('boom') }) });
    const { framework } = build([e], { preFilter: [{ name: 'E' }] });
    assert.deepEqual(framework.runPreFilterPlugins(new CycleState(), pod).status?.reasons, [
      'running PreFilter plugin "E": boom',
    ]);
  });

  it('merges results as set intersection, undefined meaning all nodes', () => {
    assert.equal(mergePreFilterResult(undefined, undefined), undefined);
    assert.deepEqual(names(mergePreFilterResult(undefined, { nodeNames: new Set(['a']) })), ['a']);
    assert.deepEqual(
      names(mergePreFilterResult({ nodeNames: new Set(['a', 'b']) }, { nodeNames: new Set(['b', 'c']) })),
      ['b'],
    );
  });

  it('gives nodes outside a PreFilter result the "didn\'t satisfy plugin(s) [..]" status', () => {
    const a = fake('A', {
      preFilter: () => ({ result: { nodeNames: new Set(['n2', 'ghost']) }, status: null }),
      filter: () => Status.unresolvable('nope'),
    });
    const { sched } = build([a], { preFilter: [{ name: 'A' }], filter: [{ name: 'A' }] });
    const r = sched.schedulePod(pod);
    assert.equal(r.fitError, "0/3 nodes are available: 1 nope, 2 node(s) didn't satisfy plugin(s) [A].");
    assert.deepEqual(
      r.nodes.map((n) => n.filter?.reasons[0]),
      ["node(s) didn't satisfy plugin(s) [A]", 'nope', "node(s) didn't satisfy plugin(s) [A]"],
    );
  });

  it('leaves candidates the search did not reach without a status', () => {
    const all = new Set(Array.from({ length: 300 }, (_, i) => `n${i + 1}`));
    all.delete('n300');
    const a = fake('A', { preFilter: () => ({ result: { nodeNames: all }, status: null }), filter: () => null });
    const sc = fake('S', { score: () => ({ score: 0, status: null }) });
    const { sched } = build(
      [a, sc],
      { preFilter: [{ name: 'A' }], filter: [{ name: 'A' }], score: [{ name: 'S' }] },
      300,
    );
    const r = sched.schedulePod(pod);
    assert.equal(r.feasible.length, 143); // 299 candidates: 50 - 299/125 = 48%, 299 × 48 / 100 = 143.
    const byName = new Map(r.nodes.map((n) => [n.name, n]));
    assert.equal(byName.get('n200')!.filter, undefined);
    assert.deepEqual(byName.get('n300')!.filter?.reasons, ["node(s) didn't satisfy plugin(s) [A]"]);
  });

  it('runs PostFilter after a FitError with the absent-node status in the cycle state', () => {
    let seen: Status | undefined;
    const a = fake('A', {
      preFilter: () => ({ result: { nodeNames: new Set(['n1']) }, status: null }),
      filter: () => Status.unschedulable('full'),
    });
    const pf = fake('PF', {
      postFilter: (state: CycleState, _p: Pod, statuses: ReadonlyMap<string, Status>) => {
        seen = state.read<Status>(ABSENT_STATUS_KEY);
        return { status: Status.unschedulable(`preemption: ${statuses.size} explicit`) };
      },
    });
    const { sched } = build([a, pf], {
      preFilter: [{ name: 'A' }],
      filter: [{ name: 'A' }],
      postFilter: [{ name: 'PF' }],
    });
    const r = sched.schedulePod(pod);
    assert.deepEqual(seen?.reasons, ["node(s) didn't satisfy plugin(s) [A]"]);
    assert.equal(r.postFilterMessage, 'preemption: 1 explicit');
    assert.equal(
      r.fitError,
      "0/3 nodes are available: 1 full, 2 node(s) didn't satisfy plugin(s) [A]. preemption: 1 explicit",
    );
  });

  it('reports a PreFilter rejection as the FitError message', () => {
    const a = fake('A', { preFilter: () => ({ status: Status.unresolvable('pod affinity terms conflict') }) });
    const { sched } = build([a], { preFilter: [{ name: 'A' }] });
    const r = sched.schedulePod(pod);
    assert.equal(r.fitError, '0/3 nodes are available: pod affinity terms conflict.');
    assert.equal(r.preFilterStatus?.plugin, 'A');
  });
});

describe('Filter and the node search', () => {
  it('lets the first failing plugin decide and tags it', () => {
    const a = fake('A', {
      filter: (_s: CycleState, _p: Pod, n: NodeInfo) => (n.name === 'n1' ? Status.unschedulable('a') : null),
    });
    const b = fake('B', { filter: () => Status.unresolvable('b1', 'b2') });
    const { sched } = build([a, b], { filter: [{ name: 'A' }, { name: 'B' }] });
    const r = sched.schedulePod(pod);
    assert.deepEqual(
      r.nodes.map((n) => [n.filter?.plugin, n.filter?.reasons]),
      [
        ['A', ['a']],
        ['B', ['b1', 'b2']],
        ['B', ['b1', 'b2']],
      ],
    );
    assert.equal(r.fitError, '0/3 nodes are available: 1 a, 2 b1, 2 b2.');
  });

  it('sorts the FitError histogram bytewise on "<count> <reason>"', () => {
    const st = new Map<string, Status>();
    for (let i = 0; i < 10; i++) st.set(`c${i}`, Status.unschedulable('Insufficient cpu'));
    st.set('m1', Status.unschedulable('Insufficient memory'));
    st.set('m2', Status.unschedulable('Insufficient memory'));
    st.set('t', Status.unresolvable('node(s) had untolerated taint(s)'));
    assert.equal(
      fitErrorMessage(13, '', st, undefined, ''),
      '0/13 nodes are available: 1 node(s) had untolerated taint(s), 10 Insufficient cpu, 2 Insufficient memory.',
    );
  });

  it('chooses a single feasible node without scoring', () => {
    let scored = 0;
    const f = fake('F', {
      filter: (_s: CycleState, _p: Pod, n: NodeInfo) => (n.name === 'n2' ? null : Status.unschedulable('x')),
    });
    const s = fake('S', { score: () => (scored++, { score: 1, status: null }) });
    const { sched } = build([f, s], { filter: [{ name: 'F' }], score: [{ name: 'S' }] });
    const r = sched.schedulePod(pod);
    assert.equal(r.selectedNode, 'n2');
    assert.equal(r.scored, false);
    assert.equal(scored, 0);
  });

  it('stops after numFeasibleNodesToFind and rotates nextStartNodeIndex across pods', () => {
    const f = fake('F', { filter: () => null });
    const s = fake('S', { score: () => ({ score: 0, status: null }) });
    const { sched } = build([f, s], { filter: [{ name: 'F' }], score: [{ name: 'S' }] }, 300, 0);
    const r1 = sched.schedulePod(pod);
    // 300 nodes: 50 - 300/125 = 48%, so 144 nodes are searched.
    assert.equal(r1.feasible.length, 144);
    assert.equal(r1.feasible[0]!.name, 'n1');
    assert.equal(sched.nextStartNodeIndex, 144);
    const r2 = sched.schedulePod(pod);
    assert.equal(r2.feasible[0]!.name, 'n145');
    assert.equal(sched.nextStartNodeIndex, 288);
    assert.equal(r2.nodes.filter((n) => n.filter === undefined).length, 156);
    const r3 = sched.schedulePod(pod);
    assert.equal(r3.feasible[0]!.name, 'n289');
    assert.equal(r3.feasible[12]!.name, 'n1');
  });

  it('takes a passing nominated node without scoring, and searches normally when it fails', () => {
    const f = fake('F', {
      filter: (_s: CycleState, _p: Pod, n: NodeInfo) => (n.name === 'n1' ? Status.unschedulable('full') : null),
    });
    const s = fake('S', {
      score: (_s: CycleState, _p: Pod, n: NodeInfo) => ({ score: n.name === 'n2' ? 10 : 90, status: null }),
    });
    const { sched } = build([f, s], { filter: [{ name: 'F' }], score: [{ name: 'S' }] });
    const nominatedTo = (node: string): Pod => ({ ...pod, status: { nominatedNodeName: node } });
    const r = sched.schedulePod(nominatedTo('n2'));
    assert.equal(r.selectedNode, 'n2');
    assert.equal(r.scored, false);
    const r2 = sched.schedulePod(nominatedTo('n1'));
    assert.equal(r2.selectedNode, 'n3');
    assert.equal(r2.scored, true);
  });

  it('aborts the cycle on a Filter Error', () => {
    const f = fake('F', { filter: () => Status.error('broken') });
    const { sched } = build([f], { filter: [{ name: 'F' }] });
    assert.equal(sched.schedulePod(pod).error, 'running "F" filter plugin: broken');
  });

  it('reports no nodes available on an empty cluster', () => {
    const { sched } = build([], {}, 0);
    assert.equal(sched.schedulePod(pod).error, 'no nodes available to schedule pods');
  });
});

describe('nominated pods', () => {
  it("counts pods nominated to a node with priority >= the incoming pod's during Filter", () => {
    const snap = snapshotFrom({
      nodes: [makeNode('n1'), makeNode('n2')],
      pods: [
        {
          ...makePod('victor'),
          spec: { ...makePod('victor').spec, priority: 10 },
          status: { phase: 'Pending', nominatedNodeName: 'n1' },
        },
      ],
    });
    assert.equal(snap.nominatedPodsForNode('n1').length, 1);
    const empty = fake('Empty', {
      filter: (_s: CycleState, _p: Pod, n: NodeInfo) => (n.pods.length === 0 ? null : Status.unschedulable('occupied')),
    });
    const registry = (n: string): PluginFactory | undefined => (n === 'Empty' ? () => empty : undefined);
    const { framework } = Framework.fromProfile(profile({ filter: [{ name: 'Empty' }] }), snap, { registry });
    const sched = new Scheduler(framework, snap);
    const low = sched.schedulePod({ ...pod, spec: { ...pod.spec, priority: 5 } });
    assert.deepEqual(
      low.nodes.map((n) => n.filter?.code),
      ['Unschedulable', 'Success'],
    );
    const high = sched.schedulePod({ ...pod, spec: { ...pod.spec, priority: 50 } });
    // Without score plugins the search stops at the first feasible node (numNodesToFind = 1).
    assert.equal(high.selectedNode, 'n1');
    assert.equal(snap.getNodeInfo('n1')!.pods.length, 0, 'the real node is untouched');
  });
});

describe('PreScore and Score', () => {
  it('leaves PreScore-skipped plugins absent, normalises, weights and ranks', () => {
    const skipper = fake('Skipper', { preScore: () => Status.skip(), score: () => ({ score: 50, status: null }) });
    const counter = fake('Counter', {
      preScore: () => null,
      score: (_s: CycleState, _p: Pod, n: NodeInfo) => ({ score: Number(n.name.slice(1)) * 10, status: null }),
      normalizeScore: (_s: CycleState, _p: Pod, scores: NodeScore[]) => {
        for (const x of scores) x.score = x.score * 2;
        return null;
      },
    });
    const { sched } = build([skipper, counter], {
      preScore: [{ name: 'Skipper' }, { name: 'Counter' }],
      score: [{ name: 'Skipper' }, { name: 'Counter', weight: 3 }],
    });
    const r = sched.schedulePod(pod);
    assert.equal(r.selectedNode, 'n3');
    const n3 = r.nodes.find((n) => n.name === 'n3')!;
    assert.deepEqual(n3.scores, [{ plugin: 'Counter', raw: 30, normalized: 60, weighted: 180 }]);
    assert.deepEqual(
      r.nodes.map((n) => n.rank),
      [3, 2, 1],
    );
    assert.equal(r.tie, false);
  });

  it('fails on a score out of range after normalising', () => {
    const bad = fake('Bad', { score: () => ({ score: 101, status: null }) });
    const { sched } = build([bad], { score: [{ name: 'Bad' }] });
    assert.equal(
      sched.schedulePod(pod).error,
      'applying score defaultWeights on Score plugins: plugin "Bad" returns an invalid score 101, it should in the range of [0, 100] after normalizing',
    );
  });

  it('flags a tie among several max-score nodes', () => {
    const flat = fake('Flat', { score: () => ({ score: 7, status: null }) });
    const { sched } = build([flat], { score: [{ name: 'Flat' }] });
    const r = sched.schedulePod(pod);
    assert.equal(r.tie, true);
    assert.deepEqual(r.tiedNodes, ['n1', 'n2', 'n3']);
    assert.equal(r.selectedNode, 'n1');
    assert.deepEqual(
      r.nodes.map((n) => n.rank),
      [1, 1, 1],
    );
  });
});

describe('Framework.fromProfile', () => {
  it('reports unregistered plugins as not implemented', () => {
    const snap = snapshotFrom({ nodes: [makeNode('n1')] });
    const { errors, framework } = Framework.fromProfile(profile({ filter: [{ name: 'Nope' }] }), snap, {
      registry: () => undefined,
    });
    assert.deepEqual(errors, ['plugin Nope not implemented']);
    assert.deepEqual(framework.missing, ['Nope']);
  });
});
