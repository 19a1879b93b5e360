/**
 * Verdicts over one cluster view: what a lens, a diagnostic, a hover or the details panel asks of
 * the model. A {@link PredictionModel} is the snapshot a service is given (the engine, the cluster
 * view, the profile and the default namespace); these functions call the engine and never reach back
 * into the prediction host. A document whose pods already run is predicted as if they did not
 * exist yet (its live pods are taken out of the snapshot for the call and put back).
 */
import type { ClusterSnapshot } from '../../scheduler';
import type { ManifestDocument, PodSpecLocation } from '../services/manifest';
import type { PredictionEngine, SpecVerdict } from './engine';
import type { CachedObject, LiveCluster } from './live-cluster';
import type { ProfileResolution } from './profiles';

/** The cluster view a computation uses. */
export interface ClusterView {
  snapshot: ClusterSnapshot;
  generation: number;
  live: LiveCluster;
}

/** Everything a service needs to predict: the model, not the host. `view` is undefined without a connected cluster. */
export interface PredictionModel {
  engine: PredictionEngine;
  view: ClusterView | undefined;
  resolution: ProfileResolution;
  defaultNamespace: string;
}

/** The live pod a Pod document created, if the cluster has it. */
export function livePodOf(
  live: LiveCluster | undefined,
  doc: ManifestDocument,
  defaultNamespace: string,
): CachedObject | undefined {
  if (doc.kind !== 'Pod' || doc.name === undefined || live === undefined) return undefined;
  return live.pod(doc.namespace ?? defaultNamespace, doc.name);
}

/**
 * The live pods a document created: the Pod itself, or a workload's pods (same namespace,
 * controller-owned, carrying every template label). Empty before Create or without a cluster.
 */
export function liveObjectsOf(
  live: LiveCluster | undefined,
  doc: ManifestDocument,
  spec: PodSpecLocation,
  defaultNamespace: string,
): CachedObject[] {
  if (live === undefined) return [];
  if (doc.kind === 'Pod') {
    const pod = livePodOf(live, doc, defaultNamespace);
    return pod === undefined ? [] : [pod];
  }
  const md = spec.template['metadata'];
  const labels = typeof md === 'object' && md !== null ? (md as { labels?: unknown }).labels : undefined;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return [];
  const strings: Record<string, string> = {};
  for (const [k, val] of Object.entries(labels)) if (typeof val === 'string') strings[k] = val;
  return live.workloadPods(doc.namespace ?? defaultNamespace, strings);
}

/** Runs `fn` with `pods` taken out of the snapshot of `v`, then puts them back. */
export function withoutLivePods<T>(v: ClusterView, pods: readonly CachedObject[], fn: () => T): T {
  const removed: CachedObject[] = [];
  for (const pod of pods) {
    const name = pod.metadata?.name;
    if (typeof name !== 'string') continue;
    v.snapshot.remove('Pod', pod.metadata?.namespace, name);
    removed.push(pod);
  }
  try {
    return fn();
  } finally {
    for (const pod of removed) v.snapshot.addPod(pod as never);
  }
}

/**
 * The verdict of one spec, or undefined without a cluster. With a `deadline` (`performance.now()`
 * time), once it has passed specs never predicted get undefined (a "predicting…" lens), and once
 * `staleAfter` (default: the deadline) has passed verdicts of an older cluster generation are served
 * as they are; what was left out is counted by the engine (`takeDeferred`).
 */
export function specVerdict(
  model: PredictionModel,
  doc: ManifestDocument,
  spec: PodSpecLocation,
  deadline?: number,
  staleAfter = deadline,
): SpecVerdict | undefined {
  const v = model.view;
  if (v === undefined) return undefined;
  const opts = {
    defaultNamespace: model.defaultNamespace,
    profile: model.resolution.choice,
    ...(deadline !== undefined ? { deadline: staleAfter, hardDeadline: deadline } : {}),
  };
  // Once the manifest was created, its pods are predicted as if they did not exist yet.
  const live = liveObjectsOf(v.live, doc, spec, opts.defaultNamespace);
  if (live.length > 0)
    return withoutLivePods(v, live, () => model.engine.tryVerdict(doc, spec, v.snapshot, v.generation, opts));
  return model.engine.tryVerdict(doc, spec, v.snapshot, v.generation, opts);
}

/**
 * The first half of a pass with `deadline`: predicts the specs that have no verdict at all (the one
 * an edit changed) before the pass itself spends what is left of the budget on stale verdicts.
 */
export function predictNew(model: PredictionModel, manifest: readonly ManifestDocument[], deadline: number): void {
  if (model.view === undefined) return;
  for (const d of manifest) for (const s of d.podSpecs) specVerdict(model, d, s, deadline, 0);
  // The pass that follows counts what is still missing or stale.
  model.engine.takeDeferred();
}
