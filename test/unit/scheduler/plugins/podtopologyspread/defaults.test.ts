/**
 * PodTopologySpread default constraints (System and List defaulting) with the selector derived
 * by helper.DefaultSelector from Services / ReplicaSets / StatefulSets / ReplicationControllers.
 * The first cases are ported from upstream (scoring_test.go TestPodTopologySpreadScore and
 * TestPreScoreSkip); the conformance corpus skips them because they need those objects.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { defaultSelector } from '@src/scheduler/plugins/helper/spread';
import { PRE_FILTER_STATE_KEY, type PreFilterState } from '@src/scheduler/plugins/podtopologyspread/filtering';
import { create } from '@src/scheduler/plugins/podtopologyspread/plugin';
import { PRE_SCORE_STATE_KEY, type PreScoreState } from '@src/scheduler/plugins/podtopologyspread/scoring';
import { makeNode } from '@test/builders/node';
import { makePod, podsOn } from '@test/builders/pod';
import { runScenario, type Scenario } from '@src/scheduler/conformance/runner';

const hostname = (n: string) => makeNode(n, { labels: { 'kubernetes.io/hostname': n } });
const foo = { foo: '' };

describe('PodTopologySpread default constraints (ported upstream cases)', () => {
  const cases: { name: string; scenario: Omit<Scenario, 'id'> }[] = [
    {
      // scoring_test.go TestPodTopologySpreadScore.
      name: "system defaulting, nodes don't have zone, pods match service",
      scenario: {
        plugins: {
          filter: [],
          score: [{ name: 'PodTopologySpread', weight: 1 }],
          args: { PodTopologySpread: { defaultingType: 'System' } },
          features: { NodeInclusionPolicyInPodTopologySpread: false, MatchLabelKeysInPodTopologySpread: false },
        },
        pod: makePod('p', { namespace: '', labels: foo }),
        nodes: ['node-a', 'node-b', 'node-c', 'node-d'].map(hostname),
        existingPods: [
          ...podsOn('node-a', 'p-a', 4, foo, ''),
          ...podsOn('node-b', 'p-b', 3, foo, ''),
          ...podsOn('node-c', 'p-c', 2, foo, ''),
          ...podsOn('node-d', 'p-d', 1, foo, ''),
        ],
        objects: [{ kind: 'Service', metadata: {}, spec: { selector: { foo: '' } } }],
        // Same scores as if we were using one spreading constraint.
        expect: { scores: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 } },
      },
    },
    {
      // scoring_test.go TestPreScoreSkip.
      name: "default constraints and a replicaset that doesn't match",
      scenario: {
        plugins: {
          filter: [],
          score: [{ name: 'PodTopologySpread', weight: 1 }],
          args: {
            PodTopologySpread: {
              defaultingType: 'List',
              defaultConstraints: [{ maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: 'ScheduleAnyway' }],
            },
          },
        },
        pod: makePod('p', {
          labels: { foo: 'bar', baz: 'sup' },
          owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs2' },
        }),
        nodes: [makeNode('node-a', { labels: { planet: 'mars' } })],
        objects: [
          {
            kind: 'ReplicaSet',
            apiVersion: 'apps/v1',
            metadata: { namespace: 'default', name: 'rs1' },
            spec: { selector: { matchExpressions: [{ key: 'tar', operator: 'Exists' }] } },
          },
        ],
        expect: { preScore: 'Skip' },
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(runScenario({ id: c.name, ...c.scenario }).failures, []);
    });
  }
});

describe('helper.DefaultSelector', () => {
  const pod = makePod('p', {
    labels: { app: 'web', tier: 'fe', tar: 'x' },
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1' },
  });
  const svc = (name: string, ns: string, selector: Record<string, string> | null): KubeObject => ({
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: selector === null ? {} : { selector },
  });
  const rs: KubeObject = {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    metadata: { name: 'rs1', namespace: 'default' },
    spec: { selector: { matchExpressions: [{ key: 'tar', operator: 'Exists' }] } },
  };

  it('merges the selectors of matching Services and adds the owning ReplicaSet requirements', () => {
    const snap = snapshotFrom({
      objects: [
        svc('s1', 'default', { app: 'web' }),
        svc('s2', 'default', { tier: 'fe' }),
        svc('other-ns', 'prod', { app: 'web', env: 'prod' }),
        svc('not-matching', 'default', { app: 'db' }),
        svc('nil-selector', 'default', null),
        rs,
      ],
    });
    const sel = defaultSelector(pod, snap);
    assert.deepEqual(sel.requirements.map((r) => `${r.key} ${r.operator} ${r.values.join(',')}`).sort(), [
      'app Equals web',
      'tar Exists ',
      'tier Equals fe',
    ]);
    assert.equal(sel.matches({ app: 'web', tier: 'fe', tar: '1' }), true);
    assert.equal(sel.matches({ app: 'web', tier: 'fe' }), false);
  });

  it('is empty when nothing selects the pod, and ignores owners of other API groups', () => {
    const stray = makePod('p', {
      labels: { app: 'web' },
      owner: { apiVersion: 'extensions/v1beta1', kind: 'ReplicaSet', name: 'rs1' },
    });
    const snap = snapshotFrom({ objects: [rs, svc('nil-selector', 'default', null)] });
    assert.equal(defaultSelector(stray, snap).empty(), true);
  });

  it('uses a ReplicationController (v1) selector map and a StatefulSet (apps/v1) label selector', () => {
    const rc: KubeObject = {
      kind: 'ReplicationController',
      apiVersion: 'v1',
      metadata: { name: 'rc', namespace: 'default' },
      spec: { selector: { app: 'web' } },
    };
    const ss: KubeObject = {
      kind: 'StatefulSet',
      apiVersion: 'apps/v1',
      metadata: { name: 'ss', namespace: 'default' },
      spec: { selector: { matchLabels: { tier: 'fe' } } },
    };
    const snap = snapshotFrom({ objects: [rc, ss] });
    const byRc = makePod('a', {
      labels: { app: 'web' },
      owner: { apiVersion: 'v1', kind: 'ReplicationController', name: 'rc' },
    });
    const bySs = makePod('b', {
      labels: { tier: 'fe' },
      owner: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'ss' },
    });
    assert.equal(defaultSelector(byRc, snap).matches({ app: 'web' }), true);
    assert.equal(defaultSelector(byRc, snap).matches({ app: 'db' }), false);
    assert.equal(defaultSelector(bySs, snap).matches({ tier: 'fe' }), true);
    assert.equal(defaultSelector(bySs, snap).matches({ tier: 'be' }), false);
  });
});

describe('PodTopologySpread system defaults apply only without own constraints (pitfall 10)', () => {
  const nodes = [makeNode('n1', { labels: { 'kubernetes.io/hostname': 'n1', 'topology.kubernetes.io/zone': 'z1' } })];
  const service: KubeObject = {
    kind: 'Service',
    metadata: { name: 's', namespace: 'default' },
    spec: { selector: { app: 'web' } },
  };
  const preScore = (podSpec: Parameters<typeof makePod>[1], objects: KubeObject[]) => {
    const snap = snapshotFrom({ nodes, objects });
    const pl = create({ args: { defaultingType: 'System' }, handle: snap, features: {} });
    const state = new CycleState();
    const st = pl.preScore(state, makePod('p', podSpec), snap.nodeInfos());
    return { st, state };
  };

  it('uses hostname (maxSkew 3) and zone (maxSkew 5) with the Service selector when the pod has no constraints', () => {
    const { st, state } = preScore({ labels: { app: 'web' } }, [service]);
    assert.equal(st, null);
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY)!;
    assert.deepEqual(
      s.constraints.map((c) => [c.topologyKey, c.maxSkew]),
      [
        ['kubernetes.io/hostname', 3],
        ['topology.kubernetes.io/zone', 5],
      ],
    );
    assert.equal(s.constraints[0]!.selector.matches({ app: 'web' }), true);
  });

  it('skips when no Service, RC, RS or StatefulSet selects the pod', () => {
    assert.equal(preScore({ labels: { app: 'web' } }, []).st?.code, 'Skip');
  });

  it('skips when the pod has only DoNotSchedule constraints, even if a Service selects it', () => {
    const spec = {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } },
        },
      ],
    };
    assert.equal(preScore({ labels: { app: 'web' }, spec }, [service]).st?.code, 'Skip');
  });

  it('has no DoNotSchedule system defaults, so PreFilter skips for an unconstrained pod', () => {
    const snap = snapshotFrom({ nodes, objects: [service] });
    const pl = create({ args: {}, handle: snap, features: {} });
    assert.equal(
      pl.preFilter(new CycleState(), makePod('p', { labels: { app: 'web' } }), snap.nodeInfos()).status?.code,
      'Skip',
    );
  });
});

describe('PodTopologySpread PreFilter with default constraints (ported from filtering_test.go TestPreFilterState)', () => {
  const service = (selector: Record<string, string>): KubeObject => ({
    kind: 'Service',
    metadata: {},
    spec: { selector },
  });
  const cases: {
    name: string;
    pod: ReturnType<typeof makePod>;
    defaultConstraints: Record<string, unknown>[];
    objs: KubeObject[];
    want: 'Skip' | [string, number, string][];
  }[] = [
    {
      name: 'default constraints and a service',
      pod: makePod('p', { namespace: '', labels: { foo: 'bar' } }),
      defaultConstraints: [
        { maxSkew: 3, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: 'ScheduleAnyway' },
        { maxSkew: 5, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' },
      ],
      objs: [service({ foo: 'bar' })],
      want: [
        ['node', 3, 'foo Equals bar'],
        ['rack', 5, 'foo Equals bar'],
      ],
    },
    {
      name: "default constraints and a service that doesn't match",
      pod: makePod('p', { namespace: '', labels: { foo: 'bar' } }),
      defaultConstraints: [{ maxSkew: 3, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' }],
      objs: [service({ baz: 'kep' })],
      want: 'Skip',
    },
    {
      name: 'default constraints and a service, but pod has constraints',
      pod: makePod('p', {
        namespace: '',
        labels: { foo: 'bar', baz: 'tar' },
        spec: {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'zone',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { baz: 'tar' } },
            },
            {
              maxSkew: 2,
              topologyKey: 'planet',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { fot: 'rok' } },
            },
          ],
        },
      }),
      defaultConstraints: [{ maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' }],
      objs: [service({ foo: 'bar' })],
      want: [['zone', 1, 'baz In tar']],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const snap = snapshotFrom({ objects: c.objs });
      const pl = create({
        args: { defaultingType: 'List', defaultConstraints: c.defaultConstraints },
        handle: snap,
        features: {},
      });
      const state = new CycleState();
      const st = pl.preFilter(state, c.pod, snap.nodeInfos()).status;
      if (c.want === 'Skip') {
        assert.equal(st?.code, 'Skip');
        return;
      }
      assert.equal(st, null);
      const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY)!;
      assert.deepEqual(
        s.constraints.map((k) => [
          k.topologyKey,
          k.maxSkew,
          k.selector.requirements.map((r) => `${r.key} ${r.operator} ${r.values.join(',')}`).join(';'),
        ]),
        c.want,
      );
      for (const k of s.constraints) {
        assert.equal(k.minDomains, 1);
        assert.equal(k.nodeAffinityPolicy, 'Honor');
        assert.equal(k.nodeTaintsPolicy, 'Ignore');
      }
      assert.deepEqual(
        s.criticalPaths.map((p) => [p.num0, p.num1]),
        s.constraints.map(() => [2147483647, 2147483647]),
      );
    });
  }
});
