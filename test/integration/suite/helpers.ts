/** Shared helpers for the in-host tests: the activated API, fixtures and polling. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeForecastApi } from '@src/client/api';
import { Commands, EXTENSION_ID } from '@src/shared/ids';

/** The extension, activated, and its API. */
export async function activated(): Promise<{
  ext: vscode.Extension<KubeForecastApi | undefined>;
  api: KubeForecastApi;
}> {
  const ext = vscode.extensions.getExtension<KubeForecastApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded (is engines.vscode <= the host's version?)`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returned no API; see the "Kube Forecast" output');
  return { ext, api };
}

/** The URI of a file in test/fixtures/manifests. */
export async function fixture(name: string): Promise<vscode.Uri> {
  const { ext } = await activated();
  return vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', 'manifests', name);
}

/** Polls `probe` until `done` accepts its value or `timeoutMs` passes; returns the last value. */
export async function waitFor<T>(
  probe: () => Thenable<T> | T,
  done: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

const OUR_COMMANDS = new Set<string>(Object.values(Commands));

/** Our CodeLenses (whose command is one of ours) on `uri` (lenses of other extensions are ignored), with resolved commands. */
export async function ourLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const all =
    (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return all.filter((l) => l.command !== undefined && OUR_COMMANDS.has(l.command.command));
}

/** Opens a fixture in an editor and returns its document. */
export async function openFixture(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(await fixture(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}
