/**
 * Helpers shared by the benchmarks in bench/: command-line options, the two statistics the reports
 * use, and the esbuild self-bundling that the scheduler and CodeLens benchmarks run under.
 *
 * Contract: pure functions over their arguments, except `relaunchBundled`, which builds a bundle in
 * a temporary folder and runs it synchronously.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The word after `--<name>` on the command line, `dflt` when the option is absent (a trailing
 * `--<name>` with no word after it gives undefined).
 */
export function arg<T extends string | undefined>(name: string, dflt: T): string | T {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}

/** The upper median of `xs` (the element at index ⌊n/2⌋ of the sorted copy), rounded to 2 decimals. */
export function roundedMedian(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]! * 100) / 100;
}

/** The nearest-rank `p`th percentile (0 < p ≤ 100) of an ascending `sorted` list; 0 for an empty list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)]!;
}

/**
 * Bundles `entry` (the calling benchmark's `__filename`) with esbuild into `<tmp>/<outName>` and
 * runs the bundle with `args`, as the extension ships bundled code. Node options named by
 * `forwardExecArgv` prefixes (e.g. `--cpu-prof`) are passed on. Returns false, doing nothing, when
 * already running bundled (`KF_BENCH_BUNDLED=1`) or when `args` has `--no-bundle`; otherwise sets
 * `process.exitCode` to the bundle's exit status and returns true.
 */
export function relaunchBundled(
  entry: string,
  outName: string,
  args: string[],
  forwardExecArgv: readonly string[] = [],
): boolean {
  if (process.env['KF_BENCH_BUNDLED'] === '1' || args.includes('--no-bundle')) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = join(mkdtempSync(join(tmpdir(), 'kf-bench-')), outName);
  esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'warning',
    external: ['esbuild'],
  });
  const node = process.execArgv.filter((a) => forwardExecArgv.some((prefix) => a.startsWith(prefix)));
  const r = spawnSync(process.execPath, [...node, out, ...args], {
    stdio: 'inherit',
    env: { ...process.env, KF_BENCH_BUNDLED: '1' },
  });
  process.exitCode = r.status ?? 1;
  return true;
}
