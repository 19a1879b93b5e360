/**
 * The benchmark's in-host probe (not a test): `scripts/bench.mjs` runs it through
 * `test/host/run-in-host.mjs --tests out/test/integration/bench/activation.js`. It activates the extension
 * in a fresh host, then measures the language server's cold start and the first CodeLens, and prints one
 * `KF_BENCH_JSON {...}` line that the benchmark parses.
 */
import * as vscode from 'vscode';
import type { KubeForecastApi } from '@src/client/api';
import { EXTENSION_ID } from '@src/shared/ids';

/** Runs the probe; rejects when the extension is missing. */
export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<KubeForecastApi | undefined>(EXTENSION_ID);
  if (ext === undefined) throw new Error(`${EXTENSION_ID} is not loaded`);
  const wasActive = ext.isActive;
  const t0 = performance.now();
  const api = await ext.activate();
  const activateCallMs = performance.now() - t0;
  if (api === undefined) throw new Error('activate() returned no API');
  const stateBefore = api.languageServerState();
  const t1 = performance.now();
  await api.startLanguageServer();
  const languageServerStartMs = performance.now() - t1;
  const uri = vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', 'manifests', 'pod.yaml');
  const t2 = performance.now();
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  let lenses: vscode.CodeLens[] = [];
  while (lenses.length === 0 && performance.now() - t2 < 20_000) {
    lenses = (
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []
    ).filter((l) => l.command?.title.startsWith('Kube Forecast') === true);
    if (lenses.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  const firstCodeLensMs = performance.now() - t2;
  const result = {
    activationMs: api.activationMs,
    activateCallMs,
    wasActiveBeforeProbe: wasActive,
    languageServerStateBefore: stateBefore,
    languageServerStartMs,
    firstCodeLensMs,
    codeLenses: lenses.length,
    vscodeVersion: vscode.version,
  };
  console.log(`KF_BENCH_JSON ${JSON.stringify(result)}`);
}
