import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '@src/shared/ids';
import { activated } from './helpers';

suite('cluster tree', () => {
  test('with no cluster the root is empty (the welcome content shows) and the status says none', async () => {
    const { api } = await activated();
    const children = await api.clusterTree.getChildren?.();
    assert.deepEqual(children, []);
    assert.equal(api.clusterStatus().state, 'none');
    assert.match(api.clusterStatus().message ?? '', /No cluster connected|not available/);
  });

  test('asking for the tree starts the language server', async () => {
    const { api } = await activated();
    await api.clusterTree.getChildren?.();
    assert.equal(api.languageServerState(), 'running');
  });

  test('Refresh re-reads the tree', async () => {
    await activated();
    assert.deepEqual(await vscode.commands.executeCommand(Commands.refresh), { ok: true });
  });
});
