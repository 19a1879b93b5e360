/**
 * Caches keyed by NodeInfo.generation (resource scores, topology-spread counts, inter-pod affinity
 * PreFilter tallies and PreScore contributions) must never change a prediction. Each scenario interleaves, with seeded
 * randomness, predictions (bound to the chosen node) with unbinds, pod and node updates, node
 * removals and namespace relabelling on one long-lived snapshot, and compares every prediction
 * with one made on a fresh snapshot built from the same objects (fresh framework, no caches).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Affinity, LabelSelector, Namespace, Node, Pod } from '@src/kube-api/types';
import { ClusterSnapshot, defaultSchedulerProfile, predict, snapshotFrom, type PredictionJSON } from '@src/scheduler';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { Framework } from '@src/scheduler/runtime/framework';
// A seeded random source, so failures replay.
import { seededRandom as rng } from '@test/builders/random';

const ZONES = ['z1', 'z2', 'z3'];
const COLORS = ['blue', 'green', 'red'];
const NAMESPACES = ['ns-a', 'ns-b'];

interface World {
  nodes: Map<string, Node>;
  pods: Map<string, Pod>;
  namespaces: Map<string, Namespace>;
}

function randomNode(r: () => number, i: number, version: number): Node {
  const name = `node-${i}`;
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
  // A few nodes lack the zone label (topology spread ignores or rejects them).
  if (r() < 0.9) labels['topology.kubernetes.io/zone'] = ZONES[Math.floor(r() * ZONES.length)]!;
  if (r() < 0.3) labels['disk'] = 'ssd';
  const taints = r() < 0.2 ? [{ key: 'dedicated', value: `v${version}`, effect: 'PreferNoSchedule' }] : [];
  const cpu = `${2 + Math.floor(r() * 6)}`;
  return {
    metadata: { name, labels },
    spec: { taints },
    status: {
      allocatable: { cpu, memory: `${8 + Math.floor(r() * 24)}Gi`, pods: '20' },
      capacity: { cpu, memory: '64Gi', pods: '20' },
      ...(r() < 0.3 ? { images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 300 * 1024 * 1024 }] } : {}),
    },
  };
}

function selector(r: () => number): LabelSelector {
  const values = COLORS.filter(() => r() < 0.6);
  return r() < 0.5 || values.length === 0
    ? { matchLabels: { color: COLORS[Math.floor(r() * COLORS.length)]! } }
    : { matchExpressions: [{ key: 'color', operator: 'In', values }] };
}

function randomPod(r: () => number, id: number): Pod {
  const ns = NAMESPACES[Math.floor(r() * NAMESPACES.length)]!;
  const name = `pod-${id}`;
  const labels: Record<string, string> = { color: COLORS[Math.floor(r() * COLORS.length)]! };
  if (r() < 0.5) labels['app'] = 'web';
  const requests =
    r() < 0.15
      ? undefined
      : { cpu: `${100 * (1 + Math.floor(r() * 8))}m`, memory: `${256 * (1 + Math.floor(r() * 6))}Mi` };
  const pod: Pod = {
    metadata: { name, namespace: ns, uid: `${ns}/${name}`, labels },
    spec: {
      containers: [
        { name: 'c', image: 'registry.k8s.io/pause:3.10', ...(requests ? { resources: { requests } } : {}) },
      ],
    },
  };
  const kind = r();
  if (kind < 0.3) {
    pod.spec!.topologySpreadConstraints = [
      {
        maxSkew: 1 + Math.floor(r() * 3),
        topologyKey: r() < 0.7 ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname',
        whenUnsatisfiable: r() < 0.5 ? 'ScheduleAnyway' : 'DoNotSchedule',
        labelSelector: selector(r),
      },
    ];
  } else if (kind < 0.7) {
    const term = {
      labelSelector: selector(r),
      topologyKey: r() < 0.5 ? 'kubernetes.io/hostname' : 'topology.kubernetes.io/zone',
      ...(r() < 0.3 ? { namespaces: [...NAMESPACES] } : {}),
      ...(r() < 0.2 ? { namespaceSelector: { matchLabels: { team: 'x' } } } : {}),
    };
    const weighted = { weight: 1 + Math.floor(r() * 50), podAffinityTerm: term };
    const affinity: Affinity =
      r() < 0.6
        ? { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted] } }
        : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted] } };
    pod.spec!.affinity = affinity;
    if (r() < 0.25) {
      // Required terms of the incoming pod (PreFilter's per-node tallies are carried across cycles).
      const required = { labelSelector: selector(r), topologyKey: term.topologyKey };
      if (r() < 0.5)
        affinity.podAffinity = { ...affinity.podAffinity, requiredDuringSchedulingIgnoredDuringExecution: [required] };
      else
        affinity.podAntiAffinity = {
          ...affinity.podAntiAffinity,
          requiredDuringSchedulingIgnoredDuringExecution: [
            required,
            { ...required, topologyKey: 'kubernetes.io/hostname' },
          ],
        };
    } else if (r() < 0.15) {
      affinity.podAntiAffinity = {
        ...affinity.podAntiAffinity,
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { color: 'red', app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      };
    }
  }
  return pod;
}

/** Per node (by name) what a prediction says, independent of node order. */
function perNode(r: PredictionJSON): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of r.nodes ?? []) out[n.name] = { filter: n.filter, scores: n.scores, total: n.total, rank: n.rank };
  return out;
}

function freshSnapshot(w: World): ClusterSnapshot {
  return snapshotFrom({
    nodes: [...w.nodes.values()],
    pods: [...w.pods.values()],
    namespaces: [...w.namespaces.values()],
  });
}

function runScenario(seed: number, steps: number): number {
  const r = rng(seed);
  const w: World = { nodes: new Map(), pods: new Map(), namespaces: new Map() };
  const snap = new ClusterSnapshot();
  for (const name of NAMESPACES) {
    const ns: Namespace = { metadata: { name, labels: { team: name === 'ns-a' ? 'x' : 'y' } } };
    w.namespaces.set(name, ns);
    snap.addNamespace(ns);
  }
  const nodeCount = 12 + Math.floor(r() * 12);
  for (let i = 0; i < nodeCount; i++) {
    const n = randomNode(r, i, 0);
    w.nodes.set(n.metadata!.name!, n);
    snap.addNode(n);
  }
  let nextPod = 0;
  let compared = 0;
  const templates = [0, 1, 2, 3, 4, 5].map((k) => randomPod(r, -1 - k));
  let template = 0;
  for (let step = 0; step < steps; step++) {
    const op = r();
    const bound = [...w.pods.values()];
    if (op < 0.55 || bound.length < 3) {
      // Mostly replicas of a few templates (as workloads are), so per-pod caches get reused.
      if (r() < 0.3) template = Math.floor(r() * templates.length);
      const pod = r() < 0.85 ? replica(templates[template]!, nextPod++) : randomPod(r, nextPod++);
      const opts = { mode: 'all-nodes' as const, detail: 'full' as const, preemption: false };
      const cached = predict(pod, snap, undefined, opts);
      const fresh = predict(pod, freshSnapshot(w), undefined, opts);
      assert.ok(
        cached.ok && fresh.ok,
        `seed ${seed} step ${step}: prediction failed: ${JSON.stringify([cached, fresh]).slice(0, 400)}`,
      );
      const a = cached.result;
      const b = fresh.result;
      const where = `seed ${seed} step ${step} (${pod.metadata!.name})`;
      assert.deepEqual(perNode(a), perNode(b), `${where}: per-node results differ`);
      assert.equal(a.feasibleNodes, b.feasibleNodes, where);
      assert.equal(a.tieCount, b.tieCount, where);
      assert.equal(a.selectedTotal, b.selectedTotal, where);
      assert.deepEqual([...a.tiedNodes].sort(), [...b.tiedNodes].sort(), where);
      assert.equal(a.failure, b.failure, where);
      compared++;
      if (a.selectedNode !== undefined) {
        const placed: Pod = { ...pod, spec: { ...pod.spec, nodeName: a.selectedNode } };
        w.pods.set(podKey(placed), placed);
        snap.addPod(placed);
      }
    } else if (op < 0.7) {
      // Unbind.
      const p = bound[Math.floor(r() * bound.length)]!;
      w.pods.delete(podKey(p));
      snap.removePod(p);
    } else if (op < 0.8) {
      // Relabel a bound pod (changes what selectors count).
      const p = bound[Math.floor(r() * bound.length)]!;
      const q: Pod = { ...p, metadata: { ...p.metadata, labels: { color: COLORS[Math.floor(r() * COLORS.length)]! } } };
      w.pods.set(podKey(q), q);
      snap.updatePod(q);
    } else if (op < 0.9) {
      // Update a node: new allocatable, labels (maybe another zone), taints.
      const names = [...w.nodes.keys()];
      const name = names[Math.floor(r() * names.length)]!;
      const n = randomNode(r, Number(name.slice('node-'.length)), step);
      w.nodes.set(name, n);
      snap.updateNode(n);
    } else if (op < 0.95) {
      // Remove a node (its pods stay, as upstream's cache keeps them) or bring one back.
      const names = [...w.nodes.keys()];
      if (names.length > 8 && r() < 0.5) {
        const name = names[Math.floor(r() * names.length)]!;
        w.nodes.delete(name);
        snap.removeNode(name);
      } else {
        const n = randomNode(r, nodeCount + step, step);
        w.nodes.set(n.metadata!.name!, n);
        snap.addNode(n);
      }
    } else {
      // Relabel a namespace (namespaceSelector terms change what they count).
      const name = NAMESPACES[Math.floor(r() * NAMESPACES.length)]!;
      const ns: Namespace = { metadata: { name, labels: { team: r() < 0.5 ? 'x' : 'y' } } };
      w.namespaces.set(name, ns);
      snap.addNamespace(ns);
    }
  }
  return compared;
}

/** A copy of `template` under a new name and UID. */
function replica(template: Pod, id: number): Pod {
  const ns = template.metadata!.namespace!;
  const name = `pod-${id}`;
  return { ...template, metadata: { ...template.metadata, name, uid: `${ns}/${name}` } };
}

function podKey(p: Pod): string {
  return p.metadata!.uid!;
}

describe('caches keyed by NodeInfo.generation never change a prediction', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: a long-lived snapshot agrees with fresh snapshots through binds, unbinds and updates`, () => {
      const compared = runScenario(seed, 160);
      assert.ok(compared > 50, `only ${compared} predictions compared`);
    });
  }
});

describe('score storage handed back by predict', () => {
  it('a full result keeps its scores when the next prediction reuses the score block', () => {
    const r = rng(42);
    const nodes = Array.from({ length: 30 }, (_, i) => randomNode(r, i, 0));
    const snap = snapshotFrom({ nodes, namespaces: NAMESPACES.map((name) => ({ metadata: { name } })) });
    const opts = { mode: 'all-nodes' as const, detail: 'full' as const, preemption: false };
    const first = predict(randomPod(r, 1), snap, undefined, opts);
    assert.ok(first.ok);
    const copy = structuredClone(first.result);
    const second = predict(randomPod(r, 2), snap, undefined, opts);
    assert.ok(second.ok);
    assert.deepEqual(first.result, copy);
  });
});

describe('ScorePlugin.scoreNodes gives what score gives per node', () => {
  it('every default score plugin with a batch form, across binds and node updates (memos warm and cold)', () => {
    const r = rng(7);
    const snap = new ClusterSnapshot();
    for (const name of NAMESPACES) snap.addNamespace({ metadata: { name, labels: { team: 'x' } } });
    for (let i = 0; i < 40; i++) snap.addNode(randomNode(r, i, 0));
    const { framework } = Framework.fromProfile(defaultSchedulerProfile(), snap, { allowMissing: true });
    const templates = [0, 1, 2, 3].map((k) => randomPod(r, -1 - k));
    let checked = 0;
    for (let step = 0; step < 60; step++) {
      // Runs of the same template, so memos keyed by the pod's inputs are hit between binds.
      const pod = replica(templates[Math.floor(step / 5) % templates.length]!, step);
      const state = new CycleState();
      const pre = framework.runPreFilterPlugins(state, pod);
      if (pre.status != null && !pre.status.isSuccess()) continue;
      const nodes = snap.nodeInfos();
      assert.equal(framework.runPreScorePlugins(state, pod, nodes), null);
      for (const { plugin } of framework.scorePlugins) {
        if (typeof plugin.scoreNodes !== 'function' || state.skipScorePlugins.has(plugin.name)) continue;
        const out = new Float64Array(nodes.length);
        assert.equal(plugin.scoreNodes(state, pod, nodes, out), null, plugin.name);
        const perNode = nodes.map((ni) => plugin.score(state, pod, ni).score);
        assert.deepEqual([...out], perNode, `${plugin.name} at step ${step}`);
        checked++;
      }
      // Bind to a random node and sometimes replace another node, so some memo entries go stale.
      const target = nodes[Math.floor(r() * nodes.length)]!;
      snap.addPod({ ...pod, spec: { ...pod.spec, nodeName: target.name } });
      if (r() < 0.3) snap.updateNode(randomNode(r, Math.floor(r() * 40), step));
    }
    assert.ok(checked > 100, `only ${checked} comparisons`);
  });
});

describe('PodTopologySpread PreFilter and PreScore sums carried across cycles', () => {
  for (const when of ['ScheduleAnyway', 'DoNotSchedule'] as const) {
    it(`follow nodes added and removed anywhere in the list (positions shift, the list shrinks): ${when}`, () => {
      const r = rng(11);
      const w: World = { nodes: new Map(), pods: new Map(), namespaces: new Map() };
      const snap = new ClusterSnapshot();
      const ns: Namespace = { metadata: { name: 'ns-a' } };
      w.namespaces.set('ns-a', ns);
      snap.addNamespace(ns);
      const template: Pod = {
        metadata: { name: 't', namespace: 'ns-a', labels: { color: 'blue' } },
        spec: {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: when,
              labelSelector: { matchLabels: { color: 'blue' } },
            },
          ],
          containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }],
        },
      };
      for (let i = 0; i < 12; i++) {
        const n = randomNode(r, i, 0);
        n.metadata!.labels!['topology.kubernetes.io/zone'] = ZONES[i % ZONES.length]!;
        w.nodes.set(n.metadata!.name!, n);
        snap.addNode(n);
        // 1 to 3 matching pods per node, so every node adds to its zone's sum.
        for (let k = 0; k <= i % 3; k++) {
          const p: Pod = {
            ...replica(template, 1000 + i * 10 + k),
            spec: { nodeName: n.metadata!.name!, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
          };
          w.pods.set(podKey(p), p);
          snap.addPod(p);
        }
      }
      const opts = { mode: 'all-nodes' as const, detail: 'full' as const, preemption: false };
      let compared = 0;
      for (let step = 0; step < 24; step++) {
        const pod = replica(template, step);
        const cached = predict(pod, snap, undefined, opts);
        const fresh = predict(pod, freshSnapshot(w), undefined, opts);
        assert.ok(cached.ok && fresh.ok);
        assert.deepEqual(perNode(cached.result), perNode(fresh.result), `step ${step}`);
        compared++;
        const placed: Pod = { ...pod, spec: { ...pod.spec, nodeName: cached.result.selectedNode } };
        w.pods.set(podKey(placed), placed);
        snap.addPod(placed);
        // Every third step a node other than the last leaves (its pods stay, counted nowhere); every
        // fourth one comes back under a new name in a zone of its own.
        const names = [...w.nodes.keys()];
        if (step % 3 === 0 && names.length > 4) {
          const name = names[Math.floor(r() * (names.length - 1))]!;
          w.nodes.delete(name);
          snap.removeNode(name);
        } else if (step % 4 === 0) {
          const n = randomNode(r, 100 + step, step);
          n.metadata!.labels!['topology.kubernetes.io/zone'] = ZONES[step % ZONES.length]!;
          w.nodes.set(n.metadata!.name!, n);
          snap.addNode(n);
        }
      }
      assert.equal(compared, 24);
    });
  }
});
