/**
 * A field-by-field diff of two answers (answer.ts): the model's and the real scheduler's.
 *
 * Contract: returns one line per differing leaf, `path: model <json>, real <json>`, in a stable
 * order (object keys sorted; arrays compared by index); an empty list means the answers agree.
 * `id` and the oracle's informational `warnings` (feature gates it could not set, for instance) are
 * not compared. A field present on one side only is a difference (`(absent)`).
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

/** The differences between the model's and the real scheduler's answers (empty: they agree). */
export function diffAnswers(model: Answer, real: Answer): string[] {
  const out: string[] = [];
  const { id: _m, warnings: _mw, ...m } = model as Answer & { warnings?: unknown };
  const { id: _r, warnings: _rw, ...r } = real as Answer & { warnings?: unknown };
  walk('', m, r, out);
  return out;
}
