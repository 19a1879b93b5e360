/**
 * The import picture of src/ has no circles (issue 14): a depth-first search over every relative
 * import between source files. `import type` counts: a type-only circle still means two files each
 * need the other to be read, and the design has to be untangled the same way (a third file both use).
 * Re-exports and dynamic `import()` count too; package imports are not followed.
 *
 * The finder is tested on synthetic graphs first, so a broken search cannot pass silently.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { scanImports } from './architecture.test';

const SRC = resolve(__dirname, '../../src');

/**
 * Circles left in areas other helpers own, each with its owner; every entry is a reviewed decision.
 * An entry whose circle is gone fails the test: remove it when you break the circle.
 */
const KNOWN_CIRCLES: { files: string[]; owner: string }[] = [];

/** The circles of `graph` (file → files it imports): each strongly connected part with a cycle, as one cycle path. */
export function findCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's depth-first search: every strongly connected component of size > 1 (or a self-import) holds a circle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const parts: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const part: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      part.push(w);
    } while (w !== v);
    if (part.length > 1 || (graph.get(v) ?? []).includes(v)) parts.push(part);
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  // One readable cycle per part: from its first file (sorted) back to it, inside the part.
  return parts.map((part) => {
    const inPart = new Set(part);
    const start = [...part].sort()[0]!;
    const path = [start];
    const seen = new Set([start]);
    const walk = (v: string): boolean => {
      for (const w of graph.get(v) ?? []) {
        if (w === start) return true;
        if (!inPart.has(w) || seen.has(w)) continue;
        seen.add(w);
        path.push(w);
        if (walk(w)) return true;
        path.pop();
      }
      return false;
    };
    walk(start);
    return [...path, start];
  });
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The file a relative specifier of `from` names (`x.ts`, `x/index.ts`, or a data file such as `x.json`), or undefined. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  for (const c of [`${base}.ts`, join(base, 'index.ts'), base]) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

describe('import circle finder', () => {
  const g = (edges: Record<string, string[]>): Map<string, string[]> => new Map(Object.entries(edges));

  test('finds a three-file circle, as a path back to its start', () => {
    assert.deepEqual(findCircles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] })), [['a', 'b', 'c', 'a']]);
  });

  test('finds a self-import and two separate circles', () => {
    const found = findCircles(g({ a: ['a'], b: ['c'], c: ['b'], d: [] }));
    assert.deepEqual(found.map((c) => c.join('>')).sort(), ['a>a', 'b>c>b']);
  });

  test('a diamond (two ways to the same file) is not a circle', () => {
    assert.deepEqual(findCircles(g({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] })), []);
  });
});

describe('the import picture of src/', () => {
  test('has no circles (type imports included) beyond the named exceptions', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 100, `only ${files.length} source files found under ${SRC}`);
    const graph = new Map<string, string[]>();
    const unresolved: string[] = [];
    for (const file of files) {
      const from = relative(SRC, file);
      const targets: string[] = [];
      for (const ref of scanImports(readFileSync(file, 'utf8'))) {
        if (!ref.specifier.startsWith('.')) continue;
        const target = resolveImport(file, ref.specifier);
        if (target === undefined) unresolved.push(`${from} imports '${ref.specifier}'`);
        else targets.push(relative(SRC, target));
      }
      graph.set(from, targets);
    }
    assert.deepEqual(unresolved, [], 'every relative import names a source file');
    const circles = findCircles(graph);
    const key = (files: readonly string[]): string => [...new Set(files)].sort().join(' ');
    const known = new Set(KNOWN_CIRCLES.map((k) => key(k.files)));
    const fresh = circles.filter((c) => !known.has(key(c)));
    assert.deepEqual(
      fresh.map((c) => c.join(' → ')),
      [],
      'import circles: move what both files need into a third file, or pass functions in',
    );
    const found = new Set(circles.map(key));
    const stale = KNOWN_CIRCLES.filter((k) => !found.has(key(k.files)));
    assert.deepEqual(
      stale.map((k) => `${key(k.files)} (${k.owner})`),
      [],
      'these known circles are gone: remove their KNOWN_CIRCLES entries',
    );
  });
});
