/**
 * Show Prediction Details (from a CodeLens) and Why Pending? (on a Pending pod in the tree): both
 * open the details webview with the server's `PredictionDetails`.
 */
import type { PodSpecRef, PredictionDetails, TreeNode } from '../../shared/protocol';
import { DetailsPanel, type DetailsSource } from '../prediction/details-panel';
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';

const panels = new WeakMap<ExtensionState, DetailsPanel>();

/** The state's details panel, created on first use and disposed with the extension. */
export function detailsPanel(state: ExtensionState): DetailsPanel {
  let p = panels.get(state);
  if (p === undefined) {
    const created = new DetailsPanel(state.context, {
      onClusterChange: state.tree.onDidNotice,
      onStatusChange: state.onDidChangeStatus,
    });
    state.context.subscriptions.push({ dispose: () => created.dispose() });
    panels.set(state, created);
    p = created;
  }
  return p;
}

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

function show(state: ExtensionState, details: PredictionDetails, source: DetailsSource): CommandOutcome {
  detailsPanel(state).show(details, source);
  return done(details.summary);
}

/** Opens the details view for the pod spec a CodeLens points at. */
export async function showPredictionDetails(state: ExtensionState, ref: unknown): Promise<CommandOutcome> {
  if (!isPodSpecRef(ref)) return refuse('Kube Forecast: use the CodeLens above a pod spec to see its prediction.');
  const details = await state.request((p) => p.predictionDetails, ref);
  if (details === undefined) return refuse('Kube Forecast: the language server is not running.', 'error');
  if (details === null) return refuse('Kube Forecast: that pod spec is no longer in the document.');
  return show(state, details, { uri: ref.uri, recompute: () => state.request((p) => p.predictionDetails, ref) });
}

/** Why Pending?: predicts the live pod from the cached cluster state and opens the same details view. */
export async function whyPending(state: ExtensionState, node: unknown): Promise<CommandOutcome> {
  const n = node as Partial<TreeNode> | undefined;
  if (typeof n?.name !== 'string' || typeof n.namespace !== 'string')
    return refuse('Kube Forecast: choose a Pending pod in the Clusters view.');
  const details = await state.request((p) => p.livePodDetails, { namespace: n.namespace, name: n.name });
  if (details === undefined) return refuse('Kube Forecast: the language server is not running.', 'error');
  if (details === null) return refuse(`Kube Forecast: pod ${n.namespace}/${n.name} is not in the cluster cache.`);
  const params = { namespace: n.namespace, name: n.name };
  return show(state, details, { recompute: () => state.request((p) => p.livePodDetails, params) });
}
