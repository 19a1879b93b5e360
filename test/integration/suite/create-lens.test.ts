/**
 * The Create lens, executed as a click does (its own command and arguments, confirmed), writes the
 * document it sits above and nothing else, whatever the file's other documents are; a lens of an
 * older version of the text writes nothing.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '@src/shared/ids';
import { disconnect, startTestCluster, useContext, type TestCluster } from './explorer-helpers';
import { activated, ourLenses, waitFor } from './helpers';

interface Outcome {
  ok: boolean;
  reason?: string;
  detail?: string;
}

const pod = (name: string, namespace: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  containers:\n    - name: c\n      image: busybox\n`;

suite('Create lens', () => {
  let cluster: TestCluster;

  suiteSetup(async function () {
    this.timeout(60_000);
    await activated();
    cluster = await startTestCluster();
    const outcome = await useContext(cluster.kubeconfig, 'it-admin');
    assert.equal(outcome.ok, true, outcome.reason);
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    await disconnect();
    await cluster.close();
  });

  async function podNames(ns: string): Promise<string[]> {
    const list = await cluster.api('GET', `/api/v1/namespaces/${ns}/pods`);
    return ((list.body?.items ?? []) as { metadata: { name: string } }[]).map((p) => p.metadata.name).sort();
  }

  /** The Create lenses of `doc`, once the connected lenses are there. */
  async function createLenses(doc: vscode.TextDocument, count: number): Promise<vscode.CodeLens[]> {
    const lenses = await waitFor(
      async () => (await ourLenses(doc.uri)).filter((l) => l.command?.command === Commands.createFromManifest),
      (l) => l.length === count,
      30_000,
    );
    assert.equal(lenses.length, count, 'the Create lenses appear');
    return lenses;
  }

  test('a file whose first document is `~`: the lens above pod a creates exactly a', async function () {
    this.timeout(60_000);
    const ns = await cluster.freshNamespace('create-lens');
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: `~\n---\n${pod('a', ns)}---\n${pod('b', ns)}`,
    });
    await vscode.window.showTextDocument(doc);
    const lenses = await createLenses(doc, 2);
    const aboveA = lenses.find((l) => doc.getText(new vscode.Range(0, 0, l.range.start.line, 0)).includes('name: a\n'));
    assert.ok(
      aboveA !== undefined && !doc.getText(new vscode.Range(0, 0, aboveA.range.start.line, 0)).includes('name: b'),
    );
    const { command, arguments: args } = aboveA.command!;
    const outcome = await vscode.commands.executeCommand<Outcome>(command, {
      ...(args?.[0] as object),
      confirmed: true,
    });
    assert.equal(outcome.ok, true, outcome.reason);
    assert.match(outcome.detail ?? '', /1 created/);
    assert.deepEqual(await podNames(ns), ['a']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a lens of an older version of the text writes nothing and says the document changed', async function () {
    this.timeout(60_000);
    const ns = await cluster.freshNamespace('create-lens-stale');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: pod('c', ns) });
    const editor = await vscode.window.showTextDocument(doc);
    const [lens] = await createLenses(doc, 1);
    await editor.edit((e) => e.replace(new vscode.Range(3, 0, 3, doc.lineAt(3).text.length), '  name: c2'));
    const { command, arguments: args } = lens!.command!;
    const outcome = await vscode.commands.executeCommand<Outcome>(command, {
      ...(args?.[0] as object),
      confirmed: true,
    });
    assert.equal(outcome.ok, false);
    assert.match(outcome.reason ?? '', /document changed/);
    assert.deepEqual(await podNames(ns), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
