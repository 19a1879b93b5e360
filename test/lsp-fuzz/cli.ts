/**
 * `npm run fuzz:lsp -- --seed S --count N [--cluster] [--first I] [--out DIR] [--no-save] [--server FILE] [--hang-ms MS] [--rss-out FILE] [--quiet]`
 *
 * Runs `node dist/server.js --stdio` (build it first: `npm run build`; `--server` names another
 * bundle) as its own process and sends
 * it N generated and mutated manifests (mutate.ts; input i of seed S is always the same), each
 * through exercise.ts: open, edits, diagnostics, codeLens, hovers, codeAction and the custom
 * requests. With `--cluster` the server is connected to a simulated cluster this process starts on
 * 127.0.0.1. A crash (the process exited) or a hang (no answer in 10 s, or `--hang-ms`) restarts the server.
 *
 * Every input that crashed, hung, logged or answered an error, or had an answer over 1 s is saved as
 * a regression fixture (fixtures.ts) unless `--no-save`. Progress goes to stderr; stdout ends with
 * this line (after one line stating the RSS definition):
 *   `N inputs: C crashes, E errors, S over 1 s, RSS +M MB`
 * where C counts crashes and hangs, E inputs with errors, S answers over 1 s, and M the growth of
 * the server's VmRSS from after the warm-up to the end ({@link RSS_GROWTH_DEFINITION}; `n/a` for runs
 * too short to have both windows). Exit 1 on any crash, hang or error.
 *
 * The server runs with the product's V8 flags (src/shared/server-launch.ts), as the extension starts it.
 */
import { performance } from 'node:perf_hooks';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
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
  /** No answer in this many ms is a hang (default 10 s; longer when profiling the server). */
  hangMs: number;
  /** Writes the server's VmRSS after each input (MB, one a line) to this file. */
  rssOut: string | undefined;
  /** `--help`: print the usage and the RSS definition, run nothing. */
  help: boolean;
}

/** An answer slower than this counts as slow (and its input is saved). */
export const SLOW_MS = 1000;

/** Inputs before the RSS baseline: the server's heap and code caches grow to their working size. */
export const RSS_WARMUP_INPUTS = 1000;
/**
 * Inputs in each RSS window (VmRSS is read after every input; a window's figure is its median). Wide:
 * a 1-2 MB input leaves the old generation high for dozens of inputs, so short windows were noisy.
 */
export const RSS_WINDOW_INPUTS = 1000;

/** What `RSS +M MB` means, as the help and the closing lines say it. */
export const RSS_GROWTH_DEFINITION =
  `RSS growth = median VmRSS of the server over the last ${RSS_WINDOW_INPUTS} inputs minus the median over ` +
  `inputs ${RSS_WARMUP_INPUTS + 1}-${RSS_WARMUP_INPUTS + RSS_WINDOW_INPUTS} (after a ${RSS_WARMUP_INPUTS}-input warm-up), ` +
  `read from /proc after each input; n/a under ${RSS_WARMUP_INPUTS + RSS_WINDOW_INPUTS} inputs`;

/**
 * The RSS growth of a run from its per-input VmRSS samples (MB, in input order since the server
 * started): the median of the last window minus the median of the window after the warm-up;
 * undefined when there are fewer than warm-up + one window of samples.
 */
export function rssGrowthMb(samples: readonly number[]): number | undefined {
  if (samples.length < RSS_WARMUP_INPUTS + RSS_WINDOW_INPUTS) return undefined;
  const base = median(samples.slice(RSS_WARMUP_INPUTS, RSS_WARMUP_INPUTS + RSS_WINDOW_INPUTS));
  const end = median(samples.slice(samples.length - RSS_WINDOW_INPUTS));
  return end - base;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Fixtures saved per run at most (a regression should not flood the tree). */
const MAX_SAVED = 100;

const USAGE =
  'usage: npm run fuzz:lsp -- --seed S --count N [--cluster] [--first I] [--out DIR] [--no-save] [--server FILE] [--hang-ms MS] [--rss-out FILE] [--quiet]\n' +
  `stdout ends with "N inputs: C crashes, E errors, S over 1 s, RSS +M MB"; ${RSS_GROWTH_DEFINITION}`;

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
    hangMs: 10_000,
    rssOut: undefined,
    help: false,
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
      case '--rss-out':
        out.rssOut = path.resolve(value());
        break;
      case '--hang-ms':
        out.hangMs = num();
        break;
      case '--quiet':
        out.quiet = true;
        break;
      case '--help':
      case '-h':
        out.help = true;
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
  if (args.help) {
    console.log(USAGE);
    return 0;
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
  if (args.rssOut !== undefined) writeFileSync(args.rssOut, '');
  let cluster: FuzzCluster | undefined;
  if (args.cluster) cluster = await startFuzzCluster();
  let server = await ServerProcess.start(args.server, cluster?.kubeconfig);
  const totals: Totals = { inputs: 0, crashes: 0, errors: 0, slow: 0, rssGrowthMb: undefined };
  const rssStart = server.rssMb();
  // VmRSS after each input since the server (re)started; a restart starts a new series.
  let rss: number[] = [];
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
      timeoutMs: args.hangMs,
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
      log(`#${index}: server restarted; RSS growth counts from this restart`);
      rss = [];
    }
    const now = server.rssMb();
    if (now !== undefined) {
      rss.push(now);
      if (args.rssOut !== undefined) appendFileSync(args.rssOut, `${now.toFixed(1)}\n`);
      rssPeak = Math.max(rssPeak, now);
    }
    if ((k + 1) % 500 === 0)
      log(
        `${k + 1}/${args.count} inputs, ${Math.round((performance.now() - t0) / 1000)} s: ${totals.crashes} crashes, ` +
          `${totals.errors} errors, ${totals.slow} slow, RSS ${Math.round(now ?? 0)} MB (peak ${Math.round(rssPeak)})`,
      );
  }
  totals.rssGrowthMb = rssGrowthMb(rss);
  const mb = (x: number | undefined): string => (x === undefined ? 'n/a' : `${Math.round(x)} MB`);
  const window = (from: number): number | undefined =>
    rss.length >= from + RSS_WINDOW_INPUTS ? median(rss.slice(from, from + RSS_WINDOW_INPUTS)) : undefined;
  log(
    `done in ${Math.round((performance.now() - t0) / 1000)} s; slowest answer ${Math.round(worstMs)} ms; ` +
      `RSS at start ${mb(rssStart)}, after warm-up ${mb(window(RSS_WARMUP_INPUTS))}, ` +
      `end ${mb(rss.length >= RSS_WINDOW_INPUTS ? window(rss.length - RSS_WINDOW_INPUTS) : undefined)}, ` +
      `peak ${mb(rssPeak)}; ${saved} fixtures saved`,
  );
  console.log(RSS_GROWTH_DEFINITION);
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
