/**
 * CONTRIBUTING.md stays true: its five recipes are there, every repository path it names exists, and
 * each recipe ends with a proof that names a test that exists.
 *
 * A path is a backticked token without spaces holding a `/` or a file extension; `@src/` and `@test/`
 * are the tsconfig aliases of `src/` and `test/`; `<name>` placeholders check the folder before them.
 * Not paths: protocol methods (`kube/...`) and places outside the repository (`../...`).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const TEXT = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');

const RECIPES = [
  'Add a tree kind',
  'Add a command',
  'Add a scheduler plugin',
  'Add a simulator resource',
  'Add a protocol message',
];

/** The repository paths a piece of markdown names, as written. */
function pathsIn(markdown: string): string[] {
  return [...markdown.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!)
    .filter((t) => t.includes('/') || /\.(ts|mts|mjs|js|json|md|ya?ml|go|sh)$/.test(t))
    .filter((t) => !t.startsWith('kube/') && !t.startsWith('../'));
}

/** The file or folder a named path must be: aliases resolved, cut at the first placeholder. */
function onDisk(p: string): string {
  const plain = p.replace(/^@src\//, 'src/').replace(/^@test\//, 'test/');
  const cut = plain.includes('<') ? plain.slice(0, plain.indexOf('<')) : plain;
  return join(ROOT, cut);
}

/** The body of each `## ` section, by heading. */
function sections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const nl = part.indexOf('\n');
    out.set(part.slice(0, nl).trim(), part.slice(nl + 1));
  }
  return out;
}

test('CONTRIBUTING.md has the five recipes', () => {
  const headings = [...sections(TEXT).keys()];
  for (const r of RECIPES)
    assert.ok(
      headings.some((h) => h.startsWith(r)),
      `no "## ${r}" section (headings: ${headings.join('; ')})`,
    );
});

test('every path CONTRIBUTING.md names exists', () => {
  const named = pathsIn(TEXT);
  assert.ok(named.length >= 20, `only ${named.length} paths found: the extraction is broken`);
  assert.deepEqual(
    named.filter((p) => !existsSync(onDisk(p))),
    [],
  );
});

test('each recipe ends with a proof naming a test that exists', () => {
  for (const [heading, body] of sections(TEXT)) {
    if (!RECIPES.some((r) => heading.startsWith(r))) continue;
    const proof = body.slice(body.indexOf('Proof:'));
    assert.ok(body.includes('Proof:'), `"${heading}" has no Proof: line`);
    const tests = pathsIn(proof).filter((p) => p.startsWith('test/'));
    assert.ok(tests.length > 0, `"${heading}": its proof names no test`);
    for (const t of tests) assert.ok(existsSync(onDisk(t)), `"${heading}": ${t} does not exist`);
  }
});

test('the path check catches a path that does not exist', () => {
  assert.deepEqual(
    pathsIn('see `src/no/such-file.ts` and `kube/x`, `../shared/x`, `npm run x`').filter((p) => !existsSync(onDisk(p))),
    ['src/no/such-file.ts'],
  );
});
