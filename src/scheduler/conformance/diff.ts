/**
 * A field-by-field diff of two answers (answer.ts): the model's and the real scheduler's.
 *
 * Contract: returns one line per differing leaf, `path: model <json>, real <json>`, in a stable
 * order (object keys sorted; arrays compared by index); an empty list means the answers agree.
 * `id` and the oracle's informational `warnings` (feature gates it could not set, for instance) are
 * not compared, and NodeResourcesFit's scalar-resource reasons are compared without their order
 * (upstream emits them in random Go map order). A field present on one side only is a difference
 * (`(absent)`).
 */
import type { Answer } from './answer';

const ABSENT = '(absent)';

function show(v: unknown): string {
  return v === undefined ? ABSENT : JSON.stringify(v);
}

function walk(path: string, a: unknown, b: unknown, out: string[]): void {
  if (Object.is(a, b)) return;
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) {
    out.push(`${path}: model ${show(a)}, real ${show(b)}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    // Lists of names compare as wholes: an index-by-index walk would report every shifted element.
    if (a.every((x) => typeof x !== 'object') && b.every((x) => typeof x !== 'object')) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: model ${show(a)}, real ${show(b)}`);
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort()) {
    walk(path === '' ? k : `${path}.${k}`, ao[k], bo[k], out);
  }
}

const FIXED_FIT_REASONS = new Set([
  'Too many pods',
  'Insufficient cpu',
  'Insufficient memory',
  'Insufficient ephemeral-storage',
]);

/**
 * NodeResourcesFit reports scalar resources (extended resources, hugepages) in Go map order, which
 * is random from run to run; their reasons come last, after the fixed ones, and are compared sorted.
 */
function normalizeStatus(st: unknown): unknown {
  if (st === null || typeof st !== 'object') return st;
  const s = st as { plugin?: string; reasons?: string[] };
  if (s.plugin !== 'NodeResourcesFit' || !Array.isArray(s.reasons)) return st;
  const fixed = s.reasons.filter((r) => FIXED_FIT_REASONS.has(r));
  const scalars = s.reasons.filter((r) => !FIXED_FIT_REASONS.has(r)).sort();
  return { ...s, reasons: [...fixed, ...scalars] };
}

function normalize(a: Answer): Record<string, unknown> {
  const { id: _id, warnings: _w, ...rest } = a as Answer & { warnings?: unknown };
  const out: Record<string, unknown> = { ...rest };
  if (a.filter) out['filter'] = Object.fromEntries(Object.entries(a.filter).map(([n, st]) => [n, normalizeStatus(st)]));
  if (a.nodes)
    out['nodes'] = Object.fromEntries(
      Object.entries(a.nodes).map(([n, v]) => [n, { ...v, filter: normalizeStatus(v.filter) }]),
    );
  return out;
}

/** The differences between the model's and the real scheduler's answers (empty: they agree). */
export function diffAnswers(model: Answer, real: Answer): string[] {
  const out: string[] = [];
  walk('', normalize(model), normalize(real), out);
  return out;
}
