/**
 * What a watch cache keeps of each object, as client-go's informer transform functions
 * (`SetTransform`) do: the fields the tree and the scheduler model read, without what only a
 * details view needs. The full object is fetched from the server when a user opens it.
 *
 * Contract: `slimForCache` takes ownership of a freshly parsed object (the cache's own copy of the
 * wire JSON) and returns it without `metadata.managedFields`, without the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, and without any other annotation whose
 * value is over {@link BIG_ANNOTATION_CHARS} characters; everything else is kept as sent. Repeated short
 * strings (label values, images, phases, node names) are shared through a {@link StringInterner},
 * which is lossless.
 */
import type { KubeObjectLike } from './resource-cache';

/** Annotations longer than this many characters are not cached (the details view fetches them). */
export const BIG_ANNOTATION_CHARS = 1024;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Strings shorter than this are shared through the intern table. */
const INTERN_MAX_CHARS = 96;
/** The intern table is reset beyond this many entries (unique names would grow it without bound). */
const INTERN_MAX_ENTRIES = 200_000;

/**
 * Shares equal short strings between cached objects (each JSON.parse makes its own copy of every
 * value). Bounded: the table is dropped once it holds {@link INTERN_MAX_ENTRIES} strings.
 */
export class StringInterner {
  private table = new Map<string, string>();

  intern(s: string): string {
    if (s.length > INTERN_MAX_CHARS) return s;
    const found = this.table.get(s);
    if (found !== undefined) return found;
    if (this.table.size >= INTERN_MAX_ENTRIES) this.table = new Map();
    this.table.set(s, s);
    return s;
  }

  /** Interns the short strings of JSON value `v` in place; returns `v` (or the interned string). */
  internAll(v: unknown): unknown {
    if (typeof v === 'string') return this.intern(v);
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = this.internAll(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) o[k] = this.internAll(o[k]);
    return o;
  }
}

/** The cached form of `o` (see the contract above). */
export function slimForCache<T extends KubeObjectLike>(o: T, interner: StringInterner): T {
  const obj = o as unknown as Record<string, unknown>;
  const meta = obj['metadata'] as Record<string, unknown> | undefined;
  if (meta === undefined || meta === null || typeof meta !== 'object') return interner.internAll(o) as T;
  // Rebuilt rather than `delete`d: a deleted property turns a V8 object into a slower, larger dictionary.
  const slim: Record<string, unknown> = {};
  for (const k in meta) {
    if (k === 'managedFields') continue;
    const v = meta[k];
    // Unique per object: interning them would only churn the table.
    if (k === 'name' || k === 'uid' || k === 'resourceVersion') {
      slim[k] = v;
      continue;
    }
    if (k === 'annotations' && v !== null && typeof v === 'object') {
      const kept: Record<string, unknown> = {};
      for (const [a, text] of Object.entries(v as Record<string, unknown>))
        if (a !== LAST_APPLIED && !(typeof text === 'string' && text.length > BIG_ANNOTATION_CHARS))
          kept[interner.intern(a)] = interner.internAll(text);
      slim[k] = kept;
    } else slim[k] = interner.internAll(v);
  }
  for (const k in obj) obj[k] = k === 'metadata' ? slim : interner.internAll(obj[k]);
  return o;
}
