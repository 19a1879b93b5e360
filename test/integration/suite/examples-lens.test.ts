/**
 * The CodeLens on the examples' manifests against where the test cluster (simulated, or the real
 * control plane by KF_TEST_CLUSTER) places the pods, inside VS Code: examples/ml-training's training
 * Job, created with the lens's own Create, must land on the node the lens named;
 * examples/python-operator's job-template.yaml, the manifest its kopf operator makes each
 * TrainingJob's Job from, must predict the node the operator's Job's pod lands on (the operator
 * runs from the Python venv of test/clients/setup.ts; if it exits, the failure shows its output).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import * as vscode from 'vscode';
import { Commands, PREFIX } from '@src/shared/ids';
import { ensurePythonVenv } from '@test/clients/setup';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { useContext } from './explorer-helpers';
import { activated, ourLenses, waitFor } from './helpers';

async function openExample(rel: string): Promise<vscode.TextDocument> {
  const { ext } = await activated();
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(ext.extensionUri, 'examples', rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function settledTitles(doc: vscode.TextDocument): Promise<string[]> {
  return waitFor(
    async () => (await ourLenses(doc.uri)).map((l) => l.command?.title ?? ''),
    (x) => x.length > 0 && x.every((s) => !/predicting…|no cluster/.test(s)),
    45_000,
  );
}

suite('Examples: CodeLens against placement', () => {
  let cluster: TestCluster | undefined;

  suiteSetup(async function () {
    this.timeout(180_000);
    await activated();
    cluster = await startTestCluster();
    const outcome = await useContext(cluster.kubeconfig, 'it-admin');
    assert.equal(outcome.ok, true, outcome.reason);
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    await vscode.workspace.getConfiguration(PREFIX).update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await cluster?.close();
  });

  test('examples/ml-training: the training Job created from its lens lands on the GPU node the lens named', async function () {
    this.timeout(90_000);
    const doc = await openExample('ml-training/train-job.yaml');
    const [first] = await settledTitles(doc);
    const predicted = /^→ (\S+)/.exec(first ?? '')?.[1];
    assert.ok(predicted, `the lens names a node: ${first}`);
    const create = (await ourLenses(doc.uri))[1]?.command;
    assert.equal(create?.command, Commands.createFromManifest);
    const arg = { ...(create?.arguments?.[0] as object), confirmed: true };
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>(create!.command, arg);
    assert.equal(outcome?.ok, true, outcome?.reason);
    const node = await waitFor(
      async () => {
        const r = await cluster!.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dtrain-resnet');
        return (r.body.items as { spec: { nodeName?: string } }[]).find((p) => p.spec.nodeName)?.spec.nodeName;
      },
      (n) => n !== undefined,
      60_000,
    );
    assert.equal(node, predicted, `the lens said ${first}`);
  });

  test('examples/python-operator: job-template.yaml’s lens names the node the operator’s Job’s pod lands on', async function () {
    this.timeout(180_000);
    const python = await ensurePythonVenv(() => undefined);
    const { ext } = await activated();
    const example = path.join(ext.extensionUri.fsPath, 'examples', 'python-operator');
    const doc = await openExample('python-operator/job-template.yaml');
    const [first] = await settledTitles(doc);
    const predicted = /^→ (\S+)/.exec(first ?? '')?.[1];
    assert.ok(predicted, `the lens names a node: ${first}`);

    const crd = yaml.load(fs.readFileSync(path.join(example, 'crd.yaml'), 'utf8')) as Record<string, unknown>;
    await cluster!.create(crd);
    let out = '';
    const op = spawn(
      python,
      ['-m', 'kopf', 'run', '--standalone', '--namespace', 'default', path.join(example, 'operator.py')],
      {
        env: { ...process.env, KUBECONFIG: cluster!.kubeconfig, PYTHONUNBUFFERED: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    op.stdout.on('data', (d: Buffer) => (out += d.toString()));
    op.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const tjPath = '/apis/ml.example.com/v1/namespaces/default/trainingjobs';
      await waitFor(
        async () => (await cluster!.api('GET', tjPath)).status,
        (s) => s === 200,
        30_000,
      );
      const tj = yaml.load(fs.readFileSync(path.join(example, 'trainingjob.yaml'), 'utf8')) as {
        metadata: { name: string };
      };
      const made = await cluster!.api('POST', tjPath, tj);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const node = await waitFor(
        async () => {
          assert.equal(op.exitCode, null, `the operator exited with ${op.exitCode}; its output:\n${out.slice(-6000)}`);
          const r = await cluster!.api(
            'GET',
            `/api/v1/namespaces/default/pods?labelSelector=job-name%3D${tj.metadata.name}-train`,
          );
          return (r.body.items as { spec: { nodeName?: string } }[]).find((p) => p.spec.nodeName)?.spec.nodeName;
        },
        (n) => n !== undefined,
        90_000,
      );
      assert.ok(node, `no pod of the operator's Job was placed; the operator's output:\n${out.slice(-6000)}`);
      assert.equal(node, predicted, `the lens said ${first}`);
    } finally {
      op.kill('SIGTERM');
      await cluster!.remove(crd);
    }
  });
});
