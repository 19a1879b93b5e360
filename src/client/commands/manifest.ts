/**
 * Create from Manifest and Apply: write the objects of the active YAML editor (the documents its
 * selection touches when there is one; unsaved and untitled documents too), or the one document a
 * lens names, to the connected cluster. The request names the document version the user acted on;
 * the server writes the objects of its parsed model of that version, or nothing when the text has
 * changed since. The server dry-runs every document first, then writes; each document gets a result
 * (a notification and the output channel). Objects that already exist are offered Replace,
 * Server-side Apply or Skip. Created objects are revealed in the tree.
 */
import { window, workspace, type TextDocument } from 'vscode';
import type {
  ExistingObjectAction,
  ManifestDocumentRef,
  ManifestDocumentResult,
  ManifestWriteReport,
  WriteManifestParams,
} from '../../shared/protocol';
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';

/**
 * Arguments a caller may pass instead of answering prompts: a lens passes a whole
 * {@link ManifestDocumentRef} (the document of one version), a test may add the rest.
 */
interface WriteManifestArgs extends Partial<ManifestDocumentRef> {
  /** Skip the confirmation. */
  confirmed?: boolean;
  /** What to do with existing objects, without asking. */
  onExisting?: ExistingObjectAction;
}

const ICON: Record<ManifestDocumentResult['outcome'], string> = {
  created: 'created',
  applied: 'applied',
  replaced: 'replaced',
  skipped: 'skipped',
  exists: 'already exists',
  failed: 'FAILED',
};

function summary(results: readonly ManifestDocumentResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(ICON[r.outcome], (counts.get(ICON[r.outcome]) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** Writes the per-document results to the output channel. */
function logResults(state: ExtensionState, verb: string, uri: string, report: ManifestWriteReport): void {
  state.log.info(`${verb} ${uri} in ${report.context}:`);
  for (const r of report.results) {
    const line = `  document ${r.index + 1}: ${r.ref} ${ICON[r.outcome]}${r.message ? `: ${r.message}` : ''}`;
    if (r.outcome === 'failed') state.log.error(line);
    else state.log.info(line);
  }
}

/** Confirms, dry-runs and writes every object of the active YAML editor (or `arg.uri`). */
export async function writeManifest(
  state: ExtensionState,
  mode: WriteManifestParams['mode'],
  arg?: unknown,
): Promise<CommandOutcome> {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as WriteManifestArgs;
  const editor = window.activeTextEditor;
  let doc: TextDocument | undefined;
  if (typeof a.uri === 'string') doc = workspace.textDocuments.find((d) => d.uri.toString() === a.uri);
  else doc = editor?.document;
  if (doc === undefined || (doc.languageId !== 'yaml' && typeof a.uri !== 'string')) {
    return refuse('Kube Forecast: open a Kubernetes YAML manifest first.');
  }
  const lensDocument = typeof a.documentIndex === 'number';
  const selection =
    !lensDocument && editor !== undefined && editor.document === doc && !editor.selection.isEmpty
      ? editor.selection
      : undefined;
  // The version the user acts on: the lens's, else the text as it is now (before the confirmation).
  const version = typeof a.version === 'number' ? a.version : doc.version;
  const verb = mode === 'create' ? 'Create' : 'Apply';
  const context = state.clusterStatus.context ?? state.clusterStatus.source;
  const what =
    selection !== undefined ? 'the selected objects' : lensDocument ? 'this object' : 'the objects of this manifest';
  if (a.confirmed !== true) {
    const pick = await window.showWarningMessage(
      `${verb} ${what} in context "${context}"?`,
      { modal: true, detail: 'Every document is validated by a server-side dry run first.' },
      verb,
    );
    if (pick !== verb) return { ok: false, reason: 'Cancelled.' };
  }
  const namespace = state.clusterStatus.namespaces?.[0];
  const base: WriteManifestParams = {
    uri: doc.uri.toString(),
    version,
    mode,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(typeof a.documentIndex === 'number' ? { only: [a.documentIndex] } : {}),
    ...(selection !== undefined
      ? {
          range: {
            start: { line: selection.start.line, character: selection.start.character },
            end: { line: selection.end.line, character: selection.end.character },
          },
        }
      : {}),
    ...(a.onExisting !== undefined ? { onExisting: a.onExisting } : {}),
  };
  const first = await state.request((p) => p.writeManifest, base);
  if (first === undefined) return refuse('Kube Forecast: the language server is not running.', 'error');
  if (!first.ok) return refuse(`Kube Forecast: ${first.reason}`, 'warning');
  let results = first.value.results;
  logResults(state, verb, doc.uri.toString(), first.value);
  const existing = results.filter((r) => r.outcome === 'exists');
  if (existing.length > 0 && a.onExisting === undefined) {
    const names = existing.map((r) => r.ref).join(', ');
    const action = await window.showWarningMessage(
      `Kube Forecast: ${existing.length === 1 ? `${names} already exists` : `${existing.length} objects already exist (${names})`} in "${context}".`,
      'Replace',
      'Server-side Apply',
      'Skip',
    );
    const onExisting: ExistingObjectAction | undefined =
      action === 'Replace'
        ? 'replace'
        : action === 'Server-side Apply'
          ? 'apply'
          : action === 'Skip'
            ? 'skip'
            : undefined;
    if (onExisting !== undefined) {
      const second = await state.request((p) => p.writeManifest, {
        ...base,
        only: existing.map((r) => r.index),
        onExisting,
      });
      if (second?.ok === true) {
        logResults(state, verb, doc.uri.toString(), second.value);
        const byIndex = new Map(second.value.results.map((r) => [r.index, r]));
        results = results.map((r) => byIndex.get(r.index) ?? r);
      } else if (second?.ok === false) return refuse(`Kube Forecast: ${second.reason}`, 'warning');
    }
  }
  const text1 = `${verb} in ${context}: ${summary(results)}.`;
  const failed = results.filter((r) => r.outcome === 'failed');
  const detail = failed.length > 0 ? `${text1} ${failed.map((f) => `${f.ref}: ${f.message ?? ''}`).join(' ')}` : text1;
  if (failed.length > 0)
    void window
      .showWarningMessage(`Kube Forecast: ${detail}`, 'Show Output')
      .then((p) => (p ? state.log.show(true) : undefined));
  else void window.showInformationMessage(`Kube Forecast: ${detail}`);
  // Reveal the first object written, preferring what lives in a namespace over the namespace itself.
  const writtenAll = results.filter(
    (r) => r.nodeId !== undefined && (r.outcome === 'created' || r.outcome === 'applied' || r.outcome === 'replaced'),
  );
  const written = writtenAll.find((r) => !r.ref.startsWith('Namespace/')) ?? writtenAll[0];
  // The watch delivers the object shortly after the write; the tree reveals it when the server says so.
  if (written?.nodeId !== undefined) void state.tree.revealWhenPresent(written.nodeId);
  const ok = results.some((r) => r.outcome !== 'failed' && r.outcome !== 'exists');
  return ok || failed.length === 0 ? done(detail) : { ok: false, reason: detail };
}
