import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '@src/shared/ids';
import { activated, openFixture, ourLenses, waitFor } from './helpers';
import { serverPids } from './server-process';

suite('language server', () => {
  test('Restart Language Server restarts it and CodeLenses answer again', async () => {
    const { api } = await activated();
    assert.equal(await api.startLanguageServer(), true);
    const before = api.serverStarts();
    const outcome = await vscode.commands.executeCommand<{ ok: boolean }>(Commands.restartLanguageServer);
    assert.equal(outcome.ok, true);
    assert.equal(api.languageServerState(), 'running');
    assert.equal(api.serverStarts(), before + 1);
    const doc = await openFixture('pod.yaml');
    assert.equal(
      (
        await waitFor(
          () => ourLenses(doc.uri),
          (l) => l.length > 0,
        )
      ).length,
      1,
    );
  });

  test('a crashed server is restarted by the error handler', async function () {
    if (process.platform !== 'linux') this.skip();
    const { api } = await activated();
    assert.equal(await api.startLanguageServer(), true);
    const [pid] = serverPids();
    assert.ok(pid !== undefined, 'no dist/server.js child process found');
    const before = api.serverStarts();
    process.kill(pid, 'SIGKILL');
    await waitFor(
      () => api.serverStarts() > before && api.languageServerState() === 'running',
      (ok) => ok,
    );
    assert.equal(api.serverStarts(), before + 1);
    assert.equal(api.languageServerState(), 'running');
    const doc = await openFixture('pod.yaml');
    assert.equal(
      (
        await waitFor(
          () => ourLenses(doc.uri),
          (l) => l.length > 0,
        )
      ).length,
      1,
    );
  });
});
