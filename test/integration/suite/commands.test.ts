import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '@src/shared/ids';
import { activated } from './helpers';

interface Outcome {
  ok: boolean;
  reason?: string;
}

suite('commands', () => {
  test('every command in package.json is registered', async () => {
    const { ext } = await activated();
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 19);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
    );
  });

  const needCluster = [
    Commands.createFromManifest,
    Commands.applyManifest,
    Commands.saveClusterSnapshot,
    Commands.reauthenticate,
    Commands.deleteResource,
    Commands.viewYaml,
    Commands.describeResource,
    Commands.showLogs,
    Commands.scaleWorkload,
    Commands.restartWorkload,
    Commands.whyPending,
  ];
  for (const id of needCluster) {
    test(`${id} says it requires a connected cluster, without throwing`, async () => {
      await activated();
      const outcome = await vscode.commands.executeCommand<Outcome>(id);
      assert.equal(outcome.ok, false);
      assert.match(outcome.reason ?? '', /requires a connected cluster/);
    });
  }

  test('item commands without an item explain where to run them', async () => {
    await activated();
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.copyName);
    assert.equal(outcome.ok, false);
    assert.match(outcome.reason ?? '', /item of the Kubernetes view/);
  });

  test('Copy Name copies the resource name of a tree item', async () => {
    await activated();
    const node = {
      id: 'ns/default/pod/web-0',
      label: 'web-0',
      name: 'web-0',
      kind: 'pod',
      contextValue: 'pod',
      hasChildren: false,
    };
    assert.deepEqual(await vscode.commands.executeCommand(Commands.copyName, node), { ok: true, detail: 'web-0' });
    assert.equal(await vscode.env.clipboard.readText(), 'web-0');
  });
});
