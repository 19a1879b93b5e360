/**
 * Schema-driven operations on objects, as structured-merge-diff v6's typed package does them: the
 * field set of a value (ToFieldSet), the comparison of two values (Compare: added, modified, removed
 * paths), the apply merge (Merge with the right-hand side winning), item removal (RemoveItems) and
 * EnsureNamedFieldsAreMembers. Types come from field-schema.ts.
 *
 * `goView` stands in for the Go struct a kube-apiserver object is held in: struct fields that are not
 * pointers are always present (`{}` when empty), fields without `omitempty` hold their zero value
 * (the schema's zero default) and required lists and maps are present as `null`, so a field added
 * under them is not itself "added" (no `.` entry), as upstream records it.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are wire JSON walked by schema. */
import { jsonEqual } from '../../kube-api/json-equal';
import { type ListNode, type MapNode, type TypeNode, fieldType, nodeFor, nullFieldsOf } from './field-schema';
import { PathSet, keyElement } from './fieldpath';

/** The result of comparing two values (typed.Comparison). */
export interface Comparison {
  added: PathSet;
  modified: PathSet;
  removed: PathSet;
}

function isObj(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function omittedZero(node: MapNode, k: string): boolean {
  return node.name === 'io.k8s.api.core.v1.ReplicationControllerSpec' && k === 'minReadySeconds';
}

/** The object as its Go struct holds it (see the file comment); `v` is not changed. */
export function goView(v: unknown, n: TypeNode): unknown {
  const node = nodeFor(n, v);
  if (node.t === 'map' && isObj(v)) {
    if (node.atomic) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = goView(x, fieldType(node, k));
    for (const [k, f] of node.fields) {
      if (k in out) continue;
      if (nullFieldsOf(node).includes(k)) out[k] = null;
      else if (f.struct) out[k] = goView({}, f.type());
      else if ((f.default === '' || f.default === 0 || f.default === false) && !omittedZero(node, k))
        out[k] = f.default;
      else if (node.required.has(k)) {
        const t = f.type();
        if (t.t === 'list' || t.t === 'map') out[k] = null;
      }
    }
    return out;
  }
  if (node.t === 'list' && Array.isArray(v)) {
    if (node.atomic) return v;
    const elem = node.elem();
    return v.map((x) => goView(x, elem));
  }
  return v;
}

/** The path element of one associative list item (keys defaulted from the schema), or undefined. */
export function itemElement(list: ListNode, item: unknown): string | undefined {
  if (list.keys.length === 0) {
    if (item === null || typeof item === 'object') return undefined;
    return `v:${JSON.stringify(item)}`;
  }
  if (!isObj(item)) return undefined;
  const elem = nodeFor(list.elem(), item);
  const key: Record<string, unknown> = {};
  for (const k of list.keys) {
    if (item[k] !== undefined) key[k] = item[k];
    else if (elem.t === 'map') {
      const d = elem.fields.get(k)?.default;
      if (d !== undefined) key[k] = d;
    }
  }
  if (Object.keys(key).length === 0) return undefined;
  return keyElement(key);
}

/** The field set of a value (ToFieldSet), as an applied configuration records it. */
export function toFieldSet(v: unknown, n: TypeNode): PathSet {
  const set = new PathSet();
  const walk = (path: string[], val: unknown, t: TypeNode): void => {
    const node = nodeFor(t, val);
    if (node.t === 'scalar' || node.t === 'any') {
      set.insert(path);
      return;
    }
    if (node.t === 'list') {
      if (node.atomic) {
        set.insert(path);
        return;
      }
      if (!Array.isArray(val)) return;
      const seen = new Set<string>();
      const dups = new Set<string>();
      const pes = val.map((x) => itemElement(node, x));
      for (const pe of pes) {
        if (pe === undefined) continue;
        if (seen.has(pe)) {
          if (!dups.has(pe)) {
            set.insert([...path, pe]);
            dups.add(pe);
          }
        } else seen.add(pe);
      }
      const elem = node.elem();
      val.forEach((x, i) => {
        const pe = pes[i];
        if (pe === undefined || dups.has(pe)) return;
        walk([...path, pe], x, elem);
        set.insert([...path, pe]);
      });
      return;
    }
    if (node.atomic) {
      set.insert(path);
      return;
    }
    if (!isObj(val)) return;
    for (const [k, x] of Object.entries(val)) {
      const p = [...path, `f:${k}`];
      walk(p, x, fieldType(node, k));
      if (x === null || (isObj(x) && Object.keys(x).length === 0)) set.insert(p);
      else if (!node.fields.has(k)) set.insert(p);
    }
  };
  walk([], v, n);
  return set;
}

/** Compares two values (typed Compare): what `r` added, modified and removed relative to `l`. */
export function compare(l: unknown, r: unknown, n: TypeNode): Comparison {
  const c: Comparison = { added: new PathSet(), modified: new PathSet(), removed: new PathSet() };
  const leaf = (path: string[], a: unknown, b: unknown): void => {
    if (a === undefined) c.added.insert(path);
    else if (b === undefined) c.removed.insert(path);
    else if (!jsonEqual(a, b)) c.modified.insert(path);
  };
  const walk = (path: string[], a: unknown, b: unknown, t: TypeNode): void => {
    const node = nodeFor(t, b !== undefined && b !== null ? b : a);
    let isLeaf = false;
    if (node.t === 'scalar' || node.t === 'any') isLeaf = true;
    else if (node.t === 'list') {
      const la = Array.isArray(a) ? a : undefined;
      const lb = Array.isArray(b) ? b : undefined;
      if ((a !== undefined && a !== null && la === undefined) || (b !== undefined && b !== null && lb === undefined))
        isLeaf = true;
      else if (node.atomic || ((la?.length ?? 0) === 0 && (lb?.length ?? 0) === 0)) isLeaf = true;
      else listItems(path, la ?? [], lb ?? [], node);
    } else {
      const ma = isObj(a) ? a : undefined;
      const mb = isObj(b) ? b : undefined;
      if ((a !== undefined && a !== null && ma === undefined) || (b !== undefined && b !== null && mb === undefined))
        isLeaf = true;
      else if (node.atomic || (Object.keys(ma ?? {}).length === 0 && Object.keys(mb ?? {}).length === 0)) isLeaf = true;
      else mapItems(path, ma ?? {}, mb ?? {}, node);
    }
    if (isLeaf) {
      if (path.length > 0) leaf(path, a, b);
      return;
    }
    if (path.length > 0) {
      if (a === undefined) c.added.insert(path);
      else if (b === undefined) c.removed.insert(path);
    }
  };
  const mapItems = (path: string[], a: Record<string, any>, b: Record<string, any>, node: MapNode): void => {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) walk([...path, `f:${k}`], a[k], b[k], fieldType(node, k));
  };
  const listItems = (path: string[], a: unknown[], b: unknown[], node: ListNode): void => {
    const group = (xs: unknown[]): { order: string[]; by: Map<string, unknown[]> } => {
      const by = new Map<string, unknown[]>();
      const order: string[] = [];
      for (const x of xs) {
        const pe = itemElement(node, x);
        if (pe === undefined) continue;
        const g = by.get(pe);
        if (g === undefined) {
          by.set(pe, [x]);
          order.push(pe);
        } else g.push(x);
      }
      return { order, by };
    };
    const ga = group(a);
    const gb = group(b);
    const all = [...ga.order, ...gb.order.filter((pe) => !ga.by.has(pe))];
    const elem = node.elem();
    for (const pe of all) {
      const la = ga.by.get(pe) ?? [];
      const lb = gb.by.get(pe) ?? [];
      const p = [...path, pe];
      if (la.length <= 1 && lb.length <= 1) walk(p, la[0], lb[0], elem);
      else if (la.length >= 2 && lb.length >= 2) {
        if (!jsonEqual(la, lb)) c.modified.insert(p);
      } else if (la.length >= 2) {
        if (lb.length !== 0) walk(p, undefined, lb[0], elem);
        c.removed.insert(p);
      } else {
        if (la.length !== 0) walk(p, la[0], undefined, elem);
        c.added.insert(p);
      }
    }
  };
  walk([], l, r, n);
  return c;
}

/** Merges `r` (an applied configuration) into `l` (typed Merge, right-hand side wins). */
export function merge(l: unknown, r: unknown, n: TypeNode): unknown {
  const node = nodeFor(n, r !== undefined && r !== null ? r : l);
  const keepRight = (): unknown => (r !== undefined ? structuredClone(r) : structuredClone(l));
  if (node.t === 'scalar' || node.t === 'any') return keepRight();
  if (node.t === 'list') {
    const la = Array.isArray(l) ? l : undefined;
    const lb = Array.isArray(r) ? r : undefined;
    if ((l !== undefined && l !== null && la === undefined) || (r !== undefined && r !== null && lb === undefined))
      return keepRight();
    if (node.atomic || ((la?.length ?? 0) === 0 && (lb?.length ?? 0) === 0)) return keepRight();
    const out = mergeList(la ?? [], lb ?? [], node);
    return out.length > 0 ? out : undefined;
  }
  const ma = isObj(l) ? l : undefined;
  const mb = isObj(r) ? r : undefined;
  if ((l !== undefined && l !== null && ma === undefined) || (r !== undefined && r !== null && mb === undefined))
    return keepRight();
  if (node.atomic || (Object.keys(ma ?? {}).length === 0 && Object.keys(mb ?? {}).length === 0)) return keepRight();
  const out: Record<string, unknown> = {};
  const a = ma ?? {};
  const b = mb ?? {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const v = merge(a[k], b[k], fieldType(node, k));
    if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function mergeList(lhs: unknown[], rhs: unknown[], node: ListNode): unknown[] {
  const elem = node.elem();
  const index = (xs: unknown[]): { pes: string[]; by: Map<string, unknown> } => {
    const pes: string[] = [];
    const by = new Map<string, unknown>();
    for (const x of xs) {
      const pe = itemElement(node, x) ?? `i:${pes.length}`;
      if (by.has(pe)) continue;
      by.set(pe, x);
      pes.push(pe);
    }
    return { pes, by };
  };
  const L = index(lhs);
  const R = index(rhs);
  const out: unknown[] = [];
  const shared = R.pes.filter((pe) => L.by.has(pe));
  let nextShared: string | undefined = shared.shift();
  const mergedRhs = new Set<string>();
  const item = (pe: string): void => {
    const v = merge(L.by.get(pe), R.by.get(pe), elem);
    if (v !== undefined) out.push(v);
  };
  let lI = 0;
  let rI = 0;
  while (lI < L.pes.length || rI < R.pes.length) {
    if (lI < L.pes.length && rI < R.pes.length) {
      const pe = L.pes[lI]!;
      if (pe === R.pes[rI]) {
        mergedRhs.add(pe);
        item(pe);
        lI++;
        rI++;
        nextShared = shared.shift();
        continue;
      }
      if (R.by.has(pe) && nextShared !== undefined && nextShared !== pe) {
        lI++;
        continue;
      }
    }
    if (lI < L.pes.length) {
      const pe = L.pes[lI]!;
      if (!R.by.has(pe)) {
        item(pe);
        lI++;
        continue;
      } else if (mergedRhs.has(pe)) lI++;
    }
    if (rI < R.pes.length) {
      const pe = R.pes[rI]!;
      mergedRhs.add(pe);
      item(pe);
      rI++;
      if (nextShared !== undefined && nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/** Removes the paths of `set` from a value (typed RemoveItems); emptied maps and lists go too. */
export function removeItems(v: unknown, set: PathSet, n: TypeNode): unknown {
  const node = nodeFor(n, v);
  if (node.t === 'list') {
    if (!Array.isArray(v) || v.length === 0 || node.atomic) return v;
    const out: unknown[] = [];
    const elem = node.elem();
    for (const x of v) {
      const pe = itemElement(node, x);
      if (pe === undefined) {
        out.push(x);
        continue;
      }
      if (set.members.has(pe)) continue;
      const sub = set.children.get(pe);
      out.push(sub !== undefined && !sub.empty() ? removeItems(x, sub, elem) : x);
    }
    return out.length > 0 ? out : undefined;
  }
  if (node.t === 'map') {
    if (!isObj(v) || Object.keys(v).length === 0 || node.atomic) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const pe = `f:${k}`;
      if (set.members.has(pe)) continue;
      const sub = set.children.get(pe);
      if (sub !== undefined && !sub.empty()) {
        const y = removeItems(x, sub, fieldType(node, k));
        if (y !== undefined) out[k] = y;
      } else out[k] = x;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return v;
}

/** Makes every named struct field that has children a member too (EnsureNamedFieldsAreMembers). */
export function ensureNamedFieldsAreMembers(set: PathSet, n: TypeNode): PathSet {
  const out = new PathSet();
  for (const m of set.members) out.members.add(m);
  const map = n.t === 'map' ? n : n.t === 'any' ? n.map : undefined;
  const list = n.t === 'list' ? n : n.t === 'any' ? n.list : undefined;
  for (const [pe, c] of set.children) {
    let t: TypeNode | undefined;
    if (pe.startsWith('f:') && map !== undefined) {
      const name = pe.slice(2);
      if (map.fields.has(name)) out.members.add(pe);
      t = fieldType(map, name);
    } else if (pe.startsWith('k:') && list !== undefined) t = list.elem();
    out.children.set(pe, t === undefined ? c.clone() : ensureNamedFieldsAreMembers(c, t));
  }
  return out;
}
