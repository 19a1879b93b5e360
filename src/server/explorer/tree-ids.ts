/**
 * Tree node ids: `/`-joined, URI-encoded segments whose first segment is the context name. An object row
 * ends in `~/<kind>/<namespace>/<name>` (namespace empty for cluster-scoped objects; `~` is never part of a
 * Kubernetes name, so the mark cannot be mistaken for a namespace or name), so the server can
 * resolve any row back to its object whatever branch it sits in.
 *
 * Contract: `joinId(parseId(id)) === id`; `objectOf` returns the object of a row, or undefined for
 * structural rows (groups, the cluster, a context).
 */

/** The marker segment before an object's kind, namespace and name (a character no Kubernetes name contains). */
export const OBJECT_MARK = '~';

/**
 * Splits an id into decoded segments. Never throws: a segment that is not valid percent-encoding
 * (an id no row ever had, sent by a client) is kept as it is, and then names no row.
 */
export function parseId(id: string): string[] {
  return id === '' ? [] : id.split('/').map(decodeSegment);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Joins decoded segments into an id. */
export function joinId(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

/** The id of a child row: `parent` plus `segments`. */
export function childId(parent: string, ...segments: string[]): string {
  const tail = joinId(segments);
  return parent === '' ? tail : `${parent}/${tail}`;
}

/** An object a row stands for. */
export interface ObjectRef {
  /** The watched-kind key (`pods`, `deployments`, ...) or `cr:<crd name>` for custom resources, `helm` for releases. */
  kind: string;
  namespace: string;
  name: string;
}

/** The id of `ref` shown under `parent`. */
export function objectId(parent: string, ref: ObjectRef): string {
  return childId(parent, OBJECT_MARK, ref.kind, ref.namespace, ref.name);
}

/** The object a row stands for, if it is an object row. */
export function objectOf(id: string): ObjectRef | undefined {
  const s = parseId(id);
  const n = s.length;
  if (n < 5 || s[n - 4] !== OBJECT_MARK) return undefined;
  return { kind: s[n - 3]!, namespace: s[n - 2]!, name: s[n - 1]! };
}

/** The parent id of `id` ('' for a root row). Object rows drop their four object segments. */
export function parentOf(id: string): string {
  const s = parseId(id);
  if (s.length <= 1) return '';
  const cut = objectOf(id) !== undefined ? 4 : 1;
  return joinId(s.slice(0, s.length - cut));
}
