import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '@src/shared/ids';
import { activated, waitFor } from './helpers';
import { disconnect, waitForLabels } from './explorer-helpers';

interface Outcome {
  ok: boolean;
  reason?: string;
}

/** A snapshot the demo cluster cannot hold: one node and one pod with names of their own. */
const SNAPSHOT = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'it-snap-node', labels: { 'kubernetes.io/hostname': 'it-snap-node' } },
      status: {
        allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'it-snap-pod', namespace: 'default' },
      spec: { nodeName: 'it-snap-node', containers: [{ name: 'c', image: 'nginx' }] },
      status: { phase: 'Running' },
    },
  ],
};

type Win = { showQuickPick: unknown; showOpenDialog: unknown };

/**
 * "Open Simulated Cluster" without arguments (as from the palette): the QuickPick's entries, cancelling
 * it, and its snapshot path through the file dialog. The dialogs are replaced for the test (the
 * extension shares this `vscode` API object) and restored after each test.
 */
suite('Open Simulated Cluster from the palette: demo cluster or a snapshot file', () => {
  const win = vscode.window as unknown as Win;
  const saved = { showQuickPick: win.showQuickPick, showOpenDialog: win.showOpenDialog };
  let dir = '';

  suiteSetup(async function () {
    this.timeout(30_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-it-snap-'));
    // Let the start-up connection settle first, so no other connection replaces the simulator's.
    const { api } = await activated();
    await waitFor(
      () => api.clusterStatus().state,
      (s) => s !== 'connecting',
      20_000,
    );
    await disconnect();
  });

  teardown(() => {
    win.showQuickPick = saved.showQuickPick;
    win.showOpenDialog = saved.showOpenDialog;
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    await disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a dismissed QuickPick cancels; it offered "Demo cluster" first', async () => {
    let offered: string[] = [];
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[]) => {
      offered = items.map((i) => i.label);
      return undefined;
    };
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.openSimulatedCluster);
    assert.deepEqual(offered, ['Demo cluster', 'Load a cluster snapshot…']);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.reason, 'Cancelled.');
  });

  test('"Load a cluster snapshot…" opens a file dialog for .yaml/.yml/.json and starts the simulator from that file', async function () {
    this.timeout(90_000);
    const file = path.join(dir, 'snap.json');
    fs.writeFileSync(file, JSON.stringify(SNAPSHOT));
    let filters: Record<string, string[]> | undefined;
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[]) =>
      items.find((i) => i.label.startsWith('Load a cluster snapshot'));
    win.showOpenDialog = async (o: vscode.OpenDialogOptions) => {
      filters = o.filters;
      return [vscode.Uri.file(file)];
    };
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.openSimulatedCluster);
    assert.equal(outcome.ok, true, outcome.reason);
    assert.deepEqual(
      Object.values(filters ?? {})
        .flat()
        .sort(),
      ['json', 'yaml', 'yml'],
    );
    const { api } = await activated();
    assert.equal(api.clusterStatus().source, 'simulator');
    assert.equal(api.clusterStatus().context, 'kube-forecast-sim');
    const label = `simulated: ${path.basename(file)}`;
    assert.equal(api.clusterStatus().label, label, 'a snapshot cluster is named after its file');
    const pods = await waitForLabels([label, 'Namespaces', 'default', 'Pods'], (l) => l.includes('it-snap-pod'));
    assert.ok(pods.includes('it-snap-pod'), `pods: ${JSON.stringify(pods)}`);
  });
});
