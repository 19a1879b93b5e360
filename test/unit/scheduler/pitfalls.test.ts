/**
 * The pitfalls checklist of the scheduler spec (§9), one test each, run through the public
 * prediction API with the default profile wherever the pitfall is visible there. Plugin-level
 * tests elsewhere go deeper; this file is the index that proves every item is covered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from '@src/kube-api/types';
import { defaultSchedulerProfile } from '@src/scheduler/config/load';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { goLog } from '@src/scheduler/plugins/podtopologyspread/go-log';
import { predictOn, type PredictionJSON } from '@src/scheduler/predict/predict';
import { calculateResource } from '@src/scheduler/resource/pod-resources';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

const profile = defaultSchedulerProfile();

function predictAll(pod: Pod, nodes: Node[], pods: Pod[] = [], kubernetesVersion?: string): PredictionJSON {
  return predictOn(pod, snapshotFrom({ nodes, pods }), profile, {
    mode: 'all-nodes',
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
  });
}

function score(r: PredictionJSON, node: string, plugin: string) {
  return r.nodes!.find((n) => n.name === node)!.scores?.find((s) => s.plugin === plugin);
}

test('pitfall 1: integer division truncates, and memory × 100 beyond 2^53 is computed exactly', () => {
  // 2^57 bytes of memory: (alloc - req) * 100 exceeds 2^53, where doubles lose the last digits.
  const alloc = 2n ** 57n;
  const req = 3n * 10n ** 16n + 7n;
  const node = makeNode('big', { cpu: '3', memory: alloc.toString() });
  const twin = makeNode('twin', { cpu: '3', memory: alloc.toString() });
  const r = predictAll(makePod('p', { requests: [{ cpu: '1', memory: req.toString() }] }), [node, twin]);
  const cpu = ((3000n - 1000n) * 100n) / 3000n; // 66, truncated
  const mem = ((alloc - req) * 100n) / alloc; // exact BigInt division
  assert.equal(score(r, 'big', 'NodeResourcesFit')!.raw, Number((cpu + mem) / 2n));
});

test('pitfall 2: quantities are summed exactly and rounded up once per pod', () => {
  // Three containers of 0.1 byte: one ceiling of 0.3 → 1 byte, not three ceilings → 3 bytes.
  const pod = makePod('p', { requests: [{ memory: '0.1' }, { memory: '0.1' }, { memory: '0.1' }] });
  assert.equal(calculateResource(pod).resource.memory, 1);
});

test('pitfall 3: non-zero defaults apply only to scoring, never to Filter', () => {
  // The node's cpu is fully requested; a best-effort pod still passes Fit (no defaults in Filter) …
  const full = makeNode('full', { cpu: '1', memory: '1Gi' });
  const busy = makePod('busy', { node: 'full', requests: [{ cpu: '1' }] });
  const r = predictAll(makePod('be'), [full, makeNode('free', { cpu: '1', memory: '1Gi' })], [busy]);
  const fullNode = r.nodes!.find((n) => n.name === 'full')!;
  assert.equal(fullNode.feasible, true);
  // … but is scored as if it asked for 100m cpu and 200Mi memory (LeastAllocated over NonZeroRequested,
  // where the busy pod's missing memory request also counts as 200Mi).
  const cpuScore = 0; // 1000m + 100m requested of 1000m: over capacity scores 0
  const memScore = Math.trunc(((1073741824 - 2 * 209715200) * 100) / 1073741824); // 60
  assert.equal(score(r, 'full', 'NodeResourcesFit')!.raw, Math.trunc((cpuScore + memScore) / 2));
});

test('pitfall 4: BalancedAllocation from v1.36 scores the balance change, each sub-score truncated', () => {
  // Spec §8 setup A, node n1: with the pod 75, without 68 → 50 + (50 + 75 - 68) / 2 = 78.
  const nodes = [makeNode('n1', { cpu: '4', memory: '8Gi' }), makeNode('n2', { cpu: '4', memory: '8Gi' })];
  const pods = [makePod('e1', { node: 'n1', requests: [{ cpu: '3', memory: '1Gi' }] })];
  const r = predictAll(makePod('p', { requests: [{ cpu: '500m', memory: '2Gi' }] }), nodes, pods);
  assert.equal(score(r, 'n1', 'NodeResourcesBalancedAllocation')!.raw, 78);
});

test('pitfall 5: per-plugin scores are reported weighted, and plugins skipped at PreScore are absent', () => {
  const r = predictAll(makePod('p', { requests: [{ cpu: '100m' }] }), [makeNode('a'), makeNode('b')]);
  const plugins = score(r, 'a', 'TaintToleration') && r.nodes![0]!.scores!.map((s) => s.plugin);
  assert.ok(plugins);
  assert.ok(!plugins.includes('PodTopologySpread'), 'no constraints and no selecting Service: PreScore Skip');
  assert.ok(!plugins.includes('InterPodAffinity'), 'no affinity anywhere: PreScore Skip');
  for (const always of ['TaintToleration', 'NodeResourcesFit', 'VolumeBinding', 'DynamicResources', 'ImageLocality']) {
    assert.ok(plugins.includes(always), `${always} is always scored`);
  }
  const tt = score(r, 'a', 'TaintToleration')!;
  assert.equal(tt.weighted, tt.normalized * 3);
});

test('pitfall 6: nodes are visited in nodeTree order, zones round-robin, beta zone label first', () => {
  const z = (name: string, zone: string, beta?: string) =>
    makeNode(name, {
      labels: {
        'topology.kubernetes.io/zone': zone,
        ...(beta ? { 'failure-domain.beta.kubernetes.io/zone': beta } : {}),
      },
    });
  const snap = snapshotFrom({ nodes: [z('a1', 'A'), z('a2', 'A'), z('x', 'A', 'B'), z('a3', 'A')] });
  // x's beta label puts it in zone B, whatever its GA label says.
  assert.deepEqual(
    snap.nodeInfos().map((n) => n.name),
    ['a1', 'x', 'a2', 'a3'],
  );
});

test('pitfall 7: a single feasible node is chosen without scoring', () => {
  const tainted = makeNode('t', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
  const r = predictAll(makePod('p'), [tainted, makeNode('ok')]);
  assert.equal(r.selectedNode, 'ok');
  assert.equal(r.scored, false);
  assert.equal(r.nodes!.find((n) => n.name === 'ok')!.scores, undefined);
});

test("pitfall 8: ties go to the root of Go's heap over the feasible order, with no randomness", () => {
  const r = predictAll(makePod('p', { requests: [{ cpu: '100m' }] }), [makeNode('n1'), makeNode('n2'), makeNode('n3')]);
  assert.equal(r.tieCount, 3);
  assert.equal(r.selectedNode, 'n1');
});

test("pitfall 9: PodTopologySpread's weights use Go's math.Log, not V8's", () => {
  // ln(14) is the weight for 12 feasible nodes; V8 and Go (amd64, the FreeBSD algorithm) differ
  // in the last bit here, and kube-scheduler's arithmetic is Go's.
  assert.notEqual(goLog(14), Math.log(14));
  assert.equal(goLog(14), 2.639057329615259);
  assert.equal(Math.log(14), 2.6390573296152584);
});

test('pitfall 10: PodTopologySpread counts no terminating pods, and an empty selector counts 0', () => {
  const zone = (n: string, z: string) =>
    makeNode(n, { labels: { 'topology.kubernetes.io/zone': z, 'kubernetes.io/hostname': n } });
  const spread = (selector: object): Pod => {
    const p = makePod('p', { labels: { app: 'web' } });
    p.spec!.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: selector,
      },
    ];
    return p;
  };
  const web = (name: string, node: string, terminating = false) => {
    const p = makePod(name, { node, labels: { app: 'web' } });
    if (terminating) p.metadata!.deletionTimestamp = '2026-01-01T00:00:00Z';
    return p;
  };
  const nodes = [zone('a', 'A'), zone('b', 'B')];
  // Zone A holds one live and one terminating match, zone B one live match: skew is even, both fit.
  const pods = [web('w1', 'a'), web('w2', 'a', true), web('w3', 'b')];
  const r = predictAll(spread({ matchLabels: { app: 'web' } }), nodes, pods);
  assert.equal(r.feasibleNodes, 2);
  // With {} the counts are 0 everywhere (Empty() is true), so even 3 pods in A do not skew anything.
  const r2 = predictAll(spread({}), nodes, [web('w1', 'a'), web('w4', 'a'), web('w5', 'a')]);
  assert.equal(r2.feasibleNodes, 2);
});

test("pitfall 11: existing pods' required affinity adds hardPodAffinityWeight to the incoming pod's score", () => {
  const nodes = [
    makeNode('a', { labels: { 'kubernetes.io/hostname': 'a' } }),
    makeNode('b', { labels: { 'kubernetes.io/hostname': 'b' } }),
  ];
  const fan = makePod('fan', { node: 'a', labels: { app: 'fan' } });
  fan.spec!.affinity = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: 'star' } }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  };
  const r = predictAll(makePod('star', { labels: { app: 'star' }, requests: [{ cpu: '100m' }] }), nodes, [fan]);
  assert.equal(score(r, 'a', 'InterPodAffinity')!.raw, 1);
  assert.equal(score(r, 'b', 'InterPodAffinity')!.raw, 0);
  assert.equal(score(r, 'a', 'InterPodAffinity')!.weighted, 200);
});

test('pitfall 12: the FitError histogram sorts "<count> <reason>" bytewise', () => {
  const nodes: Node[] = [];
  for (let i = 0; i < 10; i++) nodes.push(makeNode(`c${i}`, { cpu: '1', memory: '64Gi' }));
  for (let i = 0; i < 2; i++) nodes.push(makeNode(`m${i}`, { cpu: '64', memory: '1Gi' }));
  const r = predictAll(makePod('p', { requests: [{ cpu: '2', memory: '2Gi' }] }), nodes);
  assert.ok(r.failure!.startsWith('0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory.'), r.failure);
});

test('pitfall 13: terminal pods never count, and a preset nodeName is only counted, never filtered', () => {
  const node = makeNode('n', { cpu: '1', memory: '1Gi' });
  const done = makePod('done', { node: 'n', requests: [{ cpu: '1' }], phase: 'Succeeded' });
  const r = predictAll(makePod('p', { requests: [{ cpu: '1' }] }), [node], [done]);
  assert.equal(r.selectedNode, 'n', 'a Succeeded pod frees its resources');
  // A pod bound by nodeName counts against the node even when it over-commits it.
  const pinned = makePod('pinned', { node: 'n', requests: [{ cpu: '1' }] });
  const r2 = predictAll(makePod('p', { requests: [{ cpu: '1' }] }), [node], [pinned]);
  assert.equal(r2.selectedNode, undefined);
  assert.match(r2.failure!, /1 Insufficient cpu/);
});
