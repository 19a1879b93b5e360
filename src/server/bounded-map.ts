/**
 * A cache map bounded by its number of entries and by their total estimated bytes, dropping the least
 * recently used entries first (a `get` hit or a `set` makes an entry the most recent).
 *
 * Contract: after every `set`, `size <= maxEntries` and `bytes <= maxBytes`; a value estimated at more
 * than `maxBytes` is not stored (`set` returns false and drops any older value of that key). The
 * estimate is the caller's (see {@link jsonBytes}); nothing here measures the heap.
 *
 * Keys should not hold on to large texts: a string sliced out of a document (a YAML scalar) keeps the
 * whole document alive in V8, so keys taken from document text go through {@link ownString} first.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, { value: V; bytes: number }>();
  private total = 0;

  /** A map of at most `maxEntries` entries and `maxBytes` estimated bytes. */
  constructor(
    readonly maxEntries: number,
    readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Number of entries. */
  get size(): number {
    return this.map.size;
  }

  /** Total estimated bytes of the entries. */
  get bytes(): number {
    return this.total;
  }

  /** The value of `key`, made the most recently used. */
  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  /** Stores `value` (estimated at `bytes`) as the most recent entry, then evicts down to the bounds. */
  set(key: K, value: V, bytes = 0): boolean {
    this.delete(key);
    if (bytes > this.maxBytes) return false;
    this.map.set(key, { value, bytes });
    this.total += bytes;
    for (const [k, e] of this.map) {
      if (this.map.size <= this.maxEntries && this.total <= this.maxBytes) break;
      this.map.delete(k);
      this.total -= e.bytes;
    }
    return true;
  }

  /** Removes `key`. */
  delete(key: K): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    this.map.delete(key);
    this.total -= e.bytes;
  }

  /** Removes every entry. */
  clear(): void {
    this.map.clear();
    this.total = 0;
  }
}

/**
 * A copy of `s` that shares no memory with the text it was cut from. V8 represents `text.slice(...)`
 * (and a YAML parser's scalars) as a view of the whole parent string, so caching such a key keeps a
 * multi-megabyte document alive after it was closed; the JSON round trip builds a fresh string.
 */
export function ownString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/**
 * A deep copy of `v` that shares no string with the text it was parsed from ({@link ownString}, for
 * a whole parsed value: structuredClone builds fresh strings and keeps aliases and cycles as they
 * are). `v` itself when it cannot be cloned.
 */
export function ownCopy<T>(v: T): T {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

/**
 * An estimate of the heap bytes of a JSON-safe value: two bytes per character of its JSON (strings
 * may be two-byte in V8; objects and arrays take about as much again as their JSON punctuation).
 * Undefined when the value cannot be serialized (a cycle).
 */
export function jsonBytes(value: unknown): number | undefined {
  try {
    return 2 * (JSON.stringify(value)?.length ?? 0);
  } catch {
    return undefined;
  }
}
