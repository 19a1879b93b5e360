/**
 * Parses one YAML document with js-yaml and records where every node sits in the text, using
 * js-yaml's `listener` option (it reports `open` and `close` for each node; keys and values of a
 * mapping arrive as alternating children, items of a sequence in order).
 *
 * Contract: `parseYamlTree` never throws. It returns the value and a position tree whose offsets
 * are absolute (the caller passes the document's offset in the file), or an error with its offset.
 * Nesting is capped (js-yaml `maxDepth`); aliases are js-yaml references, so callers that walk the
 * value must bound their walk (see `boundedSize`).
 */
import { load } from 'js-yaml';
import { isWhiteSpace } from '../../shared/yaml-documents';

/** A node of the position tree. Offsets are absolute in the file. */
export interface YamlNode {
  kind: 'scalar' | 'mapping' | 'sequence' | 'null';
  /** Offset of the node's first character (after leading spaces and comments). */
  start: number;
  /** Offset just after the node's last non-space character. */
  end: number;
  /** For a mapping: its entries, keys in source order. */
  entries?: YamlEntry[];
  /** For a sequence: its items. */
  items?: YamlNode[];
}

/** One key/value pair of a mapping. */
export interface YamlEntry {
  key: string;
  keyNode: YamlNode;
  value: YamlNode;
}

/** The parse result of one document. */
export type YamlTreeResult =
  { ok: true; value: unknown; root: YamlNode | undefined } | { ok: false; message: string; offset: number };

/** The deepest nesting accepted (js-yaml's own default is 1000, which can exhaust the stack elsewhere). */
const MAX_DEPTH = 200;

interface Frame {
  start: number;
  /** Allocated at the first child (most nodes are scalars, which have none). */
  children: YamlNode[] | undefined;
  keys: string[] | undefined;
}

/** Parses `body` (one document's text) located at `offset` in the file. */
export function parseYamlTree(body: string, offset: number): YamlTreeResult {
  const stack: Frame[] = [];
  let root: YamlNode | undefined;
  const listener = (
    event: 'open' | 'close',
    state: { position: number; kind: string | null; result: unknown },
  ): void => {
    if (event === 'open') {
      stack.push({ start: skipSpace(body, state.position), children: undefined, keys: undefined });
      return;
    }
    const frame = stack.pop();
    if (frame === undefined) return;
    const end = trimEnd(body, state.position, frame.start);
    const kind = state.kind === 'mapping' || state.kind === 'sequence' || state.kind === 'scalar' ? state.kind : 'null';
    const node: YamlNode = { kind, start: offset + frame.start, end: offset + Math.max(end, frame.start) };
    const children = frame.children ?? [];
    if (kind === 'mapping') {
      const keys = frame.keys ?? [];
      const entries: YamlEntry[] = [];
      for (let i = 0; i + 1 < children.length; i += 2) {
        entries.push({ key: keys[i] ?? '', keyNode: children[i]!, value: children[i + 1]! });
      }
      node.entries = entries;
    } else if (kind === 'sequence') {
      node.items = children;
    }
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      (parent.children ??= []).push(node);
      // Only scalars become key strings: stringifying a collection could expand an alias bomb.
      const r = state.result;
      (parent.keys ??= []).push(
        typeof r === 'string' ? r : typeof r === 'number' || typeof r === 'boolean' || r === null ? String(r) : '',
      );
    } else root = node;
  };
  try {
    const value = load(body, { listener, maxDepth: MAX_DEPTH } as Parameters<typeof load>[1]);
    return { ok: true, value, root };
  } catch (e) {
    const err = e as { mark?: { position?: number }; reason?: string; message?: string };
    if (e instanceof RangeError) return { ok: false, message: 'the document is nested too deeply', offset };
    const pos = typeof err.mark?.position === 'number' ? err.mark.position : 0;
    return {
      ok: false,
      message: err.reason ?? err.message ?? 'invalid YAML',
      offset: offset + Math.min(pos, body.length),
    };
  }
}

/** Skips spaces, line breaks and comments from `i`. */
function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35 /* # */) {
      while (i < s.length && s.charCodeAt(i) !== 10) i++;
    } else break;
  }
  return i;
}

/**
 * Moves back over trailing spaces and whole comment lines, never before `min`. Reads only the node's
 * own last lines (never scans or copies back past `min`), so a document of very long lines, or of
 * lone-CR line breaks, costs no more per node than its own text.
 */
function trimEnd(s: string, i: number, min: number): number {
  let end = Math.min(i, s.length);
  for (;;) {
    while (end > min && isWhiteSpace(s.charCodeAt(end - 1))) end--;
    // A trailing comment line (a `#` preceded only by spaces on its line) belongs to no node.
    let lineStart = end;
    while (lineStart > min && s.charCodeAt(lineStart - 1) !== 10 && s.charCodeAt(lineStart - 1) !== 13) lineStart--;
    if (lineStart > min && isCommentLine(s, lineStart, end)) {
      end = lineStart;
      continue;
    }
    return end;
  }
}

/** True when `s[from, to)` is spaces then `#`. */
function isCommentLine(s: string, from: number, to: number): boolean {
  let k = from;
  while (k < to && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9)) k++;
  return k < to && s.charCodeAt(k) === 35;
}

/** The child of a mapping node by key, or of a sequence node by index. */
export function childNode(node: YamlNode | undefined, key: string | number): YamlNode | undefined {
  if (node === undefined) return undefined;
  if (typeof key === 'number') return node.items?.[key];
  const entries = node.entries;
  if (entries === undefined) return undefined;
  // The last occurrence wins, as in js-yaml's value.
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.key === key) return entries[i]!.value;
  return undefined;
}

/** The entry of a mapping node by key. */
export function entryOf(node: YamlNode | undefined, key: string): YamlEntry | undefined {
  const entries = node?.entries;
  if (entries === undefined) return undefined;
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.key === key) return entries[i];
  return undefined;
}

/** Follows a path of keys and indexes; undefined when any step is missing. */
export function nodeAt(root: YamlNode | undefined, path: readonly (string | number)[]): YamlNode | undefined {
  let cur = root;
  for (const k of path) {
    cur = childNode(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** A location found by offset: the path of keys and indexes, and whether the offset is on a key. */
export interface PathHit {
  path: (string | number)[];
  onKey: boolean;
  node: YamlNode;
  keyNode?: YamlNode;
}

/** The innermost node containing `offset`, with its path from `root`. */
export function pathAtOffset(root: YamlNode | undefined, offset: number): PathHit | undefined {
  if (root === undefined || offset < root.start || offset > root.end) return undefined;
  const path: (string | number)[] = [];
  let cur = root;
  let hit: PathHit = { path: [], onKey: false, node: root };
  for (let guard = 0; guard < MAX_DEPTH + 1; guard++) {
    let next: YamlNode | undefined;
    if (cur.entries) {
      for (const e of cur.entries) {
        if (offset >= e.keyNode.start && offset <= e.keyNode.end) {
          path.push(e.key);
          return { path: [...path], onKey: true, node: e.value, keyNode: e.keyNode };
        }
        if (offset >= e.value.start && offset <= e.value.end && e.value.end > e.value.start) {
          path.push(e.key);
          next = e.value;
          break;
        }
      }
    } else if (cur.items) {
      for (let i = 0; i < cur.items.length; i++) {
        const it = cur.items[i]!;
        if (offset >= it.start && offset <= it.end) {
          path.push(i);
          next = it;
          break;
        }
      }
    }
    if (next === undefined) return hit;
    cur = next;
    hit = { path: [...path], onKey: false, node: cur };
  }
  return hit;
}

/**
 * Counts the nodes of `value` as a walker would see them (aliases expanded), stopping at `limit`.
 * Returns the count, or `limit` when the value is at least that large (an alias bomb).
 */
export function boundedSize(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    count++;
    if (count >= limit) return limit;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (typeof v === 'object' && v !== null) for (const k in v) stack.push((v as Record<string, unknown>)[k]);
  }
  return count;
}
