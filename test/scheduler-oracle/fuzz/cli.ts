/**
 * `npm run fuzz:scheduler -- --seed S --count N [--nodes K] [--first I] [--batch B] [--record]`
 *
 * Generates N random yet valid clusters and pods (generate.ts; case i of seed S is always the
 * same), asks the model and the real kube-scheduler framework (the Go oracle, k8s.io/kubernetes
 * v1.37.2) the same question, and prints `N agree, M disagree` (plus `I invalid` when the real
 * apiserver code rejected a generated object: a generator bug, never counted as agreement).
 *
 * Every disagreement is saved to `test-results/fuzz-scheduler/<seed>-<index>.json` with the
 * scenario, both answers and the field-by-field diff; `--record` also writes it as a regression
 * fixture under `test/fixtures/scheduler-oracle/` (scenario + the real scheduler's answer), which
 * the unit tests replay through the model without Go. Exit 1 on any disagreement or invalid case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { modelAnswer, type Answer, type Scenario, diffAnswers } from '../../../src/scheduler/conformance';
import { KUBERNETES_VERSION, repoRoot } from '../../real-cluster/binaries';
import { ensureOracle, realAnswers } from '../oracle';
import { generateCase } from './generate';
import { recordRegressions } from './regressions';

/** Parsed arguments. */
export interface FuzzArgs {
  seed: number;
  count: number;
  first: number;
  nodes: number | undefined;
  batch: number;
  record: boolean;
  recordRegressions: boolean;
  quiet: boolean;
}

const USAGE =
  'usage: npm run fuzz:scheduler -- --seed S --count N [--nodes K] [--first I] [--batch B] [--record] [--quiet]';

/** Parses argv; throws naming the bad flag. */
export function parseFuzzArgs(argv: readonly string[]): FuzzArgs {
  const out: FuzzArgs = {
    seed: 1,
    count: 100,
    first: 0,
    nodes: undefined,
    batch: 250,
    record: false,
    recordRegressions: false,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes('=') ? argv[i]!.split('=', 2) : [argv[i]!, undefined];
    const num = (): number => {
      const v = inline ?? argv[++i];
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 0)
        throw new Error(`${flag}: expected a non-negative integer, got ${v}\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case '--seed':
        out.seed = num();
        break;
      case '--count':
        out.count = num();
        break;
      case '--first':
        out.first = num();
        break;
      case '--nodes':
        out.nodes = num();
        break;
      case '--batch':
        out.batch = Math.max(1, num());
        break;
      case '--record':
        out.record = true;
        break;
      case '--quiet':
        out.quiet = true;
        break;
      case '--record-regressions':
        out.recordRegressions = true;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  return out;
}

/** One compared case. */
export interface Compared {
  scenario: Scenario;
  model: Answer;
  real: Answer;
  diff: string[];
}

/** Compares the model's and the oracle's answers for one batch of cases. */
export async function compareBatch(scenarios: readonly Scenario[], oracle: string): Promise<Compared[]> {
  // The oracle works in its own process while the model answers here: two cores, one batch.
  const pending = realAnswers(scenarios, oracle);
  const models = scenarios.map((s) => modelAnswer(s, { kubernetesVersion: KUBERNETES_VERSION }));
  const real = await pending;
  return scenarios.map((scenario, i) => ({
    scenario,
    model: models[i]!,
    real: real[i]!,
    diff: real[i]!.error !== undefined ? [] : diffAnswers(models[i]!, real[i]!),
  }));
}

function fileName(id: string): string {
  return `${id.replace(/^fuzz\//, '').replace(/\//g, '-')}.json`;
}

async function main(): Promise<number> {
  let args: FuzzArgs;
  try {
    args = parseFuzzArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (args.recordRegressions) {
    const n = await recordRegressions();
    console.log(`${n} regression cases recorded in test/fixtures/scheduler-oracle/`);
    return 0;
  }
  const oracle = await ensureOracle();
  const outDir = path.join(repoRoot(), 'test-results', 'fuzz-scheduler');
  const fixtures = path.join(repoRoot(), 'test', 'fixtures', 'scheduler-oracle');
  fs.mkdirSync(outDir, { recursive: true });
  let agree = 0;
  let disagree = 0;
  let invalid = 0;
  const started = Date.now();
  for (let at = args.first; at < args.first + args.count; at += args.batch) {
    const n = Math.min(args.batch, args.first + args.count - at);
    const scenarios = Array.from({ length: n }, (_, k) =>
      generateCase(args.seed, at + k, args.nodes !== undefined ? { nodes: args.nodes } : {}),
    );
    for (const c of await compareBatch(scenarios, oracle)) {
      if (c.real.error !== undefined) {
        invalid++;
        console.log(`INVALID ${c.scenario.id}: ${c.real.error}`);
        fs.writeFileSync(
          path.join(outDir, fileName(c.scenario.id)),
          JSON.stringify({ ...c, diff: undefined }, null, 1),
        );
        continue;
      }
      if (c.diff.length === 0) {
        agree++;
        continue;
      }
      disagree++;
      console.log(`DISAGREE ${c.scenario.id}`);
      if (!args.quiet) for (const d of c.diff.slice(0, 12)) console.log(`    ${d}`);
      fs.writeFileSync(path.join(outDir, fileName(c.scenario.id)), JSON.stringify(c, null, 1));
      if (args.record) {
        fs.mkdirSync(fixtures, { recursive: true });
        fs.writeFileSync(
          path.join(fixtures, fileName(c.scenario.id)),
          `${JSON.stringify({ scenario: c.scenario, real: c.real }, null, 1)}\n`,
        );
      }
    }
    const done = at + n - args.first;
    if (!args.quiet || done === args.count)
      process.stderr.write(`[fuzz] ${done}/${args.count} cases, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  console.log(`seed ${args.seed}, cases ${args.first}..${args.first + args.count - 1}`);
  console.log(`${agree} agree, ${disagree} disagree${invalid > 0 ? `, ${invalid} invalid (generator bugs)` : ''}`);
  console.log(`${agree} passed, ${disagree + invalid} failed`);
  return disagree + invalid > 0 ? 1 : 0;
}

if (process.argv[1] && /fuzz[/\\]cli\.[cm]?[tj]s$/.test(process.argv[1])) {
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(`fuzz:scheduler: ${e instanceof Error ? e.message : String(e)}`);
      console.log('0 passed, 1 failed');
      process.exitCode = 1;
    },
  );
}
