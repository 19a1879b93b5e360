/**
 * The TypeScript side of the scheduler oracle: builds (or finds in the cache) the Go program of this
 * folder, which links the real kube-scheduler framework of k8s.io/kubernetes v1.37.2, and asks it
 * about scenarios.
 *
 * Contract: `realAnswers(scenarios)` sends the scenarios to one oracle process and resolves one
 * `Answer` (src/scheduler/conformance/answer.ts) per scenario, in order. It rejects, loudly, when
 * the oracle cannot be built, crashes, or answers fewer scenarios than it was given: a comparison
 * never passes because the oracle did not run.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureGoBuild, repoRoot, type EnsureOptions } from '../real-cluster/binaries';
import type { Answer, Scenario } from '../../src/scheduler/conformance';

/** The oracle binary (built into `~/.cache/kube-forecast/scheduler-oracle/` on first use). */
export async function ensureOracle(opts: EnsureOptions = {}): Promise<string> {
  const moduleDir = path.join(repoRoot(), 'test', 'scheduler-oracle');
  const dir = await ensureGoBuild('scheduler-oracle', [{ moduleDir, targets: { 'scheduler-oracle': '.' } }], opts);
  return path.join(dir, 'scheduler-oracle');
}

/** Runs the oracle binary with `args`, `input` on stdin; resolves stdout (rejects on a non-zero exit). */
export function runOracle(bin: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`the scheduler oracle could not run (${bin}): ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      reject(
        new Error(
          `the scheduler oracle ${signal ? `was killed by ${signal}` : `exited with ${code}`}: ${err.trim().split('\n').slice(-15).join('\n')}`,
        ),
      );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** The real scheduler's answers, one per scenario, in order. */
export async function realAnswers(scenarios: readonly Scenario[], bin?: string): Promise<Answer[]> {
  const oracle = bin ?? (await ensureOracle({ log: () => undefined }));
  if (scenarios.length === 0) return [];
  const text = await runOracle(oracle, [], JSON.stringify(scenarios));
  const answers = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Answer);
  if (answers.length !== scenarios.length)
    throw new Error(`the scheduler oracle answered ${answers.length} of ${scenarios.length} scenarios`);
  answers.forEach((a, i) => {
    if (a.id !== scenarios[i]!.id)
      throw new Error(`the scheduler oracle answered ${a.id} where ${scenarios[i]!.id} was asked`);
  });
  return answers;
}
