/**
 * Quick fixes: diagnostics carry their fixes in `data`, `quickFixActions` turns them into code
 * actions, and applying an action changes only the key or value text it names.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { quickFixActions } from '@src/server/prediction/code-actions';
import { manifestDiagnostics } from '@src/server/prediction/diagnostics';
import { PredictionEngine } from '@src/server/prediction/engine';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { scalarTextRange } from '@src/server/prediction/quick-fixes';
import { parseManifest } from '@src/server/services/manifest';
import { FakeCaches, node } from './helpers';

const URI = 'file:///m.yaml';

/** The diagnostics and code actions of `text` without a cluster (or with `maxMilliCpu` as the largest node). */
function fixesOf(
  text: string,
  maxMilliCpu?: number,
): { doc: TextDocument; diags: Diagnostic[]; actions: CodeAction[] } {
  const doc = TextDocument.create(URI, 'yaml', 1, text);
  const nodes = maxMilliCpu === undefined ? undefined : { maxMilliCpu };
  const diags = manifestDiagnostics(doc, parseManifest(text), () => undefined, [], nodes);
  return { doc, diags, actions: quickFixActions(doc, diags) };
}

/** The text after applying `action`'s edit. */
function apply(doc: TextDocument, action: CodeAction | undefined): string {
  assert.ok(action, 'no code action');
  const edits = action.edit?.changes?.[doc.uri];
  assert.ok(edits !== undefined && edits.length === 1, JSON.stringify(action.edit));
  return TextDocument.applyEdits(doc, edits);
}

/** The only preferred action, applied. */
function applyPreferred(text: string, maxMilliCpu?: number): string {
  const { doc, actions } = fixesOf(text, maxMilliCpu);
  const preferred = actions.filter((a) => a.isPreferred === true);
  assert.equal(preferred.length, 1, JSON.stringify(actions.map((a) => a.title)));
  return apply(doc, preferred[0]);
}

const pod = (spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n${spec}`;

describe('quick fixes for "did you mean"', () => {
  test('an unknown key is renamed, its value and layout kept', () => {
    const text = pod('  nodeSelectr:   # typo\n    disktype: ssd\n  containers: [{name: c, image: i}]\n');
    const { actions, diags } = fixesOf(text);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred]),
      [['Rename to nodeSelector', CodeActionKind.QuickFix, true]],
    );
    assert.deepEqual(actions[0]!.diagnostics, [diags[0]]);
    assert.equal(
      apply(fixesOf(text).doc, actions[0]),
      pod('  nodeSelector:   # typo\n    disktype: ssd\n  containers: [{name: c, image: i}]\n'),
    );
  });

  test('a quoted key keeps its quotes; a key in a flow mapping keeps its place', () => {
    assert.equal(
      applyPreferred(pod('  "nodeSelectr": {a: b}\n  containers: [{name: c, image: i}]\n')),
      pod('  "nodeSelector": {a: b}\n  containers: [{name: c, image: i}]\n'),
    );
    assert.equal(
      applyPreferred(pod("  containers: [{name: c, image: i, 'imagePulPolicy': Always}]\n")),
      pod("  containers: [{name: c, image: i, 'imagePullPolicy': Always}]\n"),
    );
  });

  test('a misspelt workload field is renamed', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replica: 3\n  template:\n    spec: {containers: [{name: c, image: i}]}\n';
    assert.equal(applyPreferred(text), text.replace('replica:', 'replicas:'));
  });

  test('an invalid enum value is replaced, and its diagnostic sits on the value', () => {
    const text = pod('  containers: [{name: c, image: i}]\n  tolerations:\n    - key: gpu\n      operator: "Exist"\n');
    const { diags } = fixesOf(text);
    assert.equal(diags.length, 1);
    const r = diags[0]!.range;
    assert.equal(text.split('\n')[r.start.line]!.slice(r.start.character, r.end.character), '"Exist"');
    assert.equal(applyPreferred(text), text.replace('"Exist"', '"Exists"'));
  });

  test('a resource name is fixed, unless the suggested name is already there', () => {
    const res = (r: string): string =>
      pod(`  containers:\n    - name: c\n      image: i\n      resources:\n        requests:\n${r}`);
    assert.equal(applyPreferred(res('          cpus: 500m\n')), res('          cpu: 500m\n'));
    const both = fixesOf(res('          cpus: 500m\n          cpu: 1\n'));
    assert.equal(both.diags.length, 1);
    assert.match(String(both.diags[0]!.message), /did you mean cpu\?/);
    assert.equal(both.diags[0]!.data, undefined);
    assert.deepEqual(both.actions, []);
  });

  test('no suggestion, no fix', () => {
    const { diags, actions } = fixesOf(pod('  containers: [{name: c, image: i}]\n  zzzzzzzzzz: 1\n'));
    assert.equal(diags.length, 1);
    assert.deepEqual(actions, []);
  });
});

describe('quick fixes for unit mistakes', () => {
  const res = (kind: string, r: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: i\n      containers:\n        - name: c\n          image: i\n          resources:\n            ${kind}:\n${r}`;

  test('cpu: 500 in a Deployment without a cluster: a warning on the value and "Change to 500m"', () => {
    const text = res('requests', '              cpu: 500\n');
    const { diags, actions } = fixesOf(text);
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.severity, DiagnosticSeverity.Warning);
    assert.equal(diags[0]!.code, 'resource-units');
    assert.equal(diags[0]!.range.start.line, 14);
    assert.match(String(diags[0]!.message), /^cpu: 500 requests 500 whole CPUs, more than nodes usually have/);
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred]),
      [['Change to 500m', true]],
    );
    assert.equal(applyPreferred(text), res('requests', '              cpu: 500m\n'));
  });

  test('with a cluster the largest node decides, and the message names it', () => {
    const text = res('limits', '              cpu: "16"\n');
    const { diags } = fixesOf(text, 8000);
    assert.match(
      String(diags[0]!.message),
      /^cpu: 16 limits the container to 16 whole CPUs; the largest node allocates 8\./,
    );
    assert.equal(applyPreferred(text, 8000), res('limits', '              cpu: "16m"\n'));
    assert.deepEqual(fixesOf(text, 32_000).diags, []);
  });

  test('init containers are checked too', () => {
    const text = res('requests', '              cpu: 100m\n').replace(
      '          image: i\n      containers',
      '          image: i\n          resources: {limits: {memory: 512}}\n      containers',
    );
    const { doc, actions } = fixesOf(text);
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ['Change to 512Mi', true],
        ['Change to 512M', false],
      ],
    );
    assert.match(apply(doc, actions[1]), /resources: \{limits: \{memory: 512M\}\}/);
  });

  test('memory: 1g is an error with 1Gi preferred, reported once even when the model rejects it too', () => {
    const text = pod(
      '  containers:\n    - name: c\n      image: i\n      resources:\n        requests:\n          memory: 1g\n',
    );
    const docs = parseManifest(text);
    const doc = TextDocument.create(URI, 'yaml', 1, text);
    const live = new LiveCluster(new FakeCaches({ nodes: [node('node-a')] }));
    const engine = new PredictionEngine();
    const verdict = engine.verdict(docs[0]!, docs[0]!.podSpecs[0]!, live.snapshot, live.generation, {
      defaultNamespace: 'default',
      profile: { key: 'default' },
    });
    // The model does reject it on the same field: the diagnostics show that error once, ours.
    assert.deepEqual(
      verdict.errors?.map((e) => e.field),
      ['spec.containers[0].resources.requests.memory'],
    );
    const diags = manifestDiagnostics(doc, docs, () => verdict, [], { maxMilliCpu: 4000 });
    assert.deepEqual(
      diags.map((d) => [d.severity, d.code]),
      [[DiagnosticSeverity.Error, 'resource-units']],
    );
    const actions = quickFixActions(doc, diags);
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ['Change to 1Gi', true],
        ['Change to 1G', false],
      ],
    );
    assert.match(apply(doc, actions[0]), /memory: 1Gi\n$/);
  });
});

describe('code action requests', () => {
  const text = pod('  nodeSelectr: {a: b}\n  containers: [{name: c, image: i, resources: {requests: {cpu: 500}}}]\n');

  test('one action per fix, in diagnostic order', () => {
    assert.deepEqual(
      fixesOf(text).actions.map((a) => a.title),
      ['Rename to nodeSelector', 'Change to 500m'],
    );
  });

  test('context.only: quick fixes for quickfix or any kind, none for others', () => {
    const { doc, diags } = fixesOf(text);
    assert.equal(quickFixActions(doc, diags, [CodeActionKind.QuickFix]).length, 2);
    assert.equal(quickFixActions(doc, diags, [CodeActionKind.Empty]).length, 2);
    assert.deepEqual(quickFixActions(doc, diags, [CodeActionKind.Refactor]), []);
    assert.deepEqual(quickFixActions(doc, diags, [CodeActionKind.SourceFixAll]), []);
  });

  test('a fix whose text was edited since, another source, or malformed data gives no action', () => {
    const { doc, diags } = fixesOf(text);
    const edited = TextDocument.create(URI, 'yaml', 2, text.replace('nodeSelectr', 'nodeSelectrr'));
    assert.deepEqual(
      quickFixActions(edited, diags).map((a) => a.title),
      ['Change to 500m'],
    );
    assert.deepEqual(
      quickFixActions(
        doc,
        diags.map((d) => ({ ...d, source: 'yaml' })),
      ),
      [],
    );
    const broken = [{ fixes: [{ title: 'x' }] }, { fixes: 'x' }, null, 'fixes'];
    for (const data of broken)
      assert.deepEqual(
        quickFixActions(
          doc,
          diags.map((d) => ({ ...d, data })),
        ),
        [],
      );
  });

  test('only simple scalars are edited: plain words or quotes without escapes', () => {
    const r = (s: string): string | undefined => {
      const x = scalarTextRange(s, { start: 0, end: s.length });
      return x === undefined ? undefined : s.slice(x.start, x.end);
    };
    assert.equal(r('500'), '500');
    assert.equal(r('1 Gi'), '1 Gi');
    assert.equal(r('"Exist"'), 'Exist');
    assert.equal(r("'Exist'"), 'Exist');
    assert.equal(r('nvidia.com/gpu'), 'nvidia.com/gpu');
    for (const s of ['"a\\x41"', '|\n  500', '!!str 500', '*alias', '&a 500', '"a', 'a: b'])
      assert.equal(r(s), undefined, s);
  });
});
