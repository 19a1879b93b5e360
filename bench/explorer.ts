/**
 * Cluster explorer benchmark at scale: a realistic simulated cluster (explorer-cluster.ts: Deployments,
 * ReplicaSets, pods with owners, Services, EndpointSlices, ConfigMaps, Secrets, Events, managedFields and
 * last-applied-configuration as a real cluster stores them) runs as its own process
 * (`dist/simulator.js --snapshot DIR --no-controllers`); the language server runs as the product runs it
 * (`node dist/server.js --stdio`, explorer-lsp.ts) and is timed over LSP; `kubectl get pods -A -o json`
 * runs against the same cluster for a side-by-side ratio (explorer-kubectl.ts). Reports medians as JSON
 * (`--json FILE`); no thresholds are asserted here.
 *
 *   npm run bench:explorer -- --nodes 5000 --namespaces 1000 --pods 150000 [--runs 3] [--json out.json]
 *     [--server dist/server.js] [--kubectl-max-rss-mb 8000] [--no-kubectl] [--simulator-heap-mb 10240]
 *
 * The cluster's files are generated once per size under ~/.cache/kube-forecast/bench-explorer/ (it is
 * deterministic). `--server` benchmarks another build of the server (e.g. an older commit's bundle).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SIMULATOR_CONTEXT, SimulatorProcess } from '../src/server/explorer/simulator-process';
import { arg, roundedMedian } from './bench-util';
import { writeCluster } from './explorer-cluster';
import { runKubectl, type KubectlRun } from './explorer-kubectl';
import { measureRun, type RunFigures } from './explorer-lsp';

const SIZE = {
  nodes: Number(arg('nodes', '5000')),
  namespaces: Number(arg('namespaces', '1000')),
  pods: Number(arg('pods', '150000')),
};
const RUNS = Number(arg('runs', '3'));
const JSON_OUT = process.argv.includes('--json') ? arg('json', '') : '';
const ROOT = path.resolve(__dirname, '..');
const SERVER = path.resolve(arg('server', path.join(ROOT, 'dist', 'server.js')));
const KUBECTL_MAX_RSS_MB = Number(arg('kubectl-max-rss-mb', '8000'));
/** The simulator's V8 heap limit (MB). */
const SIM_HEAP_MB = Number(arg('simulator-heap-mb', '10240'));
/** Bumped when the generator changes, so a cached cluster of an older shape is not reused. */
const GENERATOR_VERSION = 2;

/** The cluster's snapshot directory, generated unless the cache has it. */
function clusterDir(): { dir: string; counts: Record<string, number> } {
  const key = `v${GENERATOR_VERSION}-${SIZE.nodes}n-${SIZE.namespaces}ns-${SIZE.pods}p`;
  const dir = path.join(os.homedir(), '.cache', 'kube-forecast', 'bench-explorer', key);
  const done = path.join(dir, 'counts.txt');
  if (fs.existsSync(done)) return { dir, counts: JSON.parse(fs.readFileSync(done, 'utf8')) as Record<string, number> };
  fs.rmSync(dir, { recursive: true, force: true });
  const t = performance.now();
  const counts = writeCluster(SIZE, dir);
  fs.writeFileSync(done, JSON.stringify(counts));
  console.log(`generated ${dir} in ${Math.round(performance.now() - t)} ms`);
  return { dir, counts };
}

async function main(): Promise<void> {
  const script = path.join(ROOT, 'dist', 'simulator.js');
  if (!fs.existsSync(script) || !fs.existsSync(SERVER))
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const { dir: snapshot, counts } = clusterDir();
  const bytes = fs.readdirSync(snapshot).reduce((n, f) => n + fs.statSync(path.join(snapshot, f)).size, 0);
  console.log(`cluster: ${JSON.stringify(counts)} (${(bytes / 1e6).toFixed(0)} MB of JSON)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bench-explorer-'));
  const sim = new SimulatorProcess(script);
  const started = performance.now();
  // The simulator holds the whole cluster as objects (~4 GB at 150,000 pods), at V8's default heap limit:
  // it gets room to spare (the language server, measured, keeps the product's options).
  const nodeOptions = process.env['NODE_OPTIONS'];
  process.env['NODE_OPTIONS'] = `${nodeOptions ?? ''} --max-old-space-size=${SIM_HEAP_MB}`.trim();
  const kubeconfig = await sim.start({ snapshot, controllers: false }, 3_600_000).finally(() => {
    if (nodeOptions === undefined) delete process.env['NODE_OPTIONS'];
    else process.env['NODE_OPTIONS'] = nodeOptions;
  });
  console.log(`simulator up in ${Math.round(performance.now() - started)} ms`);
  const runs: RunFigures[] = [];
  const kubectl: KubectlRun[] = [];
  const kubectlTable: KubectlRun[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const r = await measureRun(SERVER, kubeconfig, SIMULATOR_CONTEXT, run);
      runs.push(r);
      console.log(
        `run ${run + 1}: synced ${Math.round(r.cachesSyncedMs)} ms, first paint ${Math.round(r.firstPaintMs)} ms (${r.rows} rows), server RSS ${Math.round(r.serverRssMb)} MB settled (${Math.round(r.serverRssAtPaintMb)} MB at paint, peak ${Math.round(r.serverPeakRssMb)} MB)`,
      );
    }
    if (!process.argv.includes('--no-kubectl'))
      for (let run = 0; run < RUNS; run++) {
        const k = await runKubectl(kubeconfig, work, KUBECTL_MAX_RSS_MB);
        kubectl.push(k);
        console.log(
          k.error !== undefined
            ? `kubectl run ${run + 1}: ${k.error} (peak RSS ${k.peakRssMb} MB)`
            : `kubectl run ${run + 1}: ${Math.round(k.ms!)} ms, ${(k.bytes! / 1e6).toFixed(0)} MB, ${k.pods} pods, peak RSS ${k.peakRssMb} MB`,
        );
        if (k.error !== undefined) break;
      }
    if (!process.argv.includes('--no-kubectl'))
      for (let run = 0; run < RUNS; run++) {
        const k = await runKubectl(kubeconfig, work, KUBECTL_MAX_RSS_MB, true);
        kubectlTable.push(k);
        console.log(
          k.error !== undefined
            ? `kubectl (table) run ${run + 1}: ${k.error}`
            : `kubectl (table) run ${run + 1}: ${Math.round(k.ms!)} ms, ${k.pods} pods, peak RSS ${k.peakRssMb} MB`,
        );
        if (k.error !== undefined) break;
      }
    const med = (f: (r: RunFigures) => number): number => roundedMedian(runs.map(f));
    const ok = kubectl.filter((k) => k.ms !== undefined);
    const kubectlMs = ok.length > 0 ? roundedMedian(ok.map((k) => k.ms!)) : null;
    const firstPaintMs = med((r) => r.firstPaintMs);
    const result = {
      bench: 'explorer',
      nodes: SIZE.nodes,
      namespaces: SIZE.namespaces,
      pods: SIZE.pods,
      cluster: { objects: counts, snapshotMb: Math.round(bytes / 1e6) },
      runs: RUNS,
      server: path.relative(ROOT, SERVER),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((l) => Math.round(l)) },
      cachesSyncedMs: med((r) => r.cachesSyncedMs),
      firstPaintMs,
      firstPaintAfterSyncMs: med((r) => r.firstPaintMs - r.cachesSyncedMs),
      expandNamespaceMs: roundedMedian(runs.flatMap((r) => r.expandNamespaceMs)),
      expandNodeMs: roundedMedian(runs.flatMap((r) => r.expandNodeMs)),
      serverRssMb: Math.round(med((r) => r.serverRssMb)),
      serverRssAtPaintMb: Math.round(med((r) => r.serverRssAtPaintMb)),
      serverPeakRssMb: Math.round(med((r) => r.serverPeakRssMb)),
      firstPaintRows: runs[0]?.rows,
      status: runs[0]?.status,
      kubectlMs,
      kubectlOutputBytes: ok[0]?.bytes ?? null,
      kubectlPods: ok[0]?.pods ?? null,
      kubectlPeakRssMb: kubectl.length > 0 ? Math.max(...kubectl.map((k) => k.peakRssMb)) : null,
      ...(kubectl.some((k) => k.error !== undefined) ? { kubectlError: kubectl.find((k) => k.error)!.error } : {}),
      kubectlTableMs: kubectlTable.some((k) => k.ms !== undefined)
        ? roundedMedian(kubectlTable.filter((k) => k.ms !== undefined).map((k) => k.ms!))
        : null,
      kubectlTablePeakRssMb: kubectlTable.length > 0 ? Math.max(...kubectlTable.map((k) => k.peakRssMb)) : null,
      firstPaintVsKubectl: kubectlMs !== null ? Math.round((firstPaintMs / kubectlMs) * 100) / 100 : null,
      budgets: { firstPaintAfterSyncMs: 1000, expandMs: 50, serverRssMb: 500 },
      samples: {
        cachesSyncedMs: runs.map((r) => Math.round(r.cachesSyncedMs)),
        firstPaintMs: runs.map((r) => Math.round(r.firstPaintMs)),
        serverRssMb: runs.map((r) => Math.round(r.serverRssMb)),
        kubectlMs: ok.map((k) => Math.round(k.ms!)),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(result, null, 2) + '\n');
  } finally {
    sim.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
