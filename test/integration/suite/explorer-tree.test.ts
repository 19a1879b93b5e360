import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '@src/shared/ids';
import { activated, waitFor } from './helpers';
import {
  children,
  disconnect,
  labelsAt,
  nodeAt,
  recordTreeEvents,
  startTestCluster,
  useContext,
  waitForLabels,
  type TestCluster,
} from './explorer-helpers';

interface Outcome {
  ok: boolean;
  reason?: string;
  detail?: string;
}

const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: it-pod
spec:
  containers:
    - name: c
      image: busybox
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: it-web
spec:
  replicas: 2
  selector:
    matchLabels: {app: it-web}
  template:
    metadata:
      labels: {app: it-web}
    spec:
      containers:
        - name: web
          image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: it-broken
spec:
  containers: []
`;

/** The pods of MANIFEST's Deployment it-web (its ReplicaSet names them it-web-<hash>-<suffix>). */
function isWebPod(label: string): boolean {
  return /^it-web-[a-z0-9]+-[a-z0-9]+$/.test(label);
}

suite('explorer: tree and Create from Manifest', () => {
  let cluster: TestCluster;

  suiteSetup(async function () {
    this.timeout(60_000);
    cluster = await startTestCluster();
    const outcome = await useContext(cluster.kubeconfig, 'it-admin');
    assert.equal(outcome.ok, true, outcome.reason);
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    await disconnect();
    await cluster.close();
  });

  test('the root lists every kubeconfig context; the connected one holds the cluster branches', async () => {
    const { api } = await activated();
    assert.equal(api.clusterStatus().state, 'connected');
    assert.equal(api.clusterStatus().context, 'it-admin');
    const root = await children();
    assert.deepEqual(
      root.map((n) => [n.label, n.contextValue]),
      [
        ['it-admin', 'context:active'],
        ['it-viewer', 'context'],
      ],
    );
    assert.deepEqual(await labelsAt(['it-admin']), [
      'Cluster',
      'Nodes',
      'Namespaces',
      'Workloads',
      'Network',
      'Config',
      'Storage',
      'Custom Resources',
      'Helm Releases',
    ]);
    assert.ok((await labelsAt(['it-admin', 'Namespaces'])).includes('kube-system'));
    const clusterRows = await children(await nodeAt(['it-admin', 'Cluster']));
    assert.ok(clusterRows.some((r) => r.label === '/readyz' && r.description === 'ok'));
    assert.deepEqual(
      clusterRows.filter((r) => r.contextValue === 'component').map((r) => r.label),
      ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'etcd'],
    );
  });

  test('Create from Manifest: a dry run of every document, two objects created, the broken one reported with the server message; the tree shows them without a refresh', async () => {
    const pods = ['it-admin', 'Namespaces', 'default', 'Pods'];
    const deployments = ['it-admin', 'Namespaces', 'default', 'Deployments'];
    // Expand the branches first, so that the change must arrive through the watch.
    assert.deepEqual(await labelsAt(pods), []);
    const recorder = await recordTreeEvents();
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: MANIFEST });
    await vscode.window.showTextDocument(doc);
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.createFromManifest, { confirmed: true });
    assert.equal(outcome.ok, true, outcome.reason);
    assert.match(outcome.detail ?? '', /2 created, 1 FAILED/);
    assert.match(outcome.detail ?? '', /Pod\/default\/it-broken: .*spec\.containers: Required value/);
    await waitFor(
      () => recorder.events.length,
      (n) => n > 0,
    );
    recorder.dispose();
    // The Deployment's controller adds its two pods beside it-pod.
    const podRows = await waitForLabels(pods, (l) => l.includes('it-pod') && l.filter(isWebPod).length === 2);
    assert.deepEqual(
      podRows.filter((l) => !isWebPod(l)),
      ['it-pod'],
    );
    assert.deepEqual(await waitForLabels(deployments, (l) => l.includes('it-web')), ['it-web']);
    assert.ok((await cluster.api('GET', '/api/v1/namespaces/default/pods')).body.items.length >= 3);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('creating the same objects again reports AlreadyExists; Skip skips them and nothing is written', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: MANIFEST });
    await vscode.window.showTextDocument(doc);
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.createFromManifest, {
      confirmed: true,
      onExisting: 'skip',
    });
    assert.match(outcome.ok ? (outcome.detail ?? '') : (outcome.reason ?? ''), /2 skipped, 1 FAILED/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('View YAML opens a read-only document without managedFields', async () => {
    const web = (await children(await nodeAt(['it-admin', 'Namespaces', 'default', 'Deployments']))).find(
      (n) => n.label === 'it-web',
    );
    assert.ok(web);
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.viewYaml, web);
    assert.equal(outcome.ok, true, outcome.reason);
    const editor = await waitFor(
      () => vscode.window.activeTextEditor,
      (e) => e?.document.uri.scheme === 'kube-forecast' && e.document.getText().includes('it-web'),
    );
    assert.ok(editor);
    assert.equal(editor.document.languageId, 'yaml');
    assert.match(editor.document.getText(), /kind: Deployment/);
    assert.doesNotMatch(editor.document.getText(), /managedFields/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Delete removes the pod and the tree converges without it', async () => {
    const pod = (await children(await nodeAt(['it-admin', 'Namespaces', 'default', 'Pods']))).find(
      (n) => n.label === 'it-pod',
    );
    assert.ok(pod);
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.deleteResource, pod, { confirmed: true });
    assert.equal(outcome.ok, true, outcome.reason);
    assert.match(outcome.detail ?? '', /Deleted Pod default\/it-pod in it-admin/);
    assert.deepEqual(
      (await waitForLabels(['it-admin', 'Namespaces', 'default', 'Pods'], (l) => !l.includes('it-pod'))).filter(
        (l) => !isWebPod(l),
      ),
      [],
    );
  });

  test('a change made in the cluster (not by the extension) appears by itself, announced by a tree event', async () => {
    const podsPath = ['it-admin', 'Namespaces', 'default', 'Pods'];
    await labelsAt(podsPath);
    const recorder = await recordTreeEvents();
    await cluster.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'it-external', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await waitFor(
      () => recorder.events.length,
      (n) => n > 0,
    );
    recorder.dispose();
    assert.ok(recorder.events.some((e) => e === undefined || e.id.includes('default')));
    assert.deepEqual(
      (await waitForLabels(podsPath, (l) => l.includes('it-external'))).filter((l) => !isWebPod(l)),
      ['it-external'],
    );
  });

  test('Choose Namespaces narrows the tree to the chosen namespaces and back', async () => {
    const narrowed = await vscode.commands.executeCommand<Outcome>(Commands.chooseNamespaces, {
      namespaces: ['kube-system'],
    });
    assert.equal(narrowed.ok, true, narrowed.reason);
    const { api } = await activated();
    assert.deepEqual(api.clusterStatus().namespaces, ['kube-system']);
    assert.deepEqual(await labelsAt(['it-admin', 'Namespaces']), ['kube-system']);
    const all = await vscode.commands.executeCommand<Outcome>(Commands.chooseNamespaces, { namespaces: [] });
    assert.equal(all.ok, true, all.reason);
    assert.ok((await labelsAt(['it-admin', 'Namespaces'])).includes('default'));
  });

  test('Secrets show their keys masked; Reveal Secret Value opens one decoded value read-only', async () => {
    await cluster.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'it-db', namespace: 'default' },
      data: { password: Buffer.from('it-hunter2').toString('base64') },
    });
    const secretsPath = ['it-admin', 'Namespaces', 'default', 'Secrets'];
    await waitForLabels(secretsPath, (l) => l.includes('it-db'));
    const keys = await children(await nodeAt([...secretsPath, 'it-db']));
    assert.deepEqual(
      keys.map((k) => [k.label, k.description]),
      [['password', '•••••• (hidden)']],
    );
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.revealSecretValue, keys[0], {
      confirmed: true,
    });
    assert.equal(outcome.ok, true, outcome.reason);
    const editor = await waitFor(
      () => vscode.window.activeTextEditor,
      (e) => e?.document.uri.scheme === 'kube-forecast' && e.document.getText() === 'it-hunter2',
    );
    assert.equal(editor?.document.getText(), 'it-hunter2');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Save Cluster Snapshot writes nodes, pods, namespaces and the rest of the cluster, and no Secrets', async () => {
    const file = vscode.Uri.file(`${cluster.kubeconfig}-snapshot.json`);
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.saveClusterSnapshot, { file: file.fsPath });
    assert.equal(outcome.ok, true, outcome.reason);
    const snap = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8')) as {
      kind: string;
      items: { kind: string; metadata: { name: string } }[];
    };
    assert.equal(snap.kind, 'List');
    const kinds = new Set(snap.items.map((i) => i.kind));
    assert.ok(kinds.has('Namespace') && kinds.has('Pod') && kinds.has('Node'), [...kinds].join(', '));
    assert.ok(!kinds.has('Secret'));
    assert.ok(snap.items.some((i) => i.kind === 'Pod' && i.metadata.name === 'it-external'));
  });

  test('Open Simulated Cluster with that snapshot: a child-process cluster, a context of its own, holding a copy of the objects', async function () {
    this.timeout(90_000);
    const file = `${cluster.kubeconfig}-snapshot.json`;
    const outcome = await vscode.commands.executeCommand<Outcome>(Commands.openSimulatedCluster, { snapshot: file });
    assert.equal(outcome.ok, true, outcome.reason);
    const { api } = await activated();
    assert.equal(api.clusterStatus().context, 'kube-forecast-sim');
    assert.equal(api.clusterStatus().source, 'simulator');
    const label = `simulated: ${file.split('/').pop()!}`;
    assert.equal(api.clusterStatus().label, label, 'named after its file, not like the demo cluster');
    const root = (await children()).map((n) => [n.label, n.contextValue]);
    assert.deepEqual(root[root.length - 1], [label, 'context:active']);
    assert.ok(
      root.some(([l]) => l === 'it-admin'),
      'the kubeconfig contexts are still listed',
    );
    assert.ok(
      (await waitForLabels([label, 'Namespaces', 'default', 'Pods'], (l) => l.includes('it-external'))).includes(
        'it-external',
      ),
    );
    // Back to the kubeconfig context for the remaining tests.
    const back = await useContext(cluster.kubeconfig, 'it-admin');
    assert.equal(back.ok, true, back.reason);
  });
});
