/**
 * Answers `textDocument/codeAction` from the fixes our diagnostics carry (`quick-fixes.ts`).
 *
 * Pure: `(document, the request's diagnostics, context.only) → CodeAction[]`, one quick fix per
 * carried fix, in the diagnostic's order. Diagnostics of other sources or without fix data give none,
 * and so does a fix whose old text is no longer the whole scalar at its range (the document was
 * edited after the diagnostics were published; fresh ones follow).
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { isFixData, type QuickFix } from './quick-fixes';

/** The quick fixes for `diagnostics` in `doc`; none when `only` excludes quick fixes. */
export function quickFixActions(
  doc: TextDocument,
  diagnostics: readonly Diagnostic[],
  only?: readonly string[],
): CodeAction[] {
  // Kinds are hierarchical: `quickfix` is asked for by `quickfix` and by the empty (any) kind.
  if (only !== undefined && !only.some((k) => k === CodeActionKind.Empty || k === CodeActionKind.QuickFix)) return [];
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE || !isFixData(d.data)) continue;
    for (const f of d.data.fixes) {
      if (!stillInPlace(doc, f)) continue;
      const action: CodeAction = {
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [doc.uri]: [{ range: f.range, newText: f.newText }] } },
      };
      if (f.preferred) action.isPreferred = true;
      out.push(action);
    }
  }
  return out;
}

const WORD_CHAR = /[A-Za-z0-9_./+-]/;

/** True when the document still reads the fix's old text at its range, as a whole word (not `nodeSelectr` inside `nodeSelectrr`). */
function stillInPlace(doc: TextDocument, f: QuickFix): boolean {
  if (doc.getText(f.range) !== f.oldText) return false;
  const text = doc.getText();
  const start = doc.offsetAt(f.range.start);
  const end = doc.offsetAt(f.range.end);
  return !WORD_CHAR.test(text.charAt(start - 1)) && !WORD_CHAR.test(text.charAt(end));
}
