import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CLUSTER_REQUIRED } from '@src/client/commands';
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

  // The table's own list (its `needs: 'cluster'` rows), and Re-authenticate, which needs nothing to run
  // but has nothing to re-authenticate until a context is connected.
  const needCluster = [...CLUSTER_REQUIRED, Commands.reauthenticate];
  test('the commands that need a cluster are the table rows that say so', () => {
    assert.ok(CLUSTER_REQUIRED.includes(Commands.createFromManifest));
    assert.ok(!CLUSTER_REQUIRED.includes(Commands.copyName));
  });
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
