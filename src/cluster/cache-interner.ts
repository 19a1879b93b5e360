/**
 * Shares what is equal between the objects of the watch caches (each JSON.parse makes its own copy
 * of every value): short strings, and JSON subtrees that replicas repeat (containers, tolerations,
 * labels, owner references, conditions...; src/cluster/cache-transform.ts chooses which).
 *
 * Contract: lossless and bounded. `intern(s)` returns a string equal to `s`; `shared(v)` returns a
 * value deep-equal to `v`: `v` itself (deep-frozen, its strings interned) the first time, an equal
 * subtree shared before afterwards. Shared subtrees are deep-frozen, so a write to one throws instead
 * of changing every object that holds it: cached objects are read-only. Each table is dropped once
 * it is full (sharing is an optimisation, never a record).
 *
 * The subtree table is keyed by a 32-bit hash of the subtree's JSON text, not by the text: unique
 * subtrees (a workload's owner reference, a revision's labels) are most of the entries, and keeping
 * each one's text as a key cost as much again as the subtree. A hash hit is confirmed by comparing
 * the subtrees; on a collision the newcomer simply keeps its own copy.
 */

/** Strings shorter than this are shared through the intern table. */
const INTERN_MAX_CHARS = 96;
/** The intern table is reset beyond this many entries (unique names would grow it without bound). */
const INTERN_MAX_ENTRIES = 200_000;

/** JSON subtrees longer than this (as JSON) are not shared: comparing them costs more than it saves. */
const SHARE_MAX_CHARS = 4096;
/** The subtree table is reset beyond this many entries. */
const SHARE_MAX_ENTRIES = 200_000;

/** Freezes `v` and everything in it; returns `v`. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

/** FNV-1a over the UTF-16 code units of `s` (the subtree table's key; exported for tests). */
export function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Deep equality of two JSON values, key order included (equal JSON text). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** The tables of one cluster session (see the contract above). */
export class CacheInterner {
  private table = new Map<string, string>();
  private trees = new Map<number, unknown>();

  intern(s: string): string {
    if (s.length > INTERN_MAX_CHARS) return s;
    const found = this.table.get(s);
    if (found !== undefined) return found;
    if (this.table.size >= INTERN_MAX_ENTRIES) this.table = new Map();
    this.table.set(s, s);
    return s;
  }

  /** Interns the short strings of JSON value `v` in place; returns `v` (or the interned string). Frozen (shared) parts are left as they are. */
  internAll(v: unknown): unknown {
    if (typeof v === 'string') return this.intern(v);
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = this.internAll(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) o[k] = this.internAll(o[k]);
    return o;
  }

  /** `v` (a JSON subtree), or an equal subtree shared before (deep-frozen, its strings interned). */
  shared<T>(v: T): T {
    if (typeof v !== 'object' || v === null) return v;
    const text = JSON.stringify(v);
    if (text.length > SHARE_MAX_CHARS) return this.internAll(v) as T;
    const key = hashText(text);
    const found = this.trees.get(key);
    if (found !== undefined) return sameJson(found, v) ? (found as T) : (this.internAll(v) as T);
    if (this.trees.size >= SHARE_MAX_ENTRIES) this.trees = new Map();
    const own = deepFreeze(this.internAll(v));
    this.trees.set(key, own);
    return own as T;
  }
}
