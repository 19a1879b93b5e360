import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { manifestDiagnostics } from '@src/server/prediction/diagnostics';
import { PredictionEngine } from '@src/server/prediction/engine';
import { checkPodFields } from '@src/server/prediction/field-check';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { nodeAt, parseYamlTree, pathAtOffset } from '@src/server/prediction/yaml-tree';
import { MAX_TEXT_CHARS, parseManifest } from '@src/server/services/manifest';
import { FakeCaches, boundPod, node } from './helpers';

/** A diagnostic message as text (LSP allows Markup; ours are strings). */
const text_ = (m: string | { value: string }): string => (typeof m === 'string' ? m : m.value);

describe('yaml position tree', () => {
  const text = 'a: 1\nb:\n  c: &x [1, 2]\n  # note\n  d: *x\n  e:\n    - f: "q"\n';
  test('keys and values carry their offsets', () => {
    const r = parseYamlTree(text, 0);
    assert.ok(r.ok);
    const c = nodeAt(r.root, ['b', 'c']);
    assert.equal(text.slice(c!.start, c!.end), '&x [1, 2]');
    const f = nodeAt(r.root, ['b', 'e', 0, 'f']);
    assert.equal(text.slice(f!.start, f!.end), '"q"');
    assert.equal(text.slice(nodeAt(r.root, ['b', 'd'])!.start, nodeAt(r.root, ['b', 'd'])!.end), '*x');
  });
  test('the path at an offset, on a key', () => {
    const r = parseYamlTree(text, 0);
    assert.ok(r.ok);
    const hit = pathAtOffset(r.root, text.indexOf('f:'));
    assert.deepEqual(hit?.path, ['b', 'e', 0, 'f']);
    assert.equal(hit?.onKey, true);
  });
  test('offsets are absolute when the document starts later in the file', () => {
    const r = parseYamlTree('k: v\n', 100);
    assert.ok(r.ok);
    assert.equal(nodeAt(r.root, ['k'])?.start, 103);
  });
});

describe('pod-spec discovery', () => {
  const cases: { name: string; text: string; want: unknown[] }[] = [
    {
      name: 'Pod',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n',
      want: [{ kind: 'one' }],
    },
    {
      name: 'Deployment replicas',
      text: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 4\n  template: {spec: {containers: []}}\n',
      want: [{ kind: 'replicas', count: 4 }],
    },
    {
      name: 'Deployment default',
      text: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: {spec: {containers: []}}\n',
      want: [{ kind: 'replicas', count: 1 }],
    },
    {
      name: 'StatefulSet',
      text: 'apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  replicas: 2\n  template: {spec: {containers: []}}\n',
      want: [{ kind: 'replicas', count: 2 }],
    },
    {
      name: 'DaemonSet',
      text: 'apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template: {spec: {containers: []}}\n',
      want: [{ kind: 'daemon' }],
    },
    {
      name: 'Job parallelism',
      text: 'apiVersion: batch/v1\nkind: Job\nspec:\n  parallelism: 3\n  completions: 10\n  template: {spec: {containers: []}}\n',
      want: [{ kind: 'completions', count: 3 }],
    },
    {
      name: 'CronJob',
      text: 'apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      parallelism: 2\n      template: {spec: {containers: []}}\n',
      want: [{ kind: 'completions', count: 2 }],
    },
    {
      name: 'anchors and merge keys',
      text: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  template:\n    spec: &s\n      containers: []\n---\napiVersion: v1\nkind: Pod\nspec: {containers: []}\n',
      want: [{ kind: 'replicas', count: 2 }, { kind: 'one' }],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(
        parseManifest(c.text).flatMap((d) => d.podSpecs.map((s) => s.replicas)),
        c.want,
      );
    });
  }
  test('the lens sits on the template key, after comments', () => {
    const text =
      '# head\napiVersion: apps/v1\nkind: Deployment\nspec:\n  # t\n  template:\n    spec: {containers: []}\n';
    const [d] = parseManifest(text);
    assert.equal(d?.podSpecs[0]?.line, 5);
  });
});

describe('bad input', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++)
    bomb.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  const cases: { name: string; text: string; want: RegExp }[] = [
    { name: 'ten-megabyte file', text: `apiVersion: v1\nkind: Pod\n${'# x\n'.repeat(2_700_000)}`, want: /larger than/ },
    {
      name: 'alias bomb',
      text: `apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n  x:\n${bomb.map((l) => `    ${l}`).join('\n')}\n`,
      want: /aliases/,
    },
    {
      name: 'deep nesting',
      text: `apiVersion: v1\nkind: Pod\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      want: /nest|depth/i,
    },
    { name: 'binary junk', text: 'apiVersion: v1\nkind: Pod\n\u0000\u0001\u0002\u00ff\ufffe:::\n', want: /./ },
    { name: 'unclosed flow', text: 'apiVersion: v1\nkind: Pod\nspec: {containers: [\n', want: /line \d+/ },
  ];
  for (const c of cases) {
    test(`${c.name}: one diagnostic, quickly, no crash`, () => {
      assert.ok(c.text.length < MAX_TEXT_CHARS || c.name.startsWith('ten'));
      const docs = parseManifest(c.text);
      const problems = docs.map((d) => d.error ?? d.problem ?? '').filter((x) => x !== '');
      assert.ok(problems.length >= 1, JSON.stringify(docs.map((d) => d.kind)));
      assert.match(problems.join('\n'), c.want);
      const diags = manifestDiagnostics(
        TextDocument.create('file:///x.yaml', 'yaml', 1, c.text),
        docs,
        () => undefined,
      );
      assert.ok(diags.length >= 1);
      assert.ok(diags.every((d) => d.source === 'kube-forecast'));
    });
  }
  test('wrong types anywhere in a spec give errors naming the field, not a crash', () => {
    const caches = new FakeCaches({ nodes: [node('node-a')] });
    const live = new LiveCluster(caches);
    const engine = new PredictionEngine();
    const specs = [
      'containers: 5',
      'containers: [{name: c, resources: {requests: [1, 2]}}]',
      'containers: [{name: c}]\n  tolerations: {a: 1}',
      'containers: [{name: c}]\n  affinity: [1]',
      'containers: [{name: c}]\n  topologySpreadConstraints: [{maxSkew: "x", topologyKey: 3}]',
      'containers: [{name: c}]\n  priority: "high"',
      'containers: [{name: c}]\n  nodeSelector: [a, b]',
    ];
    for (const s of specs) {
      const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  ${s}\n`;
      const docs = parseManifest(text);
      const v = engine.verdict(docs[0]!, docs[0]!.podSpecs[0]!, live.snapshot, live.generation, {
        defaultNamespace: 'default',
        profile: { key: 'default' },
      });
      assert.ok((v.errors?.length ?? 0) > 0, `${s}: ${JSON.stringify(v.first?.selectedNode)}`);
      assert.ok(
        v.errors!.every((e) => e.field.startsWith('spec')),
        JSON.stringify(v.errors),
      );
    }
  });
});

describe('diagnostics', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: nginx
      resources:
        requests:
          cpus: 500m
          nvidia.com/gpu: 1
  affinity:
    nodeAfinity: {}
  tolerations:
    - key: gpu
      operator: Exist
`;
  test('unknown fields and resource names are flagged at their key, with suggestions', () => {
    const doc = TextDocument.create('file:///p.yaml', 'yaml', 1, text);
    const diags = manifestDiagnostics(doc, parseManifest(text), () => undefined);
    const byText = diags.map((d) => ({
      line: d.range.start.line,
      text: text.split('\n')[d.range.start.line]!.trim(),
      msg: text_(d.message),
    }));
    assert.equal(byText.length, 3, JSON.stringify(byText));
    assert.match(byText[0]!.msg, /"cpus" is not a valid resource name.*did you mean cpu/);
    assert.equal(byText[0]!.text, 'cpus: 500m');
    assert.match(byText[1]!.msg, /Unknown field "nodeAfinity" \(did you mean nodeAffinity\?\)/);
    assert.equal(byText[1]!.text, 'nodeAfinity: {}');
    assert.match(byText[2]!.msg, /"Exist" is not one of Exists, Equal \(did you mean Exists\?\)/);
  });
  test('checkPodFields accepts a correct spec', () => {
    assert.deepEqual(
      checkPodFields({
        spec: {
          containers: [
            { name: 'a', resources: { requests: { cpu: '1', 'hugepages-2Mi': '1Gi', 'example.com/foo': 1 } } },
          ],
          tolerations: [{ key: 'k', operator: 'Exists' }],
        },
      }),
      [],
    );
  });
  test('no fit warns with the summary; preemption is an information note', () => {
    const caches = new FakeCaches({
      nodes: [node('node-a', { cpu: '2' })],
      pods: [boundPod('low', 'node-a', '1500m')],
    });
    const live = new LiveCluster(caches);
    const engine = new PredictionEngine();
    const mk = (prio: number): string =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  priority: ${prio}\n  containers: [{name: c, image: i, resources: {requests: {cpu: "1"}}}]\n`;
    for (const [prio, severity, re] of [
      [-1, 2, /^No node fits this pod: 0\/1 nodes are available: 1 Insufficient cpu\./],
      [100, 3, /^Would preempt 1 pod on node-a: default\/low \(priority 0\)/],
    ] as const) {
      const t = mk(prio);
      const docs = parseManifest(t);
      const diags = manifestDiagnostics(TextDocument.create('file:///b.yaml', 'yaml', 1, t), docs, (d, s) =>
        engine.verdict(d, s, live.snapshot, live.generation, {
          defaultNamespace: 'default',
          profile: { key: 'default' },
        }),
      );
      assert.equal(diags.length, 1, JSON.stringify(diags));
      assert.equal(diags[0]!.severity, severity);
      assert.match(text_(diags[0]!.message), re);
      assert.equal(diags[0]!.range.start.line, 3);
    }
  });
  test('YAML errors sit on their line', () => {
    const t = 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n    - a\n';
    const diags = manifestDiagnostics(
      TextDocument.create('file:///e.yaml', 'yaml', 1, t),
      parseManifest(t),
      () => undefined,
    );
    assert.equal(diags.length, 1);
    assert.match(text_(diags[0]!.message), /^YAML: /);
    assert.ok(diags[0]!.range.start.line >= 3);
  });

  test('a misspelt workload field (replica) is flagged at its key, since it changes the replica count', () => {
    const t =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replica: 3\n  template:\n    spec: {containers: [{name: c, image: i}]}\n';
    const diags = manifestDiagnostics(
      TextDocument.create('file:///d.yaml', 'yaml', 1, t),
      parseManifest(t),
      () => undefined,
    );
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.range.start.line, 4);
    assert.match(text_(diags[0]!.message), /^spec\.replica: Unknown field "replica" \(did you mean replicas\?\)/);
  });
});
