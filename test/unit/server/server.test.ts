/**
 * Drives the real server (handlers, documents, cluster host) over an in-memory LSP connection, the
 * way the client does: initialize, open a manifest, ask for CodeLenses and the custom `kube/*` requests.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodeLensRequest, DidOpenTextDocumentNotification, type CodeLens } from 'vscode-languageserver/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { ClusterBackend } from '@src/server/cluster-backend';
import { DisconnectedBackend } from '@src/server/disconnected-backend';
import { inMemoryServer } from './in-memory-server';
import { DOCUMENT_CHANGED } from '@src/server/services/manifest-write';
import { Commands } from '@src/shared/ids';
import {
  clusterStatus,
  connectCluster,
  didChangeClusterStatus,
  predictionDetails,
  resourceText,
  treeChildren,
  type ClusterStatus,
  writeManifest,
  type TreeNode,
} from '@src/shared/protocol';

const POD = readFileSync(join(__dirname, '../../fixtures/manifests/pod.yaml'), 'utf8');
const URI = 'file:///tmp/pod.yaml';

/** A backend that reports itself connected and serves one namespace, for the connected-path tests. */
class FakeConnected extends DisconnectedBackend implements ClusterBackend {
  constructor() {
    super({ state: 'connected', source: 'simulator', context: 'sim' });
  }
  override async children(parentId?: string | null): Promise<TreeNode[]> {
    return parentId === null
      ? [{ id: 'ns/default', label: 'default', kind: 'namespace', contextValue: 'namespace', hasChildren: false }]
      : [];
  }
}

describe('language server over an in-memory connection', () => {
  let client: MessageConnection;
  const notifications: ClusterStatus[] = [];

  before(async () => {
    client = await inMemoryServer(
      async (p) =>
        p.source === 'simulator' ? new FakeConnected() : new DisconnectedBackend({ state: 'none', source: 'none' }),
      (c) =>
        c.onNotification(didChangeClusterStatus, (s: ClusterStatus) => {
          notifications.push(s);
        }),
    );
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: URI, languageId: 'yaml', version: 1, text: POD },
    });
  });

  after(() => client.dispose());

  test('starts with no cluster and an empty tree', async () => {
    assert.equal((await client.sendRequest(clusterStatus)).state, 'none');
    assert.deepEqual(await client.sendRequest(treeChildren, { parentId: null }), []);
  });

  test('offers the Open Simulated Cluster lens above the pod spec', async () => {
    const lenses = (await client.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.command]),
      [[6, Commands.openSimulatedCluster]],
    );
  });

  test('refuses cluster reads and writes with a sentence, never an error', async () => {
    const text = await client.sendRequest(resourceText, { nodeId: 'x', view: 'yaml' });
    assert.equal(text.ok, false);
    const written = await client.sendRequest(writeManifest, { uri: URI, version: 1, mode: 'create' });
    assert.deepEqual(written, {
      ok: false,
      reason: 'No cluster connected. Open the simulated cluster or choose a kubeconfig.',
    });
    const notOpen = await client.sendRequest(writeManifest, { uri: 'file:///nope.yaml', version: 1, mode: 'create' });
    assert.deepEqual(notOpen, { ok: false, reason: 'The manifest is not open in an editor.' });
    const stale = await client.sendRequest(writeManifest, { uri: URI, version: 0, mode: 'create' });
    assert.deepEqual(stale, { ok: false, reason: DOCUMENT_CHANGED });
  });

  test('prediction details explain the missing cluster, and null for an unknown spec', async () => {
    const details = await client.sendRequest(predictionDetails, { uri: URI, documentIndex: 0, path: [] });
    assert.match(details?.summary ?? '', /web: no cluster connected/);
    assert.equal(await client.sendRequest(predictionDetails, { uri: URI, documentIndex: 5, path: [] }), null);
  });

  test('connecting switches the backend, notifies the client and changes the lenses', async () => {
    const status = await client.sendRequest(connectCluster, { source: 'simulator' });
    assert.equal(status.state, 'connected');
    assert.equal(notifications.at(-1)?.state, 'connected');
    assert.deepEqual(
      (await client.sendRequest(treeChildren, { parentId: null })).map((n) => n.id),
      ['ns/default'],
    );
    const lenses = (await client.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } })) as CodeLens[];
    assert.equal(lenses[0]?.command?.command, Commands.showPredictionDetails);
    await client.sendRequest(connectCluster, { source: 'none' });
  });
});
