/**
 * ClusterSession without a cluster: an unreachable server is reported, never thrown. Everything
 * that needs a cluster is in resource-cache.cluster.test.ts, which runs against both clusters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ClusterSession } from '../../../src/cluster/cluster-session';
import { kubeconfigFromString } from '../../../src/cluster/kubeconfig';
import { buildKubeconfig } from '../../../src/simulator/api/kubeconfig';

test('ClusterSession.health reports an unreachable server without throwing', async () => {
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const session = new ClusterSession(
    kubeconfigFromString(buildKubeconfig({ server: `http://127.0.0.1:${port}`, token: 't' })),
  );
  const down = await session.health();
  assert.equal(down.reachable, false);
  assert.match(down.message ?? '', /cannot reach/);
  session.dispose();
});
