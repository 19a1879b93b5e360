/**
 * Upstream's own scheduler benchmark, run as it ships: `BenchmarkPerfScheduling` of
 * k8s.io/kubernetes v1.37.2's test/integration/scheduler_perf/misc, workload
 * SchedulingBasic/5000Nodes_10000Pods (5000 nodes, 1000 initial pods, 10000 measured pods through
 * an in-process kube-apiserver, etcd and kube-scheduler). Used by `bench/scheduler.ts --upstream-perf`;
 * also runnable alone: `npx tsx bench/upstream-perf.ts [--json FILE]`.
 *
 * Contract: `runUpstreamPerf()` resolves the SchedulingThroughput data item the benchmark writes
 * (pods/s: Average, Perc50, ...) and the exact command it ran, or rejects with the reason it could
 * not run. The test binary is built with `go test -c` from the module cache, from the Go module
 * test/scheduler-oracle/perf (which only pins the dependency; no upstream source is copied), into
 * `<cache>/upstream-perf/<version>-<key>/` keyed like the other rig builds, so a second run builds
 * nothing. It runs in its package folder in the module cache (its config and templates are read
 * from there by relative path) with the rig's etcd (test/real-cluster) first on PATH; etcd's data,
 * the per-run logs and data items go into a fresh folder under `<cache>/upstream-perf/runs/`,
 * removed afterwards unless the run failed. Upstream fails the workload when its average is below
 * the workload's CI threshold (680 pods/s, measured on 6 dedicated cores); that miss alone is not
 * an error here: the figure is reported with `thresholdMet: false`. Any other failure rejects.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BuildError,
  KUBERNETES_VERSION,
  buildKey,
  cacheRoot,
  ensureBinaries,
  explainGoFailure,
  goEnv,
  goVersion,
  repoRoot,
} from '../test/real-cluster/binaries';

export const UPSTREAM_PACKAGE = 'k8s.io/kubernetes/test/integration/scheduler_perf/misc';
export const UPSTREAM_WORKLOAD = 'SchedulingBasic/5000Nodes_10000Pods';

/** What one upstream run measured. */
export interface UpstreamPerf {
  /** `BenchmarkPerfScheduling/<workload>`. */
  benchmark: string;
  /** SchedulingThroughput Average (pods/s over the measured pods, sampled each second). */
  podsPerSecond: number;
  /** SchedulingThroughput Perc50/90/99 of the per-second samples. */
  perc50: number;
  perc90: number;
  perc99: number;
  /** The workload's CI threshold on the average (pods/s), and whether this run reached it. */
  threshold?: number;
  thresholdMet: boolean;
  /** The command, its working directory and the environment it was given. */
  command: string;
  /** Wall-clock seconds: building the test binary (0 when cached) and running it. */
  buildSeconds: number;
  runSeconds: number;
}

interface DataItem {
  data: Record<string, number>;
  unit: string;
  labels: Record<string, string>;
}

type Log = (line: string) => void;

function go(args: string[], cwd: string, log: Log): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd, env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (d: Buffer): void => {
      output += d.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e) => reject(new BuildError(`could not run go: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve(output);
      const why = explainGoFailure(output);
      log(output.trim());
      reject(
        new BuildError(`go ${args.join(' ')} failed${why ? `: ${why}` : ` with exit ${code}:\n${output.trim()}`}`),
      );
    });
  });
}

/** The upstream test binary (built on first use) and the package folder it must run in. */
export async function ensureUpstreamPerf(log: Log): Promise<{ bin: string; dir: string; buildSeconds: number }> {
  const moduleDir = path.join(repoRoot(), 'test', 'scheduler-oracle', 'perf');
  const key = buildKey([{ moduleDir, targets: { 'misc.test': UPSTREAM_PACKAGE } }], goVersion());
  const out = path.join(cacheRoot(), 'upstream-perf', `${KUBERNETES_VERSION}-${key}`);
  const bin = path.join(out, 'misc.test');
  const dir = (await go(['list', '-f', '{{.Dir}}', UPSTREAM_PACKAGE], moduleDir, log)).trim();
  if (fs.existsSync(bin)) {
    log(`upstream-perf: test binary cached in ${out}`);
    return { bin, dir, buildSeconds: 0 };
  }
  const started = Date.now();
  log(`upstream-perf: building ${UPSTREAM_PACKAGE} test binary (cold: ~10 min on 2 cores)`);
  fs.mkdirSync(out, { recursive: true });
  const tmp = `${bin}.building-${process.pid}`;
  try {
    // No -trimpath: kube-apiserver's test server finds its testdata by its source file's absolute path.
    await go(['test', '-c', '-o', tmp, UPSTREAM_PACKAGE], moduleDir, log);
    fs.renameSync(tmp, bin);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const buildSeconds = Math.round((Date.now() - started) / 100) / 10;
  log(`upstream-perf: built in ${buildSeconds} s`);
  return { bin, dir, buildSeconds };
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Whether every error the test output reports is a missed throughput threshold: upstream prints
 * `<file>.go:<line>: ERROR:` then `op N: <name>: expected "<metric>" "<stat>" to be higher: got X, want Y`.
 * A `FATAL ERROR:`, a panic or one of RunBenchmarkPerfScheduling's own b.Fatalf messages is not.
 */
export function onlyThresholdMisses(output: string): boolean {
  const lines = output.split('\n');
  const fatal =
    /\bpanic:|FATAL ERROR|is not valid|failed to run prepareFn|data file|unable to write measured data|unable to start etcd/;
  let errors = 0;
  for (let i = 0; i < lines.length; i++) {
    if (fatal.test(lines[i]!)) return false;
    if (!/\.go:\d+: ERROR:/.test(lines[i]!)) continue;
    errors++;
    const message = lines.slice(i, i + 3).join('\n');
    if (!/expected "[^"]+" "[^"]+" to be higher: got [\d.]+, want [\d.]+/.test(message)) return false;
  }
  return errors > 0;
}

/** Runs upstream's SchedulingBasic/5000Nodes_10000Pods once and returns its throughput. */
export async function runUpstreamPerf(log: Log = (l) => process.stderr.write(`${l}\n`)): Promise<UpstreamPerf> {
  const { bin, dir, buildSeconds } = await ensureUpstreamPerf(log);
  const { etcd } = await ensureBinaries({ log });
  const runsDir = path.join(cacheRoot(), 'upstream-perf', 'runs');
  fs.mkdirSync(runsDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(runsDir, 'run-'));
  const tmp = path.join(work, 'tmp');
  const artifacts = path.join(work, 'artifacts');
  const data = path.join(work, 'data');
  for (const d of [tmp, artifacts, data]) fs.mkdirSync(d);
  const benchmark = `BenchmarkPerfScheduling/${UPSTREAM_WORKLOAD}`;
  const args = [
    '-test.run=^$',
    `-test.bench=${benchmark
      .split('/')
      .map((p) => `^${p}$`)
      .join('/')}`,
    '-test.benchtime=1x',
    '-test.timeout=1h',
    '-perf-scheduling-label-filter=performance',
    `-data-items-dir=${data}`,
  ];
  const env: Record<string, string> = {
    PATH: `${path.dirname(etcd)}${path.delimiter}${process.env['PATH'] ?? ''}`,
    // RunCustomEtcd makes etcd's data folder (and unix socket) under TMPDIR.
    TMPDIR: tmp,
    // Per-test log files instead of ~100 MB on stderr; upstream deletes them when the test passes.
    ARTIFACTS: artifacts,
    KUBE_CACHE_MUTATION_DETECTOR: 'false',
  };
  const command =
    `cd ${shellQuote(dir)} && ` +
    Object.entries(env)
      .map(([k, v]) => (k === 'PATH' ? `PATH=${shellQuote(path.dirname(etcd))}:"$PATH"` : `${k}=${shellQuote(v)}`))
      .join(' ') +
    ` ${shellQuote(bin)} ${args.map(shellQuote).join(' ')}`;
  log(`upstream-perf: running ${benchmark} (about 1.5 min)`);
  const started = Date.now();
  const outputFile = path.join(work, 'output.txt');
  const code = await new Promise<number | null>((resolve, reject) => {
    const fd = fs.openSync(outputFile, 'w');
    // Its own process group (with the etcd it starts), ended as a whole if this process is stopped.
    const child = spawn(bin, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    fs.closeSync(fd);
    const stop = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      process.kill(process.pid, signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const done = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    child.on('error', (e) => {
      done();
      reject(new Error(`upstream-perf: could not run ${bin}: ${e.message}`));
    });
    child.on('close', (c) => {
      done();
      resolve(c);
    });
  });
  const runSeconds = Math.round((Date.now() - started) / 100) / 10;
  const output = fs.readFileSync(outputFile, 'utf8');
  const fail = (why: string): never => {
    throw new Error(
      `upstream-perf: ${why}; output and logs kept in ${work}:\n${output.trim().split('\n').slice(-25).join('\n')}`,
    );
  };
  const file = fs.readdirSync(data).find((f) => /^BenchmarkPerfScheduling_benchmark_misc_.*\.json$/.test(f));
  if (!file) return fail(`${benchmark} exited with ${code} and wrote no data items`);
  const items = (JSON.parse(fs.readFileSync(path.join(data, file), 'utf8')) as { dataItems: DataItem[] }).dataItems;
  const item = items.find(
    (i) => i.labels['Metric'] === 'SchedulingThroughput' && i.labels['Name']?.startsWith(`${benchmark}/`),
  );
  if (!item) return fail(`${benchmark} wrote no SchedulingThroughput data item`);
  const threshold = item.data['AverageThreshold'];
  const podsPerSecond = item.data['Average']!;
  const thresholdMet = threshold === undefined || podsPerSecond >= threshold;
  if (code !== 0 && (thresholdMet || !onlyThresholdMisses(output))) fail(`${benchmark} exited with ${code}`);
  fs.rmSync(work, { recursive: true, force: true });
  const r = (x: number | undefined): number => Math.round((x ?? NaN) * 10) / 10;
  return {
    benchmark,
    podsPerSecond: r(podsPerSecond),
    perc50: r(item.data['Perc50']),
    perc90: r(item.data['Perc90']),
    perc99: r(item.data['Perc99']),
    ...(threshold === undefined ? {} : { threshold }),
    thresholdMet,
    command,
    buildSeconds,
    runSeconds,
  };
}

if (/upstream-perf\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const jsonAt = process.argv.indexOf('--json');
  runUpstreamPerf()
    .then((u) => {
      const json = `${JSON.stringify({ upstreamPerf: u }, null, 2)}\n`;
      if (jsonAt >= 0) fs.writeFileSync(process.argv[jsonAt + 1]!, json);
      process.stdout.write(json);
    })
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    });
}
