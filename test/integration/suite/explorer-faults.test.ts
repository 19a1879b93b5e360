import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '@src/shared/ids';
import { activated, waitFor } from './helpers';
import {
  children,
  disconnect,
  labelsAt,
  nodeAt,
  startTestCluster,
  useContext,
  waitForLabels,
  type TestCluster,
} from './explorer-helpers';

suite('explorer: limited and failing clusters', () => {
  let cluster: TestCluster;

  suiteSetup(async function () {
    this.timeout(60_000);
    cluster = await startTestCluster();
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    await disconnect();
    await cluster.close();
  });

  test('a read-only user (403 on nodes) sees that branch explained while namespaces and pods keep working', async () => {
    const outcome = await useContext(cluster.kubeconfig, 'it-viewer');
    assert.equal(outcome.ok, true, outcome.reason);
    const { api } = await activated();
    assert.equal(api.clusterStatus().state, 'connected');
    assert.match(api.clusterStatus().message ?? '', /not allowed to list nodes/);
    const sections = await children(await nodeAt(['it-viewer']));
    assert.equal(sections.find((s) => s.label === 'Nodes')?.description, 'forbidden');
    const nodes = await labelsAt(['it-viewer', 'Nodes']);
    assert.equal(nodes.length, 1);
    assert.match(nodes[0]!, /Not allowed to list Nodes.*cannot list resource "nodes"/);
    assert.ok((await labelsAt(['it-viewer', 'Namespaces'])).includes('default'));
    const write = await vscode.commands.executeCommand<{ ok: boolean; reason?: string; detail?: string }>(
      Commands.createFromManifest,
      {
        confirmed: true,
        uri: (
          await vscode.workspace.openTextDocument({
            language: 'yaml',
            content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ro\n',
          })
        ).uri.toString(),
      },
    );
    assert.match(write.reason ?? write.detail ?? '', /1 FAILED.*cannot create/);
  });

  test('an unreachable cluster is shown as such, retried with backoff, and recovers by itself to what the cluster holds', async function () {
    this.timeout(90_000);
    const ok = await useContext(cluster.kubeconfig, 'it-admin');
    assert.equal(ok.ok, true, ok.reason);
    const { api } = await activated();
    cluster.faults({ status: 503, dropWatches: true });
    await waitFor(
      () => api.clusterStatus().state,
      (s) => s === 'error',
      30_000,
    );
    assert.match(api.clusterStatus().message ?? '', /Cannot reach|Retrying/);
    // While it is down, the cluster changes: the tree must show exactly this afterwards.
    await cluster.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'made-while-down', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    cluster.faults({ clear: true });
    await waitFor(
      () => api.clusterStatus().state,
      (s) => s === 'connected',
      60_000,
    );
    const pods = await waitForLabels(
      ['it-admin', 'Namespaces', 'default', 'Pods'],
      (l) => l.includes('made-while-down'),
      30_000,
    );
    assert.deepEqual(pods, ['made-while-down']);
  });

  test('an expired token (401) asks for Re-authenticate; after the kubeconfig has a valid token, Re-authenticate recovers', async function () {
    this.timeout(90_000);
    const { api } = await activated();
    assert.equal(api.clusterStatus().state, 'connected');
    await cluster.revokeAdmin();
    cluster.faults({ dropWatches: true });
    await waitFor(
      () => api.clusterStatus().state,
      (s) => s === 'error',
      30_000,
    );
    assert.match(api.clusterStatus().message ?? '', /rejected the credentials.*Re-authenticate/);
    await cluster.renewAdmin();
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>(Commands.reauthenticate);
    assert.equal(outcome.ok, true, outcome.reason);
    await waitFor(
      () => api.clusterStatus().state,
      (s) => s === 'connected',
      30_000,
    );
    // The re-listed caches fill the branch a moment after the status turns (it shows "loading…" first).
    const namespaces = await waitForLabels(['it-admin', 'Namespaces'], (l) => l.includes('default'), 30_000);
    assert.ok(namespaces.includes('default'), `namespaces after Re-authenticate: ${namespaces.join(', ')}`);
  });
});
