/**
 * Incremental parsing of one open file: each version re-parses only the YAML documents whose text
 * changed. A document whose text is the same as in the previous version is reused, moved to its new
 * place (index, lines and offsets shifted by how much the text before it grew or shrank).
 *
 * Contract: `ManifestCache.parse(text)` returns what `parseManifest(text)` returns (same documents,
 * same positions, same errors), only faster for a file of many documents after a small edit. It
 * keeps the previous version's documents only (memory: one parse of the file). Documents that did
 * not parse (`error`) are always parsed again, so that the line in their message stays right.
 * Documents are never mutated: one that did not move is shared with the previous version, one that
 * moved is a copy (its parsed `object` shared, its positions shifted).
 */
import { parseDocument, parseManifest, type ManifestDocument, type PodSpecLocation } from './manifest';
import { nodeAt, type YamlNode } from '../prediction/yaml-tree';

/** The previous version's parsed documents of one file, by their text. */
export class ManifestCache {
  private previous = new Map<string, ManifestDocument>();

  /** Parses `text`, reusing the documents of the previous call whose text is unchanged. */
  parse(text: string): ManifestDocument[] {
    const next = new Map<string, ManifestDocument>();
    const docs = parseManifest(text, (index, startLine, endLine, startOffset, body) => {
      const hit = this.previous.get(body);
      const doc =
        hit !== undefined && hit.error === undefined
          ? moveDocument(hit, index, startLine, endLine, startOffset)
          : parseDocument(index, startLine, endLine, startOffset, body);
      if (!next.has(body)) next.set(body, doc);
      return doc;
    });
    this.previous = next;
    return docs;
  }
}

/** `doc` at a new place: the same object when nothing moved, else a copy with shifted positions. */
function moveDocument(
  doc: ManifestDocument,
  index: number,
  startLine: number,
  endLine: number,
  startOffset: number,
): ManifestDocument {
  const delta = startOffset - doc.startOffset;
  const lines = startLine - doc.startLine;
  if (delta === 0 && lines === 0 && index === doc.index) return doc;
  const root = doc.root === undefined || delta === 0 ? doc.root : shiftTree(doc.root, delta);
  const moved: ManifestDocument = {
    ...doc,
    index,
    startLine,
    endLine,
    startOffset,
    endOffset: doc.endOffset + delta,
    podSpecs: doc.podSpecs.map((s) => {
      const m: PodSpecLocation = { ...s, line: s.line + lines, offset: s.offset + delta };
      const node = s.node === undefined ? undefined : nodeAt(root, s.path);
      if (node !== undefined) m.node = node;
      return m;
    }),
  };
  if (root !== undefined) moved.root = root;
  return moved;
}

/** A copy of the tree under `node` with every offset moved by `delta`. Iterative: trees can be deep. */
function shiftTree(node: YamlNode, delta: number): YamlNode {
  const copy = (n: YamlNode): YamlNode => {
    const c: YamlNode = { kind: n.kind, start: n.start + delta, end: n.end + delta };
    if (n.entries !== undefined) c.entries = n.entries.map((e) => ({ ...e }));
    if (n.items !== undefined) c.items = n.items.slice();
    return c;
  };
  const root = copy(node);
  const stack: YamlNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.entries !== undefined)
      for (const e of n.entries) {
        e.keyNode = copy(e.keyNode);
        e.value = copy(e.value);
        stack.push(e.keyNode, e.value);
      }
    if (n.items !== undefined)
      for (let i = 0; i < n.items.length; i++) {
        n.items[i] = copy(n.items[i]!);
        stack.push(n.items[i]!);
      }
  }
  return root;
}
