/**
 * Create from Manifest / Apply for one backend: a dry run of every document, then the writes
 * (`manifest-writer.ts`), one result per document, each naming the tree row of what it wrote.
 */
import type { ManifestObject } from '../../cluster/object-writer';
import type { ManifestWriteReport, Outcome, WriteManifestParams, WriteProgressParams } from '../../shared/protocol';
import type { ManifestDocument } from '../services/manifest';
import type { BackendCore } from './backend-core';
import { KINDS } from './kinds';
import { writeDocuments } from './manifest-writer';
import { CATEGORY_PREFIX } from './tree-rows';
import { childId, objectId } from './tree-ids';

/** The namespace of documents that name none: the request's, the first chosen, the context's, else `default`. */
function defaultNamespace(core: BackendCore, requested: string | undefined): string {
  return requested || core.opts.namespaces[0] || core.opts.contextNamespace || 'default';
}

/** The tree id of an object written by a manifest (under its namespace, or its category), in the tree of `context`. */
export function nodeIdOf(context: string, obj: ManifestObject, namespace: string | undefined): string | undefined {
  const info = KINDS.find((k) => k.kind === obj.kind && k.apiVersion === obj.apiVersion);
  const name = obj.metadata?.name;
  if (info === undefined || !name) return undefined;
  const ctx = childId('', context);
  const nsSection = childId(ctx, 'namespaces');
  if (info.key === 'namespaces') return objectId(nsSection, { kind: 'namespaces', namespace: '', name });
  if (info.key === 'nodes') return objectId(childId(ctx, 'nodes'), { kind: 'nodes', namespace: '', name });
  if (info.namespaced && namespace) {
    const nsRow = objectId(nsSection, { kind: 'namespaces', namespace: '', name: namespace });
    return objectId(childId(nsRow, info.key), { kind: info.key, namespace, name });
  }
  if (info.category !== undefined)
    return objectId(childId(ctx, `${CATEGORY_PREFIX}${info.category}`, info.key), {
      kind: info.key,
      namespace: '',
      name,
    });
  return undefined;
}

/** Writes `documents` (already chosen from the parsed model) with the current session; never throws. */
export async function writeManifest(
  core: BackendCore,
  documents: readonly ManifestDocument[],
  options: Pick<WriteManifestParams, 'mode' | 'namespace' | 'onExisting' | 'checkOnly'>,
  onProgress?: (p: Omit<WriteProgressParams, 'writeId'>) => void,
): Promise<Outcome<ManifestWriteReport>> {
  try {
    const context = core.opts.context;
    const results = await writeDocuments(core.session.writer, documents, {
      mode: options.mode,
      defaultNamespace: defaultNamespace(core, options.namespace),
      ...(options.onExisting !== undefined ? { onExisting: options.onExisting } : {}),
      ...(options.checkOnly === true ? { checkOnly: true } : {}),
      ...(onProgress !== undefined ? { onProgress } : {}),
      nodeIdOf: (o, ns) => nodeIdOf(context, o, ns),
    });
    if (results.length === 0) return { ok: false, reason: 'The manifest holds no object to write.' };
    return { ok: true, value: { context, results } };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
