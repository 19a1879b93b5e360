/** Create from Manifest and Apply Manifest: write the active YAML document's objects to the cluster. */
import { window } from 'vscode';
import type { ApplyManifestParams } from '../../shared/protocol';
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';

/** Confirms, then asks the server to create or apply every object of the active YAML editor. */
export async function writeManifest(state: ExtensionState, mode: ApplyManifestParams['mode']): Promise<CommandOutcome> {
  const editor = window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== 'yaml') {
    return refuse('Kube Forecast: open a Kubernetes YAML manifest first.');
  }
  const verb = mode === 'create' ? 'Create' : 'Apply';
  const target = state.clusterStatus.context ?? state.clusterStatus.source;
  const pick = await window.showWarningMessage(
    `${verb} the objects of this manifest in ${target}?`,
    { modal: true },
    verb,
  );
  if (pick !== verb) return { ok: false, reason: 'Cancelled.' };
  const result = await state.request((p) => p.applyManifest, { uri: editor.document.uri.toString(), mode });
  if (result === undefined) return refuse('Kube Forecast: the language server is not running.', 'error');
  if (!result.ok) return refuse(`Kube Forecast: ${result.reason}`, 'warning');
  void window.showInformationMessage(`Kube Forecast: ${result.value}`);
  return done(result.value);
}
