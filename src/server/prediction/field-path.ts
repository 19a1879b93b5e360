/**
 * Maps the model's field paths (`spec.containers[0].resources.requests.cpu`) to ranges in the
 * manifest, through the position tree.
 */
import type { ManifestDocument, PodSpecLocation } from '../services/manifest';
import { childNode, entryOf, type YamlEntry, type YamlNode } from './yaml-tree';

/** Splits `a.b[0].c` (also `a.b.0.c` and keys with dots in brackets) into keys and indexes. */
function splitFieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[["']?([^\]"']+)["']?\]/g;
  for (let m = re.exec(field); m !== null; m = re.exec(field)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3]);
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/**
 * The range of the deepest existing step of `field` below `from`: a mapping key's range for a key
 * step, the item's range for an index step; undefined when not even the first step exists.
 */
function longestPrefixRange(from: YamlNode | undefined, field: string): { start: number; end: number } | undefined {
  let cur = from;
  let best: { start: number; end: number } | undefined;
  for (const step of splitFieldPath(field)) {
    if (cur === undefined) break;
    if (typeof step === 'string') {
      const e = entryOf(cur, step);
      if (e === undefined) break;
      best = { start: e.keyNode.start, end: e.keyNode.end };
      cur = e.value;
    } else {
      const it = childNode(cur, step);
      if (it === undefined) break;
      best = { start: it.start, end: it.end };
      cur = it;
    }
  }
  return best;
}

/** Offsets of a field of a pod spec: the key when the field is a mapping key, else the value; the longest existing prefix otherwise. */
export function fieldRange(
  doc: ManifestDocument,
  spec: PodSpecLocation,
  field: string,
): { start: number; end: number } {
  return longestPrefixRange(spec.node ?? doc.root, field) ?? { start: spec.offset, end: spec.offset + 1 };
}

/** Offsets of a field path from the document root (the key's range), or the document start. */
export function docFieldRange(doc: ManifestDocument, field: string): { start: number; end: number } {
  return longestPrefixRange(doc.root, field) ?? { start: doc.startOffset, end: doc.startOffset + 1 };
}

/**
 * The mapping entry (key and value nodes) that `field` names exactly, below `from`: undefined when a
 * step is missing or the path ends at a list index. Quick fixes edit only what this returns.
 */
export function fieldEntry(from: YamlNode | undefined, field: string): YamlEntry | undefined {
  const steps = splitFieldPath(field);
  const last = steps.pop();
  if (typeof last !== 'string') return undefined;
  let cur = from;
  for (const step of steps) cur = childNode(cur, step);
  return entryOf(cur, last);
}
