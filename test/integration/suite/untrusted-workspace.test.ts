/**
 * Issue 13 item 6, untrusted workspaces: in restricted mode no command writes to a cluster, and no
 * kubeconfig or exec credential plugin named by workspace settings is run.
 *
 * Runs only in a restricted window: `npm run test:host -- --untrusted` (workspace trust on, the folder
 * never trusted; env KF_TEST_UNTRUSTED=1). In an ordinary run the suite is skipped (pending), and in a
 * window that turns out trusted it fails.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import yaml from 'js-yaml';
import * as vscode from 'vscode';
import { TRUST_REQUIRED } from '@src/client/commands/index';
import { REQUIRES_TRUST } from '@src/client/commands/outcome';
import { Commands, type CommandId } from '@src/shared/ids';
import type { TreeNode } from '@src/shared/protocol';
import { children, nodeAt, startTestCluster, type TestCluster } from './explorer-helpers';
import { activated, waitFor } from './helpers';

interface Outcome {
  ok: boolean;
  reason?: string;
}

suite('untrusted workspace', () => {
  let cluster: TestCluster;
  let tmp: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    if (process.env['KF_TEST_UNTRUSTED'] !== '1') this.skip();
    assert.equal(vscode.workspace.isTrusted, false, 'the window must be in restricted mode (run with --untrusted)');
    await activated();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-untrusted-'));
    cluster = await startTestCluster();
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    if (cluster === undefined) return;
    const { api } = await activated();
    await api.connect({ source: 'none' });
    await cluster.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('every command that requires trust refuses, and the cluster sees no write', async function () {
    this.timeout(120_000);
    const { api } = await activated();
    // Connected anyway (the test API, which no user can reach): only the trust check stands in the way.
    const status = await api.connect({
      source: 'kubeconfig',
      kubeconfigPaths: [cluster.kubeconfig],
      context: 'it-admin',
      namespaces: [],
    });
    assert.equal(status?.state, 'connected', status?.message);
    const ns = await cluster.freshNamespace('untrusted');
    await cluster.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    const web = await waitFor(
      async () =>
        (await children(await nodeAt(['it-admin', 'Namespaces', ns, 'Deployments']))).find((n) => n.label === 'web'),
      (n) => n !== undefined,
      30_000,
    );
    assert.ok(web, 'the Deployment shows in the tree');
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new-cm', namespace: ns } }),
    });
    await vscode.window.showTextDocument(doc);
    // Arguments that make each command do its write at once when it is allowed (no prompt).
    const manifest = { uri: doc.uri.toString(), version: doc.version, confirmed: true, onExisting: 'replace' };
    const args: Partial<Record<CommandId, unknown[]>> = {
      [Commands.createFromManifest]: [manifest],
      [Commands.applyManifest]: [manifest],
      [Commands.deleteResource]: [web as TreeNode, { confirmed: true }],
      [Commands.scaleWorkload]: [web as TreeNode, { replicas: 3 }],
      [Commands.restartWorkload]: [web as TreeNode, { confirmed: true }],
      [Commands.chooseContext]: ['it-admin'],
    };
    assert.ok(
      TRUST_REQUIRED.length >= Object.keys(args).length,
      `commands that require trust: ${TRUST_REQUIRED.join(', ')}`,
    );
    for (const id of Object.keys(args)) assert.ok(TRUST_REQUIRED.includes(id as CommandId), `${id} requires trust`);

    const mark = cluster.requests().length;
    for (const id of TRUST_REQUIRED) {
      const outcome = await vscode.commands.executeCommand<Outcome>(id, ...(args[id] ?? []));
      assert.deepEqual(outcome, { ok: false, reason: REQUIRES_TRUST }, id);
    }
    const seen = cluster.requests().slice(mark);
    assert.deepEqual(
      seen.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}${r.dryRun ? ' (dry run)' : ''}`),
      [],
      'no write (or dry run) reached the cluster',
    );
    const deployment = await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    assert.equal(deployment.status, 200, 'the Deployment is still there');
    assert.equal(deployment.body.spec.replicas, 1, 'not scaled');
    assert.equal(deployment.body.spec.template.metadata.annotations, undefined, 'not restarted');
    assert.equal((await cluster.api('GET', `/api/v1/namespaces/${ns}/configmaps/new-cm`)).status, 404, 'not created');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a kubeconfig and an exec credential plugin named by workspace settings never run', async function () {
    this.timeout(120_000);
    const { api } = await activated();
    await api.connect({ source: 'none' });
    const marker = path.join(tmp, 'plugin-ran');
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    const plugin = path.join(bin, 'kf-untrusted-plugin');
    const { adminToken, server, ca } = cluster.credentials();
    // Leaves the marker, then answers with a valid credential (so a run would also connect).
    fs.writeFileSync(
      plugin,
      `#!/bin/sh\necho ran >> '${marker}'\necho '${JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: { token: adminToken },
      })}'\n`,
      { mode: 0o755 },
    );
    const kubeconfig = (command: string): string =>
      yaml.dump({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'plugin',
        clusters: [
          { name: 'c', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } },
        ],
        users: [
          {
            name: 'u',
            user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never' } },
          },
        ],
        contexts: [{ name: 'plugin', context: { cluster: 'c', user: 'u' } }],
      });
    // Names the plugin by its path: run by whoever uses this kubeconfig.
    const byPath = path.join(tmp, 'by-path.kubeconfig');
    fs.writeFileSync(byPath, kubeconfig(plugin), { mode: 0o600 });
    // Names it by its bare name: found only through kubeForecast.auth.extraPath.
    const byName = path.join(tmp, 'by-name.kubeconfig');
    fs.writeFileSync(byName, kubeconfig('kf-untrusted-plugin'), { mode: 0o600 });

    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const settingsDir = path.join(folder.uri.fsPath, '.vscode');
    fs.mkdirSync(settingsDir, { recursive: true });
    fs.writeFileSync(
      path.join(settingsDir, 'settings.json'),
      JSON.stringify({
        'kubeForecast.kubeconfig': byPath,
        'kubeForecast.context': 'plugin',
        'kubeForecast.auth.extraPath': [bin],
        // Not restricted: shows that this file was read.
        'kubeForecast.simulator.nodes': 4,
      }),
    );
    const cfg = () => vscode.workspace.getConfiguration('kubeForecast');
    assert.equal(
      await waitFor(
        () => cfg().get('simulator.nodes'),
        (n) => n === 4,
      ),
      4,
      'the workspace settings were read',
    );
    assert.equal(cfg().get('kubeconfig'), '', 'the restricted setting is ignored');

    // Everything that could connect with the settings' kubeconfig, as a user would try it.
    await vscode.commands.executeCommand(Commands.restartLanguageServer);
    await vscode.commands.executeCommand(Commands.refresh);
    await vscode.commands.executeCommand('workbench.view.extension.kubeForecast');
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content:
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox\n',
    });
    await vscode.window.showTextDocument(doc);
    for (const id of [Commands.chooseContext, Commands.reauthenticate] as const)
      assert.deepEqual(await vscode.commands.executeCommand<Outcome>(id, 'plugin'), {
        ok: false,
        reason: REQUIRES_TRUST,
      });
    await waitFor(
      () => api.languageServerState(),
      (s) => s === 'running',
    );
    // The server asks for the settings when it starts and connects; give it the time a run would take.
    const ran = await waitFor(
      () => fs.existsSync(marker),
      (r) => r,
      5000,
    );
    assert.equal(ran, false, 'the credential plugin of the kubeconfig named by kubeForecast.kubeconfig ran');
    assert.notEqual(api.clusterStatus().state, 'connected', JSON.stringify(api.clusterStatus()));

    // A kubeconfig that names the plugin by its bare name (connected on purpose, through the test API):
    // the workspace's kubeForecast.auth.extraPath is not searched, so the plugin is not found.
    const byNameStatus = await api.connect({
      source: 'kubeconfig',
      kubeconfigPaths: [byName],
      context: 'plugin',
      namespaces: [],
    });
    assert.notEqual(byNameStatus?.state, 'connected', JSON.stringify(byNameStatus));
    assert.equal(fs.existsSync(marker), false, 'the plugin was found through the workspace extraPath and ran');

    // The oracle works: the same plugin, run on purpose (test API, absolute path), leaves the marker.
    await api.connect({ source: 'kubeconfig', kubeconfigPaths: [byPath], context: 'plugin', namespaces: [] });
    assert.equal(
      await waitFor(
        () => fs.existsSync(marker),
        (r) => r,
        30_000,
      ),
      true,
      'the plugin leaves its marker when it runs',
    );
    await api.connect({ source: 'none' });
    fs.rmSync(settingsDir, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
