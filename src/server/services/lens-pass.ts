/**
 * One CodeLens pass over a document, given the prediction model (engine, cluster view, profile): the
 * specs without any verdict are predicted first, then every spec's lens is built within the same
 * deadline (`services/code-lens.ts`). The handler asks the host for the model and, afterwards, queues
 * what the deadline left out; this service never calls back into the host.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { ClusterStatus } from '../../shared/protocol';
import { liveObjectsOf, predictNew, specVerdict, type PredictionModel } from '../prediction/verdicts';
import { computeCodeLenses, type CodeLensSettings } from './code-lens';
import type { ManifestDocument } from './manifest';

/** The lenses of `manifest` (the model of `file`); predictions stop at `deadline` (`performance.now()` time). */
export function codeLensPass(
  file: { uri: string; version: number },
  manifest: readonly ManifestDocument[],
  status: ClusterStatus,
  settings: CodeLensSettings,
  model: PredictionModel,
  deadline: number,
): CodeLens[] {
  // Within the budget: first the specs with no verdict (the one an edit changed), then those a cluster
  // change made stale; past it, "predicting…" lenses and stale verdicts, which the background completes.
  if (status.state === 'connected' && settings.enabled) predictNew(model, manifest, deadline);
  return computeCodeLenses(file, manifest, status, settings, (d, s) => ({
    verdict: specVerdict(model, d, s, deadline),
    live: liveObjectsOf(model.view?.live, d, s, model.defaultNamespace),
  }));
}
