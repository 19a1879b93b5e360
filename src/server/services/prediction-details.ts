/**
 * Explains the prediction for one pod spec. A placeholder the predictions issue replaces with the
 * scheduler's per-node filter reasons and scores; today it states what is known honestly.
 */
import type { ClusterStatus, PodSpecRef, PredictionDetails } from '../../shared/protocol';
import type { ManifestDocument } from './manifest';

/** Returns the details for `ref`, or null when the document or pod spec no longer exists. */
export function describePrediction(
  documents: readonly ManifestDocument[],
  ref: PodSpecRef,
  status: ClusterStatus,
): PredictionDetails | null {
  const doc = documents.find((d) => d.index === ref.documentIndex);
  const spec = doc?.podSpecs.find((s) => s.path.join('.') === ref.path.join('.'));
  if (doc === undefined || spec === undefined) return null;
  const what = `${doc.kind ?? 'object'} ${doc.name ?? '(unnamed)'}`;
  if (status.state !== 'connected') {
    const summary = `${what}: no cluster connected`;
    return {
      summary,
      markdown: `**${summary}.** Open the simulated cluster or choose a kubeconfig to see where its pods would land.`,
    };
  }
  const summary = `${what}: predictions are not computed in this build`;
  return { summary, markdown: `**${summary}.** The cluster is connected (${status.context ?? status.source}).` };
}
