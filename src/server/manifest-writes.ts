/**
 * `kube/writeManifest` as a service: the documents the request chooses from the open document's
 * parsed model (`services/manifest-write.ts`), written by the current backend.
 */
import type { ManifestWriteReport, Outcome, WriteManifestParams, WriteProgressParams } from '../shared/protocol';
import { REQUIRES_CLUSTER } from './cluster-backend';
import type { ClusterHost } from './cluster-host';
import type { ManifestDocuments } from './documents';
import { documentsToWrite } from './services/manifest-write';

/** Writes the chosen documents of `params.uri`, or says why nothing was written. */
export async function writeOpenManifest(
  documents: ManifestDocuments,
  cluster: ClusterHost,
  params: WriteManifestParams,
  onProgress: ((p: Omit<WriteProgressParams, 'writeId'>) => void) | undefined,
): Promise<Outcome<ManifestWriteReport>> {
  const open = documents.get(params.uri);
  const manifest = documents.manifest(params.uri);
  if (open === undefined || manifest === undefined)
    return { ok: false, reason: 'The manifest is not open in an editor.' };
  const chosen = documentsToWrite(open, manifest, params);
  if (!chosen.ok) return chosen;
  const b = cluster.backend;
  if (b.writeManifest === undefined) return { ok: false, reason: cluster.status.message ?? REQUIRES_CLUSTER };
  return b.writeManifest(chosen.value, params, onProgress);
}

/** The cluster's namespace names, or why not. */
export async function namespaceNames(cluster: ClusterHost): Promise<Outcome<string[]>> {
  const b = cluster.backend;
  if (b.namespaceNames === undefined) return { ok: false, reason: cluster.status.message ?? REQUIRES_CLUSTER };
  return b.namespaceNames();
}
