/**
 * The Cluster row follows /readyz: a failing answer is checked again within seconds, and when the
 * server is ready again the tree is told (`onDidChangeTree` names the context's rows) and reads
 * "ready", with no periodic check and no request from the client. Found by `npm run chaos`: one
 * failing /readyz left the row "not ready", unannounced, until the next 30 s check.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { backendOn, until } from './helpers';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster?.close();
});

test('a failing /readyz is checked again, and its recovery is announced to the tree', async () => {
  const { backend, close } = await backendOn(cluster);
  try {
    const ctx = 'it-admin';
    const clusterRow = async (): Promise<string> =>
      (await backend.children(ctx)).find((r) => r.kind === 'cluster')?.description ?? '';
    // What the client would read each time the context's rows are announced.
    const readOnAnnounce: string[] = [];
    backend.onDidChangeTree((ids) => {
      if (ids.includes(ctx)) void clusterRow().then((d) => readOnAnnounce.push(d));
    });
    cluster.faults({ readyz: 500 });
    // Expanding the Cluster row checks health now (healthIntervalMs is 0: no periodic check).
    await backend.children(`${ctx}/cluster`);
    assert.match(await clusterRow(), /not ready/);
    cluster.faults({ readyz: null });
    assert.ok(
      await until(() => readOnAnnounce.some((d) => /· ready$/.test(d)), 20_000),
      `the recovery is announced for the context rows (read on each announcement: ${readOnAnnounce.join(' | ')})`,
    );
  } finally {
    cluster.faults({ clear: true });
    close();
  }
});
