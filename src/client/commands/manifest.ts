/**
 * Create from Manifest and Apply: write the objects of the active YAML editor (the documents its
 * selection touches when there is one; unsaved and untitled documents too), or the one document a
 * lens names, to the connected cluster. The request names the document version the user acted on;
 * the server writes the objects of its parsed model of that version, or nothing when the text has
 * changed since. The server dry-runs every document first, then writes; each document gets a result
 * (a notification and the output channel). Objects that already exist are offered Replace,
 * Server-side Apply or Skip. Created objects are revealed in the tree.
 *
 * When the language server dies before it answers (write-journal.ts): each document is reported as
 * written (the server's answer), not written, or in doubt; after the restart the in-doubt documents of
 * a Create are checked in the cluster, and "Create the Rest" creates only the documents certainly not
 * written (with create semantics: an object that exists by then is reported, never written twice).
 */
import { randomUUID } from 'node:crypto';
import { commands, window, workspace, type TextDocument } from 'vscode';
import { Commands } from '../../shared/ids';
import type {
  ExistingObjectAction,
  ManifestDocumentRef,
  ManifestDocumentResult,
  ManifestWriteReport,
  Outcome,
  WriteManifestParams,
} from '../../shared/protocol';
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';
import { inDoubt, verdictLines, verdicts, WriteJournal, type InterruptedWrite } from './write-journal';

/**
 * Arguments a caller may pass instead of answering prompts: a lens passes a whole
 * {@link ManifestDocumentRef} (the document of one version), a test may add the rest.
 */
interface WriteManifestArgs extends Partial<ManifestDocumentRef> {
  /** Skip the confirmation. */
  confirmed?: boolean;
  /** What to do with existing objects, without asking. */
  onExisting?: ExistingObjectAction;
  /** Only these document indexes (what "Create the Rest" passes); `uri` and `version` name the text. */
  documentIndexes?: number[];
  /** The selection to write instead of the editor's (a retry of a selection's write). */
  selectionRange?: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** After the server stopped mid-write: `write-rest` writes the documents certainly not written, without asking. */
  onInterrupted?: 'write-rest' | 'leave';
}

/** How long to wait for the restarted server to be connected to the cluster again before checking. */
const RECONNECT_TIMEOUT_MS = 60_000;

/** One journal per extension state (its notification handler is registered once per language client). */
const journals = new WeakMap<ExtensionState, WriteJournal>();

function journalOf(state: ExtensionState): WriteJournal {
  let j = journals.get(state);
  if (j === undefined) {
    const journal = new WriteJournal();
    j = journal;
    journals.set(state, journal);
    state.onClientCreated((client, protocol) =>
      client.onNotification(protocol.didReportWriteProgress, (p) => journal.record(p)),
    );
  }
  return j;
}

/** A write's answer, or what the journal knows when the server stopped before answering. */
type Sent =
  | { kind: 'answer'; value: Outcome<ManifestWriteReport> }
  | { kind: 'unavailable' }
  | { kind: 'interrupted'; error: string; fates: InterruptedWrite };

/** Sends one `kube/writeManifest` with a fresh `writeId`, recording its progress. */
async function sendWrite(state: ExtensionState, params: WriteManifestParams): Promise<Sent> {
  const journal = journalOf(state);
  const writeId = randomUUID();
  journal.begin(writeId);
  try {
    const value = await state.request((p) => p.writeManifest, { ...params, writeId });
    return value === undefined ? { kind: 'unavailable' } : { kind: 'answer', value };
  } catch (e) {
    return { kind: 'interrupted', error: e instanceof Error ? e.message : String(e), fates: journal.fates(writeId) };
  } finally {
    journal.end(writeId);
  }
}

/**
 * Asks the restarted server whether the objects of `indexes` exist (`checkOnly`), retrying while it
 * restarts and reconnects, for up to `timeoutMs`; resolves the answers by index, or why there are none.
 */
async function checkAfterRestart(
  state: ExtensionState,
  base: WriteManifestParams,
  indexes: number[],
  timeoutMs: number,
): Promise<Map<number, ManifestDocumentResult> | string> {
  const { writeId: _unused, ...params } = base;
  const until = Date.now() + timeoutMs;
  let why = 'the language server did not come back';
  while (Date.now() < until) {
    if (await reconnected(state, until - Date.now())) {
      try {
        const check = await state.request((p) => p.writeManifest, { ...params, only: indexes, checkOnly: true });
        if (check?.ok === true) return new Map(check.value.results.map((r) => [r.index, r]));
        why = check?.reason ?? why;
        // "The document changed" does not get better by waiting.
        if (check?.ok === false && /document changed/.test(check.reason)) return why;
      } catch (e) {
        why = e instanceof Error ? e.message : String(e);
      }
    } else
      why =
        state.languageServerState === 'running'
          ? 'the cluster is not connected again'
          : 'the language server did not come back';
    await new Promise((r) => setTimeout(r, 500));
  }
  return why;
}

/**
 * Resolves true once the (restarted) server says it is connected to the cluster (asked, not the
 * client's last status, which may predate the restart), false after `timeoutMs`.
 */
async function reconnected(state: ExtensionState, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const status = await state.request0((p) => p.clusterStatus).catch(() => undefined);
    if (status?.state === 'connected') return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const ICON: Record<ManifestDocumentResult['outcome'], string> = {
  created: 'created',
  applied: 'applied',
  replaced: 'replaced',
  skipped: 'skipped',
  exists: 'already exists',
  absent: 'absent',
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
  const lensDocument = typeof a.documentIndex === 'number' || Array.isArray(a.documentIndexes);
  const selection =
    a.selectionRange ??
    (!lensDocument && editor !== undefined && editor.document === doc && !editor.selection.isEmpty
      ? editor.selection
      : undefined);
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
    ...(Array.isArray(a.documentIndexes) ? { only: a.documentIndexes } : {}),
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
  const sent = await sendWrite(state, base);
  if (sent.kind === 'unavailable') return refuse('Kube Forecast: the language server is not running.', 'error');
  if (sent.kind === 'interrupted') return afterInterruption(state, verb, context, base, sent, a.onInterrupted);
  const first = sent.value;
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
      const sent2 = await sendWrite(state, { ...base, only: existing.map((r) => r.index), onExisting });
      if (sent2.kind === 'interrupted') return afterInterruption(state, verb, context, base, sent2, 'leave', results);
      const second = sent2.kind === 'answer' ? sent2.value : undefined;
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

/**
 * The server stopped before answering `base` (see the module comment): waits for the restart, checks
 * the in-doubt documents of a Create, reports one line per document (notification and output
 * channel), and offers to write the rest. `earlier` are results of a first request already answered
 * (the documents a Replace / Apply pass did not touch keep them).
 */
async function afterInterruption(
  state: ExtensionState,
  verb: string,
  context: string,
  base: WriteManifestParams,
  sent: Extract<Sent, { kind: 'interrupted' }>,
  onInterrupted: WriteManifestArgs['onInterrupted'],
  earlier: readonly ManifestDocumentResult[] = [],
): Promise<CommandOutcome> {
  const { fates } = sent;
  state.log.error(`${verb} in ${context}: the language server stopped before it answered (${sent.error}).`);
  const head = `Kube Forecast: the language server stopped during ${verb} in ${context}.`;
  if (!fates.planned) {
    const text = `${head} Nothing was written: it stopped before the dry run was over.`;
    state.log.info(text);
    if (onInterrupted === 'write-rest') return retryAll(state, base, text);
    offerRest(state, base, text, undefined);
    return { ok: false, reason: text };
  }
  const doubt = inDoubt(fates);
  const createOnly = base.mode === 'create' && base.onExisting === undefined && earlier.length === 0;
  const answer =
    doubt.length > 0 && createOnly ? await checkAfterRestart(state, base, doubt, RECONNECT_TIMEOUT_MS) : '';
  const v = verdicts(
    fates,
    typeof answer === 'string' ? undefined : answer,
    typeof answer === 'string' ? answer : '',
    createOnly,
  );
  const known = new Set(v.map((d) => d.index));
  const lines = [
    ...earlier
      .filter((r) => !known.has(r.index))
      .map(
        (r) =>
          `document ${r.index + 1} ${r.ref}: ${r.outcome === 'exists' ? 'not written (it already exists)' : r.outcome}`,
      ),
    ...verdictLines(v),
  ];
  state.log.warn(head);
  for (const l of lines) state.log.warn(`  ${l}`);
  const text = `${head}\n${lines.join('\n')}`;
  const restIndexes = v.filter((d) => d.writeNow).map((d) => d.index);
  if (restIndexes.length > 0 && onInterrupted === 'write-rest') {
    const more = await writeManifest(state, base.mode, {
      uri: base.uri,
      version: base.version,
      documentIndexes: restIndexes,
      confirmed: true,
      onInterrupted: 'leave',
    });
    return more.ok ? done(`${text}\n${more.detail ?? ''}`) : { ok: false, reason: `${text}\n${more.reason}` };
  }
  // A notification shows one paragraph: one sentence per document (the output channel has one line each).
  const notice = `${head} ${lines.map((l) => `${l.charAt(0).toUpperCase()}${l.slice(1)}.`).join(' ')}`;
  offerRest(state, base, notice, restIndexes.length > 0 ? restIndexes : null);
  return { ok: false, reason: text };
}

/** Shows `notice` with "Create the Rest" (or "Apply the Rest") for `indexes` (`undefined`: all of `base`; `null`: none). */
function offerRest(
  state: ExtensionState,
  base: WriteManifestParams,
  notice: string,
  indexes: number[] | undefined | null,
): void {
  const action = base.mode === 'create' ? 'Create the Rest' : 'Apply the Rest';
  const buttons = indexes === null ? ['Show Output'] : [action, 'Show Output'];
  void window.showWarningMessage(notice, ...buttons).then((pick) => {
    if (pick === 'Show Output') state.log.show(true);
    if (pick !== action) return;
    const which =
      indexes !== undefined && indexes !== null
        ? { documentIndexes: indexes }
        : base.only !== undefined
          ? { documentIndexes: base.only }
          : base.range !== undefined
            ? { selectionRange: base.range }
            : {};
    void commands.executeCommand(base.mode === 'create' ? Commands.createFromManifest : Commands.applyManifest, {
      uri: base.uri,
      version: base.version,
      confirmed: true,
      ...which,
    });
  });
}

/** Nothing was written: the same request again (after the restart), for `onInterrupted: 'write-rest'`. */
async function retryAll(state: ExtensionState, base: WriteManifestParams, text: string): Promise<CommandOutcome> {
  await reconnected(state, RECONNECT_TIMEOUT_MS);
  const more = await writeManifest(state, base.mode, {
    uri: base.uri,
    version: base.version,
    ...(base.only !== undefined ? { documentIndexes: base.only } : {}),
    ...(base.range !== undefined ? { selectionRange: base.range } : {}),
    confirmed: true,
    onInterrupted: 'leave',
  });
  return more.ok ? done(`${text}\n${more.detail ?? ''}`) : { ok: false, reason: `${text}\n${more.reason}` };
}
