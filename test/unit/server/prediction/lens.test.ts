import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultSchedulerProfile, placeReplicas, predictOn } from '@src/scheduler';
import { PredictionEngine, placeAfterFirst } from '@src/server/prediction/engine';
import { podFromSpec } from '@src/server/prediction/pod-from-spec';
import { lensText, perNode, shortFailure } from '@src/server/prediction/lens-text';
import { LiveCluster, type CachedObject } from '@src/server/prediction/live-cluster';
import { computeCodeLenses, workloadActualTitle } from '@src/server/services/code-lens';
import { parseManifest } from '@src/server/services/manifest';
import { boundPod, FakeCaches, node } from './helpers';

const CONNECTED = { state: 'connected' as const, source: 'simulator' as const };

function titles(text: string, caches: FakeCaches): string[] {
  const live = new LiveCluster(caches);
  const engine = new PredictionEngine();
  const docs = parseManifest(text);
  return computeCodeLenses({ uri: 'file:///m.yaml', version: 1 }, docs, CONNECTED, { enabled: true }, (d, s) => ({
    verdict: engine.verdict(d, s, live.snapshot, live.generation, {
      defaultNamespace: 'default',
      profile: { key: 'default' },
    }),
  }))
    .map((l) => l.command?.title ?? '')
    .filter((t) => t !== 'Create');
}

const pod = (extra = '', cpu = '500m'): string => `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
      resources:
        requests:
          cpu: ${cpu}
${extra}`;

describe('prediction lenses', () => {
  const cases: { name: string; text: string; caches: () => FakeCaches; want: RegExp }[] = [
    {
      name: 'a pod goes to the emptiest node, with its total and the fit count',
      text: pod(),
      caches: () =>
        new FakeCaches({
          nodes: [node('node-a'), node('node-b'), node('node-c')],
          pods: [boundPod('x', 'node-a', '2'), boundPod('y', 'node-c', '1')],
        }),
      want: /^→ node-b \d+ · 3\/3 nodes fit$/,
    },
    {
      name: "no node fits: the reason first, counted (kube-scheduler's sentence is the tooltip)",
      text: pod('', '16'),
      caches: () => new FakeCaches({ nodes: [node('node-a'), node('node-b')] }),
      want: /^no node fits: 2× Insufficient cpu$/,
    },
    {
      name: 'a taint keeps the pod off one node',
      text: pod(),
      caches: () =>
        new FakeCaches({
          nodes: [node('node-a', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }), node('node-b')],
        }),
      want: /^→ node-b \(only fit, not scored\) · 1\/2 nodes fit$/,
    },
    {
      name: 'a deployment places its replicas one by one',
      text: `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 3
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: api, image: api, resources: { requests: { cpu: "1500m" } } }]
`,
      caches: () => new FakeCaches({ nodes: [node('node-a', { cpu: '2' }), node('node-b', { cpu: '2' })] }),
      want: /^2 of 3 replicas fit now: node-a, node-b — then 2× Insufficient cpu$/,
    },
    {
      name: 'a daemonset runs on every untainted node',
      text: `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers: [{ name: a, image: a }]
`,
      caches: () =>
        new FakeCaches({
          nodes: [
            node('node-a'),
            node('node-b', { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] }),
            node('node-c'),
          ],
        }),
      want: /^DaemonSet runs on 2 of 3 nodes: node-a, node-c$/,
    },
    {
      name: 'a high-priority pod would preempt',
      text: pod('  priority: 1000\n', '3'),
      caches: () => new FakeCaches({ nodes: [node('node-a')], pods: [boundPod('low', 'node-a', '2', 0)] }),
      want: /^no node fits now — would preempt 1 pod on node-a$/,
    },
    {
      name: 'priorityClassName is resolved from the cluster as admission would, so the pod preempts',
      text: pod('  priorityClassName: high\n', '3'),
      caches: () =>
        new FakeCaches({
          nodes: [node('node-a')],
          pods: [boundPod('low', 'node-a', '2', 0)],
          other: { priorityclasses: [{ kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 }] },
        }),
      want: /^no node fits now — would preempt 1 pod on node-a$/,
    },
    {
      name: 'an invalid quantity names the field',
      text: pod('', 'lots'),
      caches: () => new FakeCaches({ nodes: [node('node-a')] }),
      want: /^⚠ cannot predict: spec\.containers\[0\]\.resources\.requests\.cpu/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const t = titles(c.text, c.caches());
      assert.equal(t.length, 1, JSON.stringify(t));
      assert.match(t[0]!, c.want);
    });
  }

  test('lenses follow the cluster: a node added and a pod deleted change the verdict', () => {
    const caches = new FakeCaches({ nodes: [node('node-a', { cpu: '1' })], pods: [boundPod('hog', 'node-a', '800m')] });
    const live = new LiveCluster(caches);
    const engine = new PredictionEngine();
    const [doc] = parseManifest(pod());
    const verdict = (): string =>
      lensText(
        engine.verdict(doc!, doc!.podSpecs[0]!, live.snapshot, live.generation, {
          defaultNamespace: 'default',
          profile: { key: 'default' },
        }),
      ).title;
    assert.match(verdict(), /^no node fits/);
    const g = live.generation;
    caches.remove('pods', 'hog');
    assert.notEqual(live.generation, g);
    assert.match(verdict(), /^→ node-a/);
    caches.add('pods', boundPod('hog2', 'node-a', '800m'));
    caches.add('nodes', node('node-z', { cpu: '8' }));
    assert.match(verdict(), /^→ node-z .* 1\/2 nodes fit/);
  });

  test('without a cluster the lens offers the simulated cluster', () => {
    const lenses = computeCodeLenses(
      { uri: 'file:///m.yaml', version: 1 },
      parseManifest(pod()),
      { state: 'none', source: 'none' },
      { enabled: true },
    );
    assert.deepEqual(
      lenses.map((l) => l.command?.command),
      ['kubeForecast.openSimulatedCluster'],
    );
  });

  test('the second lens creates the document', () => {
    const caches = new FakeCaches({ nodes: [node('node-a')] });
    const live = new LiveCluster(caches);
    const engine = new PredictionEngine();
    const lenses = computeCodeLenses(
      { uri: 'file:///m.yaml', version: 1 },
      parseManifest(pod()),
      CONNECTED,
      { enabled: true },
      (d, s) => ({
        verdict: engine.verdict(d, s, live.snapshot, live.generation, {
          defaultNamespace: 'default',
          profile: { key: 'default' },
        }),
      }),
    );
    assert.deepEqual(lenses[1]?.command, {
      title: 'Create',
      command: 'kubeForecast.createFromManifest',
      arguments: [{ uri: 'file:///m.yaml', version: 1, documentIndex: 0 }],
    });
  });

  test('replicas of a Deployment spread as the ReplicaSet it creates would (system-default spreading)', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 4
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: api, image: api, resources: { requests: { cpu: 100m } } }]
`;
    const t = titles(text, new FakeCaches({ nodes: [node('n1'), node('n2'), node('n3'), node('n4')] }));
    // Nodes in the order the replicas land.
    assert.match(t[0]!, /^4 of 4 replicas fit now: n1, n2, n4, n3 · 4\/4 nodes fit$/);
  });

  test('an existing StatefulSet in the cluster is used, never replaced or removed', () => {
    const sts = {
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'db' } } },
    };
    const caches = new FakeCaches({ nodes: [node('n1')], other: { statefulsets: [sts] } });
    const live = new LiveCluster(caches);
    const engine = new PredictionEngine();
    const docs = parseManifest(
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: c, image: i}]}\n',
    );
    engine.verdict(docs[0]!, docs[0]!.podSpecs[0]!, live.snapshot, live.generation, {
      defaultNamespace: 'default',
      profile: { key: 'default' },
    });
    assert.equal(live.snapshot.getObject('StatefulSet', 'default', 'db'), sts);
  });

  test("the lens total is the chosen node's total in the full table", () => {
    const caches = new FakeCaches({ nodes: [node('node-a'), node('node-b')], pods: [boundPod('x', 'node-a', '1')] });
    const live = new LiveCluster(caches);
    const [doc] = parseManifest(pod());
    const v = new PredictionEngine().verdict(doc!, doc!.podSpecs[0]!, live.snapshot, live.generation, {
      defaultNamespace: 'default',
      profile: { key: 'default' },
    });
    const full = predictOn(v.pod as never, live.snapshot, defaultSchedulerProfile(), {
      mode: 'kube-scheduler',
      detail: 'full',
    });
    const chosen = full.nodes?.find((n) => n.name === full.selectedNode);
    assert.equal(v.selectedTotal, chosen?.total);
    assert.ok((v.selectedTotal ?? 0) > 0);
  });

  test('placing replicas after the first prediction matches placeReplicas and leaves the snapshot as it was', () => {
    const nodes = [node('n1', { zone: 'a' }), node('n2', { zone: 'b' }), node('n3', { cpu: '8', zone: 'a' })];
    const caches = new FakeCaches({ nodes, pods: [boundPod('x', 'n1', '1')] });
    const live = new LiveCluster(caches);
    const [doc] = parseManifest(pod());
    const p = podFromSpec(doc!, doc!.podSpecs[0]!, 'default');
    const profile = defaultSchedulerProfile();
    const first = predictOn(p as never, live.snapshot, profile, { mode: 'kube-scheduler', detail: 'summary' });
    const mine = placeAfterFirst(p, 7, first, live.snapshot, profile);
    const theirs = placeReplicas(p, 7, live.snapshot, profile, { mode: 'kube-scheduler' });
    assert.ok(theirs.ok);
    assert.deepEqual(mine.perNode, theirs.result.perNode);
    assert.equal(mine.placed, 7);
    const again = predictOn(p as never, live.snapshot, profile, { mode: 'kube-scheduler', detail: 'summary' });
    assert.equal(again.selectedNode, first.selectedNode);
    assert.equal(again.selectedTotal, first.selectedTotal);
  });

  /** A pod predicted once ("no node fits": a hog holds the CPU), then the hog deleted: its verdict is now stale. */
  function verdictThenClusterChange() {
    const caches = new FakeCaches({ nodes: [node('node-a', { cpu: '1' })], pods: [boundPod('hog', 'node-a', '800m')] });
    const live = new LiveCluster(caches);
    const engine = new PredictionEngine();
    const [doc] = parseManifest(pod());
    const spec = doc!.podSpecs[0]!;
    const opts = { defaultNamespace: 'default', profile: { key: 'default' } };
    assert.match(lensText(engine.verdict(doc!, spec, live.snapshot, live.generation, opts)).title, /^no node fits/);
    caches.remove('pods', 'hog');
    return { live, engine, doc, spec, opts };
  }

  test('past the time budget, verdicts of an older cluster generation are served and counted; new specs are computed', () => {
    const { live, engine, doc, spec, opts } = verdictThenClusterChange();
    const expired = { ...opts, deadline: 0 };
    assert.match(lensText(engine.verdict(doc!, spec, live.snapshot, live.generation, expired)).title, /^no node fits/);
    assert.equal(engine.takeDeferred(), 1);
    const [other] = parseManifest(pod('', '100m'));
    assert.match(
      lensText(engine.verdict(other!, other!.podSpecs[0]!, live.snapshot, live.generation, expired)).title,
      /^→ node-a/,
    );
    assert.equal(engine.takeDeferred(), 0);
    assert.match(lensText(engine.verdict(doc!, spec, live.snapshot, live.generation, opts)).title, /^→ node-a/);
  });

  test('past the hard budget, specs never predicted are left for a later round (thousands of pod specs)', () => {
    const live = new LiveCluster(new FakeCaches({ nodes: [node('node-a')] }));
    const engine = new PredictionEngine();
    const text = Array.from({ length: 2000 }, (_, i) => pod().replace('name: web', `name: web-${i}`)).join('---\n');
    const docs = parseManifest(text);
    assert.equal(docs.length, 2000);
    const opts = { defaultNamespace: 'default', profile: { key: 'default' }, deadline: 0, hardDeadline: 0 };
    const first = engine.tryVerdict(docs[0]!, docs[0]!.podSpecs[0]!, live.snapshot, live.generation, opts);
    assert.equal(first, undefined);
    assert.equal(engine.takeDeferred(), 1);
    const lenses = computeCodeLenses(
      { uri: 'file:///many.yaml', version: 1 },
      docs.slice(0, 3),
      CONNECTED,
      { enabled: true },
      (d, sp) => ({
        verdict: engine.tryVerdict(d, sp, live.snapshot, live.generation, opts),
      }),
    );
    assert.match(lenses[0]!.command!.title, /predicting…/);
  });

  test('past the hard budget, a spec predicted before still serves its older verdict; specs never seen are deferred', () => {
    const { live, engine, doc, spec, opts } = verdictThenClusterChange();
    const late = { ...opts, deadline: 0, hardDeadline: 0 };
    const stale = engine.tryVerdict(doc!, spec, live.snapshot, live.generation, late);
    assert.match(lensText(stale!).title, /^no node fits/);
    const fresh = parseManifest(pod().replace('name: web', 'name: other'));
    assert.equal(engine.tryVerdict(fresh[0]!, fresh[0]!.podSpecs[0]!, live.snapshot, live.generation, late), undefined);
    assert.equal(engine.takeDeferred(), 2);
  });

  test("after Create, a workload's live pods are found by labels and owner, and the lens compares them", () => {
    const owned = (name: string, nodeName: string | undefined, app: string): CachedObject => ({
      metadata: {
        name,
        namespace: 'default',
        labels: { app, 'pod-template-hash': 'abc' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'api-abc', controller: true }],
      } as CachedObject['metadata'],
      spec: nodeName ? { nodeName, containers: [] } : { containers: [] },
      status: nodeName
        ? { phase: 'Running' }
        : {
            phase: 'Pending',
            conditions: [
              { type: 'PodScheduled', status: 'False', message: '0/2 nodes are available: 2 Insufficient cpu.' },
            ],
          },
    });
    const caches = new FakeCaches({
      nodes: [node('n1'), node('n2')],
      pods: [
        owned('api-1', 'n1', 'api'),
        owned('api-2', 'n2', 'api'),
        owned('other', 'n1', 'web'),
        {
          ...boundPod('loose', 'n1', '1'),
          metadata: { name: 'loose', namespace: 'default', labels: { app: 'api' } } as CachedObject['metadata'],
        },
      ],
    });
    const live = new LiveCluster(caches);
    assert.deepEqual(
      live
        .workloadPods('default', { app: 'api' })
        .map((p) => p.metadata?.name)
        .sort(),
      ['api-1', 'api-2'],
    );
    const engine = new PredictionEngine();
    const [doc] = parseManifest(`apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: api, image: api, resources: { requests: { cpu: 100m } } }]
`);
    const v = engine.verdict(doc!, doc!.podSpecs[0]!, live.snapshot, live.generation, {
      defaultNamespace: 'default',
      profile: { key: 'default' },
    });
    const predicted = perNode(v.placement!.perNode);
    const same = ['n1, n2', 'n2, n1'].includes(predicted);
    assert.equal(
      workloadActualTitle(v, live.workloadPods('default', { app: 'api' })),
      same ? '2 of 2 running as predicted (n1, n2) ✓' : `2 of 2 running (n1, n2), predicted (${predicted})`,
    );
    caches.add('pods', owned('api-3', undefined, 'api'));
    assert.equal(
      workloadActualTitle(v, live.workloadPods('default', { app: 'api' })),
      `2 of 2 running (n1, n2), predicted (${predicted}) · 1 Pending: 2× Insufficient cpu`,
    );
    caches.remove('pods', 'api-2');
    assert.equal(
      workloadActualTitle(v, live.workloadPods('default', { app: 'api' })),
      `1 of 2 running (n1), predicted 2 (${predicted}) · 1 Pending: 2× Insufficient cpu`,
      'drift in words: how many run of how many, and what was predicted',
    );
  });
});

describe('workloadActualTitle: a forecast that some replicas cannot fit, borne out', () => {
  const pendingMessage = '0/2 nodes are available: 2 Insufficient cpu.';
  const pod = (name: string, nodeName: string | undefined): CachedObject => ({
    metadata: { name, namespace: 'default', labels: { app: 'big' } } as CachedObject['metadata'],
    spec: nodeName ? { nodeName, containers: [] } : { containers: [] },
    status: nodeName
      ? { phase: 'Running' }
      : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: pendingMessage }] },
  });
  /** The verdict for `replicas` replicas of 3 cpu each on two 4-cpu nodes: one replica fits on each. */
  const verdictFor = (replicas: number, cpu = '3') => {
    const live = new LiveCluster(new FakeCaches({ nodes: [node('n1', { cpu: '4' }), node('n2', { cpu: '4' })] }));
    const [doc] = parseManifest(`apiVersion: apps/v1
kind: Deployment
metadata: { name: big }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: big } }
  template:
    metadata: { labels: { app: big } }
    spec:
      containers: [{ name: c, image: c, resources: { requests: { cpu: '${cpu}' } } }]
`);
    return new PredictionEngine().verdict(doc!, doc!.podSpecs[0]!, live.snapshot, live.generation, {
      defaultNamespace: 'default',
      profile: { key: 'default' },
    });
  };

  test('the predicted nodes run the replicas that fit and the rest are Pending: "as predicted ✓", with the reason', () => {
    const v = verdictFor(3);
    assert.deepEqual(v.placement?.perNode, { n1: 1, n2: 1 });
    assert.equal(
      workloadActualTitle(v, [pod('big-1', 'n1'), pod('big-2', 'n2'), pod('big-3', undefined)]),
      '2 of 3 running as predicted (n1, n2) · 1 Pending as predicted: 2× Insufficient cpu ✓',
    );
  });

  test('none predicted to fit and every replica Pending: "0 of N running · N Pending as predicted ✓"', () => {
    const v = verdictFor(2, '8');
    assert.equal(
      workloadActualTitle(v, [pod('big-1', undefined), pod('big-2', undefined)]),
      '0 of 2 running · 2 Pending as predicted: 2× Insufficient cpu ✓',
    );
  });

  test('other nodes, or fewer pods than replicas, are drift, never "as predicted"', () => {
    const v = verdictFor(3);
    assert.equal(
      workloadActualTitle(v, [pod('big-1', 'n1'), pod('big-3', undefined), pod('big-4', undefined)]),
      '1 of 3 running (n1), predicted 2 (n1, n2) · 2 Pending: 2× Insufficient cpu',
    );
    assert.equal(
      workloadActualTitle(v, [pod('big-1', 'n1'), pod('big-2', 'n2')]),
      '2 of 3 running (n1, n2), predicted (n1, n2)',
    );
  });
});

describe('shortFailure: the reason first', () => {
  test('the commonest reasons of a FitError, most nodes first, at most two', () => {
    assert.equal(
      shortFailure(
        '0/12 nodes are available: 1 node(s) were unschedulable, 3 node(s) had untolerated taint(s), 7 Insufficient nvidia.com/gpu, 1 Insufficient cpu. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.',
      ),
      '7× Insufficient nvidia.com/gpu, 3× node(s) had untolerated taint(s) (+2 more)',
    );
    assert.equal(shortFailure('0/2 nodes are available: 2 Insufficient cpu.'), '2× Insufficient cpu');
    assert.equal(shortFailure('no nodes available to schedule pods'), 'no nodes available to schedule pods');
  });
  test('lens titles stay short enough for the Create link beside them', () => {
    const t = lensText({
      pod: {} as never,
      replicas: { kind: 'one' },
      first: {
        failure: `0/500 nodes are available: ${Array.from({ length: 30 }, (_, i) => `${i + 1} reason number ${i} with a long explanation`).join(', ')}.`,
        tieCount: 0,
        tiedNodes: [],
        scored: false,
        numAllNodes: 500,
        evaluatedNodes: 500,
        feasibleNodes: 0,
        nextStartNodeIndex: 0,
        notModelled: [],
        pod: { namespace: 'd', name: 'p', priority: 0 },
        schedulerName: 'default-scheduler',
        mode: 'kube-scheduler',
      },
    });
    assert.ok(t.title.length <= 96, t.title);
    assert.match(t.title, /^no node fits: 30× reason number 29/);
    assert.match(t.tooltip, /^0\/500 nodes are available/);
  });
});
