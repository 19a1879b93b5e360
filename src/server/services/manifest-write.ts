/**
 * Which documents of the parsed manifest model a `kube/writeManifest` request writes.
 *
 * Contract: the request names the version of the text the user acted on; when the open document has
 * another version, nothing is chosen and the answer says the document changed (so a stale lens never
 * writes what now sits at its index). Otherwise `only` chooses those indexes (an index the model does
 * not have is refused), else `range` chooses the documents it touches, else every document; always in
 * the model's order. Pure.
 */
import type { Outcome, WriteManifestParams } from '../../shared/protocol';
import type { ManifestDocument } from './manifest';

/** The sentence for a request whose version is not the open document's. */
export const DOCUMENT_CHANGED =
  'The document changed after the command was started; nothing was written. Run it again on the current text.';

/** The open text, as much as choosing needs: its version and offsets of positions. */
export interface OpenText {
  readonly version: number;
  offsetAt(position: { line: number; character: number }): number;
}

/** The documents of `manifest` (the model of `open`) that `params` asks to write, or why none. */
export function documentsToWrite(
  open: OpenText,
  manifest: readonly ManifestDocument[],
  params: Pick<WriteManifestParams, 'version' | 'only' | 'range'>,
): Outcome<ManifestDocument[]> {
  if (params.version !== open.version) return { ok: false, reason: DOCUMENT_CHANGED };
  if (params.only !== undefined) {
    const missing = params.only.filter((i) => !manifest.some((d) => d.index === i));
    if (missing.length > 0)
      return { ok: false, reason: `The manifest has no document ${missing.map((i) => i + 1).join(', ')}.` };
    return { ok: true, value: manifest.filter((d) => params.only!.includes(d.index)) };
  }
  if (params.range !== undefined) {
    const from = open.offsetAt(params.range.start);
    const to = open.offsetAt(params.range.end);
    // A document is touched when the selection shares a character with its text (an empty selection: holds its position).
    return {
      ok: true,
      value: manifest.filter((d) =>
        from === to ? from >= d.startOffset && from <= d.endOffset : from < d.endOffset && to > d.startOffset,
      ),
    };
  }
  return { ok: true, value: [...manifest] };
}
