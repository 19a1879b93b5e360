/**
 * Explains the prediction for one pod spec, or for a live pod (Why Pending?): the details view's
 * table nodes × plugins with filter reasons, scores, totals and ranks, and the same as Markdown.
 *
 * Pure over its inputs: the handler supplies the cluster view and the configuration.
 */
import type { ClusterStatus, PodSpecRef, PredictionDetails } from '../../shared/protocol';
import { buildDetails, detailsMarkdown } from '../prediction/details';
import type { PredictionEngine, ProfileChoice, SpecVerdict } from '../prediction/engine';
import { admitPriority, podFromSpec, type PodObject } from '../prediction/pod-from-spec';
import { type ClusterSnapshot, validatePod } from '../../scheduler';
import type { ManifestDocument } from './manifest';

/** What the details need from the server. */
export interface DetailsInputs {
  status: ClusterStatus;
  snapshot: ClusterSnapshot | undefined;
  engine: PredictionEngine;
  profile: ProfileChoice;
  defaultNamespace: string;
  verdict: SpecVerdict | undefined;
}

/** Returns the details for `ref`, or null when the document or pod spec no longer exists. */
export function describePrediction(
  documents: readonly ManifestDocument[],
  ref: PodSpecRef,
  inputs: DetailsInputs,
): PredictionDetails | null {
  const doc = documents.find((d) => d.index === ref.documentIndex);
  const spec = doc?.podSpecs.find((s) => s.path.join('.') === ref.path.join('.'));
  if (doc === undefined || spec === undefined) return null;
  const title = `${doc.kind ?? 'object'} ${doc.namespace ?? inputs.defaultNamespace}/${doc.name ?? '(unnamed)'}`;
  if (inputs.status.state !== 'connected' || inputs.snapshot === undefined) {
    const summary = `${title}: no cluster connected`;
    return {
      summary,
      title,
      markdown: `**${summary}.** Open the simulated cluster or choose a kubeconfig to see where its pods would land.`,
    };
  }
  return describePod(title, podFromSpec(doc, spec, inputs.defaultNamespace), inputs);
}

/** The details of one pod against the snapshot. */
export function describePod(title: string, pod: PodObject, inputs: DetailsInputs): PredictionDetails {
  const cannot = (errors: string[]): PredictionDetails => {
    const d: PredictionDetails = { summary: `${title}: cannot predict`, title, markdown: '', errors };
    d.markdown = detailsMarkdown(d);
    return d;
  };
  if (inputs.snapshot === undefined) return cannot(['no cluster state']);
  const invalid = validatePod(pod);
  if (invalid.length > 0) return cannot(invalid.map((e) => e.message));
  const profile = inputs.engine.profileFor(pod, inputs.profile);
  if (Array.isArray(profile)) return cannot(profile.map((e) => e.message));
  const admitted = admitPriority(pod, inputs.snapshot);
  if (admitted.error !== undefined) return cannot([admitted.error.message]);
  try {
    return buildDetails(title, admitted.pod, inputs.snapshot, profile, inputs.verdict);
  } catch (e) {
    return cannot([`internal error: ${e instanceof Error ? e.message : String(e)}`]);
  }
}
