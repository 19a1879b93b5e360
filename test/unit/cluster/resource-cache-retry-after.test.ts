/**
 * A throttled cache waits what the server's `Retry-After` says (kube-apiserver's 429 carries it), not
 * its own growing backoff, so it recovers within a second of the throttling ending. Found by
 * `npm run chaos`: after a few seconds of 429s the caches' backoff had grown to 4 s and more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSession } from '@src/cluster/cluster-session';
import { kubeconfigFromString } from '@src/cluster/kubeconfig';
import { startSimulator } from '@src/simulator/api/server';

test("a 429's Retry-After replaces the exponential backoff, and the cache recovers after it", async () => {
  const sim = await startSimulator({ onError: () => undefined });
  const waits: number[] = [];
  const session = new ClusterSession(kubeconfigFromString(sim.kubeconfig()), {
    delay: (ms) => {
      waits.push(ms);
      return new Promise((r) => setTimeout(r, Math.min(ms, 20)));
    },
  });
  try {
    sim.faults.set({ status: 429 }); // every API request: 429 with Retry-After: 1
    const cache = session.cache('pods');
    const end = Date.now() + 30_000;
    while (waits.length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    const throttled = [...waits];
    sim.faults.set({ clear: true });
    while (cache.state !== 'synced' && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.equal(cache.state, 'synced', 'the cache syncs once the throttling ends');
    assert.ok(throttled.length >= 5, `five retries while throttled (${throttled.length} seen)`);
    assert.deepEqual(throttled.slice(0, 5), [1000, 1000, 1000, 1000, 1000], `waits: ${throttled.join(', ')}`);
  } finally {
    session.dispose();
    await sim.close();
  }
});
