/**
 * Real Helm against our clusters: builds (or finds) the helm CLI (test/clients/setup.ts), then runs
 * helm.test.ts with node's test runner once per cluster (default the simulated one, then the real
 * control plane; KF_TEST_CLUSTER tells the test which), and adds up the counts.
 *
 *   npm run test:clients:helm [-- --cluster simulated|real] [node --test arguments, e.g. --test-name-pattern=install]
 *
 * Exit 1 when a test fails, when helm cannot be built, when the test run breaks, or when a cluster ran
 * no test.
 */
import path from 'node:path';
import { repoRoot } from '../../real-cluster/binaries';
import type { ClusterKind } from '../../clusters/test-cluster';
import { parseClusterArgs, runLabelled, summarise, type Counts } from '../runner-lib';
import { ensureHelm } from '../setup';

const TEST = path.join(repoRoot(), 'test', 'clients', 'helm', 'helm.test.ts');

/** node --test's closing counts (`ℹ pass N` ...), or undefined when it printed none. */
function nodeTestCounts(output: string): Counts | undefined {
  const n: Record<string, number> = {};
  for (const raw of output.split('\n')) {
    const m = /^(?:ℹ|#) (pass|fail|cancelled|skipped|todo) (\d+)\s*$/.exec(raw.replace(/\x1b\[[0-9;]*m/g, ''));
    if (m) n[m[1]!] = Number(m[2]);
  }
  if (n['pass'] === undefined) return undefined;
  return {
    passed: n['pass'],
    failed: (n['fail'] ?? 0) + (n['cancelled'] ?? 0),
    skipped: (n['skipped'] ?? 0) + (n['todo'] ?? 0),
  };
}

async function onCluster(
  kind: ClusterKind,
  args: string[],
): Promise<{ cluster: ClusterKind; counts: Counts; problem?: string }> {
  console.log(`\n---- helm on the ${kind} cluster ----`);
  const r = await runLabelled(
    kind,
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=600000', ...args, TEST],
    { ...process.env, KF_TEST_CLUSTER: kind },
  );
  const counts = nodeTestCounts(r.output);
  if (counts === undefined)
    return {
      cluster: kind,
      counts: { passed: 0, failed: 0, skipped: 0 },
      problem: `the test run broke (exit ${r.code})`,
    };
  if (r.code !== 0 && counts.failed === 0) return { cluster: kind, counts, problem: `node --test exited ${r.code}` };
  return { cluster: kind, counts };
}

async function main(): Promise<number> {
  const { clusters, rest } = parseClusterArgs(process.argv.slice(2));
  try {
    await ensureHelm();
  } catch (e) {
    console.error((e as Error).message);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const results = [];
  for (const kind of clusters) results.push(await onCluster(kind, rest));
  return summarise('helm tests', results);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
