/**
 * `npm run conformance -- [--oracle real] [--quiet] [files or dirs]`
 *
 * Without `--oracle`: runs the conformance scenarios (upstream kube-scheduler's own assertions,
 * `../shared/conformance` beside the repository by default) through the model and prints each
 * failure with an expected/actual diff, per-directory counts, and `N passed, M failed`.
 *
 * With `--oracle real`: asks the model and the real kube-scheduler framework (the Go oracle of
 * test/scheduler-oracle, k8s.io/kubernetes v1.37.2) the same scenarios and prints a field-by-field
 * diff for each disagreement, then `N agree, M disagree`. The real scheduler is the judge: the
 * scenarios' own `expect` is not consulted. A scenario the oracle cannot run (invalid input) is
 * counted as a disagreement with its reason, never dropped.
 *
 * Exits 1 on any failure or disagreement, or when a path holds no scenarios (a run with zero cases
 * never passes), 2 for bad arguments.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { modelAnswer, type Scenario, diffAnswers, runScenario } from '../src/scheduler/conformance';
import { repoRoot } from '../test/real-cluster/binaries';
import { KUBERNETES_VERSION } from '../test/real-cluster/binaries';
import { realAnswers } from '../test/scheduler-oracle/oracle';

/** Every .json file under `p`, sorted. */
export function collectFiles(p: string, out: string[] = []): string[] {
  const st = statSync(p);
  if (st.isDirectory()) for (const name of readdirSync(p).sort()) collectFiles(path.join(p, name), out);
  else if (p.endsWith('.json')) out.push(p);
  return out;
}

/** The scenarios of one file (an array, or a single scenario). */
export function readScenarios(file: string): Scenario[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return (Array.isArray(parsed) ? parsed : [parsed]) as Scenario[];
}

/** The default corpus: `../shared/conformance` beside the repository. */
export function defaultCorpus(): string {
  return path.resolve(repoRoot(), '..', 'shared', 'conformance');
}

interface Loaded {
  file: string;
  scenarios: Scenario[];
}

function load(roots: readonly string[]): { loaded: Loaded[]; problems: string[] } {
  const loaded: Loaded[] = [];
  const problems: string[] = [];
  for (const r of roots) {
    let files: string[];
    try {
      files = collectFiles(path.resolve(r));
    } catch (e) {
      problems.push(`cannot read ${r}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (files.length === 0) problems.push(`${r}: no scenario files (*.json) here`);
    for (const f of files) {
      try {
        loaded.push({ file: f, scenarios: readScenarios(f) });
      } catch (e) {
        problems.push(`${f}: cannot parse: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return { loaded, problems };
}

function corpusCheck(loaded: readonly Loaded[], quiet: boolean): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  const perDir = new Map<string, { passed: number; failed: number }>();
  for (const { file, scenarios } of loaded) {
    const dir = path.basename(path.dirname(file));
    const counts = perDir.get(dir) ?? { passed: 0, failed: 0 };
    perDir.set(dir, counts);
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
  if (!quiet) {
    console.log('');
    for (const [dir, c] of [...perDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      console.log(`  ${dir}: ${c.passed} passed, ${c.failed} failed`);
  }
  return { passed, failed };
}

async function oracleCheck(loaded: readonly Loaded[]): Promise<{ agree: number; disagree: number }> {
  const scenarios = loaded.flatMap((l) => l.scenarios);
  const real = await realAnswers(scenarios);
  let agree = 0;
  let disagree = 0;
  scenarios.forEach((s, i) => {
    const model = modelAnswer(s, { kubernetesVersion: KUBERNETES_VERSION });
    const diff =
      real[i]!.error !== undefined ? [`the oracle could not run it: ${real[i]!.error}`] : diffAnswers(model, real[i]!);
    if (diff.length === 0) {
      agree++;
      return;
    }
    disagree++;
    console.log(`DISAGREE ${s.id}`);
    for (const d of diff.slice(0, 40)) console.log(`    ${d}`);
    if (diff.length > 40) console.log(`    ... ${diff.length - 40} more`);
  });
  return { agree, disagree };
}

async function main(argv: string[]): Promise<number> {
  let oracle: string | undefined;
  let quiet = false;
  const roots: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--oracle') oracle = argv[++i];
    else if (a.startsWith('--oracle=')) oracle = a.slice('--oracle='.length);
    else if (a === '--quiet') quiet = true;
    else if (a.startsWith('--')) {
      console.error(`unknown option ${a}; usage: npm run conformance -- [--oracle real] [--quiet] [files or dirs]`);
      return 2;
    } else roots.push(a);
  }
  if (oracle !== undefined && oracle !== 'real') {
    console.error(
      `--oracle: only "real" (the Go oracle over k8s.io/kubernetes ${KUBERNETES_VERSION}) exists, got ${oracle}`,
    );
    return 2;
  }
  const { loaded, problems } = load(roots.length > 0 ? roots : [defaultCorpus()]);
  for (const p of problems) console.log(`FAIL ${p}`);
  const total = loaded.reduce((n, l) => n + l.scenarios.length, 0);
  if (total === 0) {
    console.log('0 passed, 1 failed (no scenarios: a run with zero cases does not pass)');
    return 1;
  }
  if (oracle === 'real') {
    const { agree, disagree } = await oracleCheck(loaded);
    console.log(`${agree} agree, ${disagree} disagree`);
    console.log(`${agree} passed, ${disagree + problems.length} failed`);
    return disagree + problems.length > 0 ? 1 : 0;
  }
  const { passed, failed } = corpusCheck(loaded, quiet);
  console.log(`${passed} passed, ${failed + problems.length} failed`);
  return failed + problems.length > 0 ? 1 : 0;
}

if (process.argv[1] && /conformance\.[cm]?[tj]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(`conformance: ${e instanceof Error ? e.message : String(e)}`);
      console.log('0 passed, 1 failed');
      process.exitCode = 1;
    },
  );
}
