/**
 * `kubeForecast.startup.openFiles` (src/client/startup-files.ts), as `npm start` uses it to open the demo's
 * manifest and guide: each file once per workspace, YAML as an editor and Markdown as a preview, a missing
 * file logged and skipped, and the editor that was in front kept in front.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openStartupFiles } from '@src/client/startup-files';
import { PREFIX } from '@src/shared/ids';
import { waitFor } from './helpers';

/** The workspace-scoped state of a fake extension context: what `openStartupFiles` reads and writes. */
function fakeContext(): vscode.ExtensionContext {
  const state = new Map<string, unknown>();
  const workspaceState = {
    get: (key: string) => state.get(key),
    update: async (key: string, value: unknown) => void state.set(key, value),
    keys: () => [...state.keys()],
  };
  return { workspaceState } as unknown as vscode.ExtensionContext;
}

/** A log that keeps its warnings. */
function recordingLog(): { log: vscode.LogOutputChannel; warnings: string[] } {
  const warnings: string[] = [];
  const log = { warn: (m: string) => void warnings.push(m) } as unknown as vscode.LogOutputChannel;
  return { log, warnings };
}

/** Every open tab's label and kind (`text` or the webview's view type). */
function tabs(): { label: string; kind: string }[] {
  return vscode.window.tabGroups.all.flatMap((g) =>
    g.tabs.map((t) => ({
      label: t.label,
      kind:
        t.input instanceof vscode.TabInputText
          ? 'text'
          : t.input instanceof vscode.TabInputWebview
            ? t.input.viewType
            : 'other',
    })),
  );
}

suite('Start files (kubeForecast.startup.openFiles)', () => {
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(PREFIX);

  teardown(async () => {
    await settings().update('startup.openFiles', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('YAML opens as an editor and Markdown as a preview, a missing file is logged and skipped, the front editor stays in front; once per workspace', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host opens a workspace folder');
    const write = (name: string, text: string): Thenable<void> =>
      vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder.uri, name), Buffer.from(text));
    await write(
      'start-demo.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: demo}\nspec: {containers: [{name: c, image: x}]}\n',
    );
    await write('start-guide.md', '# Guide\n\nRead me.\n');
    await write('start-front.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: front}\n');
    const front = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'start-front.yaml'));
    await vscode.window.showTextDocument(front);
    await settings().update(
      'startup.openFiles',
      ['start-demo.yaml', 'no-such-file.yaml', 'start-guide.md'],
      vscode.ConfigurationTarget.Workspace,
    );

    const context = fakeContext();
    const { log, warnings } = recordingLog();
    await openStartupFiles(context, log);

    // The preview's tab may come a moment after the command returns.
    const open = await waitFor(tabs, (t) => t.some((x) => x.kind.includes('markdown.preview')), 10_000);
    assert.ok(
      open.some((t) => t.label === 'start-demo.yaml' && t.kind === 'text'),
      `the manifest is an editor tab: ${JSON.stringify(open)}`,
    );
    assert.ok(
      open.some((t) => t.label.includes('start-guide.md') && t.kind.includes('markdown.preview')),
      `the guide is a Markdown preview: ${JSON.stringify(open)}`,
    );
    assert.ok(!open.some((t) => t.label.includes('no-such-file')), 'no tab for the missing file');
    assert.equal(warnings.length, 1, `one warning: ${JSON.stringify(warnings)}`);
    assert.match(warnings[0]!, /Could not open no-such-file\.yaml at start/);
    assert.equal(
      vscode.window.activeTextEditor?.document.uri.toString(),
      front.uri.toString(),
      'the editor that was in front is in front again',
    );

    // Once per workspace: closed by the person, the files stay closed on the next activation.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openStartupFiles(context, log);
    assert.deepEqual(tabs(), [], 'nothing reopens in a workspace that had its start files');
  });
});
