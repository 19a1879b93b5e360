/**
 * `npm run oracle:go-test`: `go vet` and `go test` of the scheduler oracle (test/scheduler-oracle),
 * whose tests check the harness itself against the real scheduler's own entry points (scheduler.New
 * and ScheduleOne on every scenario, the in-tree registry, PDB-aware preemption, admission, the corpus).
 * Prints go's output and then `N passed, M failed` (top-level tests); exit 1 on any failure or when Go
 * is missing: the oracle is never skipped.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { goEnv, goVersion, repoRoot } from '../real-cluster/binaries';

function main(): number {
  goVersion();
  const cwd = path.join(repoRoot(), 'test', 'scheduler-oracle');
  const vet = spawnSync('go', ['vet', './...'], { cwd, env: goEnv(), encoding: 'utf8', stdio: 'inherit' });
  if (vet.status !== 0) {
    console.log('go vet failed');
    console.log('0 passed, 1 failed');
    return 1;
  }
  const r = spawnSync('go', ['test', '-count=1', '-v', './...'], {
    cwd,
    env: goEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  process.stdout.write(
    out
      .split('\n')
      .filter((l) => /^(--- |=== RUN\s+Test\w+$|ok|FAIL|panic)/.test(l) && !/^=== RUN/.test(l))
      .join('\n') + '\n',
  );
  const passed = (out.match(/^--- PASS: Test\w+ /gm) ?? []).length;
  const failed = (out.match(/^--- FAIL: Test\w+ /gm) ?? []).length;
  if (r.status !== 0 && failed === 0) process.stdout.write(out.slice(-4000));
  console.log(`${passed} passed, ${failed + (r.status !== 0 && failed === 0 ? 1 : 0)} failed`);
  return r.status === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = main();
