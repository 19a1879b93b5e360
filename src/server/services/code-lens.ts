/**
 * Builds the CodeLenses shown above each pod spec of a manifest: the prediction (where
 * kube-scheduler would put the pod, or why nowhere) and a second lens that creates or applies
 * that document: its argument is a {@link ManifestDocumentRef} naming the document of the parsed
 * model and the version it was parsed from, so the write is exactly that document or nothing.
 *
 * Pure: `(file, documents, cluster status, verdicts, settings) → CodeLens[]`.
 */
import type { CodeLens } from 'vscode-languageserver';
import { Commands } from '../../shared/ids';
import type { ClusterStatus, ManifestDocumentRef, PodSpecRef } from '../../shared/protocol';
import type { SpecVerdict } from '../prediction/engine';
import { lensText, perNode, shortFailure } from '../prediction/lens-text';
import type { CachedObject } from '../prediction/live-cluster';
import type { ManifestDocument, PodSpecLocation } from './manifest';

/** The settings the CodeLens service reads (per resource). */
export interface CodeLensSettings {
  enabled: boolean;
}

/** The title of the lens shown when no cluster is connected. */
export const NO_CLUSTER_TITLE = 'Kube Forecast: no cluster connected — Open Simulated Cluster';

/** The title of the lens shown when the cluster connection is broken. */
export const CLUSTER_ERROR_TITLE = 'Kube Forecast: cluster unavailable — Show Output';

/** The title of the lens shown while the cluster state or this spec's prediction is not available yet. */
export const CONNECTED_TITLE = 'Kube Forecast: predicting… — Show Prediction Details';

/** What the lens service needs to know about one spec, beyond the manifest. */
export interface SpecContext {
  verdict: SpecVerdict | undefined;
  /** The live pods the document created (the Pod, or a workload's pods), for prediction vs actual. */
  live?: readonly CachedObject[] | undefined;
}

/** Returns the lenses of every pod spec of `documents` (the model of `file`): the prediction lens, then the Create / Apply lens. */
export function computeCodeLenses(
  file: { uri: string; version: number },
  documents: readonly ManifestDocument[],
  status: ClusterStatus,
  settings: CodeLensSettings,
  context: (doc: ManifestDocument, spec: PodSpecLocation) => SpecContext = () => ({ verdict: undefined }),
): CodeLens[] {
  if (!settings.enabled) return [];
  const { uri, version } = file;
  const lenses: CodeLens[] = [];
  for (const doc of documents) {
    for (const spec of doc.podSpecs) {
      const range = { start: { line: spec.line, character: 0 }, end: { line: spec.line, character: 0 } };
      const ref: PodSpecRef = { uri, documentIndex: doc.index, path: spec.path };
      const c = status.state === 'connected' ? context(doc, spec) : { verdict: undefined };
      lenses.push({ range, command: lensCommand(status, ref, c) });
      if (status.state === 'connected') {
        const exists = c.live !== undefined && c.live.length > 0;
        const write: ManifestDocumentRef = { uri, version, documentIndex: doc.index };
        lenses.push({
          range,
          command: {
            title: exists ? 'Apply' : 'Create',
            command: exists ? Commands.applyManifest : Commands.createFromManifest,
            arguments: [write],
          },
        });
      }
    }
  }
  return lenses;
}

function lensCommand(status: ClusterStatus, ref: PodSpecRef, c: SpecContext): CodeLens['command'] {
  switch (status.state) {
    case 'connected': {
      if (c.verdict === undefined)
        return { title: CONNECTED_TITLE, command: Commands.showPredictionDetails, arguments: [ref] };
      const t = lensText(c.verdict);
      const live = c.live ?? [];
      const title =
        live.length === 0
          ? t.title
          : c.verdict.pod.metadata['ownerReferences'] === undefined
            ? actualTitle(c.verdict, live[0]!)
            : workloadActualTitle(c.verdict, live);
      return { title, tooltip: t.tooltip, command: Commands.showPredictionDetails, arguments: [ref] };
    }
    case 'error':
      return { title: CLUSTER_ERROR_TITLE, command: Commands.showOutput };
    case 'connecting':
      // Never the no-cluster link while a connection is being made: it would start another cluster.
      return { title: `Kube Forecast: ${status.message ?? 'connecting…'}`, command: Commands.showOutput };
    case 'none':
      return { title: NO_CLUSTER_TITLE, command: Commands.openSimulatedCluster };
  }
}

/** `predicted node-b · scheduled on node-b ✓`, the difference, or why the pod is Pending. */
function actualTitle(v: SpecVerdict, live: CachedObject): string {
  const predicted = v.first?.selectedNode ?? v.first?.preemption?.nominatedNode;
  const p = predicted !== undefined ? `predicted ${predicted}` : 'predicted: no node fits';
  const spec = live['spec'] as { nodeName?: string } | undefined;
  const status = live['status'] as
    | { phase?: string; conditions?: { type?: string; status?: string; reason?: string; message?: string }[] }
    | undefined;
  const node = spec?.nodeName;
  if (typeof node === 'string' && node !== '') {
    return node === predicted
      ? `${p} · scheduled on ${node} ✓`
      : `${p} · scheduled on ${node} ✗ (the cluster changed, or the model differs)`;
  }
  const cond = status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const why = cond?.message ?? cond?.reason ?? 'not scheduled yet';
  return `${p} · ${status?.phase ?? 'Pending'}: ${why}`;
}

/**
 * A workload's pods against the prediction, in words: `2 of 2 running as predicted (node-a, node-b) ✓`;
 * a forecast that some replicas cannot fit, borne out (the predicted nodes run them, the rest of the
 * replicas are Pending): `1 of 2 running as predicted (gpu-a) · 1 Pending as predicted: 3× Insufficient cpu ✓`;
 * or the drift: `1 of 2 running (node-a), predicted 2 (node-a, node-b) · 1 Pending: 2× Insufficient cpu`.
 */
export function workloadActualTitle(v: SpecVerdict, live: readonly CachedObject[]): string {
  const predicted: Record<string, number> = {};
  if (v.placement !== undefined) Object.assign(predicted, v.placement.perNode);
  else if (v.first?.selectedNode !== undefined) predicted[v.first.selectedNode] = 1;
  const running: Record<string, number> = {};
  const pending: string[] = [];
  for (const p of live) {
    const node = (p['spec'] as { nodeName?: string } | undefined)?.nodeName;
    if (typeof node === 'string' && node !== '') running[node] = (running[node] ?? 0) + 1;
    else {
      const conds = (p['status'] as { conditions?: { type?: string; status?: string; message?: string }[] } | undefined)
        ?.conditions;
      pending.push(
        conds?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message ?? 'not scheduled yet',
      );
    }
  }
  const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
  const want =
    v.placement?.requested ??
    (v.replicas.kind === 'replicas' || v.replicas.kind === 'completions' ? v.replicas.count : sum(running));
  const nRunning = sum(running);
  const nPredicted = sum(predicted);
  const sorted = (r: Record<string, number>): string => JSON.stringify(Object.entries(r).sort());
  const where = nRunning > 0 ? ` (${perNode(running)})` : '';
  const pend = pending.length > 0 ? ` · ${pending.length} Pending: ${shortFailure(pending[0]!)}` : '';
  if (sorted(predicted) === sorted(running) && nRunning + pending.length === want) {
    if (pending.length === 0) return `${nRunning} of ${want} running as predicted${where} ✓`;
    const pendingAsPredicted = `${pending.length} Pending as predicted: ${shortFailure(pending[0]!)} ✓`;
    return nRunning > 0
      ? `${nRunning} of ${want} running as predicted${where} · ${pendingAsPredicted}`
      : `0 of ${want} running · ${pendingAsPredicted}`;
  }
  const forecast =
    nPredicted === 0
      ? 'predicted none to fit'
      : `predicted ${nPredicted === nRunning ? '' : `${nPredicted} `}(${perNode(predicted)})`;
  return `${nRunning} of ${want} running${where}, ${forecast}${pend}`;
}
