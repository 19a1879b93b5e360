/**
 * What the client test runners (python/run.ts, helm/run.ts) share: which clusters to run on, a child
 * process whose output is shown under the cluster's name, and the closing count line `npm test` reads.
 *
 * A run fails when a cluster could not start, when its client could not run, when any test failed,
 * and when a cluster ran no test at all (a runner never passes with zero cases).
 */
import { spawn } from 'node:child_process';
import type { ClusterKind } from '../clusters/test-cluster';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** `--cluster simulated,real` (or repeated), default both; the rest of argv is returned as `rest`. */
export function parseClusterArgs(argv: readonly string[]): { clusters: ClusterKind[]; rest: string[] } {
  const clusters: ClusterKind[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--cluster(?:=(.*))?$/.exec(argv[i]!);
    if (!m) {
      rest.push(argv[i]!);
      continue;
    }
    for (const k of (m[1] ?? argv[++i] ?? '').split(',').filter(Boolean)) {
      if (k !== 'simulated' && k !== 'real') throw new Error(`--cluster takes simulated and/or real, got ${k}`);
      clusters.push(k);
    }
  }
  return { clusters: clusters.length ? clusters : ['simulated', 'real'], rest };
}

/**
 * Runs a command, prefixing each output line with `[label] ` (so a runner's own summary lines are not
 * mistaken for the step's totals), and resolves its exit code and output.
 */
export function runLabelled(
  label: string,
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    const take = (d: Buffer): void => {
      const text = pending + d.toString();
      output += d.toString();
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) process.stdout.write(`[${label}] ${l}\n`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => {
      process.stdout.write(`[${label}] could not run ${cmd}: ${e.message}\n`);
      resolve({ code: 127, output: String(e) });
    });
    child.on('close', (code, signal) => {
      if (pending) process.stdout.write(`[${label}] ${pending}\n`);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

/**
 * Adds up per-cluster results, prints them and the closing `N passed, N failed` line; resolves the
 * exit code. A cluster that could not run its tests (or ran none) counts as one failed test; a
 * skipped test fails the run too: every case must run on every cluster.
 */
export function summarise(what: string, results: { cluster: ClusterKind; counts: Counts; problem?: string }[]): number {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  let bad = false;
  console.log(`\n${what}:`);
  for (const r of results) {
    let problem = r.problem;
    if (problem === undefined && r.counts.passed + r.counts.failed === 0) problem = 'no test ran';
    if (problem === undefined && r.counts.skipped > 0) problem = 'a test was skipped';
    const failed = r.counts.failed + (problem !== undefined && r.counts.failed === 0 ? 1 : 0);
    if (failed > 0 || problem !== undefined) bad = true;
    total.passed += r.counts.passed;
    total.failed += failed;
    total.skipped += r.counts.skipped;
    console.log(
      `  ${r.cluster.padEnd(9)} ${r.counts.passed} passed, ${r.counts.failed} failed` +
        (r.counts.skipped ? `, ${r.counts.skipped} skipped` : '') +
        (problem ? ` (${problem})` : ''),
    );
  }
  console.log(`${total.passed} passed, ${total.failed} failed` + (total.skipped ? `, ${total.skipped} skipped` : ''));
  return bad ? 1 : 0;
}
