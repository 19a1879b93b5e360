import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REQUIRES_CLUSTER } from '@src/server/cluster-backend';
import { ClusterHost } from '@src/server/cluster-host';
import { DisconnectedBackend, NO_CLUSTER_STATUS } from '@src/server/disconnected-backend';
import type { ClusterStatus } from '@src/shared/protocol';

describe('ClusterHost', () => {
  test('starts disconnected, with refusals that name the missing cluster', async () => {
    const host = new ClusterHost(async () => new DisconnectedBackend(NO_CLUSTER_STATUS));
    assert.deepEqual(host.status, NO_CLUSTER_STATUS);
    assert.deepEqual(await host.backend.resourceAction({ nodeId: 'x', action: 'delete' }), {
      ok: false,
      reason: REQUIRES_CLUSTER,
    });
    assert.deepEqual(await host.backend.children(null), []);
  });

  test('a factory that throws yields an error status naming the cause, not a rejection', async () => {
    const host = new ClusterHost(async () => {
      throw new Error('kubeconfig /x: no such file');
    });
    const seen: ClusterStatus[] = [];
    host.onDidChangeStatus((s) => seen.push(s));
    const status = await host.connect({ source: 'kubeconfig', kubeconfigPaths: ['/x'], context: '', namespaces: [] });
    assert.equal(status.state, 'error');
    assert.match(status.message ?? '', /no such file/);
    assert.deepEqual(
      seen.map((s) => s.state),
      ['connecting', 'error'],
    );
    assert.equal(seen[1], status);
    assert.deepEqual(await host.backend.snapshot(), { ok: false, reason: status.message });
  });

  test('while connecting the status names the target, as soon as the factory knows it', async () => {
    let release: () => void = () => undefined;
    const host = new ClusterHost(async (_params, progress) => {
      progress?.({
        state: 'connecting',
        source: 'kubeconfig',
        context: 'kind-dev',
        message: 'Connecting to kind-dev…',
      });
      await new Promise<void>((r) => (release = r));
      return new DisconnectedBackend({ state: 'error', source: 'kubeconfig', message: 'unreachable' });
    });
    const seen: string[] = [];
    host.onDidChangeStatus((s) => seen.push(`${s.state}: ${s.message ?? ''}`));
    const done = host.connect({ source: 'kubeconfig', kubeconfigPaths: [], context: '', namespaces: [] });
    await new Promise((r) => setImmediate(r));
    assert.equal(host.status.state, 'connecting');
    assert.equal(host.status.context, 'kind-dev');
    release();
    await done;
    assert.deepEqual(seen, [
      "connecting: Connecting to the kubeconfig's current context…",
      'connecting: Connecting to kind-dev…',
      'error: unreachable',
    ]);
    assert.equal(host.status.state, 'error');
  });

  test('connect disposes the previous backend', async () => {
    let disposed = 0;
    const host = new ClusterHost(async () => {
      const b = new DisconnectedBackend(NO_CLUSTER_STATUS);
      b.dispose = () => disposed++;
      return b;
    });
    await host.connect({ source: 'none' });
    await host.connect({ source: 'none' });
    assert.equal(disposed, 1);
  });

  test('only the newest connect installs its backend; a slower older one is disposed, never shown', async () => {
    const releases: (() => void)[] = [];
    const made: { status: ClusterStatus; disposed: boolean }[] = [];
    const host = new ClusterHost(
      (params) =>
        new Promise((resolve) => {
          const status: ClusterStatus = {
            state: 'error',
            source: params.source,
            message: params.source === 'simulator' ? 'the simulated cluster exited (SIGTERM)' : 'newer',
          };
          const b = new DisconnectedBackend(status);
          const rec = { status, disposed: false };
          b.dispose = () => (rec.disposed = true);
          made.push(rec);
          releases.push(() => resolve(b));
        }),
    );
    const seen: ClusterStatus[] = [];
    host.onDidChangeStatus((s) => seen.push(s));
    const older = host.connect({ source: 'simulator' });
    const newer = host.connect({ source: 'none' });
    releases[1]!(); // The newer request settles first …
    assert.equal((await newer).message, 'newer');
    releases[0]!(); // … then the older, superseded one.
    await older;
    assert.equal(host.status.message, 'newer');
    assert.deepEqual(
      seen.map((s) => s.message),
      ['Starting the simulated cluster…', 'newer'],
      'the superseded one only ever said it was starting',
    );
    assert.equal(made[0]!.disposed, true, 'the superseded backend is disposed');
    assert.equal(made[1]!.disposed, false);
  });
});
