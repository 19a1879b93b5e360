/**
 * The official Python `kubernetes` client against our clusters: for each cluster (default the
 * simulated one, then the real control plane; see test/clusters/test-cluster.ts) it starts the
 * cluster on 127.0.0.1, points KUBECONFIG at its kubeconfig (contexts `it-admin`, current, and
 * `it-viewer`, bound to ClusterRole view), runs pytest on this folder from the venv setup.ts made,
 * and stops the cluster.
 *
 *   npm run test:clients:python [-- --cluster simulated|real] [pytest arguments, e.g. -k watch]
 *
 * The tests may switch the cluster's fault proxy through KF_FAULTS_URL (POST a ProxyFaults JSON), the
 * only way they reach past the client. Exit 1 when a test fails, when pytest or the cluster cannot
 * run, and when a cluster ran no test.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../real-cluster/binaries';
import { startTestCluster, type ClusterKind, type TestCluster } from '../../clusters/test-cluster';
import { parseClusterArgs, runLabelled, summarise, type Counts } from '../runner-lib';
import { ensurePythonVenv } from '../setup';

const HERE = path.join(repoRoot(), 'test', 'clients', 'python');

/** pytest's counts from its JUnit XML report (the first <testsuite> element's attributes). */
function junitCounts(file: string): Counts | undefined {
  if (!fs.existsSync(file)) return undefined;
  const m = /<testsuite\b([^>]*)>/.exec(fs.readFileSync(file, 'utf8'));
  if (!m) return undefined;
  const attr = (n: string): number => Number(new RegExp(`\\b${n}="(\\d+)"`).exec(m[1]!)?.[1] ?? 0);
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  return { passed: attr('tests') - failed - skipped, failed, skipped };
}

/** A local endpoint through which the tests switch the cluster's fault proxy. */
async function faultsEndpoint(cluster: TestCluster): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      try {
        cluster.faults(JSON.parse(body));
        res.writeHead(204).end();
      } catch (e) {
        res.writeHead(400).end((e as Error).message);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/faults`,
    close: () => server.close(),
  };
}

async function onCluster(
  kind: ClusterKind,
  python: string,
  pytestArgs: string[],
): Promise<{ cluster: ClusterKind; counts: Counts; problem?: string }> {
  const none: Counts = { passed: 0, failed: 0, skipped: 0 };
  console.log(`\n---- Python client (kubernetes 37) on the ${kind} cluster ----`);
  let cluster: TestCluster;
  const started = Date.now();
  try {
    cluster = await startTestCluster(kind);
  } catch (e) {
    console.log(`[${kind}] the cluster did not start: ${(e as Error).message}`);
    return { cluster: kind, counts: none, problem: 'the cluster did not start' };
  }
  console.log(`[${kind}] cluster ready at ${cluster.server} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-pytest-'));
  const faults = await faultsEndpoint(cluster);
  try {
    const junit = path.join(dir, 'junit.xml');
    const r = await runLabelled(
      kind,
      python,
      ['-m', 'pytest', HERE, '-p', 'no:cacheprovider', `--junitxml=${junit}`, '-v', '-rfE', ...pytestArgs],
      {
        ...process.env,
        KUBECONFIG: cluster.kubeconfig,
        KF_TEST_CLUSTER: kind,
        KF_FAULTS_URL: faults.url,
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
      },
    );
    const counts = junitCounts(junit);
    if (counts === undefined)
      return { cluster: kind, counts: none, problem: `pytest wrote no report (exit ${r.code})` };
    // Exit 1 is failed tests (counted); anything else (2 interrupted, 3 internal error, 4 usage, 5 no
    // tests) means pytest itself could not do its job.
    if (r.code !== 0 && r.code !== 1) return { cluster: kind, counts, problem: `pytest exited ${r.code}` };
    return { cluster: kind, counts };
  } finally {
    faults.close();
    await cluster.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { clusters, rest } = parseClusterArgs(process.argv.slice(2));
  let python: string;
  try {
    python = await ensurePythonVenv();
  } catch (e) {
    console.error((e as Error).message);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const results = [];
  for (const kind of clusters) results.push(await onCluster(kind, python, rest));
  return summarise('Python client tests', results);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
