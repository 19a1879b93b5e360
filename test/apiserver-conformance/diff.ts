/**
 * Field-by-field difference of two normalised values. Arrays of objects that name their elements
 * (`name`, `resource`, `metadata.name`, `type`, `manager`) are matched by that key, so one missing
 * element is one difference (and a different order of the common elements is one more); other arrays
 * are compared by index. Arrays of scalars that differ are reported whole.
 */

/** One difference: where, and the two values (`undefined` = absent). */
export interface Difference {
  path: string;
  /** kube-apiserver's value. */
  real: unknown;
  /** The simulator's value. */
  sim: unknown;
}

/** Differences between `real` and `sim`, in document order. */
export function diff(real: unknown, sim: unknown, path = ''): Difference[] {
  if (Object.is(real, sim)) return [];
  if (Buffer.isBuffer(real) || Buffer.isBuffer(sim)) {
    return Buffer.isBuffer(real) && Buffer.isBuffer(sim) && real.equals(sim) ? [] : [{ path, real, sim }];
  }
  if (Array.isArray(real) && Array.isArray(sim)) return diffArrays(real, sim, path);
  if (isObject(real) && isObject(sim)) {
    const out: Difference[] = [];
    const keys = [...Object.keys(real), ...Object.keys(sim).filter((k) => !(k in real))];
    for (const k of keys) out.push(...diff(real[k], sim[k], `${path}.${k}`));
    return out;
  }
  return [{ path, real, sim }];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
}

const KEYS: ((o: Record<string, unknown>) => unknown)[] = [
  (o) => o['name'],
  (o) => o['resource'],
  (o) => o['subresource'],
  (o) => (isObject(o['metadata']) ? keyOfMeta(o['metadata']) : undefined),
  (o) => o['type'],
  (o) => (typeof o['manager'] === 'string' ? `${o['manager']}/${o['operation']}/${o['subresource'] ?? ''}` : undefined),
];

function keyOfMeta(m: Record<string, unknown>): string | undefined {
  return typeof m['name'] === 'string' ? `${m['namespace'] ?? ''}/${m['name']}` : undefined;
}

/** The key function that names every element uniquely, if any. */
function keyer(a: unknown[], b: unknown[]): ((o: unknown) => string) | undefined {
  const all = [...a, ...b];
  if (all.length === 0 || !all.every(isObject)) return undefined;
  for (const k of KEYS) {
    const ka = a.map((x) => k(x as Record<string, unknown>));
    const kb = b.map((x) => k(x as Record<string, unknown>));
    const ok = (ks: unknown[]): boolean => ks.every((x) => typeof x === 'string') && new Set(ks).size === ks.length;
    if (ok(ka) && ok(kb)) return (o) => String(k(o as Record<string, unknown>));
  }
  return undefined;
}

function diffArrays(real: unknown[], sim: unknown[], path: string): Difference[] {
  if (real.every((x) => !isObject(x) && !Array.isArray(x)) && sim.every((x) => !isObject(x) && !Array.isArray(x))) {
    return real.length === sim.length && real.every((x, i) => Object.is(x, sim[i])) ? [] : [{ path, real, sim }];
  }
  const key = keyer(real, sim);
  if (key === undefined) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(real.length, sim.length); i++) out.push(...diff(real[i], sim[i], `${path}[${i}]`));
    return out;
  }
  const out: Difference[] = [];
  const simBy = new Map(sim.map((x) => [key(x), x]));
  const realBy = new Map(real.map((x) => [key(x), x]));
  for (const x of real) out.push(...diff(x, simBy.get(key(x)), `${path}[${key(x)}]`));
  for (const x of sim) if (!realBy.has(key(x))) out.push({ path: `${path}[${key(x)}]`, real: undefined, sim: x });
  const realOrder = real.map(key).filter((k) => simBy.has(k));
  const simOrder = sim.map(key).filter((k) => realBy.has(k));
  if (realOrder.join('\n') !== simOrder.join('\n'))
    out.push({ path: `${path}(order)`, real: realOrder, sim: simOrder });
  return out;
}
