/**
 * Predictions in the editor against the test cluster (the simulated cluster or the real control
 * plane, by KF_TEST_CLUSTER): the real lenses read with `vscode.executeCodeLensProvider`, a cluster
 * change that updates them without reopening the file, the details view, hovers, diagnostics, and
 * the prediction compared with where the cluster's scheduler really put the pods.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, PREFIX } from '@src/shared/ids';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { useContext } from './explorer-helpers';
import { activated, openFixture, ourLenses, waitFor } from './helpers';

async function titles(uri: vscode.Uri): Promise<string[]> {
  return (await ourLenses(uri)).map((l) => l.command?.title ?? '');
}

suite('Predictions', () => {
  let cluster: TestCluster | undefined;

  suiteSetup(async function () {
    this.timeout(90_000);
    await activated();
    cluster = await startTestCluster();
    const outcome = await useContext(cluster.kubeconfig, 'it-admin');
    assert.equal(outcome.ok, true, outcome.reason);
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    await vscode.workspace.getConfiguration(PREFIX).update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await cluster?.close();
  });

  test('lenses show the predicted node, replica placement and DaemonSet nodes, plus Create', async function () {
    this.timeout(60_000);
    const doc = await openFixture('prediction.yaml');
    const t = await waitFor(
      () => titles(doc.uri),
      (x) => x.length === 6 && x.every((s) => !/predicting…|no cluster/.test(s)),
      45_000,
    );
    assert.equal(t.length, 6, JSON.stringify(t));
    assert.match(t[0]!, /^no node fits: \d+× node\(s\) didn't match Pod's node affinity\/selector/);
    assert.equal(t[1], 'Create');
    assert.match(t[2]!, /^3 of 3 replicas fit now: .* · \d+\/\d+ nodes fit$/);
    assert.match(t[4]!, /^DaemonSet runs on \d+ of \d+ nodes/);
    const lenses = await ourLenses(doc.uri);
    assert.deepEqual(
      lenses.filter((_, i) => i % 2 === 0).map((l) => doc.lineAt(l.range.start.line).text.trim()),
      ['spec:', 'template:', 'template:'],
    );
  });

  test('a node added to the cluster updates the lens without reopening the file', async function () {
    this.timeout(60_000);
    const doc = await openFixture('prediction.yaml');
    await cluster!.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'big-node-1',
        labels: { 'kubernetes.io/hostname': 'big-node-1', 'kube-forecast-test/pool': 'big' },
      },
      spec: { taints: [{ key: 'kube-forecast-test/dedicated', value: 'yes', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: '64', memory: '256Gi', pods: '110' },
        allocatable: { cpu: '64', memory: '256Gi', pods: '110' },
      },
    });
    const t = await waitFor(
      () => titles(doc.uri),
      (x) => /^→ big-node-1/.test(x[0] ?? ''),
      30_000,
    );
    assert.match(t[0]!, /^→ big-node-1 .*· 1\/\d+ nodes fit$/);
  });

  test('the lens opens the details view with the nodes × plugins table', async () => {
    const doc = await openFixture('prediction.yaml');
    const [lens] = await ourLenses(doc.uri);
    assert.equal(lens?.command?.command, Commands.showPredictionDetails);
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; message?: string; reason?: string }>(
      Commands.showPredictionDetails,
      ...(lens?.command?.arguments ?? []),
    );
    assert.equal(outcome?.ok, true, outcome?.reason);
  });

  test('the details view follows its document and the cluster, says when it is out of date, and closes with it', async function () {
    this.timeout(90_000);
    const { api } = await activated();
    const text = (cpu: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: follow\n  namespace: default\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources: {requests: {cpu: "${cpu}"}}\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text('100m') });
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor(
      () => ourLenses(doc.uri),
      (l) => l.length > 0 && l[0]!.command?.command === Commands.showPredictionDetails,
    );
    const shown = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>(
      Commands.showPredictionDetails,
      ...(lenses[0]!.command!.arguments ?? []),
    );
    assert.equal(shown?.ok, true, shown?.reason);
    assert.match(api.detailsView().summary ?? '', /^→ /);
    // An edit: the view recomputes without being asked.
    const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, all, text('1000'));
    await vscode.workspace.applyEdit(edit);
    await waitFor(
      () => api.detailsView(),
      (d) => /^no node fits: \d+× Insufficient cpu/.test(d.summary ?? ''),
      20_000,
    );
    // A change in the cluster (made outside the editor): recomputed again.
    const before = api.detailsView().refreshes;
    await cluster!.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `follow-${Date.now()}`, namespace: 'default' },
      data: { k: 'v' },
    });
    await waitFor(
      () => api.detailsView(),
      (d) => d.refreshes > before,
      20_000,
    );
    // The spec leaves the document: the view says it is out of date instead of showing old numbers.
    const gone = new vscode.WorkspaceEdit();
    gone.replace(
      doc.uri,
      new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)),
      'kind: ConfigMap\n',
    );
    await vscode.workspace.applyEdit(gone);
    const stale = await waitFor(
      () => api.detailsView(),
      (d) => d.outOfDate !== undefined,
      20_000,
    );
    assert.match(stale.outOfDate ?? '', /no longer in the document/);
    // Its document closes: so does the view.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(
      () => api.detailsView(),
      (d) => !d.open,
      20_000,
    );
  });

  test('hovering tolerations says what they do to this prediction', async () => {
    const doc = await openFixture('prediction.yaml');
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('  tolerations:'));
    const hovers = await waitFor(
      () =>
        vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          new vscode.Position(line, 4),
        ),
      (h) => (h ?? []).some((x) => x.contents.some((c) => /tolerat/i.test(typeof c === 'string' ? c : c.value))),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /tolerates taints: opens 1 node/);
    assert.match(text, /kubernetes\.io\/docs\/concepts\/scheduling-eviction\/taint-and-toleration/);
  });

  test('fields the model does not understand are diagnostics from kube-forecast', async () => {
    const doc = await openFixture('prediction-problems.yaml');
    const diags = await waitFor(
      () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'kube-forecast'),
      (d) => d.length >= 2,
    );
    const lines = diags.map((d) => doc.lineAt(d.range.start.line).text.trim()).sort();
    assert.deepEqual(lines, ['cpus: 500m', 'nodeAfinity: {}']);
  });

  test('after the pod is created the lens compares the prediction with where it really went', async function () {
    this.timeout(60_000);
    const doc = await openFixture('prediction.yaml');
    const [first] = await titles(doc.uri);
    assert.match(first ?? '', /^→ big-node-1/);
    // The lens's own Create command (first document only), confirmed as the user would.
    const lenses = await ourLenses(doc.uri);
    const create = lenses[1]?.command;
    assert.equal(create?.command, Commands.createFromManifest);
    const arg = { ...(create?.arguments?.[0] as object), confirmed: true };
    assert.deepEqual(arg, { uri: doc.uri.toString(), version: doc.version, documentIndex: 0, confirmed: true });
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>(create!.command, arg);
    assert.equal(outcome?.ok, true, outcome?.reason);
    const t = await waitFor(
      () => titles(doc.uri),
      (x) => /scheduled on/.test(x[0] ?? ''),
      30_000,
    );
    assert.equal(t[0], 'predicted big-node-1 · scheduled on big-node-1 ✓');
    assert.equal(t[1], 'Apply');
  });

  test('after the Deployment is created the lens compares the predicted replicas with the running ones', async function () {
    this.timeout(60_000);
    const doc = await openFixture('prediction.yaml');
    const lenses = await ourLenses(doc.uri);
    const create = lenses[3]?.command;
    assert.equal(create?.command, Commands.createFromManifest);
    const arg = { ...(create?.arguments?.[0] as object), confirmed: true };
    assert.deepEqual(arg, { uri: doc.uri.toString(), version: doc.version, documentIndex: 1, confirmed: true });
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>(create!.command, arg);
    assert.equal(outcome?.ok, true, outcome?.reason);
    const t = await waitFor(
      () => titles(doc.uri),
      (x) => /^3 of 3 running/.test(x[2] ?? '') && x[3] === 'Apply',
      45_000,
    );
    assert.match(t[2]!, /^3 of 3 running( as predicted)? \(.*(×\d|, ).*\)/);
    assert.equal(t[3], 'Apply');
  });

  test('Why Pending? on a pending pod opens the same details, computed from the cache', async function () {
    this.timeout(60_000);
    await cluster!.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'too-big', namespace: 'default' },
      spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '1000' } } }] },
    });
    const outcome = await waitFor(
      () =>
        vscode.commands.executeCommand<{ ok: boolean; detail?: string; reason?: string }>(Commands.whyPending, {
          name: 'too-big',
          namespace: 'default',
        }),
      (o) => o?.ok === true,
    );
    assert.equal(outcome?.ok, true, outcome?.reason);
    assert.match(outcome?.detail ?? '', /no node fits: \d+× Insufficient cpu/);
  });
});
