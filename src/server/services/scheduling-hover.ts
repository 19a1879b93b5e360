/**
 * The hover at one position of a manifest, given the prediction model: on a scheduling field of a
 * pod spec, what that field does to this prediction (`prediction/hover.ts` predicts again without
 * it). A pod that already runs is predicted as if it did not exist yet. Null elsewhere.
 */
import type { Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { predictOn, validatePod } from '../../scheduler';
import { schedulingHover } from '../prediction/hover';
import { admitPriority, podFromSpec } from '../prediction/pod-from-spec';
import { livePodOf, withoutLivePods, type PredictionModel } from '../prediction/verdicts';
import type { ManifestDocument, PodSpecLocation } from './manifest';

/** The document and pod spec of `manifest` at `offset`, or undefined outside every pod spec. */
export function podSpecAt(
  manifest: readonly ManifestDocument[],
  offset: number,
): { doc: ManifestDocument; spec: PodSpecLocation } | undefined {
  const doc = manifest.find((d) => offset >= d.startOffset && offset <= d.endOffset);
  const spec = doc?.podSpecs.find((s) => s.node !== undefined && offset >= s.node.start && offset <= s.node.end);
  return doc === undefined || spec === undefined ? undefined : { doc, spec };
}

/** The hover at `offset` of `text`, inside `at` (see {@link podSpecAt}), or null. */
export function hoverAt(
  text: TextDocument,
  at: { doc: ManifestDocument; spec: PodSpecLocation },
  offset: number,
  model: PredictionModel,
): Hover | null {
  const { doc, spec } = at;
  const { view, engine, resolution, defaultNamespace: ns } = model;
  const pod = podFromSpec(doc, spec, ns);
  const predict =
    view === undefined
      ? undefined
      : (p: typeof pod) => {
          const errs = validatePod(p);
          if (errs.length > 0) return errs.map((e) => e.message).join('; ');
          const profile = engine.profileFor(p, resolution.choice);
          if (Array.isArray(profile)) return profile.map((e) => e.message).join('; ');
          const admitted = admitPriority(p, view.snapshot);
          if (admitted.error !== undefined) return admitted.error.message;
          p = admitted.pod;
          try {
            return predictOn(p as never, view.snapshot, profile, { mode: 'all-nodes', detail: 'summary' });
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        };
  const live = livePodOf(view?.live, doc, ns);
  const run = (): ReturnType<typeof schedulingHover> =>
    schedulingHover(spec, pod, offset, predict, (o) => text.positionAt(o));
  return view !== undefined && live !== undefined ? withoutLivePods(view, [live], run) : run();
}
