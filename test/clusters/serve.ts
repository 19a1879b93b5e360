/**
 * Serves one test cluster (KF_TEST_CLUSTER=simulated|real; see test-cluster.ts) for a test that runs
 * in another process, such as the browser end-to-end test:
 *
 *   tsx test/clusters/serve.ts --kubeconfig-out FILE
 *
 * Writes the kubeconfig (contexts it-admin, it-viewer), prints `ready <kind> <server>`, and stops the
 * cluster on SIGTERM or SIGINT (or when stdin closes, so it never outlives the test that started it).
 */
import fs from 'node:fs';
import { startTestCluster, type TestCluster } from './test-cluster';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--kubeconfig-out');
  const out = at >= 0 ? process.argv[at + 1] : undefined;
  if (out === undefined) {
    console.error('usage: tsx test/clusters/serve.ts --kubeconfig-out FILE');
    process.exit(2);
  }
  let cluster: TestCluster | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (code: number): Promise<void> =>
    (stopping ??= (async () => {
      await cluster?.close();
      process.exit(code);
    })());
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.stdin.on('end', () => void stop(0));
  process.stdin.resume();
  try {
    cluster = await startTestCluster();
  } catch (e) {
    console.error(`test cluster: ${(e as Error).message}`);
    process.exit(1);
  }
  fs.copyFileSync(cluster.kubeconfig, out);
  console.log(`ready ${cluster.kind} ${cluster.server}`);
}

void main();
