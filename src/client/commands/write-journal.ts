/**
 * What the client knows about a Create or Apply while it runs, from the server's
 * `kube/didReportWriteProgress` notifications, so that when the language server dies before it
 * answers, the user still learns each document's fate and nothing is sent twice.
 *
 * Contract: a document is `settled` (the server's answer, written or not), `in-doubt` (its write left
 * and no answer came: it may or may not have happened) or `not-written` (planned, never sent). With
 * no `planned` and no `settled` at all, the server stopped during the dry run (or before it received
 * the request): nothing was written. After the restart the client checks the `in-doubt` documents of
 * a Create (a create dry run: `exists` means the write happened, since the dry run before it passed;
 * `absent` means it did not) and offers to create the rest: the `not-written` documents and the
 * checked `absent` ones, never a document whose write may have happened. Pure: no `vscode`.
 */
import type { ManifestDocumentResult, WriteProgressParams } from '../../shared/protocol';

/** One document's fate as the progress notifications tell it. */
export type DocumentFate =
  | { index: number; ref: string; kind: 'settled'; result: ManifestDocumentResult }
  | { index: number; ref: string; kind: 'in-doubt' }
  | { index: number; ref: string; kind: 'not-written' };

/** The fates of one interrupted request, in document order. */
export interface InterruptedWrite {
  /** False when the server stopped before its dry run was over: nothing was written. */
  planned: boolean;
  documents: DocumentFate[];
}

/** Records the progress of the writes in flight, by `writeId`. */
export class WriteJournal {
  private readonly writes = new Map<string, Map<number, DocumentFate>>();

  /** Starts recording `writeId` (before its request is sent). */
  begin(writeId: string): void {
    this.writes.set(writeId, new Map());
  }

  /** Records one notification; notifications of a write not begun (or already ended) are ignored. */
  record(p: WriteProgressParams): void {
    const docs = this.writes.get(p.writeId);
    if (docs === undefined) return;
    if (p.phase === 'settled' && p.result !== undefined)
      docs.set(p.index, { index: p.index, ref: p.result.ref, kind: 'settled', result: p.result });
    else if (p.phase === 'sending') docs.set(p.index, { index: p.index, ref: p.ref, kind: 'in-doubt' });
    else if (p.phase === 'planned' && !docs.has(p.index))
      docs.set(p.index, { index: p.index, ref: p.ref, kind: 'not-written' });
  }

  /** What is known of `writeId` so far. */
  fates(writeId: string): InterruptedWrite {
    const docs = [...(this.writes.get(writeId)?.values() ?? [])].sort((a, b) => a.index - b.index);
    return { planned: docs.length > 0, documents: docs };
  }

  /** Stops recording `writeId`. */
  end(writeId: string): void {
    this.writes.delete(writeId);
  }
}

/** The documents whose write may have happened: the ones to check after the restart. */
export function inDoubt(w: InterruptedWrite): number[] {
  return w.documents.filter((d) => d.kind === 'in-doubt').map((d) => d.index);
}

/** A document's final word: what happened, and whether "create the rest" should write it. */
export interface DocumentVerdict {
  index: number;
  ref: string;
  /** One sentence for the user, starting with `written`, `not written` or `unknown`. */
  sentence: string;
  /** True when the document was certainly not written and may be written now. */
  writeNow: boolean;
}

const ANSWER: Record<ManifestDocumentResult['outcome'], string> = {
  created: 'written (created)',
  applied: 'written (applied)',
  replaced: 'written (replaced)',
  skipped: 'not written (skipped)',
  exists: 'not written (it already exists)',
  absent: 'not written (it does not exist)',
  failed: 'not written (failed)',
};

/**
 * Each document's verdict, given the check of the in-doubt ones (`checked`, by index; absent when the
 * check could not run, with `why`). `checkable` is false for writes whose happening a create dry run
 * cannot tell (Apply, Replace): their in-doubt documents stay unknown and are not written again.
 */
export function verdicts(
  w: InterruptedWrite,
  checked: ReadonlyMap<number, ManifestDocumentResult> | undefined,
  why: string,
  checkable = true,
): DocumentVerdict[] {
  return w.documents.map((d) => {
    const head = { index: d.index, ref: d.ref };
    if (d.kind === 'settled') {
      const msg = d.result.message !== undefined ? `: ${d.result.message}` : '';
      return { ...head, sentence: `${ANSWER[d.result.outcome]}${msg}`, writeNow: false };
    }
    if (d.kind === 'not-written')
      return { ...head, sentence: 'not written (the server stopped before sending it)', writeNow: true };
    if (!checkable)
      return {
        ...head,
        sentence: 'unknown (the server stopped while writing it; running it again is safe)',
        writeNow: false,
      };
    const c = checked?.get(d.index);
    if (c?.outcome === 'exists')
      return {
        ...head,
        sentence: 'written (the server stopped before answering; checked after the restart: it exists)',
        writeNow: false,
      };
    if (c?.outcome === 'absent')
      return {
        ...head,
        sentence: 'not written (the server stopped while sending it; checked after the restart: it does not exist)',
        writeNow: true,
      };
    const reason = c?.message ?? why;
    return {
      ...head,
      sentence: `unknown (the server stopped while writing it and the check failed: ${reason}); look in the cluster before writing it again`,
      writeNow: false,
    };
  });
}

/** One line per document, as the notification and the output channel show them. */
export function verdictLines(v: readonly DocumentVerdict[]): string[] {
  return v.map((d) => `document ${d.index + 1} ${d.ref}: ${d.sentence}`);
}
