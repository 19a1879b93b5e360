/**
 * The table `npm run bench` prints (scripts/bench-table.mjs): given a report, the rows, their goals
 * and met/missed; missing or failed benchmarks show as "not measured" and never throw.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain ES module without type declarations (scripts/ is JavaScript).
import { benchRows, formatTable } from '../../../scripts/bench-table.mjs';

interface Row {
  figure: string;
  value: string;
  goal: string;
  status: 'met' | 'missed' | 'reported' | 'not measured';
}
const rows = benchRows as (report: unknown) => Row[];
const table = formatTable as (rows: Row[]) => string;

const full = {
  bundles: { build: 'production', 'dist/extension.js': { bytes: 51_200 }, 'dist/server.js': { bytes: 1_024_000 } },
  vsix: { file: 'kube-forecast-0.1.0.vsix', bytes: 950 * 1024 },
  activation: { method: 'in-host', activationMs: 12.3 },
  benches: {
    codelens: {
      e2e: {
        nodes: 5000,
        pods: 150000,
        firstLensMs: 640,
        keystrokeP50Ms: 35,
        keystrokeP95Ms: 140,
        serverRssMb: 420,
      },
    },
    explorer: {
      nodes: 5000,
      pods: 150000,
      cachesSyncedMs: 4000,
      firstPaintMs: 4300,
      firstPaintAfterSyncMs: 300,
      expandNamespaceMs: 12,
      expandNodeMs: 60,
      serverRssMb: 510,
    },
    whatif: {
      nodes: 5000,
      pods: 150000,
      replicas: 1000,
      worstMedianMs: 870,
      worstCpuMedianMs: 640,
      loadAverage1m: 1.5,
      variants: [
        { name: 'plain', medianMs: 500 },
        { name: 'anti-affinity', medianMs: 870 },
      ],
    },
    scheduler: {
      workloads: [
        { name: 'SchedulingBasic/5000Nodes_10000Pods', podsPerSecond: 2500, podsPerCpuSecond: 3000, ratio: 1.4 },
      ],
    },
    chaos: {
      limitSeconds: 10,
      campaigns: {
        simulated: { faults: 12, converged: 12, byType: { 'drop-watches': { max: 1.5 } } },
        real: { faults: 12, converged: 11, byType: { restart: { max: 9.2 } } },
      },
    },
    load: {
      campaigns: [
        {
          cluster: 'simulated',
          writesPerSecond: 800,
          latencyMs: { p99: 40 },
          verdict: { lost: 0, outOfOrder: 0, duplicate: 0, failed: 0 },
        },
      ],
    },
  },
};

function byFigure(rs: Row[], start: string): Row {
  const r = rs.find((x) => x.figure.startsWith(start));
  assert.ok(r, `no row starting with ${JSON.stringify(start)} in ${JSON.stringify(rs.map((x) => x.figure))}`);
  return r;
}

describe('bench table', () => {
  it('puts each figure beside its goal and says met or missed', () => {
    const rs = rows(full);
    assert.equal(byFigure(rs, 'keystroke → lens p50').status, 'met');
    const p95 = byFigure(rs, 'keystroke → lens p95');
    assert.deepEqual([p95.value, p95.goal, p95.status], ['140 ms', 'p95 ≤ 100 ms', 'missed']);
    assert.match(p95.figure, /5,000 nodes, 150,000 pods/);
    assert.equal(byFigure(rs, 'open → first lens').status, 'met');
    const paint = byFigure(rs, 'click → first tree rows');
    assert.equal(paint.status, 'met');
    assert.match(paint.value, /^300 ms \(4,300 ms from the click; caches synced at 4,000 ms\)$/);
    assert.equal(byFigure(rs, 'expand a namespace').status, 'met');
    assert.equal(byFigure(rs, 'expand a node').status, 'missed');
    assert.equal(byFigure(rs, 'server RSS, cluster tree').status, 'missed');
    assert.equal(byFigure(rs, 'server RSS, lenses').status, 'met');
    const w = byFigure(rs, 'replicas what-if');
    assert.deepEqual([w.status, w.goal], ['met', '≤ 1,000 ms']);
    assert.match(w.value, /^870 ms \(plain 500, anti-affinity 870; CPU 640 ms; load 1.5\)$/);
    assert.equal(byFigure(rs, 'activation').status, 'reported');
    assert.equal(byFigure(rs, 'bundle dist/server.js').value, '1,000 KiB');
    const vsix = byFigure(rs, 'VSIX');
    assert.deepEqual([vsix.value, vsix.goal, vsix.status], ['950 KiB', '≤ 900 KiB', 'missed']);
  });

  it('adds a line per campaign that is present', () => {
    const rs = rows(full);
    assert.match(
      byFigure(rs, 'scheduler model SchedulingBasic').value,
      /^2,500 pods\/s \(3,000 per CPU-second\), 1.4× the real/,
    );
    assert.equal(byFigure(rs, 'chaos on the simulated cluster').status, 'met');
    const real = byFigure(rs, 'chaos on the real cluster');
    assert.deepEqual([real.value, real.status], ['11 of 12 faults converged, slowest 9.2 s', 'missed']);
    assert.equal(byFigure(rs, 'load on the simulated cluster').status, 'met');
    assert.equal(
      rs.some((r) => r.figure.startsWith('LSP fuzzing')),
      false,
    );
  });

  it('states each LSP fuzz run against its goal: no crash, no answer over 1 s, RSS growth at most 50 MB', () => {
    const fuzz = {
      seed: 1,
      inputs: 100000,
      crashes: 0,
      errors: 0,
      over1s: 0,
      rssGrowthMb: 28,
      clusterInputs: 30000,
      clusterCrashes: 0,
      clusterErrors: 0,
      clusterOver1s: 2,
      clusterRssGrowthMb: 10,
    };
    const rs = rows({ benches: { 'lsp-fuzz': fuzz } });
    const plain = byFigure(rs, 'LSP fuzzing without a cluster');
    assert.deepEqual(
      [plain.value, plain.status],
      ['100,000 inputs: 0 crashes, 0 errors, 0 over 1 s, RSS +28 MB', 'met'],
    );
    assert.equal(byFigure(rs, 'LSP fuzzing with the simulated cluster').status, 'missed');
    const grown = rows({ benches: { 'lsp-fuzz': { ...fuzz, rssGrowthMb: 51 } } });
    assert.equal(byFigure(grown, 'LSP fuzzing without a cluster').status, 'missed');
  });

  it('shows missing and failed benchmarks as not measured, without throwing', () => {
    const partial = {
      benches: { explorer: { error: 'timed out after 900 s, no JSON written' }, codelens: { coldLensesMs: 100 } },
    };
    const rs = rows(partial);
    const p95 = byFigure(rs, 'keystroke → lens p95');
    assert.deepEqual([p95.status, p95.value], ['not measured', 'not measured (key missing)']);
    assert.equal(
      byFigure(rs, 'expand a node').value,
      'not measured (bench:explorer: timed out after 900 s, no JSON written)',
    );
    assert.equal(byFigure(rs, 'replicas what-if').value, 'not measured (bench:whatif not run)');
    assert.equal(byFigure(rs, 'VSIX').status, 'not measured');
    assert.equal(byFigure(rs, 'activation').status, 'not measured');
    for (const r of rows(null)) assert.equal(r.status, 'not measured', r.figure);
    assert.doesNotThrow(() => rows({ benches: { chaos: { campaigns: 'x' }, load: { campaigns: [null] } } }));
  });

  it('renders a Markdown table with one line per row', () => {
    const rs = rows(full);
    const lines = table(rs).split('\n');
    assert.equal(lines.length, rs.length + 2);
    assert.match(lines[0]!, /^\| figure +\| measured +\| goal +\| +\|$/);
    assert.match(lines[1]!, /^\| -+ \| -+ \| -+ \| -+ \|$/);
    assert.ok(lines.some((l) => l.includes('✗ missed') && l.includes('VSIX')));
  });
});
