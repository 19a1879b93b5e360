/**
 * The one place that splits a YAML stream into its documents: the manifest model the lenses,
 * diagnostics, hovers, predictions and writes all read (`server/services/manifest.ts`), and the
 * Helm release summary (`cluster/helm-release.ts`), take their documents from here.
 *
 * Contract (YAML 1.2 stream syntax, what js-yaml's `loadAll` sees): a marker is a line that starts,
 * at column 0, with `---` (document start) or `...` (document end) followed by a space, a tab or the
 * line's end; markers inside indented text (a block scalar's `---`) are content. Lines end with
 * `\r\n`, `\n` or a lone `\r`. A byte order mark at offset 0 belongs to no document. Between two
 * markers lies at most one document; text that is only blank lines, comments and `%` directives is
 * none (so it takes no index). Text after `---` on its own line (`--- |`, `--- {a: 1}`) is the start
 * of the document; text after `...` is not part of any document. A `~` or `null` document IS a
 * document (it takes an index; it holds no object). Pure, never throws, linear in the text.
 */

/** One document of a YAML stream, as a slice of the text. */
export interface YamlDocumentRange {
  /** Zero-based index among the stream's documents. */
  index: number;
  /** Zero-based line of `startOffset` (the line after `---`, or the `---` line itself when the document starts on it). */
  startLine: number;
  /** Zero-based last line of the document: the line before the next marker, else the text's last line. */
  endLine: number;
  /** Offset of the document's first character in the text. */
  startOffset: number;
  /** Offset just after its last character (the start of the next marker line, else the text's length). */
  endOffset: number;
  /** `text.slice(startOffset, endOffset)`. */
  body: string;
}

const START = /^---(?:[ \t]|$)/;
const END = /^\.\.\.(?:[ \t]|$)/;

/** Splits `text` into its documents, in order (see the module contract). */
export function splitYamlDocuments(text: string): YamlDocumentRange[] {
  const docs: YamlDocumentRange[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let startLine = 0;
  let line = 0;
  const close = (end: number, endLine: number): void => {
    const body = text.slice(start, end);
    if (hasContent(body))
      docs.push({
        index: docs.length,
        startLine,
        endLine: Math.max(startLine, endLine),
        startOffset: start,
        endOffset: end,
        body,
      });
  };
  for (let pos = start; pos <= text.length; line++) {
    const eol = lineEnd(text, pos);
    const next = eol + lineBreakLength(text, eol);
    const c = text.charCodeAt(pos);
    // Only lines starting with `-` or `.` can be markers; the regexes read just the line's head.
    if (c === 45 /* - */ || c === 46 /* . */) {
      const head = text.slice(pos, Math.min(eol, pos + 4));
      if (c === 45 && START.test(head)) {
        close(pos, line - 1);
        // The document starts on the marker's line when something other than a comment follows it.
        const rest = text.slice(pos + 3, eol).trim();
        const sameLine = rest !== '' && !rest.startsWith('#');
        start = sameLine ? pos + 3 : next;
        startLine = sameLine ? line : line + 1;
      } else if (c === 46 && END.test(head)) {
        close(pos, line - 1);
        start = next;
        startLine = line + 1;
      }
    }
    if (eol === text.length) break;
    pos = next;
  }
  close(text.length, line);
  return docs;
}

/** The number of line breaks (`\r\n`, `\n` or a lone `\r`) in `text` before `offset`. */
export function countLineBreaks(text: string, offset: number): number {
  let n = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** The offset of the line break ending the line at `pos`, or the text's length. */
function lineEnd(text: string, pos: number): number {
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

function lineBreakLength(text: string, eol: number): number {
  if (eol >= text.length) return 0;
  return text.charCodeAt(eol) === 13 && text.charCodeAt(eol + 1) === 10 ? 2 : 1;
}

/**
 * True when some line of `body` is more than blank space (`String.prototype.trim`'s), a comment or
 * a `%` directive. Scans characters; copies nothing.
 */
function hasContent(body: string): boolean {
  let lineStart = true;
  let directive = false;
  let seen = false; // a non-space character was already seen on this line
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true;
      seen = false;
      continue;
    }
    if (lineStart) {
      directive = c === 37; /* % */
      lineStart = false;
    }
    if (seen || isWhiteSpace(c)) continue;
    seen = true;
    if (c !== 35 /* # */ && !directive) return true;
  }
  return false;
}

/** True for the characters of the regular expression class `\s` (ECMAScript WhiteSpace and LineTerminator). */
export function isWhiteSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
