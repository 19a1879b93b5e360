/**
 * Create from Manifest and Apply: every YAML document of a text is parsed on its own (a malformed
 * document does not stop the others), dry-run on the server, then written; one result per document.
 *
 * Contract: never throws; a document that fails its dry run is not written and reports the server's
 * message; an existing object is reported as `exists` unless `onExisting` says to replace, apply
 * (server-side) or skip it. Namespaced objects without a namespace go to `defaultNamespace`.
 */
import * as yaml from 'js-yaml';
import type { ManifestObject, ObjectResult, ObjectWriter } from '../../cluster/object-writer';
import type { ExistingObjectAction, ManifestDocumentResult } from '../../shared/protocol';

/** One document of the text: its object, or why it could not be parsed. */
export interface ParsedDocument {
  index: number;
  /** Zero-based line where the document starts. */
  line: number;
  object?: ManifestObject;
  error?: string;
}

/** Splits `text` on `---` lines and parses each non-empty document separately. */
export function splitDocuments(text: string): ParsedDocument[] {
  const lines = text.split(/\r?\n/);
  const chunks: { line: number; text: string[] }[] = [{ line: 0, text: [] }];
  lines.forEach((l, i) => {
    if (/^---(\s|$)/.test(l)) chunks.push({ line: i + 1, text: [] });
    else if (/^\.\.\.\s*$/.test(l)) return;
    else chunks[chunks.length - 1]!.text.push(l);
  });
  const out: ParsedDocument[] = [];
  for (const c of chunks) {
    const body = c.text.join('\n');
    if (body.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'))) continue;
    const index = out.length;
    try {
      const v = yaml.load(body);
      if (v === null || v === undefined) continue;
      if (typeof v !== 'object' || Array.isArray(v))
        out.push({ index, line: c.line, error: 'the document is not a Kubernetes object (a mapping)' });
      else out.push({ index, line: c.line, object: v as ManifestObject });
    } catch (e) {
      const err = e as { reason?: string; mark?: { line?: number; column?: number }; message?: string };
      const where =
        err.mark?.line !== undefined
          ? ` at line ${c.line + err.mark.line + 1}, column ${(err.mark.column ?? 0) + 1}`
          : '';
      out.push({
        index,
        line: c.line,
        error: `YAML syntax error${where}: ${err.reason ?? (err.message ?? '').split('\n')[0]}`,
      });
    }
  }
  return out;
}

/** What the writer needs besides the text. */
export interface WriteRequest {
  mode: 'create' | 'apply';
  defaultNamespace: string;
  only?: readonly number[];
  onExisting?: ExistingObjectAction;
  /** The tree id of a written object, when the tree shows it. */
  nodeIdOf?: (obj: ManifestObject, namespace: string | undefined) => string | undefined;
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

/** Dry-runs, then writes every selected document of `text`. */
export async function writeDocuments(
  writer: ObjectWriter,
  text: string,
  req: WriteRequest,
): Promise<ManifestDocumentResult[]> {
  const docs = splitDocuments(text).filter((d) => req.only === undefined || req.only.includes(d.index));
  const results: ManifestDocumentResult[] = [];
  const opts = { defaultNamespace: req.defaultNamespace };
  const toWrite: {
    doc: ParsedDocument;
    obj: ManifestObject;
    action: 'create' | 'apply' | 'replace';
    forced: boolean;
  }[] = [];
  // What the manifest itself creates: a document may need one of them to exist before its dry run can
  // pass (objects in a namespace the manifest creates; custom resources of a CRD it creates).
  const namespacesMade = new Set<string>();
  const kindsMade = new Set<string>();
  for (const d of docs) {
    const o = d.object;
    if (o?.kind === 'Namespace' && o.metadata?.name) namespacesMade.add(o.metadata.name);
    if (o?.kind === 'CustomResourceDefinition') for (const k of crdKinds(o)) kindsMade.add(k);
  }
  const waitsForManifest = (obj: ManifestObject, dry: ObjectResult): boolean => {
    if (dry.status !== 404) return false;
    const ns = obj.metadata?.namespace ?? req.defaultNamespace;
    if (namespacesMade.has(ns) && /namespaces? "[^"]+" not found/.test(dry.message ?? '')) return true;
    return kindsMade.has(`${obj.apiVersion ?? ''}/${obj.kind ?? ''}`) && /no matches for kind/.test(dry.message ?? '');
  };
  const deferred: ParsedDocument[] = [];
  // Pass 1: the dry run of every document.
  for (const d of docs) {
    if (d.object === undefined) {
      results.push({
        index: d.index,
        ref: `document ${d.index + 1}`,
        outcome: 'failed',
        message: d.error ?? 'unparsable document',
      });
      continue;
    }
    const obj = d.object;
    const dry =
      req.mode === 'apply'
        ? await writer.apply(obj, { ...opts, dryRun: true })
        : await writer.create(obj, { ...opts, dryRun: true });
    if (dry.outcome !== 'failed') {
      toWrite.push({ doc: d, obj, action: req.mode, forced: false });
      continue;
    }
    if (waitsForManifest(obj, dry)) {
      deferred.push(d);
      continue;
    }
    if (dry.reason === 'AlreadyExists') {
      if (req.onExisting === 'skip') results.push({ index: d.index, ref: dry.ref, outcome: 'skipped' });
      else if (req.onExisting === 'replace' || req.onExisting === 'apply') {
        // The user chose to take the object over: a forced apply, as `kubectl apply --server-side --force-conflicts`.
        const check =
          req.onExisting === 'replace'
            ? await writer.replace(obj, { ...opts, dryRun: true })
            : await writer.apply(obj, { ...opts, dryRun: true, force: true });
        if (check.outcome === 'failed') results.push(resultOf(d.index, check, 'failed'));
        else toWrite.push({ doc: d, obj, action: req.onExisting, forced: req.onExisting === 'apply' });
      } else results.push(resultOf(d.index, dry, 'exists'));
      continue;
    }
    results.push({ ...resultOf(d.index, dry, 'failed'), ref: dry.ref === '?/?' ? refOfDoc(obj) : dry.ref });
  }
  // Pass 2: the writes, in document order; then the documents that waited for one of them, each with
  // its own dry run first (a CRD's kind is served once the CRD is established: retried for a while).
  for (const w of toWrite) results.push(await write(w));
  for (const d of deferred) {
    const obj = d.object!;
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
    if (dry!.outcome === 'failed') results.push({ ...resultOf(d.index, dry!, 'failed'), ref: refOfDoc(obj) });
    else results.push(await write({ doc: d, obj, action: req.mode, forced: false }));
  }
  return results.sort((a, b) => a.index - b.index);

  async function write(w: (typeof toWrite)[number]): Promise<ManifestDocumentResult> {
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

/** A one-paragraph summary of the results, for a notification. */
export function summarize(results: readonly ManifestDocumentResult[], context: string): string {
  const count = (o: ManifestDocumentResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  const parts = (['created', 'applied', 'replaced', 'skipped', 'exists', 'failed'] as const)
    .map((o) => [o, count(o)] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${o === 'exists' ? 'already exist' : o}`);
  const failed = results.filter((r) => r.outcome === 'failed');
  return `${context}: ${parts.join(', ') || 'nothing to write'}.${failed.length > 0 ? ` ${failed.map((f) => `${f.ref}: ${f.message ?? ''}`).join(' ')}` : ''}`;
}
