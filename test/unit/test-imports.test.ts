/**
 * Tests import the product as `@src/<path>` and other test code as `@test/<path>` (tsconfig `paths`;
 * ARCHITECTURE.md "Tests"), never by climbing `../../../src/...`: a file moved to another folder then
 * keeps working, and a reader sees at once what is product and what is test code. Sibling imports
 * (`./helpers`) stay relative; `../` is fine for what is neither (scripts/, esbuild.mjs).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const FOLDERS = ['test/unit', 'test/integration', 'test/builders'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? tsFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** The module specifiers of a file's import and export statements (a statement starts its line). */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  return out;
}

/** The alias a relative specifier of `file` should have been, or undefined when relative is right. */
function aliasFor(file: string, spec: string): string | undefined {
  if (!spec.startsWith('../')) return undefined;
  const target = relative(ROOT, resolve(dirname(file), spec))
    .split('\\')
    .join('/');
  if (target.startsWith('src/')) return `@src/${target.slice('src/'.length)}`;
  if (target.startsWith('test/')) return `@test/${target.slice('test/'.length)}`;
  return undefined;
}

test('test files reach src/ and other test folders through @src/ and @test/, not ../', () => {
  const files = FOLDERS.flatMap((f) => tsFiles(join(ROOT, f)));
  const found: string[] = [];
  let aliased = 0;
  for (const file of files) {
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('@src/') || spec.startsWith('@test/')) aliased++;
      const alias = aliasFor(file, spec);
      if (alias !== undefined) found.push(`${relative(ROOT, file)}: '${spec}' is '${alias}'`);
    }
  }
  assert.ok(aliased > 300, `only ${aliased} aliased imports seen: the scan is broken`);
  assert.deepEqual(found, []);
});

test('the scan sees every form of import, and not import text inside strings', () => {
  const text = [
    "import { a } from '../../src/x';",
    "import type { B } from '../y';",
    "import {\n  c,\n} from '../../z';",
    "export { d } from './d';",
    "import './side-effect';",
    'const s = "import { e } from \'../inside-a-string\';";',
  ].join('\n');
  assert.deepEqual(specifiers(text).sort(), ['../../src/x', '../../z', '../y', './d', './side-effect']);
});
