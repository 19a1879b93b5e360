import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ClusterHost,
  DisconnectedBackend,
  NO_CLUSTER_STATUS,
  REQUIRES_CLUSTER,
  defaultBackendFactory,
} from '../../../src/server/cluster-host';
import type { ClusterStatus, ConnectClusterParams } from '../../../src/shared/protocol';

describe('ClusterHost', () => {
  test('starts disconnected', () => {
    assert.deepEqual(new ClusterHost().status, NO_CLUSTER_STATUS);
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

  test('this build reports simulator and kubeconfig connections as not available yet', async () => {
    const requests: ConnectClusterParams[] = [
      { source: 'simulator' },
      { source: 'kubeconfig', kubeconfigPaths: [], context: '', namespaces: [] },
    ];
    for (const params of requests) {
      const backend = await defaultBackendFactory(params);
      assert.equal(backend.status.state, 'none');
      assert.match(backend.status.message ?? '', /not available in this build yet/);
      assert.deepEqual(await backend.resourceAction({ nodeId: 'x', action: 'delete' }), {
        ok: false,
        reason: REQUIRES_CLUSTER,
      });
    }
  });
});
