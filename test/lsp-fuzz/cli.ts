/**
 * `npm run fuzz:lsp -- --seed S --count N [--cluster] [--first I] [--out DIR] [--no-save] [--server FILE] [--quiet]`
 *
 * Runs `node dist/server.js --stdio` (build it first: `npm run build`; `--server` names another
 * bundle) as its own process and sends
 * it N generated and mutated manifests (mutate.ts; input i of seed S is always the same), each
 * through exercise.ts: open, edits, diagnostics, codeLens, hovers, codeAction and the custom
 * requests. With `--cluster` the server is connected to a simulated cluster this process starts on
 * 127.0.0.1. A crash (the process exited) or a hang (no answer in 10 s) restarts the server.
 *
 * Every input that crashed, hung, logged or answered an error, or had an answer over 1 s is saved as
 * a regression fixture (fixtures.ts) unless `--no-save`. Progress goes to stderr; stdout ends with
 * exactly one line:
 *   `N inputs: C crashes, E errors, S over 1 s, RSS +M MB`
 * where C counts crashes and hangs, E inputs with errors, S answers over 1 s, and M the growth of
 * the server's VmRSS from after the warm-up inputs to the end. Exit 1 on any crash, hang or error.
 */
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { exercise, unexercised, type InputReport } from './exercise';
import { FIXTURE_DIR, findingOf, saveFixture } from './fixtures';
import { makeInput } from './mutate';
import { ROOT, ServerProcess, startFuzzCluster, type FuzzCluster } from './server-process';

/** Parsed arguments. */
export interface LspFuzzArgs {
  seed: number;
  count: number;
  first: number;
  cluster: boolean;
  out: string;
  save: boolean;
  quiet: boolean;
  /** The server bundle to run. */
  server: string;
}

/** An answer slower than this counts as slow (and its input is saved). */
export const SLOW_MS = 1000;

/** Fixtures saved per run at most (a regression should not flood the tree). */
const MAX_SAVED = 100;

const USAGE =
  'usage: npm run fuzz:lsp -- --seed S --count N [--cluster] [--first I] [--out DIR] [--no-save] [--server FILE] [--quiet]';

/** Parses argv; throws naming the bad flag. */
export function parseLspFuzzArgs(argv: readonly string[]): LspFuzzArgs {
  const out: LspFuzzArgs = {
    seed: 1,
    count: 100,
    first: 0,
    cluster: false,
    out: FIXTURE_DIR,
    save: true,
    quiet: false,
    server: path.join(ROOT, 'dist/server.js'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes('=') ? argv[i]!.split('=', 2) : [argv[i]!, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
      return v;
    };
    const num = (): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0)
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
      case '--cluster':
        out.cluster = true;
        break;
      case '--out':
        out.out = path.resolve(value());
        break;
      case '--server':
        out.server = path.resolve(value());
        break;
      case '--no-save':
        out.save = false;
        break;
      case '--quiet':
        out.quiet = true;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  return out;
}

/** Totals of a campaign. */
export interface Totals {
  inputs: number;
  crashes: number;
  errors: number;
  slow: number;
  rssGrowthMb: number | undefined;
}

/** The closing line. */
export function summaryLine(t: Totals): string {
  const rss = t.rssGrowthMb === undefined ? 'n/a' : `${t.rssGrowthMb >= 0 ? '+' : ''}${Math.round(t.rssGrowthMb)} MB`;
  return `${t.inputs} inputs: ${t.crashes} crashes, ${t.errors} errors, ${t.slow} over 1 s, RSS ${rss}`;
}

async function main(): Promise<number> {
  let args: LspFuzzArgs;
  try {
    args = parseLspFuzzArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (!existsSync(args.server)) {
    console.error(`fuzz:lsp: ${args.server} is missing; run \`npm run build\` first`);
    return 2;
  }
  const log = (s: string): void => {
    if (!args.quiet) process.stderr.write(`${s}\n`);
  };
  const skipped = unexercised();
  if (skipped.length > 0) log(`not sent (no params known for these protocol requests): ${skipped.join(', ')}`);
  let cluster: FuzzCluster | undefined;
  if (args.cluster) cluster = await startFuzzCluster();
  let server = await ServerProcess.start(args.server, cluster?.kubeconfig);
  const totals: Totals = { inputs: 0, crashes: 0, errors: 0, slow: 0, rssGrowthMb: undefined };
  const warmup = Math.min(50, Math.floor(args.count / 10));
  let rssBase = warmup === 0 ? server.rssMb() : undefined;
  let rssPeak = 0;
  let saved = 0;
  let worstMs = 0;
  const t0 = performance.now();
  for (let k = 0; k < args.count; k++) {
    const index = args.first + k;
    const input = makeInput(args.seed, index);
    const report: InputReport = await exercise(server.client, input, {
      uri: `file:///lsp-fuzz/${args.seed}-${index}.yaml`,
      seed: args.seed * 7 + index,
      ...(cluster !== undefined ? { kubeconfig: cluster.kubeconfig } : {}),
    });
    for (const line of server.takeStderr()) report.errors.push(`stderr: ${line}`);
    if (report.crash === undefined && server.exited !== undefined) report.crash = server.exited;
    totals.inputs++;
    if (report.crash !== undefined || report.hang !== undefined) totals.crashes++;
    if (report.errors.length > 0) totals.errors++;
    let inputWorst = { method: '', ms: 0 };
    for (const a of report.answers) {
      if (a.ms > SLOW_MS) totals.slow++;
      if (a.ms > inputWorst.ms) inputWorst = a;
    }
    worstMs = Math.max(worstMs, inputWorst.ms);
    const finding = findingOf(report, SLOW_MS);
    if (finding !== undefined) {
      const what =
        report.crash ?? report.hang ?? report.errors[0] ?? `${inputWorst.method} ${Math.round(inputWorst.ms)} ms`;
      log(`#${index} ${finding} [${input.recipe.join(' ')}] ${input.text.length} chars: ${what.slice(0, 300)}`);
      if (args.save && saved < MAX_SAVED) {
        saveFixture(args.out, args.seed, index, input, report, args.cluster, SLOW_MS);
        saved++;
      }
    }
    if (report.crash !== undefined || report.hang !== undefined) {
      await server.stop();
      server = await ServerProcess.start(args.server, cluster?.kubeconfig);
      rssBase = undefined;
    }
    const rss = server.rssMb();
    if (rss !== undefined) rssPeak = Math.max(rssPeak, rss);
    if (k + 1 === warmup || rssBase === undefined) rssBase = rss;
    if ((k + 1) % 500 === 0)
      log(
        `${k + 1}/${args.count} inputs, ${Math.round((performance.now() - t0) / 1000)} s: ${totals.crashes} crashes, ` +
          `${totals.errors} errors, ${totals.slow} slow, RSS ${Math.round(rss ?? 0)} MB (peak ${Math.round(rssPeak)})`,
      );
  }
  const rssEnd = server.rssMb();
  if (rssEnd !== undefined && rssBase !== undefined) totals.rssGrowthMb = rssEnd - rssBase;
  log(
    `done in ${Math.round((performance.now() - t0) / 1000)} s; slowest answer ${Math.round(worstMs)} ms; ` +
      `RSS ${Math.round(rssBase ?? 0)} -> ${Math.round(rssEnd ?? 0)} MB (peak ${Math.round(rssPeak)}); ${saved} fixtures saved`,
  );
  await server.stop();
  await cluster?.stop();
  console.log(summaryLine(totals));
  return totals.crashes > 0 || totals.errors > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(2);
    },
  );
}
