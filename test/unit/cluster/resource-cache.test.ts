/**
 * ClusterSession without a cluster (none, or a small scripted HTTP server): an unreachable server is
 * reported, never thrown; the backoff's waits. Everything
 * that needs a cluster is in resource-cache.cluster.test.ts, which runs against both clusters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { ClusterSession } from '@src/cluster/cluster-session';
import { MAX_BACKOFF_MS } from '@src/cluster/resource-cache';
import { kubeconfigFromString } from '@src/cluster/kubeconfig';
import { buildKubeconfig } from '@src/simulator/api/kubeconfig';

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

test('while the server stays unreachable, the cache says so steadily: retries never flicker back to syncing', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  // The injected backoff counts the retries (and caps each wait at 20 ms).
  let retries = 0;
  const session = new ClusterSession(
    kubeconfigFromString(buildKubeconfig({ server: `http://127.0.0.1:${port}`, token: 't' })),
    {
      delay: (ms) => {
        retries++;
        return new Promise((r) => setTimeout(r, Math.min(ms, 20)));
      },
    },
  );
  const cache = session.cache('pods'); // started on first use
  const states: string[] = [];
  cache.onDidChangeState((s, message) => states.push(`${s}: ${message}`));
  const end = Date.now() + 30_000;
  while (Date.now() < end && cache.state !== 'unreachable') await new Promise((r) => setTimeout(r, 20));
  const atUnreachable = retries;
  while (Date.now() < end && retries < atUnreachable + 5) await new Promise((r) => setTimeout(r, 20));
  assert.ok(retries >= atUnreachable + 5, `five more retries once unreachable (${retries - atUnreachable} seen)`);
  cache.stop();
  session.dispose();
  const beforeStop = states.slice(0, -1);
  assert.match(beforeStop[beforeStop.length - 1] ?? '', /^unreachable: .*connection refused/);
  assert.ok(
    !beforeStop.slice(beforeStop.findIndex((x) => x.startsWith('unreachable'))).some((x) => x.startsWith('syncing')),
    `once unreachable, it stays so: ${JSON.stringify(beforeStop)}`,
  );
});

/** A session on http://127.0.0.1:`port` whose backoff records the waits asked for (and waits 5 ms instead). */
function recordingSession(port: number): { session: ClusterSession; waits: number[] } {
  const waits: number[] = [];
  const session = new ClusterSession(
    kubeconfigFromString(buildKubeconfig({ server: `http://127.0.0.1:${port}`, token: 't' })),
    {
      delay: (ms) => {
        waits.push(ms);
        return new Promise((r) => setTimeout(r, 5));
      },
    },
  );
  return { session, waits };
}

test('a long outage never stretches a retry past MAX_BACKOFF_MS: 0.5 s doubling, then every 5 s', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const { session, waits } = recordingSession(port);
  const cache = session.cache('pods');
  const end = Date.now() + 30_000;
  while (Date.now() < end && waits.length < 10) await new Promise((r) => setTimeout(r, 10));
  cache.stop();
  session.dispose();
  assert.deepEqual(waits.slice(0, 10), [500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000, 5000]);
  assert.equal(MAX_BACKOFF_MS, 5000);
});

test('a failure of another kind restarts the backoff: an outage that ends in 403s retries them at 0.5 s, 1 s', async () => {
  // Four 503s (unreachable), then two 403s (a restarted kube-apiserver authorizes before its RBAC caches
  // fill), then the list; watches are held open.
  let lists = 0;
  const server = http.createServer((req, res) => {
    if ((req.url ?? '').includes('watch=')) return; // held open until the test ends
    lists++;
    const status = lists <= 4 ? 503 : lists <= 6 ? 403 : 200;
    const body =
      status === 200
        ? { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: [] }
        : { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: status, message: `answer ${lists}` };
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const { session, waits } = recordingSession(port);
  try {
    const cache = session.cache('pods');
    await cache.whenSynced();
    assert.deepEqual(waits, [500, 1000, 2000, 4000, 500, 1000]);
  } finally {
    session.dispose();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
