/**
 * Field sets as structured-merge-diff v6 (sigs.k8s.io/structured-merge-diff/v6 fieldpath) keeps them:
 * a tree of path elements, each either a member (the field itself is owned) or the parent of owned
 * fields, or both. Path elements are kept in their serialised `fieldsV1` form: `f:<field>`,
 * `k:<json of the key fields, sorted>`, `v:<json value>` (set items), `i:<index>`.
 *
 * `fieldsV1` (metav1.FieldsV1) encodes a set as nested objects: a member without children is `{}`, a
 * member with children also carries `".": {}`, a parent only lists its children. Keys are written in
 * upstream's order: `.` first, then fields by name, then keys, then values, then indices.
 */

/** A set of field paths (fieldpath.Set). */
export class PathSet {
  readonly members = new Set<string>();
  readonly children = new Map<string, PathSet>();

  /** True when the set holds no path. */
  empty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.empty()) return false;
    return true;
  }

  /** Adds one path. */
  insert(path: readonly string[]): void {
    if (path.length === 0) return;
    if (path.length === 1) this.members.add(path[0]!);
    else this.child(path[0]!).insert(path.slice(1));
  }

  /** Whether the set holds this path. */
  has(path: readonly string[]): boolean {
    if (path.length === 0) return false;
    if (path.length === 1) return this.members.has(path[0]!);
    return this.children.get(path[0]!)?.has(path.slice(1)) ?? false;
  }

  /** The child set under one path element, created when absent. */
  child(pe: string): PathSet {
    let c = this.children.get(pe);
    if (c === undefined) this.children.set(pe, (c = new PathSet()));
    return c;
  }

  /** The subset under `pe` (fieldpath.Set.WithPrefix), empty when none. */
  withPrefix(pe: string): PathSet {
    return this.children.get(pe) ?? new PathSet();
  }

  /** A deep copy. */
  clone(): PathSet {
    const s = new PathSet();
    for (const m of this.members) s.members.add(m);
    for (const [k, c] of this.children) s.children.set(k, c.clone());
    return s;
  }

  /** this ∪ other */
  union(other: PathSet): PathSet {
    const s = this.clone();
    for (const m of other.members) s.members.add(m);
    for (const [k, c] of other.children) {
      const mine = s.children.get(k);
      s.children.set(k, mine === undefined ? c.clone() : mine.union(c));
    }
    return s;
  }

  /** this − other (paths of this not in other). */
  difference(other: PathSet): PathSet {
    const s = new PathSet();
    for (const m of this.members) if (!other.members.has(m)) s.members.add(m);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      const d = o === undefined ? c.clone() : c.difference(o);
      if (!d.empty()) s.children.set(k, d);
    }
    return s;
  }

  /** this ∩ other */
  intersection(other: PathSet): PathSet {
    const s = new PathSet();
    for (const m of this.members) if (other.members.has(m)) s.members.add(m);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (o === undefined) continue;
      const i = c.intersection(o);
      if (!i.empty()) s.children.set(k, i);
    }
    return s;
  }

  /** this minus every path that other holds or lies under a member of other (RecursiveDifference). */
  recursiveDifference(other: PathSet): PathSet {
    const s = new PathSet();
    for (const m of this.members) if (!other.members.has(m)) s.members.add(m);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const o = other.children.get(k);
      const d = o === undefined ? c.clone() : c.recursiveDifference(o);
      if (!d.empty()) s.children.set(k, d);
    }
    return s;
  }

  /** Every path, in upstream's iteration order (members and children interleaved by element order). */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = [];
    const keys = [...new Set([...this.members, ...this.children.keys()])].sort(comparePathElements);
    for (const k of keys) {
      if (this.members.has(k)) out.push([...prefix, k]);
      const c = this.children.get(k);
      if (c !== undefined) out.push(...c.paths([...prefix, k]));
    }
    return out;
  }

  /** The `fieldsV1` encoding. */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false);
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (includeSelf) out['.'] = {};
    const keys = [...new Set([...this.members, ...this.children.keys()])].sort(comparePathElements);
    for (const k of keys) {
      const c = this.children.get(k);
      out[k] = c === undefined || c.empty() ? {} : c.emit(this.members.has(k));
    }
    return out;
  }

  /** Decodes `fieldsV1`. */
  static fromFieldsV1(f: unknown): PathSet {
    const s = new PathSet();
    if (f === null || typeof f !== 'object' || Array.isArray(f)) return s;
    for (const [k, v] of Object.entries(f as Record<string, unknown>)) {
      if (k === '.') continue;
      const sub = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
      const keys = Object.keys(sub);
      if (keys.length === 0 || '.' in sub) s.members.add(k);
      if (keys.some((x) => x !== '.')) {
        const c = PathSet.fromFieldsV1(sub);
        if (!c.empty()) s.children.set(k, c);
      }
    }
    return s;
  }
}

const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Upstream's order of path elements: fields by name, then keys, then values, then indices. */
export function comparePathElements(a: string, b: string): number {
  const ka = KIND_ORDER[a[0]!] ?? 4;
  const kb = KIND_ORDER[b[0]!] ?? 4;
  if (ka !== kb) return ka - kb;
  const sa = a.slice(2);
  const sb = b.slice(2);
  if (a[0] === 'i') return Number(sa) - Number(sb);
  if (a[0] === 'f') return sa < sb ? -1 : sa > sb ? 1 : 0;
  return compareJsonText(sa, sb);
}

function compareJsonText(a: string, b: string): number {
  let va: unknown;
  let vb: unknown;
  try {
    va = JSON.parse(a);
    vb = JSON.parse(b);
  } catch {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return compareValues(va, vb);
}

function typeRank(v: unknown): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** value.Compare-like ordering of JSON values (numbers numerically, key lists field by field). */
function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ea = Object.entries(a as Record<string, unknown>);
    const eb = Object.entries(b as Record<string, unknown>);
    for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
      const [na, xa] = ea[i]!;
      const [nb, xb] = eb[i]!;
      if (na !== nb) return na < nb ? -1 : 1;
      const c = compareValues(xa, xb);
      if (c !== 0) return c;
    }
    return ea.length - eb.length;
  }
  return 0;
}

/** A path as upstream prints it (fieldpath.Path.String): `.spec.containers[name="c"].image`. */
export function displayPath(path: readonly string[]): string {
  let s = '';
  for (const el of path) {
    const body = el.slice(2);
    if (el.startsWith('f:')) s += `.${body}`;
    else if (el.startsWith('k:')) {
      const o = JSON.parse(body) as Record<string, unknown>;
      s += `[${Object.entries(o)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    } else if (el.startsWith('v:')) s += `[=${body}]`;
    else if (el.startsWith('i:')) s += `[${body}]`;
  }
  return s;
}

/** The `k:` element of an associative list item with these key fields (sorted by name, as upstream). */
export function keyElement(fields: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(fields).sort()) sorted[k] = fields[k];
  return `k:${JSON.stringify(sorted)}`;
}
