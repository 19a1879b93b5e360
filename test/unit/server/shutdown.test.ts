/**
 * `shutdown` disposes what the server context owns: the backend (its watch caches and health timers),
 * the prediction host's listener on the cluster caches and its pending timers, and the lens refresher's
 * settled refresh. Nothing of the server keeps running after it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CodeLensRefreshRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ShutdownRequest,
} from 'vscode-languageserver/node';
import type { ClusterBackend } from '@src/server/cluster-backend';
import { DisconnectedBackend } from '@src/server/disconnected-backend';
import type { ClusterCaches } from '@src/server/prediction/live-cluster';
import type { KubeForecastServer } from '@src/server/server';
import { connectCluster } from '@src/shared/protocol';
import { inMemoryServer } from './in-memory-server';
import { boundPod, FakeCaches, node } from './prediction/helpers';

/** Caches that count the change listeners registered and not yet removed. */
class CountingCaches extends FakeCaches {
  active = 0;
  override onDidChange(listener: Parameters<ClusterCaches['onDidChange']>[0]): () => void {
    this.active++;
    const off = super.onDidChange(listener);
    let removed = false;
    return () => {
      if (!removed) this.active--;
      removed = true;
      off();
    };
  }
}

/** A connected backend over {@link CountingCaches} that records its disposal. */
class Cluster extends DisconnectedBackend implements ClusterBackend {
  readonly caches = new CountingCaches({ nodes: [node('n1', { cpu: '4', memory: '8Gi' })] });
  disposed = false;
  constructor() {
    super({ state: 'connected', source: 'simulator', context: 'sim' });
  }
  predictionCaches(): ClusterCaches {
    return this.caches;
  }
  override dispose(): void {
    this.disposed = true;
  }
}

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - { name: c, image: busybox }\n';

test('shutdown disposes the backend, stops listening to its caches and clears every pending timer', async () => {
  const backend = new Cluster();
  let server: KubeForecastServer | undefined;
  const client = await inMemoryServer(
    async () => backend,
    (c) => c.onRequest(CodeLensRefreshRequest.method, () => null),
    { workspace: { codeLens: { refreshSupport: true } } },
    (s) => (server = s),
  );
  try {
    const ctx = server!.ctx;
    assert.equal((await client.sendRequest(connectCluster, { source: 'simulator' })).state, 'connected');
    assert.ok(backend.caches.active > 0, 'the predictions listen to the cluster caches once connected');
    const uri = 'file:///tmp/shutdown.yaml';
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text: POD },
    });
    await client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: POD.replace('name: p', 'name: q') }],
    });
    // A cluster change schedules the debounced refresh of every document.
    backend.caches.add('pods', boundPod('other', 'n1', '100m'));
    const deadline = Date.now() + 5000;
    while (!ctx.predictions.pendingWork && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.ok(ctx.predictions.pendingWork, 'timers are pending before shutdown');
    assert.ok(ctx.lenses.pending, 'the settled lens refresh is pending after the connection');

    await client.sendRequest(ShutdownRequest.type);

    assert.equal(backend.disposed, true, 'the backend (its caches and health timers) is disposed');
    assert.equal(backend.caches.active, 0, 'no listener is left on the cluster caches');
    assert.equal(ctx.predictions.pendingWork, false, 'no prediction timer or background slice is pending');
    assert.equal(ctx.lenses.pending, false, 'the settled lens refresh is cleared');
    assert.equal(ctx.predictions.view(), undefined, 'the predictions no longer read the cluster');
  } finally {
    client.dispose();
  }
});
