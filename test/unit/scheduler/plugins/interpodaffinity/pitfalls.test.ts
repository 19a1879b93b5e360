/**
 * InterPodAffinity behaviours the spec's pitfalls checklist (§9, item 11) calls out, the
 * preemption extensions, and NormalizeScore's float order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Namespace, Node, Pod, PodAffinityTerm } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { newPodInfo } from '@src/scheduler/framework/node-info';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { create } from '@src/scheduler/plugins/interpodaffinity/plugin';
import { PRE_SCORE_STATE_KEY, PreScoreState } from '@src/scheduler/plugins/interpodaffinity/scoring';
import { normalizeScore } from '@src/scheduler/plugins/interpodaffinity/scoring';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

const ZONE = 'zone';
const nodes: Node[] = [
  makeNode('a', { labels: { [ZONE]: 'z1' } }),
  makeNode('b', { labels: { [ZONE]: 'z1' } }),
  makeNode('c', { labels: { [ZONE]: 'z2' } }),
  makeNode('d'),
];

function term(labels: Record<string, string>, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { labelSelector: { matchLabels: labels }, topologyKey: ZONE, ...extra };
}

/** PreFilter + Filter on every node; node → code, or the PreFilter code when it ends the cycle. */
function filterAll(pod: Pod, existing: Pod[], namespaces: Namespace[] = []): Record<string, string> | string {
  const snap = snapshotFrom({ nodes, pods: existing, namespaces });
  const pl = create({ args: { hardPodAffinityWeight: 1 }, handle: snap, features: {} });
  const state = new CycleState();
  const pre = pl.preFilter(state, pod, snap.nodeInfos()).status;
  if (pre !== null) return pre.code;
  const out: Record<string, string> = {};
  for (const ni of snap.nodeInfos()) out[ni.name] = pl.filter(state, pod, ni)?.code ?? 'Success';
  return out;
}

/** PreScore + Score + NormalizeScore over all nodes; node → score, or the PreScore code. */
function scoreAll(pod: Pod, existing: Pod[], args: Record<string, unknown>): Record<string, number> | string {
  const snap = snapshotFrom({ nodes, pods: existing });
  const pl = create({ args, handle: snap, features: {} });
  const state = new CycleState();
  const st = pl.preScore(state, pod, snap.nodeInfos());
  if (st !== null) return st.code;
  const scores = snap.nodeInfos().map((ni) => ({ name: ni.name, score: pl.score(state, pod, ni).score }));
  pl.normalizeScore(state, pod, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}

describe('InterPodAffinity pitfall 11', () => {
  it('counts terminating pods (unlike PodTopologySpread)', () => {
    const pod = makePod('p', {
      spec: {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' })] } },
      },
    });
    const existing = [makePod('db', { node: 'a', labels: { app: 'db' }, terminating: true })];
    assert.deepEqual(filterAll(pod, existing), { a: 'Unschedulable', b: 'Unschedulable', c: 'Success', d: 'Success' });
  });

  it('lets the first pod of a self-affine group land where the topology key exists', () => {
    const pod = makePod('p', {
      labels: { app: 'web' },
      spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } } },
    });
    assert.deepEqual(filterAll(pod, []), {
      a: 'Success',
      b: 'Success',
      c: 'Success',
      d: 'UnschedulableAndUnresolvable',
    });
    // Once one matching pod exists anywhere, the exception no longer applies.
    const existing = [makePod('w', { node: 'c', labels: { app: 'web' } })];
    assert.deepEqual(filterAll(pod, existing), {
      a: 'UnschedulableAndUnresolvable',
      b: 'UnschedulableAndUnresolvable',
      c: 'Success',
      d: 'UnschedulableAndUnresolvable',
    });
    // A pod that does not match its own terms gets no exception.
    const stranger = makePod('p', {
      labels: { app: 'other' },
      spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } } },
    });
    assert.deepEqual(filterAll(stranger, []), {
      a: 'UnschedulableAndUnresolvable',
      b: 'UnschedulableAndUnresolvable',
      c: 'UnschedulableAndUnresolvable',
      d: 'UnschedulableAndUnresolvable',
    });
  });

  it('reads namespaceSelector {} as every namespace, and no selector as the pod namespace only', () => {
    const existing = [makePod('db', { node: 'a', labels: { app: 'db' }, namespace: 'other' })];
    const anti = (t: PodAffinityTerm) =>
      makePod('p', {
        spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } } },
      });
    assert.deepEqual(filterAll(anti(term({ app: 'db' }, { namespaceSelector: {} })), existing), {
      a: 'Unschedulable',
      b: 'Unschedulable',
      c: 'Success',
      d: 'Success',
    });
    assert.deepEqual(filterAll(anti(term({ app: 'db' })), existing), {
      a: 'Success',
      b: 'Success',
      c: 'Success',
      d: 'Success',
    });
    // A label namespaceSelector is resolved through the namespace objects.
    const namespaces: Namespace[] = [
      { metadata: { name: 'other', labels: { team: 'x' } } },
      { metadata: { name: 'default' } },
    ];
    assert.deepEqual(
      filterAll(anti(term({ app: 'db' }, { namespaceSelector: { matchLabels: { team: 'x' } } })), existing, namespaces),
      {
        a: 'Unschedulable',
        b: 'Unschedulable',
        c: 'Success',
        d: 'Success',
      },
    );
  });

  it("honours existing pods' required anti-affinity against the incoming pod", () => {
    const existing = [
      makePod('guard', {
        node: 'c',
        spec: {
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } },
        },
      }),
    ];
    assert.deepEqual(filterAll(makePod('p', { labels: { app: 'web' } }), existing), {
      a: 'Success',
      b: 'Success',
      c: 'Unschedulable',
      d: 'Success',
    });
    assert.equal(filterAll(makePod('p', { labels: { app: 'db' } }), existing), 'Skip');
  });

  it("scores existing pods' required affinity terms with hardPodAffinityWeight", () => {
    const existing = [
      makePod('fan', {
        node: 'c',
        spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } } },
      }),
    ];
    const incoming = makePod('p', { labels: { app: 'web' } });
    assert.deepEqual(scoreAll(incoming, existing, { hardPodAffinityWeight: 1 }), { a: 0, b: 0, c: 100, d: 0 });
    assert.equal(scoreAll(incoming, existing, { hardPodAffinityWeight: 0 }), 'Skip');
    assert.equal(
      scoreAll(incoming, existing, { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: true }),
      'Skip',
    );
  });

  it('multiplies weights as int32 (weight × multiplier wraps)', () => {
    // An (invalid, but unvalidated here) weight of -2^31 times the anti-affinity multiplier -1
    // wraps to -2^31 in Go's int32 arithmetic instead of becoming +2^31.
    const existing = [
      makePod('e', {
        node: 'c',
        labels: { app: 'db' },
        spec: {
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: -2147483648, podAffinityTerm: term({ app: 'web' }) },
              ],
            },
          },
        },
      }),
    ];
    const snap = snapshotFrom({ nodes, pods: existing });
    const pl = create({ args: {}, handle: snap, features: {} });
    const state = new CycleState();
    assert.equal(pl.preScore(state, makePod('p', { labels: { app: 'web' } }), snap.nodeInfos()), null);
    assert.equal(pl.score(state, makePod('p'), snap.getNodeInfo('c')!).score, -2147483648);
  });
});

describe('InterPodAffinity NormalizeScore', () => {
  it('divides before multiplying by 100, as Go does (29/100·100 truncates to 28)', () => {
    const state = new CycleState();
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(new Map([[ZONE, new Map([['z1', 1]])]])));
    const scores = [
      { name: 'a', score: 0 },
      { name: 'b', score: 29 },
      { name: 'c', score: 100 },
      { name: 'd', score: -5 },
    ];
    normalizeScore(state, scores);
    // min -5, max 100: b = int64(100 · (34/105)) = 32; a = int64(100 · (5/105)) = 4.
    assert.deepEqual(
      scores.map((s) => s.score),
      [4, 32, 100, 0],
    );
    const exact = [
      { name: 'a', score: 0 },
      { name: 'b', score: 29 },
      { name: 'c', score: 100 },
    ];
    normalizeScore(state, exact);
    assert.deepEqual(
      exact.map((s) => s.score),
      [0, 28, 100],
    );
  });
});

describe('InterPodAffinity PreFilterExtensions (preemption)', () => {
  it('RemovePod of the only matching pod clears its anti-affinity on a cloned state', () => {
    const pod = makePod('p', {
      spec: {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' })] } },
      },
    });
    const victim = makePod('db', { node: 'a', labels: { app: 'db' } });
    const snap = snapshotFrom({ nodes, pods: [victim] });
    const pl = create({ args: {}, handle: snap, features: {} });
    const state = new CycleState();
    pl.preFilter(state, pod, snap.nodeInfos());
    const a = snap.getNodeInfo('a')!;
    assert.equal(pl.filter(state, pod, a)?.code, 'Unschedulable');
    const what = state.clone();
    assert.equal(pl.removePod(what, pod, a.pods[0]!, a), null);
    assert.equal(pl.filter(what, pod, a), null);
    assert.equal(pl.filter(state, pod, a)?.code, 'Unschedulable');
    assert.equal(
      pl.addPod(what, pod, newPodInfo(makePod('db2', { node: 'c', labels: { app: 'db' } })), snap.getNodeInfo('c')!),
      null,
    );
    assert.equal(pl.filter(what, pod, snap.getNodeInfo('c')!)?.code, 'Unschedulable');
    assert.equal(pl.filter(what, pod, a), null);
  });

  it('AddPod of a pod with required anti-affinity against the incoming pod blocks its topology', () => {
    const pod = makePod('p', {
      labels: { app: 'web' },
      spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } } },
    });
    const snap = snapshotFrom({ nodes, pods: [makePod('w', { node: 'a', labels: { app: 'web' } })] });
    const pl = create({ args: {}, handle: snap, features: {} });
    const state = new CycleState();
    pl.preFilter(state, pod, snap.nodeInfos());
    const b = snap.getNodeInfo('b')!;
    assert.equal(pl.filter(state, pod, b), null);
    const guard = makePod('g', {
      node: 'b',
      spec: {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } },
      },
    });
    pl.addPod(state, pod, newPodInfo(guard), b);
    assert.equal(pl.filter(state, pod, b)?.code, 'Unschedulable');
    assert.equal(pl.filter(state, pod, snap.getNodeInfo('c')!)?.code, 'UnschedulableAndUnresolvable');
  });
});
