/**
 * The details panel's two questions, given the prediction model: the prediction for the pod spec a
 * CodeLens points at (`kube/predictionDetails`), and the prediction for a live pod against the
 * cluster without it (`kube/livePodDetails`, Why Pending?). Once a document's pods run, the answer
 * also says where they actually are (`actual`).
 */
import type { ClusterStatus, PodSpecRef, PredictionDetails } from '../../shared/protocol';
import { detailsMarkdown } from '../prediction/details';
import type { CachedObject } from '../prediction/live-cluster';
import type { PodObject } from '../prediction/pod-from-spec';
import { liveObjectsOf, specVerdict, withoutLivePods, type PredictionModel } from '../prediction/verdicts';
import type { ManifestDocument } from './manifest';
import { describePod, describePrediction } from './prediction-details';

/** The details for `ref` in `manifest`, or null when the document or pod spec no longer exists. */
export function specDetails(
  manifest: readonly ManifestDocument[],
  ref: PodSpecRef,
  status: ClusterStatus,
  model: PredictionModel,
): PredictionDetails | null {
  const { view, defaultNamespace: ns } = model;
  const doc = manifest.find((d) => d.index === ref.documentIndex);
  const spec = doc?.podSpecs.find((s) => s.path.join('.') === ref.path.join('.'));
  const verdict = doc !== undefined && spec !== undefined ? specVerdict(model, doc, spec) : undefined;
  const inputs = {
    status,
    snapshot: view?.snapshot,
    engine: model.engine,
    profile: model.resolution.choice,
    defaultNamespace: ns,
    verdict,
  };
  // After Create, the document's own pods are left out (predicted as if not created yet).
  const live = doc !== undefined && spec !== undefined ? liveObjectsOf(view?.live, doc, spec, ns) : [];
  if (view !== undefined && live.length > 0) {
    const d = withoutLivePods(view, live, () => describePrediction(manifest, ref, inputs));
    return d === null || doc?.kind !== 'Pod' ? d : withActual(d, live[0]!);
  }
  return describePrediction(manifest, ref, inputs);
}

/** The details of the live pod `namespace/name` as if it were not scheduled yet, or null without it. */
export function livePodDetails(
  namespace: string,
  name: string,
  status: ClusterStatus,
  model: PredictionModel,
): PredictionDetails | null {
  const view = model.view;
  if (view === undefined) return null;
  const live = view.live.pod(namespace, name);
  if (live === undefined) return null;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...(live.metadata as Record<string, unknown>), name, namespace },
    spec: { ...((live['spec'] as Record<string, unknown> | undefined) ?? {}) },
  } as PodObject;
  delete pod.spec['nodeName'];
  const d = withoutLivePods(view, [live], () =>
    describePod(`Pod ${namespace}/${name}`, pod, {
      status,
      snapshot: view.snapshot,
      engine: model.engine,
      profile: model.resolution.choice,
      defaultNamespace: namespace,
      verdict: undefined,
    }),
  );
  return withActual(d, live);
}

/** `d` with where the live pod actually is (node, phase, the scheduler's message). */
function withActual(d: PredictionDetails, live: CachedObject): PredictionDetails {
  const spec = live['spec'] as { nodeName?: string } | undefined;
  const status = live['status'] as
    | { phase?: string; conditions?: { type?: string; status?: string; message?: string; reason?: string }[] }
    | undefined;
  const cond = status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const actual: NonNullable<PredictionDetails['actual']> = {};
  if (spec?.nodeName) actual.nodeName = spec.nodeName;
  if (status?.phase !== undefined) actual.phase = status.phase;
  const msg = cond?.message ?? cond?.reason;
  if (msg !== undefined) actual.message = msg;
  const out = { ...d, actual };
  out.markdown = detailsMarkdown(out);
  return out;
}
