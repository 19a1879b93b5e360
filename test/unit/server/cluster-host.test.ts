import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ClusterHost,
  DisconnectedBackend,
  NO_CLUSTER_STATUS,
  REQUIRES_CLUSTER,
} from '../../../src/server/cluster-host';
import type { ClusterStatus } from '../../../src/shared/protocol';

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
    assert.deepEqual(seen, [status]);
    assert.deepEqual(await host.backend.snapshot(), { ok: false, reason: status.message });
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
});
