import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PredictionEngine } from '@src/server/prediction/engine';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { parseManifest } from '@src/server/services/manifest';
import { describePrediction } from '@src/server/services/prediction-details';
import { boundPod, FakeCaches, node } from './helpers';

const CONNECTED = { state: 'connected' as const, source: 'simulator' as const };
const ref = { uri: 'file:///d.yaml', documentIndex: 0, path: [] as string[] };

function details(
  text: string,
  caches: FakeCaches,
  status: { state: 'connected' | 'none'; source: 'simulator' | 'none' } = CONNECTED,
) {
  const live = new LiveCluster(caches);
  return describePrediction(parseManifest(text), ref, {
    status,
    snapshot: live.snapshot,
    engine: new PredictionEngine(),
    profile: { key: 'default' },
    defaultNamespace: 'default',
    verdict: undefined,
  });
}

const pod = (cpu: string, extra = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n${extra}  containers: [{name: c, image: i, resources: {requests: {cpu: "${cpu}"}}}]\n`;

describe('prediction details', () => {
  const caches = (): FakeCaches =>
    new FakeCaches({
      nodes: [node('node-a'), node('node-b'), node('tainted', { taints: [{ key: 'k', effect: 'NoSchedule' }] })],
      pods: [boundPod('x', 'node-a', '2')],
    });

  test('every node is a row: the chosen one ranked first, the filtered one with its plugin and reason', () => {
    const d = details(pod('500m'), caches())!;
    assert.equal(d.title, 'Pod default/web');
    assert.equal(d.selectedNode, 'node-b');
    assert.deepEqual(
      d.nodes!.map((n) => [n.name, n.rank ?? null, n.filter?.plugin ?? null]),
      [
        ['node-b', 1, null],
        ['node-a', 2, null],
        ['tainted', null, 'TaintToleration'],
      ],
    );
    assert.deepEqual(d.nodes![2]!.filter!.reasons, ['node(s) had untolerated taint(s)']);
    const weights = Object.fromEntries(d.plugins!.map((p) => [p.name, p.weight]));
    assert.equal(weights['TaintToleration'], 3);
    assert.equal(weights['NodeResourcesFit'], 1);
    const b = d.nodes![0]!;
    assert.equal(
      b.total,
      b.scores!.reduce((s, x) => s + x.weighted, 0),
    );
    assert.match(d.markdown, /\| 1 \| node-b \| fits \|/);
  });

  test('no fit: the failure summary and preemption victims', () => {
    const d = details(
      pod('3', '  priority: 100\n'),
      new FakeCaches({ nodes: [node('node-a')], pods: [boundPod('x', 'node-a', '2')] }),
    )!;
    assert.equal(d.selectedNode, undefined);
    assert.match(d.failure ?? '', /^0\/1 nodes are available: 1 Insufficient cpu\./);
    assert.equal(d.preemption?.nominatedNode, 'node-a');
    assert.deepEqual(d.preemption?.victims, [{ namespace: 'default', name: 'x', priority: 0 }]);
  });

  test("a cached PodDisruptionBudget steers preemption to the node whose victims it doesn't protect", () => {
    const labelled = (name: string, nodeName: string): ReturnType<typeof boundPod> => {
      const p = boundPod(name, nodeName, '2');
      (p.metadata as { labels?: Record<string, string> }).labels = { app: name };
      return p;
    };
    const pdb = {
      kind: 'PodDisruptionBudget',
      metadata: { name: 'protect-x', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'x' } } },
      status: { disruptionsAllowed: 0 },
    };
    const base = {
      nodes: [node('node-a', { cpu: '3' }), node('node-b', { cpu: '3' })],
      pods: [labelled('x', 'node-a'), labelled('y', 'node-b')],
    };
    const without = details(pod('3', '  priority: 100\n'), new FakeCaches(base))!;
    assert.equal(without.preemption?.nominatedNode, 'node-a', 'ties go to the first candidate without a budget');
    assert.deepEqual(without.preemption?.tiedNodes, ['node-a', 'node-b'], 'kube-scheduler may nominate either');
    assert.match(without.markdown, /nominate `node-a` \(or, equally good, `node-b`: kube-scheduler may pick any\)/);
    const withPdb = details(
      pod('3', '  priority: 100\n'),
      new FakeCaches({ ...base, other: { poddisruptionbudgets: [pdb] } }),
    )!;
    assert.equal(withPdb.preemption?.nominatedNode, 'node-b');
    assert.equal(withPdb.preemption?.tiedNodes, undefined);
    assert.deepEqual(withPdb.preemption?.victims, [{ namespace: 'default', name: 'y', priority: 0 }]);
  });

  test('an invalid pod gives errors naming the field, not an exception', () => {
    const d = details(pod('lots'), caches())!;
    assert.match(d.errors?.[0] ?? '', /^spec\.containers\[0\]\.resources\.requests\.cpu/);
  });

  test('without a cluster the details say so', () => {
    const d = details(pod('1'), caches(), { state: 'none', source: 'none' })!;
    assert.match(d.summary, /no cluster connected/);
  });

  test('a spec that no longer exists gives null', () => {
    const live = new LiveCluster(caches());
    const r = describePrediction(
      parseManifest(pod('1')),
      { ...ref, documentIndex: 3 },
      {
        status: CONNECTED,
        snapshot: live.snapshot,
        engine: new PredictionEngine(),
        profile: { key: 'default' },
        defaultNamespace: 'default',
        verdict: undefined,
      },
    );
    assert.equal(r, null);
  });
});
