/**
 * The language-server fuzz campaign at full size, for `npm run bench`: `npm run fuzz:lsp` (test/lsp-fuzz)
 * with seed 1, first without a cluster, then connected to the simulated cluster, each as its own process.
 * Reports each run's closing counts (`N inputs: C crashes, E errors, S over 1 s, RSS +M MB`) as flat
 * numbers, and `findings` (crashes + errors + answers over 1 s, both runs): the goal is 0, with RSS
 * growth ≤ 50 MB per run. Findings are saved under test-results/lsp-fuzz-bench/, not as fixtures.
 *
 *   npm run bench:lsp-fuzz -- [--json FILE] [--seed 1] [--count 100000] [--cluster-count 100000]
 *
 * About 20–30 min per 100,000 inputs on 2 cores; `npm run bench` gives it BENCH_MINUTES (scripts/bench.mjs).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { arg } from './bench-util';

const ROOT = path.resolve(__dirname, '..');
const SEED = arg('seed', '1');
const COUNT = arg('count', '100000');
const CLUSTER_COUNT = arg('cluster-count', '100000');
const JSON_OUT = process.argv.includes('--json') ? arg('json', '') : '';

/** The closing counts of one run, or undefined when the line is missing (the run failed). */
export function parseSummary(
  stdout: string,
): { inputs: number; crashes: number; errors: number; over1s: number; rssGrowthMb: number | null } | undefined {
  const m =
    /^(\d+) inputs: (\d+) crashes, (\d+) errors, (\d+) over 1 s, RSS ([+-]?\d+(?:\.\d+)?|n\/a)(?: MB)?\s*$/m.exec(
      stdout,
    );
  if (m === null) return undefined;
  return {
    inputs: Number(m[1]),
    crashes: Number(m[2]),
    errors: Number(m[3]),
    over1s: Number(m[4]),
    rssGrowthMb: m[5] === 'n/a' ? null : Number(m[5]),
  };
}

function runOnce(count: string, cluster: boolean): ReturnType<typeof parseSummary> {
  const args = ['--import', 'tsx', 'test/lsp-fuzz/cli.ts', '--seed', SEED, '--count', count, '--quiet'];
  args.push('--out', path.join(ROOT, 'test-results', 'lsp-fuzz-bench'));
  if (cluster) args.push('--cluster');
  process.stderr.write(
    `[bench:lsp-fuzz] seed ${SEED}, ${count} inputs${cluster ? ', with the simulated cluster' : ''}\n`,
  );
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const s = parseSummary(r.stdout ?? '');
  process.stderr.write(
    `[bench:lsp-fuzz] ${s === undefined ? `no summary (exit ${r.status})` : r.stdout.trim().split('\n').at(-1)}\n`,
  );
  return s;
}

function main(): void {
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--only=server'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('esbuild --only=server failed');
  const plain = runOnce(COUNT, false);
  const cluster = runOnce(CLUSTER_COUNT, true);
  const findings =
    plain === undefined || cluster === undefined
      ? null
      : plain.crashes + plain.errors + plain.over1s + cluster.crashes + cluster.errors + cluster.over1s;
  const result = {
    seed: Number(SEED),
    inputs: plain?.inputs ?? null,
    crashes: plain?.crashes ?? null,
    errors: plain?.errors ?? null,
    over1s: plain?.over1s ?? null,
    rssGrowthMb: plain?.rssGrowthMb ?? null,
    clusterInputs: cluster?.inputs ?? null,
    clusterCrashes: cluster?.crashes ?? null,
    clusterErrors: cluster?.errors ?? null,
    clusterOver1s: cluster?.over1s ?? null,
    clusterRssGrowthMb: cluster?.rssGrowthMb ?? null,
    findings,
  };
  if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  if (findings !== 0) process.exitCode = 1;
}

if (require.main === module) main();
