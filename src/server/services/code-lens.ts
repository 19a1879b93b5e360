/**
 * Builds the CodeLenses shown above each pod spec of a manifest.
 *
 * Pure: `(documents, cluster status, settings) → CodeLens[]`. The predictions issue replaces the
 * connected-cluster title with the scheduler's verdict; the disconnected lens stays.
 */
import type { CodeLens } from 'vscode-languageserver';
import { Commands } from '../../shared/ids';
import type { ClusterStatus, PodSpecRef } from '../../shared/protocol';
import type { ManifestDocument } from './manifest';

/** The settings the CodeLens service reads (per resource). */
export interface CodeLensSettings {
  enabled: boolean;
}

/** The title of the lens shown when no cluster is connected. */
export const NO_CLUSTER_TITLE = 'Kube Forecast: no cluster connected — Open Simulated Cluster';

/** The title of the lens shown when the cluster connection is broken. */
export const CLUSTER_ERROR_TITLE = 'Kube Forecast: cluster unavailable — Show Output';

/** The title of the lens shown when a cluster is connected, until predictions replace it. */
export const CONNECTED_TITLE = 'Kube Forecast: Show Prediction Details';

/** Returns one lens per pod spec, on the line that opens it, whose command depends on the cluster state. */
export function computeCodeLenses(
  uri: string,
  documents: readonly ManifestDocument[],
  status: ClusterStatus,
  settings: CodeLensSettings,
): CodeLens[] {
  if (!settings.enabled) return [];
  const lenses: CodeLens[] = [];
  for (const doc of documents) {
    for (const spec of doc.podSpecs) {
      const range = { start: { line: spec.line, character: 0 }, end: { line: spec.line, character: 0 } };
      const ref: PodSpecRef = { uri, documentIndex: doc.index, path: spec.path };
      lenses.push({ range, command: lensCommand(status, ref) });
    }
  }
  return lenses;
}

function lensCommand(status: ClusterStatus, ref: PodSpecRef): CodeLens['command'] {
  switch (status.state) {
    case 'connected':
      return { title: CONNECTED_TITLE, command: Commands.showPredictionDetails, arguments: [ref] };
    case 'error':
      return { title: CLUSTER_ERROR_TITLE, command: Commands.showOutput };
    case 'connecting':
    case 'none':
      return { title: NO_CLUSTER_TITLE, command: Commands.openSimulatedCluster };
  }
}
