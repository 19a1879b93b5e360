/**
 * No secret leaks in the extension's output channel (issue 13, item 5), in a real VS Code: with
 * `kubeForecast.trace.server: verbose` and the channel at level Trace, connect with a token, open the
 * Secrets, Reveal Secret Value, Create from a Secret manifest and Save Cluster Snapshot; then search
 * everything written to the "Kube Forecast" output channel (its methods are recorded) and the snapshot
 * file for the credentials and the Secret values, raw and base64. The client-certificate and exec-plugin
 * users, the server's stderr and files are covered by test/unit/server/secret-leaks.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '@src/shared/ids';
import { activated, waitFor } from './helpers';
import {
  children,
  disconnect,
  nodeAt,
  startTestCluster,
  useContext,
  waitForLabels,
  type TestCluster,
} from './explorer-helpers';
import { forms, secret } from '@test/leaks/secret-forms';

interface Outcome {
  ok: boolean;
  reason?: string;
  detail?: string;
}

const CHANNEL_METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace'] as const;

suite('no secret leaks in the output channel (verbose trace)', () => {
  let cluster: TestCluster;
  const written: string[] = [];
  const secretValue = secret();
  const createdValue = secret();
  let restore: (() => void) | undefined;

  suiteSetup(async function () {
    this.timeout(90_000);
    cluster = await startTestCluster();
    await cluster.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'it-leak', namespace: 'default' },
      data: { password: Buffer.from(secretValue).toString('base64') },
    });
    const { api } = await activated();
    // Record every write to the channel; report level Trace, as "Set Log Level… Trace" would, so the
    // language client traces (it reads the level when it is created: restart the server below).
    const log = api.log as unknown as Record<string, unknown>;
    const originals = new Map<string, unknown>();
    const level = Object.getOwnPropertyDescriptor(log, 'logLevel');
    for (const m of CHANNEL_METHODS) {
      const original = log[m] as (...a: unknown[]) => unknown;
      originals.set(m, original);
      log[m] = (...a: unknown[]) => {
        written.push(
          a
            .map((x) =>
              typeof x === 'string' ? x : x instanceof Error ? `${x.message}\n${x.stack}` : JSON.stringify(x),
            )
            .join(' '),
        );
        return original.apply(api.log, a);
      };
    }
    Object.defineProperty(log, 'logLevel', { configurable: true, get: () => vscode.LogLevel.Trace });
    restore = () => {
      for (const [m, f] of originals) log[m] = f;
      if (level !== undefined) Object.defineProperty(log, 'logLevel', level);
      else delete log['logLevel'];
    };
    await vscode.workspace
      .getConfiguration('kubeForecast')
      .update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
    const restarted = await vscode.commands.executeCommand<Outcome>(Commands.restartLanguageServer);
    assert.equal(restarted.ok, true, restarted.reason);
    const outcome = await useContext(cluster.kubeconfig, 'it-admin');
    assert.equal(outcome.ok, true, outcome.reason);
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    restore?.();
    await vscode.workspace
      .getConfiguration('kubeForecast')
      .update('trace.server', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(Commands.restartLanguageServer);
    await disconnect();
    await cluster?.close();
  });

  test('Secrets, Reveal, Create from a Secret manifest and Save Cluster Snapshot write no credential and no value', async function () {
    this.timeout(90_000);
    const secretsPath = ['it-admin', 'Namespaces', 'default', 'Secrets'];
    await waitForLabels(secretsPath, (l) => l.includes('it-leak'));
    const keys = await children(await nodeAt([...secretsPath, 'it-leak']));
    assert.equal(keys[0]?.label, 'password');
    const revealed = await vscode.commands.executeCommand<Outcome>(Commands.revealSecretValue, keys[0], {
      confirmed: true,
    });
    assert.equal(revealed.ok, true, revealed.reason);
    await waitFor(
      () => vscode.window.activeTextEditor,
      (e) => e?.document.getText() === secretValue,
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: it-leak-created\n  namespace: default\ndata:\n  token: ${Buffer.from(createdValue).toString('base64')}\n`,
    });
    await vscode.window.showTextDocument(doc);
    const created = await vscode.commands.executeCommand<Outcome>(Commands.createFromManifest, { confirmed: true });
    assert.equal(created.ok, true, created.reason);
    assert.match(created.detail ?? '', /1 created/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const file = vscode.Uri.file(`${cluster.kubeconfig}-leak-snapshot.json`);
    const saved = await vscode.commands.executeCommand<Outcome>(Commands.saveClusterSnapshot, { file: file.fsPath });
    assert.equal(saved.ok, true, saved.reason);
    const snapshot = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
    // A grace period for late output-channel lines: the check below is for an absence (no secret), which
    // no event marks as complete.
    await new Promise((r) => setTimeout(r, 500));

    const creds = cluster.credentials();
    const secrets: [string, string][] = [
      ['admin token', creds.adminToken],
      ['viewer token', creds.viewerToken],
      ['Secret value', secretValue],
      ['Secret value created from a manifest', createdValue],
    ];
    const output = written.join('\n');
    const found: string[] = [];
    for (const [where, text] of [
      ['the output channel', output],
      ['the snapshot file', snapshot],
    ] as const)
      for (const [name, value] of secrets)
        for (const f of forms(value)) {
          const i = text.indexOf(f);
          if (i >= 0) found.push(`${name} in ${where}: …${text.slice(Math.max(0, i - 80), i + f.length + 20)}…`);
        }
    assert.deepEqual(found, [], `${found.length} occurrences in ${written.length} output lines`);
    // Not vacuous: the verbose trace recorded the session.
    assert.ok(output.includes("'kube/resourceText"), 'the trace shows the Reveal request');
    assert.ok(output.includes('textDocument/didOpen'), 'the trace shows the opened manifest');
  });
});
