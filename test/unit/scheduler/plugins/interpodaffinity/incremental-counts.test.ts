/**
 * The per-cycle memos of InterPodAffinity (PreFilter's running counts, PreScore's per-node
 * contributions) and PodTopologySpread (DomainSums), followed through the snapshot's node change
 * feed: after every step of a random sequence of assume/forget/add/remove/update, a plugin that has
 * kept its memos across all steps answers exactly as a fresh plugin (and, for InterPodAffinity's
 * PreFilter, as the pod-by-pod count without any memo).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import type { PodInfoImpl } from '@src/scheduler/framework/node-info';
import { snapshotFrom, type ClusterSnapshot } from '@src/scheduler/framework/snapshot';
import * as ipaFiltering from '@src/scheduler/plugins/interpodaffinity/filtering';
import {
  PRE_SCORE_STATE_KEY as IPA_PRE_SCORE_KEY,
  type PreScoreState as IpaPreScoreState,
} from '@src/scheduler/plugins/interpodaffinity/scoring';
import { create as createIpa } from '@src/scheduler/plugins/interpodaffinity/plugin';
import { create as createPts } from '@src/scheduler/plugins/podtopologyspread/plugin';
import {
  PRE_FILTER_STATE_KEY as PTS_PRE_FILTER_KEY,
  type PreFilterState as PtsPreFilterState,
} from '@src/scheduler/plugins/podtopologyspread/filtering';
import {
  PRE_SCORE_STATE_KEY as PTS_PRE_SCORE_KEY,
  type PreScoreState as PtsPreScoreState,
} from '@src/scheduler/plugins/podtopologyspread/scoring';
// A seeded random source, so failures replay.
import { seededRandom as rng } from '@test/builders/random';

const ZONES = ['z1', 'z2', 'z3'];

function node(i: number, zone: string): Node {
  return {
    metadata: { name: `n${i}`, labels: { 'kubernetes.io/hostname': `n${i}`, 'topology.kubernetes.io/zone': zone } },
    status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' } },
  };
}

/** A pod of app `app`, with required anti-affinity to its own app on hostname, or affinity to `web` by zone, or neither. */
function pod(name: string, app: string, kind: number): Pod {
  const spec: Pod['spec'] = { containers: [{ name: 'c', image: 'i' }] };
  if (kind === 1) {
    spec.affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app } } },
        ],
      },
    };
  } else if (kind === 2) {
    spec.affinity = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'web' } } },
        ],
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 5,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } },
          },
        ],
      },
    };
  }
  return { metadata: { name, namespace: 'ns', uid: name, labels: { app } }, spec };
}

/** The incoming pods predicted in turn (replicas of three workloads). */
const INCOMING: Pod[] = [
  pod('in-anti', 'web', 1),
  pod('in-aff', 'db', 2),
  {
    ...pod('in-spread', 'web', 0),
    spec: {
      containers: [{ name: 'c', image: 'i' }],
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } },
        },
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { app: 'web' } },
        },
      ],
    },
  },
];

function ipaCounts(snap: ClusterSnapshot, p: Pod, plugin?: ReturnType<typeof createIpa>): unknown {
  const state = new CycleState();
  const status = plugin
    ? plugin.preFilter(state, p, snap.nodeInfos()).status
    : ipaFiltering.preFilter(snap, state, p, snap.nodeInfos());
  if (status !== null) return status.code;
  const s = state.read<ipaFiltering.PreFilterState>(ipaFiltering.PRE_FILTER_STATE_KEY)!;
  return {
    existing: s.existingAntiAffinityCounts.toRecord(),
    affinity: s.affinityCounts.toRecord(),
    anti: s.antiAffinityCounts.toRecord(),
  };
}

function ipaScores(snap: ClusterSnapshot, p: Pod, plugin: ReturnType<typeof createIpa>): unknown {
  const state = new CycleState();
  const status = plugin.preScore(state, p, snap.nodeInfos());
  if (status !== null) return status.code;
  const s = state.read<IpaPreScoreState>(IPA_PRE_SCORE_KEY)!;
  const out: Record<string, number> = {};
  for (const [k, values] of s.topologyScore) for (const [v, n] of values) out[`${k}=${v}`] = n;
  return out;
}

function ptsState(snap: ClusterSnapshot, p: Pod, plugin: ReturnType<typeof createPts>): unknown {
  const state = new CycleState();
  const pre = plugin.preFilter(state, p, snap.nodeInfos()).status;
  const ps = plugin.preScore(state, p, snap.nodeInfos());
  const f = pre === null ? state.read<PtsPreFilterState>(PTS_PRE_FILTER_KEY)! : undefined;
  const s = ps === null ? state.read<PtsPreScoreState>(PTS_PRE_SCORE_KEY)! : undefined;
  return {
    pre: pre?.code ?? f!.tpValueToMatchNum.map((m) => [...m]),
    paths: f?.criticalPaths,
    score: ps?.code ?? s!.topologyValueToPodCounts.map((m) => [...m]),
  };
}

describe('incremental InterPodAffinity and PodTopologySpread memos over the node change feed', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: memo answers equal fresh ones through 120 random cluster changes`, () => {
      const r = rng(seed);
      const nodes = Array.from({ length: 12 }, (_, i) => node(i, ZONES[i % 3]!));
      const apps = ['web', 'db', 'cache'];
      const pods: Pod[] = [];
      for (let i = 0; i < 30; i++) {
        const p = pod(`p${i}`, apps[i % 3]!, Math.floor(r() * 3));
        p.spec!.nodeName = `n${Math.floor(r() * 12)}`;
        pods.push(p);
      }
      const snap = snapshotFrom({ nodes, pods, namespaces: [{ metadata: { name: 'ns' } }] });
      const features = {};
      const ipa = createIpa({ args: {}, handle: snap, features });
      const pts = createPts({ args: {}, handle: snap, features });
      const assumed: PodInfoImpl[] = [];
      let next = 100;
      let checks = 0;
      for (let step = 0; step < 120; step++) {
        const op = r();
        if (op < 0.35) {
          const p = pod(`a${next++}`, apps[Math.floor(r() * 3)]!, Math.floor(r() * 3));
          assumed.push(snap.assumePod(p, `n${Math.floor(r() * 12)}`));
        } else if (op < 0.55 && assumed.length > 0) {
          snap.forgetPod(assumed.splice(Math.floor(r() * assumed.length), 1)[0]!);
        } else if (op < 0.7) {
          const p = pod(`b${next++}`, apps[Math.floor(r() * 3)]!, Math.floor(r() * 3));
          p.spec!.nodeName = `n${Math.floor(r() * 12)}`;
          snap.addPod(p);
          pods.push(p);
        } else if (op < 0.82 && pods.length > 0) {
          snap.removePod(pods.splice(Math.floor(r() * pods.length), 1)[0]!);
        } else if (op < 0.92) {
          // A node's labels change (same zone, so the node list stays as it is).
          const i = Math.floor(r() * 12);
          const n = node(i, ZONES[i % 3]!);
          n.metadata!.labels!['extra'] = `x${step}`;
          snap.updateNode(n);
        } else {
          // A node moves zone: the node list is rebuilt.
          const i = Math.floor(r() * 12);
          snap.updateNode(node(i, ZONES[Math.floor(r() * 3)]!));
        }
        for (const p of INCOMING) {
          const freshIpa = createIpa({ args: {}, handle: snap, features });
          const freshPts = createPts({ args: {}, handle: snap, features });
          assert.deepEqual(ipaCounts(snap, p, ipa), ipaCounts(snap, p), `step ${step} ${p.metadata!.name}: PreFilter`);
          assert.deepEqual(ipaCounts(snap, p, ipa), ipaCounts(snap, p, freshIpa), `step ${step}: PreFilter memo`);
          assert.deepEqual(ipaScores(snap, p, ipa), ipaScores(snap, p, freshIpa), `step ${step}: PreScore`);
          assert.deepEqual(ptsState(snap, p, pts), ptsState(snap, p, freshPts), `step ${step}: spread`);
          checks++;
        }
      }
      assert.equal(checks, 360);
    });
  }

  it('PreFilter counts handed to a cycle are not changed by later cycles', () => {
    const snap = snapshotFrom({ nodes: [node(0, 'z1'), node(1, 'z2')], namespaces: [{ metadata: { name: 'ns' } }] });
    const ipa = createIpa({ args: {}, handle: snap, features: {} });
    const incoming = INCOMING[0]!;
    const first = new CycleState();
    assert.equal(ipa.preFilter(first, incoming, snap.nodeInfos()).status, null);
    const s = first.read<ipaFiltering.PreFilterState>(ipaFiltering.PRE_FILTER_STATE_KEY)!;
    assert.deepEqual(s.antiAffinityCounts.toRecord(), {});
    snap.assumePod(pod('r1', 'web', 1), 'n0');
    assert.equal(ipa.preFilter(new CycleState(), incoming, snap.nodeInfos()).status, null);
    assert.deepEqual(s.antiAffinityCounts.toRecord(), {});
    assert.deepEqual(s.existingAntiAffinityCounts.toRecord(), {});
    assert.deepEqual(ipaCounts(snap, incoming, ipa), {
      existing: { 'kubernetes.io/hostname=n0': 1 },
      affinity: {},
      anti: { 'kubernetes.io/hostname=n0': 1 },
    });
  });
});
