/**
 * Quick fixes in the editor: a manifest with a misspelt field and `cpu: 500` gets a diagnostic for
 * each, `vscode.executeCodeActionProvider` offers the language server's quick fixes, and applying
 * the preferred ones corrects only the key and the value.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, waitFor } from './helpers';

const before = `apiVersion: v1
kind: Pod
metadata:
  name: quick-fix
spec:
  nodeSelectr:
    disktype: ssd
  containers:
    - name: app
      image: nginx
      resources:
        requests:
          cpu: 500
`;

function ours(doc: vscode.TextDocument): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'kube-forecast');
}

/** The quick fixes VS Code offers at `range` (code actions only, no commands). */
async function quickFixes(doc: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const all =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  return all.filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

/** Applies the one preferred quick fix of the diagnostic matching `message`, then waits for it to go away. */
async function applyPreferred(doc: vscode.TextDocument, message: RegExp): Promise<string[]> {
  const diag = ours(doc).find((d) => message.test(d.message));
  assert.ok(diag, `no diagnostic ${message}: ${JSON.stringify(ours(doc).map((d) => d.message))}`);
  const actions = await quickFixes(doc, diag.range);
  const preferred = actions.filter((a) => a.isPreferred === true);
  assert.equal(preferred.length, 1, JSON.stringify(actions.map((a) => a.title)));
  assert.ok(preferred[0]!.edit, 'the quick fix has no edit');
  assert.equal(await vscode.workspace.applyEdit(preferred[0]!.edit), true);
  await waitFor(
    () => ours(doc),
    (d) => !d.some((x) => message.test(x.message)),
  );
  return actions.map((a) => a.title);
}

suite('Quick fixes', () => {
  test('the preferred fixes rename a misspelt field and turn cpu: 500 into 500m', async function () {
    this.timeout(60_000);
    await activated();
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: before });
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor(
      () => ours(doc),
      (d) => d.length >= 2,
    );
    const cpu = diags.find((d) => /^cpu: 500 /.test(d.message));
    assert.ok(cpu, JSON.stringify(diags.map((d) => d.message)));
    assert.equal(cpu.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(cpu.message, /^cpu: 500 requests 500 whole CPUs[;,] .*Did you mean 500m \(0\.5 CPU\)\?$/);
    assert.equal(doc.getText(cpu.range), '500');

    assert.deepEqual(await applyPreferred(doc, /Unknown field "nodeSelectr" \(did you mean nodeSelector\?\)/), [
      'Rename to nodeSelector',
    ]);
    assert.deepEqual(await applyPreferred(doc, /^cpu: 500 requests/), ['Change to 500m']);
    assert.equal(doc.getText(), before.replace('nodeSelectr:', 'nodeSelector:').replace('cpu: 500\n', 'cpu: 500m\n'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
