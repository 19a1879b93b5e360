/**
 * The quick fixes a diagnostic carries in its `data` (LSP 3.16 keeps it from `publishDiagnostics`
 * to `textDocument/codeAction`), so answering a code action request re-derives nothing.
 *
 * Contract: a fix replaces the text of one scalar (a key or a value) and nothing else; for a quoted
 * scalar only the text between the quotes, so quotes, the value and the layout stay as they are.
 * A fix is only built for a scalar that is one plain run of words or simply quoted (no escapes,
 * block scalars, tags, anchors or aliases), and carries the text it replaces so that
 * `code-actions.ts` can drop it once the document no longer reads that way.
 */
import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** One replacement offered by a diagnostic. */
export interface QuickFix {
  /** The code action's title (`Rename to containers`, `Change to 500m`). */
  title: string;
  /** The scalar's text, inside its quotes when quoted. */
  range: Range;
  /** The text at `range` when the diagnostic was computed. */
  oldText: string;
  newText: string;
  /** The one clear fix of its diagnostic (`CodeAction.isPreferred`, applied by Auto Fix). */
  preferred: boolean;
}

/** The `data` of a diagnostic that offers quick fixes. */
export interface FixData {
  fixes: QuickFix[];
}

const PLAIN = /^[A-Za-z0-9_./+-]+(?: [A-Za-z0-9_./+-]+)*$/;
const DOUBLE_QUOTED = /^"[^"\\\n]*"$/;
const SINGLE_QUOTED = /^'[^'\n]*'$/;

/** Offsets of a scalar's text (inside simple quotes), or undefined when the scalar is not simple. */
export function scalarTextRange(
  source: string,
  node: { start: number; end: number },
): { start: number; end: number } | undefined {
  const raw = source.slice(node.start, node.end);
  if (PLAIN.test(raw)) return { start: node.start, end: node.end };
  if (DOUBLE_QUOTED.test(raw) || SINGLE_QUOTED.test(raw)) return { start: node.start + 1, end: node.end - 1 };
  return undefined;
}

/**
 * A fix that replaces the scalar at `node` by `newText`, or undefined when the scalar is not simple
 * or (with `expected`) its text does not read `expected`, e.g. a key written with an escape.
 */
export function scalarFix(
  doc: TextDocument,
  node: { start: number; end: number },
  newText: string,
  title: string,
  preferred: boolean,
  expected?: string,
): QuickFix | undefined {
  const source = doc.getText();
  const r = scalarTextRange(source, node);
  if (r === undefined) return undefined;
  const oldText = source.slice(r.start, r.end);
  if ((expected !== undefined && oldText !== expected) || oldText === newText) return undefined;
  return {
    title,
    range: { start: doc.positionAt(r.start), end: doc.positionAt(r.end) },
    oldText,
    newText,
    preferred,
  };
}

/** True when `data` (from a client, so untrusted) is fix data. */
export function isFixData(data: unknown): data is FixData {
  if (typeof data !== 'object' || data === null) return false;
  const fixes = (data as { fixes?: unknown }).fixes;
  return Array.isArray(fixes) && fixes.every(isQuickFix);
}

function isQuickFix(x: unknown): x is QuickFix {
  if (typeof x !== 'object' || x === null) return false;
  const f = x as Record<string, unknown>;
  return (
    typeof f['title'] === 'string' &&
    typeof f['oldText'] === 'string' &&
    typeof f['newText'] === 'string' &&
    typeof f['preferred'] === 'boolean' &&
    isRange(f['range'])
  );
}

function isRange(x: unknown): x is Range {
  const r = x as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } };
  const pos = (p: { line?: unknown; character?: unknown } | undefined): boolean =>
    p !== undefined && Number.isInteger(p.line) && Number.isInteger(p.character);
  return typeof x === 'object' && x !== null && pos(r.start) && pos(r.end);
}
