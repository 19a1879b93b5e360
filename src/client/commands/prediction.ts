/** Show Prediction Details: open the server's explanation for the pod spec a CodeLens points at. */
import { ViewColumn, window, workspace } from 'vscode';
import type { PodSpecRef } from '../../shared/protocol';
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';

function isPodSpecRef(arg: unknown): arg is PodSpecRef {
  const r = arg as PodSpecRef;
  return (
    typeof arg === 'object' &&
    arg !== null &&
    typeof r.uri === 'string' &&
    typeof r.documentIndex === 'number' &&
    Array.isArray(r.path)
  );
}

/** Opens the details as Markdown beside the manifest. */
export async function showPredictionDetails(state: ExtensionState, ref: unknown): Promise<CommandOutcome> {
  if (!isPodSpecRef(ref)) return refuse('Kube Forecast: use the CodeLens above a pod spec to see its prediction.');
  const details = await state.request((p) => p.predictionDetails, ref);
  if (details === undefined) return refuse('Kube Forecast: the language server is not running.', 'error');
  if (details === null) return refuse('Kube Forecast: that pod spec is no longer in the document.');
  const doc = await workspace.openTextDocument({ content: details.markdown, language: 'markdown' });
  await window.showTextDocument(doc, { preview: true, viewColumn: ViewColumn.Beside });
  return done(details.summary);
}
