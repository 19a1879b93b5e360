/**
 * Limits on YAML input (request bodies, snapshot files): js-yaml shares one object for every alias of
 * an anchor, so an alias bomb ("billion laughs") parses small but expands exponentially as soon as it is
 * copied, serialized or walked. `loadYamlBounded` / `loadAllYamlBounded` refuse a document whose
 * alias-expanded size exceeds what its text could hold without aliases, as Go's yaml decoder (used by
 * kube-apiserver) refuses "excessive aliasing".
 */
import * as yaml from 'js-yaml';

/** The message Go's yaml decoder gives for an alias bomb. */
export const EXCESSIVE_ALIASING = 'document contains excessive aliasing';

/**
 * True when walking `v` with every alias expanded visits at most `budget` nodes. Stops as soon as the
 * budget is spent, so a bomb costs at most `budget` steps.
 */
export function expandsWithin(v: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (--left < 0) return false;
    if (x !== null && typeof x === 'object') {
      if (Array.isArray(x)) for (const e of x) stack.push(e);
      else for (const k in x) stack.push((x as Record<string, unknown>)[k]);
    }
  }
  return true;
}

/**
 * The node budget for a YAML text: without aliases each node takes at least one character of the
 * text, so a document can never legitimately expand beyond its length (plus slack for tiny inputs).
 */
export function expansionBudget(text: string): number {
  return Math.max(100_000, text.length);
}

/** `yaml.load`, throwing `Error(EXCESSIVE_ALIASING)` for an alias bomb. */
export function loadYamlBounded(text: string, opts?: yaml.LoadOptions): unknown {
  const v = yaml.load(text, opts);
  if (text.includes('*') && !expandsWithin(v, expansionBudget(text))) throw new Error(EXCESSIVE_ALIASING);
  return v;
}

/** `yaml.loadAll`, throwing `Error(EXCESSIVE_ALIASING)` when the documents together expand too far. */
export function loadAllYamlBounded(text: string, opts?: yaml.LoadOptions): unknown[] {
  const docs = yaml.loadAll(text, undefined, opts);
  if (text.includes('*') && !expandsWithin(docs, expansionBudget(text))) throw new Error(EXCESSIVE_ALIASING);
  return docs;
}
