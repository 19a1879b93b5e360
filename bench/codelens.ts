/**
 * CodeLens latency on the server side: a manifest with 50 pod templates (Pods and 3-replica
 * Deployments) against 5,000 nodes and 50,000 pods, through the same code the language server runs
 * (`parseManifest`, the verdict cache of `PredictionEngine` over an incremental `LiveCluster`,
 * `computeCodeLenses`).
 *
 * Measured: the cold pass (every spec predicted), lenses after an edit (one template changed; the
 * others come from the cache keyed by spec content and cluster generation), and lenses after a
 * cluster change (a pod deleted: the snapshot is updated in place, never rebuilt; the first answer
 * serves stale verdicts past the time budget and catch-up rounds recompute the rest).
 * The 1-minute load average is recorded: other processes on the machine inflate every figure.
 *
 * `e2e` (bench/codelens-e2e.ts): the same question as an editor asks it, with the simulated cluster
 * (5,000 nodes, 150,000 pods) and `node dist/server.js --stdio` as separate processes: first lens
 * after didOpen, didChange → codeLens p50/p95 over 200 keystrokes, the server's RSS.
 *
 * Usage: npm run bench:codelens -- [--json FILE] [--quick] [--edits N] [--no-bundle]
 *          [--no-e2e | --e2e-only] [--e2e-nodes N] [--e2e-pods N] [--keystrokes N]
 * Like bench/scheduler.ts the in-process part runs bundled with esbuild, as the extension ships.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cpus, loadavg, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PredictionEngine } from '../src/server/prediction/engine';
import { LiveCluster } from '../src/server/prediction/live-cluster';
import { computeCodeLenses } from '../src/server/services/code-lens';
import { parseManifest } from '../src/server/services/manifest';
import { TIME_BUDGET_MS } from '../src/server/prediction/prediction-host';
import { benchCluster } from './bench-caches';
import { arg, percentile, relaunchBundled } from './bench-util';
import { manifest } from './codelens-manifest';

function templateLabels(template: Record<string, unknown>): Record<string, string> {
  const md = template['metadata'] as { labels?: Record<string, string> } | undefined;
  return md?.labels ?? {};
}

/** The nearest-rank percentile of an unsorted list (sorts a copy). */
function percentileOf(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return percentile(sorted, p);
}

/** The in-process figures: the server's code called directly over a cluster held in this process. */
function inProcessFigures(quick: boolean): Record<string, unknown> {
  const edits = Number(arg('edits', quick ? '10' : '40'));
  const nodes = quick ? 500 : 5000;
  const pods = quick ? 5000 : 50000;
  const specs = 50;
  const uri = 'file:///bench.yaml';
  const status = { state: 'connected' as const, source: 'simulator' as const };

  let t = performance.now();
  const caches = benchCluster(nodes, pods);
  const live = new LiveCluster(caches);
  const buildMs = performance.now() - t;
  const engine = new PredictionEngine();
  // As the server's CodeLens handler does: stale verdicts (older cluster generation) share a time budget.
  const lenses = (text: string, budgetMs = TIME_BUDGET_MS): number => {
    const deadline = performance.now() + budgetMs;
    const docs = parseManifest(text);
    return computeCodeLenses({ uri, version: 1 }, docs, status, { enabled: true }, (d, s) => ({
      verdict: engine.verdict(d, s, live.snapshot, live.generation, {
        defaultNamespace: 'default',
        profile: { key: 'default' },
        deadline,
      }),
      // The host's lookup of the pods a created manifest owns (prediction vs actual).
      live: d.kind === 'Pod' ? [] : live.workloadPods(d.namespace ?? 'default', templateLabels(s.template)),
    })).length;
  };

  t = performance.now();
  const n = lenses(manifest(specs, () => '500m'));
  const coldMs = performance.now() - t;
  if (n !== specs * 2) throw new Error(`expected ${specs * 2} lenses, got ${n}`);

  const editMs: number[] = [];
  for (let e = 0; e < edits; e++) {
    const which = (e * 7) % specs;
    const text = manifest(specs, (i) => (i === which ? `${501 + e}m` : '500m'));
    t = performance.now();
    lenses(text);
    editMs.push(performance.now() - t);
  }

  // A cluster change (a pod deleted) makes every verdict stale: the first answer stays within the budget
  // (stale verdicts served), then catch-up rounds recompute the rest; measured until all are current.
  const clusterMs: number[] = [];
  const catchUpRounds: number[] = [];
  const catchUpMs: number[] = [];
  const text = manifest(specs, () => '500m');
  engine.takeDeferred();
  for (let e = 0; e < (quick ? 2 : 3); e++) {
    const victim = caches.lists.get('pods')![e]!;
    caches.fire('pods', { added: [], modified: [], deleted: [victim], resync: false });
    t = performance.now();
    lenses(text);
    clusterMs.push(performance.now() - t);
    let rounds = 0;
    const t2 = performance.now();
    while (engine.takeDeferred() > 0 && rounds < 1000) {
      lenses(text);
      rounds++;
    }
    catchUpRounds.push(rounds);
    catchUpMs.push(performance.now() - t2);
  }

  return {
    nodes,
    pods,
    podSpecs: specs,
    snapshotBuildMs: Math.round(buildMs),
    coldLensesMs: Math.round(coldMs),
    afterEdit: {
      runs: edits,
      p50Ms: +percentileOf(editMs, 50).toFixed(1),
      p95Ms: +percentileOf(editMs, 95).toFixed(1),
      maxMs: +Math.max(...editMs).toFixed(1),
    },
    afterClusterChange: {
      runs: clusterMs.length,
      firstAnswerP50Ms: Math.round(percentileOf(clusterMs, 50)),
      firstAnswerMaxMs: Math.round(Math.max(...clusterMs)),
      catchUpRounds: Math.max(...catchUpRounds),
      allCurrentAfterMs: Math.round(Math.max(...catchUpMs.map((c, i) => c + clusterMs[i]!))),
    },
    loadAverage1m: +loadavg()[0]!.toFixed(1),
    cpus: cpus().length,
    peakRssMB: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
}

/**
 * The in-process figures run in a bundled child (as the extension ships); the end-to-end run stays in
 * this process: it measures other processes, and the simulator's CLI module it imports (through
 * test/lsp-fuzz) would start itself inside a bundle.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const jsonFile = args.includes('--json') ? arg('json', undefined) : undefined;
  if (process.env['KF_BENCH_BUNDLED'] === '1') {
    const inProcess = JSON.stringify(inProcessFigures(quick), null, 2);
    if (jsonFile !== undefined) writeFileSync(jsonFile, inProcess);
    else console.log(inProcess);
    return;
  }
  let figures: Record<string, unknown> = {};
  if (!args.includes('--e2e-only')) {
    if (args.includes('--no-bundle')) figures = inProcessFigures(quick);
    else {
      const dir = mkdtempSync(path.join(tmpdir(), 'kf-bench-codelens-'));
      const file = path.join(dir, 'in-process.json');
      const childArgs = args.filter((a, i) => a !== '--json' && args[i - 1] !== '--json');
      relaunchBundled(__filename, 'codelens-bench.cjs', [...childArgs, '--json', file], ['--cpu-prof']);
      if (process.exitCode !== 0 && process.exitCode !== undefined) return;
      figures = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!args.includes('--no-e2e')) {
    const { runE2e } = await import('./codelens-e2e');
    figures['e2e'] = await runE2e(path.resolve(__dirname, '..'), {
      nodes: Number(arg('e2e-nodes', quick ? '500' : '5000')),
      pods: Number(arg('e2e-pods', quick ? '15000' : '150000')),
      keystrokes: Number(arg('keystrokes', quick ? '30' : '200')),
      log: (s) => console.error(`[codelens e2e] ${s}`),
    });
  }
  console.log(JSON.stringify(figures, null, 2));
  if (jsonFile !== undefined) writeFileSync(jsonFile, JSON.stringify(figures, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
