/**
 * `npm run conformance -- [files or dirs]`: runs conformance scenarios and prints failures with
 * a readable expected/actual diff, per-directory counts, and finally `N passed, M failed`.
 * Exits 1 on any failure (or unreadable input). With no arguments it runs
 * `<repo>/../shared/conformance`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { runScenario, type Scenario } from './runner';

function collect(p: string, out: string[]): void {
  const st = statSync(p);
  if (st.isDirectory()) {
    for (const name of readdirSync(p).sort()) collect(path.join(p, name), out);
  } else if (p.endsWith('.json')) {
    out.push(p);
  }
}

function main(argv: string[]): number {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const roots = argv.length > 0 ? argv : [path.resolve(repoRoot, '..', 'shared', 'conformance')];
  const files: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const r of roots) {
    try {
      collect(path.resolve(r), files);
    } catch (e) {
      console.error(`cannot read ${r}: ${e instanceof Error ? e.message : String(e)}`);
      failed++;
    }
  }
  const perDir = new Map<string, { passed: number; failed: number }>();
  for (const f of files) {
    const dir = path.basename(path.dirname(f));
    const counts = perDir.get(dir) ?? { passed: 0, failed: 0 };
    perDir.set(dir, counts);
    let scenarios: Scenario[];
    try {
      const parsed: unknown = JSON.parse(readFileSync(f, 'utf8'));
      scenarios = (Array.isArray(parsed) ? parsed : [parsed]) as Scenario[];
    } catch (e) {
      console.log(`FAIL ${f}: cannot parse: ${e instanceof Error ? e.message : String(e)}`);
      failed++;
      counts.failed++;
      continue;
    }
    for (const s of scenarios) {
      const r = runScenario(s);
      if (r.passed) {
        passed++;
        counts.passed++;
      } else {
        failed++;
        counts.failed++;
        console.log(`FAIL ${r.id}`);
        for (const m of r.failures) console.log(`    ${m}`);
      }
    }
  }
  console.log('');
  for (const [dir, c] of [...perDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    console.log(`  ${dir}: ${c.passed} passed, ${c.failed} failed`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
