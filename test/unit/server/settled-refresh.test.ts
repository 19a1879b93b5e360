/**
 * After the cluster status changes, the server asks the editor for lenses again once the status has
 * settled (SETTLED_REFRESH_MS): VS Code drops a pending CodeLens fetch when the editor loses focus, and
 * status changes happen while a dialog has it (found by the e2e run on VS Code 1.139: the lens kept
 * "Starting the simulated cluster…" after a snapshot loaded).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeLensRefreshRequest } from 'vscode-languageserver/node';
import { DisconnectedBackend } from '@src/server/disconnected-backend';
import { SETTLED_REFRESH_MS } from '@src/server/refresh';
import { connectCluster } from '@src/shared/protocol';
import { inMemoryServer } from './in-memory-server';

test('a status change is followed by a refresh at once and by one more once the status has settled', async () => {
  const seen: number[] = [];
  const client = await inMemoryServer(
    async () => new DisconnectedBackend({ state: 'connected', source: 'simulator', context: 'sim' }),
    (c) => c.onRequest(CodeLensRefreshRequest.method, () => void seen.push(Date.now())),
    { workspace: { codeLens: { refreshSupport: true } } },
  );
  try {
    const connected = Date.now();
    assert.equal((await client.sendRequest(connectCluster, { source: 'simulator' })).state, 'connected');
    const deadline = Date.now() + SETTLED_REFRESH_MS * 5;
    while (Date.now() < deadline && !seen.some((t) => t - connected >= SETTLED_REFRESH_MS))
      await new Promise((r) => setTimeout(r, 50));
    // The refreshes at the change itself come first (two: the status and the predictions' rebind); the
    // settled one cannot come sooner than SETTLED_REFRESH_MS after it, however busy the machine.
    assert.ok(seen.length >= 2, `refreshes: ${seen.length}`);
    assert.ok(
      seen.some((t) => t - connected >= SETTLED_REFRESH_MS),
      'one more once the status settled',
    );
  } finally {
    client.dispose();
  }
});
