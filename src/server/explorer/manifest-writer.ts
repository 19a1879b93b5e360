/**
 * Create from Manifest and Apply: the documents of the parsed manifest model (`services/manifest.ts`)
 * are dry-run on the server, then written; one result per document.
 *
 * Contract: never throws; writes exactly each document's `object` as the model holds it (never
 * re-parses text); a document that did not parse, or is not a mapping, is reported as failed and not
 * sent; an empty document (`~`) is nothing to write and gets no result. A document that fails its dry
 * run is not written and reports the server's message; an existing object is reported as `exists`
 * unless `onExisting` says to replace, apply (server-side) or skip it. Namespaced objects without a
 * namespace go to `defaultNamespace`. Writes go in document order, except documents waiting for a
 * Namespace or a CRD that an earlier document creates (they follow once it exists).
 *
 * Progress (`onProgress`): after the dry runs, `planned` for each document that will be written; then
 * `sending` right before each write leaves and `settled` with each document's result (documents
 * settled by the dry run included). So whoever records them knows, if this process dies, which
 * writes happened (`settled`), may have happened (`sending` without `settled`) and did not (`planned`
 * only). `checkOnly` writes nothing and reports no progress: each document's object `exists`, is
 * `absent` (a create would pass its dry run, or its namespace or CRD kind does not exist) or `failed`.
 */
import type { ManifestObject, ObjectResult, ObjectWriter } from '../../cluster/object-writer';
import type { ExistingObjectAction, ManifestDocumentResult, WriteProgressParams } from '../../shared/protocol';
import { boundedSize } from '../prediction/yaml-tree';
import { MAX_EXPANDED_NODES, type ManifestDocument } from '../services/manifest';

/** What the writer reads of one document of the model. */
export type WritableDocument = Pick<ManifestDocument, 'index' | 'object' | 'error' | 'empty'>;

/** What the writer needs of an `ObjectWriter` (tests may pass a recording one). */
export type DocumentWriter = Pick<ObjectWriter, 'create' | 'apply' | 'replace'> & {
  discovery: { invalidate(): void };
};

/** What the writer needs besides the documents. */
interface WriteRequest {
  mode: 'create' | 'apply';
  defaultNamespace: string;
  onExisting?: ExistingObjectAction;
  /** The tree id of a written object, when the tree shows it. */
  nodeIdOf?: (obj: ManifestObject, namespace: string | undefined) => string | undefined;
  /** Told each step of the write as it happens (see the module contract). */
  onProgress?: (p: Omit<WriteProgressParams, 'writeId'>) => void;
  /** Only tell whether each object exists; write nothing (see the module contract). */
  checkOnly?: boolean;
}

/** Why a document of the model cannot be sent, or undefined when its object can. */
function unwritable(d: WritableDocument): string | undefined {
  if (d.error !== undefined) return `invalid YAML: ${d.error}`;
  if (d.object === undefined) return 'the document is not a Kubernetes object (a mapping)';
  // Aliases are shared references in the model; the request body would expand them.
  if (boundedSize(d.object, MAX_EXPANDED_NODES) >= MAX_EXPANDED_NODES)
    return `the document expands to more than ${MAX_EXPANDED_NODES} nodes through aliases`;
  return undefined;
}

function resultOf(index: number, r: ObjectResult, outcome: ManifestDocumentResult['outcome']): ManifestDocumentResult {
  return {
    index,
    ref: r.ref,
    outcome,
    ...(outcome === 'failed' || outcome === 'exists' ? { message: messageOf(r) } : {}),
  };
}

/** The server's message, plus any field causes it does not already mention. */
function messageOf(r: ObjectResult): string {
  const main = r.message ?? r.reason ?? `HTTP ${r.status}`;
  const extra = (r.causes ?? [])
    .map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`)
    .filter((c, i, a) => c && !main.includes(c) && a.indexOf(c) === i);
  return [main, ...extra].join('; ');
}

function refOfDoc(o: ManifestObject | undefined): string {
  if (o === undefined) return '?';
  const ns = o.metadata?.namespace;
  return `${o.kind ?? '?'}/${ns ? `${ns}/` : ''}${o.metadata?.name ?? o.metadata?.generateName ?? '?'}`;
}

/** Dry-runs, then writes `documents` (in the model's order; see the module contract). */
export async function writeDocuments(
  writer: DocumentWriter,
  documents: readonly WritableDocument[],
  req: WriteRequest,
): Promise<ManifestDocumentResult[]> {
  const docs = documents.filter((d) => d.empty !== true);
  const results: ManifestDocumentResult[] = [];
  const progress = req.checkOnly === true ? undefined : req.onProgress;
  /** Records a document's result and reports it. */
  const settle = (r: ManifestDocumentResult): void => {
    results.push(r);
    progress?.({ phase: 'settled', index: r.index, ref: r.ref, result: r });
  };
  if (req.checkOnly === true) return checkDocuments(writer, docs, req.defaultNamespace);
  const opts = { defaultNamespace: req.defaultNamespace };
  const toWrite: {
    doc: WritableDocument;
    obj: ManifestObject;
    /** `Kind/namespace/name` as the dry run named it. */
    ref: string;
    action: 'create' | 'apply' | 'replace';
    forced: boolean;
  }[] = [];
  // What the manifest itself creates: a document may need one of them to exist before its dry run can
  // pass (objects in a namespace the manifest creates; custom resources of a CRD it creates).
  const namespacesMade = new Set<string>();
  const kindsMade = new Set<string>();
  for (const d of docs) {
    const o = d.object as ManifestObject | undefined;
    if (o?.kind === 'Namespace' && o.metadata?.name) namespacesMade.add(o.metadata.name);
    if (o?.kind === 'CustomResourceDefinition') for (const k of crdKinds(o)) kindsMade.add(k);
  }
  const waitsForManifest = (obj: ManifestObject, dry: ObjectResult): boolean => {
    if (dry.status !== 404) return false;
    const ns = obj.metadata?.namespace ?? req.defaultNamespace;
    if (namespacesMade.has(ns) && /namespaces? "[^"]+" not found/.test(dry.message ?? '')) return true;
    return kindsMade.has(`${obj.apiVersion ?? ''}/${obj.kind ?? ''}`) && /no matches for kind/.test(dry.message ?? '');
  };
  const deferred: WritableDocument[] = [];
  // Pass 1: the dry run of every document.
  for (const d of docs) {
    const why = unwritable(d);
    if (why !== undefined) {
      settle({ index: d.index, ref: `document ${d.index + 1}`, outcome: 'failed', message: why });
      continue;
    }
    const obj = d.object as ManifestObject;
    const dry =
      req.mode === 'apply'
        ? await writer.apply(obj, { ...opts, dryRun: true })
        : await writer.create(obj, { ...opts, dryRun: true });
    if (dry.outcome !== 'failed') {
      toWrite.push({ doc: d, obj, ref: dry.ref, action: req.mode, forced: false });
      continue;
    }
    if (waitsForManifest(obj, dry)) {
      deferred.push(d);
      continue;
    }
    if (dry.reason === 'AlreadyExists') {
      if (req.onExisting === 'skip') settle({ index: d.index, ref: dry.ref, outcome: 'skipped' });
      else if (req.onExisting === 'replace' || req.onExisting === 'apply') {
        // The user chose to take the object over: a forced apply, as `kubectl apply --server-side --force-conflicts`.
        const check =
          req.onExisting === 'replace'
            ? await writer.replace(obj, { ...opts, dryRun: true })
            : await writer.apply(obj, { ...opts, dryRun: true, force: true });
        if (check.outcome === 'failed') settle(resultOf(d.index, check, 'failed'));
        else toWrite.push({ doc: d, obj, ref: dry.ref, action: req.onExisting, forced: req.onExisting === 'apply' });
      } else settle(resultOf(d.index, dry, 'exists'));
      continue;
    }
    settle({ ...resultOf(d.index, dry, 'failed'), ref: dry.ref === '?/?' ? refOfDoc(obj) : dry.ref });
  }
  for (const w of toWrite) progress?.({ phase: 'planned', index: w.doc.index, ref: w.ref });
  for (const d of deferred) progress?.({ phase: 'planned', index: d.index, ref: refOfDoc(d.object as ManifestObject) });
  // Pass 2: the writes, in document order; then the documents that waited for one of them, each with
  // its own dry run first (a CRD's kind is served once the CRD is established: retried for a while).
  for (const w of toWrite) settle(await write(w));
  for (const d of deferred) {
    const obj = d.object as ManifestObject;
    let dry: ObjectResult | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      writer.discovery.invalidate();
      dry =
        req.mode === 'apply'
          ? await writer.apply(obj, { ...opts, dryRun: true })
          : await writer.create(obj, { ...opts, dryRun: true });
      if (!(dry.status === 404 && /no matches for kind/.test(dry.message ?? ''))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (dry!.outcome === 'failed') settle({ ...resultOf(d.index, dry!, 'failed'), ref: refOfDoc(obj) });
    else settle(await write({ doc: d, obj, ref: dry!.ref, action: req.mode, forced: false }));
  }
  return results.sort((a, b) => a.index - b.index);

  async function write(w: (typeof toWrite)[number]): Promise<ManifestDocumentResult> {
    progress?.({ phase: 'sending', index: w.doc.index, ref: w.ref });
    const r =
      w.action === 'apply'
        ? await writer.apply(w.obj, { ...opts, force: w.forced })
        : w.action === 'replace'
          ? await writer.replace(w.obj, opts)
          : await writer.create(w.obj, opts);
    const outcome =
      r.outcome === 'failed'
        ? 'failed'
        : w.action === 'apply'
          ? 'applied'
          : w.action === 'replace'
            ? 'replaced'
            : 'created';
    const res = resultOf(w.doc.index, r, outcome);
    if (outcome !== 'failed') {
      const written = r.object ?? w.obj;
      const nodeId = req.nodeIdOf?.(written, written.metadata?.namespace);
      if (nodeId !== undefined) res.nodeId = nodeId;
    }
    return res;
  }
}

/** `checkOnly`: a create dry run per document tells whether its object exists (see the module contract). */
async function checkDocuments(
  writer: DocumentWriter,
  docs: readonly WritableDocument[],
  defaultNamespace: string,
): Promise<ManifestDocumentResult[]> {
  const results: ManifestDocumentResult[] = [];
  for (const d of docs) {
    const why = unwritable(d);
    if (why !== undefined) {
      results.push({ index: d.index, ref: `document ${d.index + 1}`, outcome: 'failed', message: why });
      continue;
    }
    const obj = d.object as ManifestObject;
    const dry = await writer.create(obj, { defaultNamespace, dryRun: true });
    const ref = dry.ref === '?/?' ? refOfDoc(obj) : dry.ref;
    if (dry.outcome !== 'failed') results.push({ index: d.index, ref, outcome: 'absent' });
    else if (dry.reason === 'AlreadyExists') results.push({ index: d.index, ref, outcome: 'exists' });
    // No such namespace, or no such kind: the object cannot exist.
    else if (dry.status === 404 && /namespaces? "[^"]+" not found|no matches for kind/.test(dry.message ?? ''))
      results.push({ index: d.index, ref, outcome: 'absent' });
    else results.push({ ...resultOf(d.index, dry, 'failed'), ref });
  }
  return results;
}

/** `group/version/Kind` of every version a CRD serves. */
function crdKinds(crd: ManifestObject): string[] {
  const spec = (
    crd as { spec?: { group?: string; names?: { kind?: string }; versions?: { name?: string; served?: boolean }[] } }
  ).spec;
  if (!spec?.group || !spec.names?.kind) return [];
  return (spec.versions ?? [])
    .filter((v) => v.served !== false && v.name)
    .map((v) => `${spec.group}/${v.name}/${spec.names!.kind}`);
}
