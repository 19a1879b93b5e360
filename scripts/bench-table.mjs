// The one table `npm run bench` prints (issue 15 item 4): each figure a user notices, the value
// measured, the goal beside it and whether it was met.
//
// Contract: pure. `benchRows(report)` takes the JSON scripts/bench.mjs writes (`bundles`, `vsix`,
// `activation`, `benches.<name>`) and returns rows `{ figure, value, goal, status }` in a fixed
// order; status is `met` or `missed` when the figure has a goal and was measured, `reported` when it
// has no goal, and `not measured` when its key is missing or its benchmark failed (the value then
// says why). Nothing here throws on a partial or malformed report. `formatTable(rows)` renders them
// as a Markdown table (what the terminal and README.md show).

/** Goals, from the issues and the existing budgets (explorer.ts `budgets`, check-vsix.ts VSIX_BUDGET_KIB). */
export const GOALS = {
  keystrokeMs: 100,
  firstLensMs: 1000,
  firstPaintAfterSyncMs: 1000,
  expandMs: 50,
  serverRssMb: 500,
  whatifMs: 1000,
  vsixKib: 900,
  /** A chaos fault converges within this many seconds of its clear (test/chaos/report.ts CONVERGE_LIMIT_S). */
  chaosConvergeS: 10,
};

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
const get = (o, path) => path.split('.').reduce((v, k) => (v !== null && typeof v === 'object' ? v[k] : undefined), o);
const group = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => (n < 10 ? `${Math.round(n * 10) / 10} ms` : `${group(n)} ms`);
const kib = (bytes) => `${group(bytes / 1024)} KiB`;

/** A row for a figure with an upper bound: met when `value ≤ limit`. */
function bounded(figure, value, limit, fmt, goalText, missingWhy) {
  if (!isNum(value)) return { figure, value: missingWhy, goal: goalText, status: 'not measured' };
  return { figure, value: fmt(value), goal: goalText, status: value <= limit ? 'met' : 'missed' };
}

/** Why a benchmark's figures are missing: its error, or that it did not run. */
function whyMissing(report, name) {
  const b = report?.benches?.[name];
  if (b === undefined) return `not measured (bench:${name} not run)`;
  if (typeof b?.error === 'string') return `not measured (bench:${name}: ${b.error})`;
  return 'not measured (key missing)';
}

/** The figure label with the cluster size a benchmark reports, e.g. ` (5,000 nodes, 150,000 pods)`. */
function size(o) {
  const parts = [];
  if (isNum(o?.nodes)) parts.push(`${group(o.nodes)} nodes`);
  if (isNum(o?.pods)) parts.push(`${group(o.pods)} pods`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The rows of the table for a bench.mjs report. */
export function benchRows(report) {
  const rows = [];
  const benches = report?.benches ?? {};

  // Editor: CodeLens end to end (bench/codelens.ts `e2e`).
  const e2e = get(benches, 'codelens.e2e');
  const lensWhy = e2e === undefined ? whyMissing(report, 'codelens') : 'not measured (key missing)';
  const lensSize = size(e2e);
  const kGoal = `p95 ≤ ${GOALS.keystrokeMs} ms`;
  rows.push(
    bounded(
      `keystroke → lens p50${lensSize}`,
      e2e?.keystrokeP50Ms,
      GOALS.keystrokeMs,
      ms,
      `≤ ${GOALS.keystrokeMs} ms`,
      lensWhy,
    ),
  );
  rows.push(bounded(`keystroke → lens p95${lensSize}`, e2e?.keystrokeP95Ms, GOALS.keystrokeMs, ms, kGoal, lensWhy));
  rows.push(
    bounded('open → first lens', e2e?.firstLensMs, GOALS.firstLensMs, ms, `≤ ${group(GOALS.firstLensMs)} ms`, lensWhy),
  );

  // Cluster tree (bench/explorer.ts).
  const ex = benches.explorer;
  const exWhy =
    ex === undefined || typeof ex?.error === 'string' ? whyMissing(report, 'explorer') : 'not measured (key missing)';
  const exSize = size(ex);
  const paint = bounded(
    `click → first tree rows, after the caches sync${exSize}`,
    ex?.firstPaintAfterSyncMs,
    GOALS.firstPaintAfterSyncMs,
    ms,
    `≤ ${group(GOALS.firstPaintAfterSyncMs)} ms`,
    exWhy,
  );
  if (paint.status !== 'not measured' && isNum(ex?.firstPaintMs) && isNum(ex?.cachesSyncedMs)) {
    paint.value += ` (${group(ex.firstPaintMs)} ms from the click; caches synced at ${group(ex.cachesSyncedMs)} ms)`;
  }
  rows.push(paint);
  rows.push(bounded('expand a namespace', ex?.expandNamespaceMs, GOALS.expandMs, ms, `≤ ${GOALS.expandMs} ms`, exWhy));
  rows.push(bounded('expand a node', ex?.expandNodeMs, GOALS.expandMs, ms, `≤ ${GOALS.expandMs} ms`, exWhy));
  const rssGoal = `≤ ${GOALS.serverRssMb} MB`;
  const mb = (n) => `${group(n)} MB`;
  rows.push(bounded(`server RSS, cluster tree${exSize}`, ex?.serverRssMb, GOALS.serverRssMb, mb, rssGoal, exWhy));
  rows.push(bounded(`server RSS, lenses${lensSize}`, e2e?.serverRssMb, GOALS.serverRssMb, mb, rssGoal, lensWhy));

  // Replicas what-if (bench/whatif.ts).
  const w = benches.whatif;
  const wRow = bounded(
    `replicas what-if: ${isNum(w?.replicas) ? group(w.replicas) : '1,000'} replicas${size(w)}, slowest variant`,
    w?.worstMedianMs,
    GOALS.whatifMs,
    ms,
    `≤ ${group(GOALS.whatifMs)} ms`,
    whyMissing(report, 'whatif'),
  );
  if (wRow.status !== 'not measured' && Array.isArray(w?.variants)) {
    const cpu = isNum(w.worstCpuMedianMs) ? `; CPU ${group(w.worstCpuMedianMs)} ms` : '';
    const load = isNum(w.loadAverage1m) ? `; load ${w.loadAverage1m}` : '';
    wRow.value += ` (${w.variants.map((v) => `${v.name} ${group(v.medianMs)}`).join(', ')}${cpu}${load})`;
  }
  rows.push(wRow);

  // Activation, bundles, VSIX.
  const act = report?.activation;
  if (isNum(act?.activationMs)) {
    const how = act.method === 'in-host' ? 'in VS Code' : 'fake vscode module, no VS Code API costs';
    rows.push({ figure: 'activation', value: `${ms(act.activationMs)} (${how})`, goal: '—', status: 'reported' });
  } else {
    const why = typeof act?.error === 'string' ? `not measured (${act.error.split('\n')[0]})` : 'not measured';
    rows.push({ figure: 'activation', value: why, goal: '—', status: 'not measured' });
  }
  const bundles = report?.bundles ?? {};
  const files = Object.keys(bundles).filter((k) => k.startsWith('dist/') && isNum(bundles[k]?.bytes));
  if (files.length === 0) {
    rows.push({ figure: 'bundle sizes', value: 'not measured', goal: '—', status: 'not measured' });
  } else {
    for (const f of files.sort()) {
      const build = typeof bundles.build === 'string' ? ` (${bundles.build} build)` : '';
      rows.push({ figure: `bundle ${f}${build}`, value: kib(bundles[f].bytes), goal: '—', status: 'reported' });
    }
  }
  const vsix = report?.vsix;
  rows.push(
    bounded(
      'VSIX',
      isNum(vsix?.bytes) ? vsix.bytes / 1024 : undefined,
      GOALS.vsixKib,
      (k) => `${group(k)} KiB`,
      `≤ ${GOALS.vsixKib} KiB`,
      typeof vsix?.error === 'string' ? `not measured (${vsix.error.split('\n')[0]})` : 'not measured',
    ),
  );

  rows.push(...campaignRows(report));
  return rows;
}

/** Lines for the campaigns and throughput benchmarks that are in the report (none when absent). */
function campaignRows(report) {
  const rows = [];
  const benches = report?.benches ?? {};
  const failed = (name) =>
    typeof benches[name]?.error === 'string'
      ? [{ figure: name, value: whyMissing(report, name), goal: '—', status: 'not measured' }]
      : [];

  // Scheduler model throughput, with the real kube-scheduler's when measured (--oracle).
  const sched = benches.scheduler;
  rows.push(...failed('scheduler'));
  for (const wl of Array.isArray(sched?.workloads) ? sched.workloads : []) {
    if (!isNum(wl?.podsPerSecond)) continue;
    const vsReal = isNum(wl.ratio) ? `, ${wl.ratio}× the real kube-scheduler framework` : '';
    const vsUp = isNum(wl.upstreamRatio) ? `, ${wl.upstreamRatio}× upstream scheduler_perf` : '';
    rows.push({
      figure: `scheduler model ${wl.name}`,
      value: `${group(wl.podsPerSecond)} pods/s${isNum(wl.podsPerCpuSecond) ? ` (${group(wl.podsPerCpuSecond)} per CPU-second)` : ''}${vsReal}${vsUp}`,
      goal: '—',
      status: 'reported',
    });
  }

  // Chaos: every fault converges within the limit.
  rows.push(...failed('chaos'));
  const campaigns = benches.chaos?.campaigns;
  if (campaigns !== null && typeof campaigns === 'object') {
    const limit = isNum(benches.chaos.limitSeconds) ? benches.chaos.limitSeconds : GOALS.chaosConvergeS;
    for (const [cluster, c] of Object.entries(campaigns)) {
      if (!isNum(c?.faults) || !isNum(c?.converged)) continue;
      const maxes = Object.values(c.byType ?? {})
        .map((t) => t?.max)
        .filter(isNum);
      const max = maxes.length > 0 ? `, slowest ${Math.max(...maxes).toFixed(1)} s` : '';
      rows.push({
        figure: `chaos on the ${cluster} cluster`,
        value: `${c.converged} of ${c.faults} faults converged${max}`,
        goal: `all within ${limit} s`,
        status: c.converged === c.faults ? 'met' : 'missed',
      });
    }
  }

  // Load: no write or watch event lost.
  rows.push(...failed('load'));
  for (const c of Array.isArray(benches.load?.campaigns) ? benches.load.campaigns : []) {
    const v = c?.verdict;
    if (!isNum(c?.writesPerSecond) || v === undefined) continue;
    const p99 = isNum(c.latencyMs?.p99) ? `, p99 ${ms(c.latencyMs.p99)}` : '';
    rows.push({
      figure: `load on the ${c.cluster} cluster`,
      value: `${group(c.writesPerSecond)} writes/s${p99}; ${v.lost ?? '?'} lost, ${v.outOfOrder ?? '?'} out of order, ${v.duplicate ?? '?'} duplicate`,
      goal: 'no loss, every check passed',
      status: v.failed === 0 ? 'met' : 'missed',
    });
  }

  // LSP fuzzing at full size, when a benchmark reports it (`bench:lsp-fuzz`).
  rows.push(...failed('lsp-fuzz'));
  const fuzz = benches['lsp-fuzz'];
  if (fuzz !== undefined && typeof fuzz?.error !== 'string') {
    // bench/lsp-fuzz.ts: one run without a cluster, one with the simulated cluster.
    for (const [label, p] of [
      ['without a cluster', ''],
      ['with the simulated cluster', 'cluster'],
    ]) {
      const key = (k) => (p ? `${p}${k[0].toUpperCase()}${k.slice(1)}` : k);
      const [inputs, crashes, errors, over1s, rss] = ['inputs', 'crashes', 'errors', 'over1s', 'rssGrowthMb'].map(
        (k) => fuzz[key(k)],
      );
      if (!isNum(inputs)) continue;
      const clean = crashes === 0 && errors === 0 && over1s === 0;
      rows.push({
        figure: `LSP fuzzing ${label} (seed ${fuzz.seed ?? '?'})`,
        value: `${group(inputs)} inputs: ${crashes} crashes, ${errors} errors, ${over1s} over 1 s, RSS ${isNum(rss) ? `${rss >= 0 ? '+' : ''}${rss} MB` : 'n/a'}`,
        goal: '0 crashes, 0 over 1 s, RSS growth ≤ 50 MB',
        status: clean && isNum(rss) && rss <= 50 ? 'met' : 'missed',
      });
    }
  }
  return rows;
}

const STATUS = { met: '✓ met', missed: '✗ missed', reported: 'reported', 'not measured': 'not measured' };

/** The rows as a Markdown table: figure, measured, goal, met/missed. */
export function formatTable(rows) {
  const cells = [
    ['figure', 'measured', 'goal', ''],
    ...rows.map((r) => [r.figure, r.value, r.goal, STATUS[r.status] ?? r.status]),
  ];
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => [...esc(c[i])].length)));
  const line = (c) => `| ${c.map((x, i) => esc(x) + ' '.repeat(widths[i] - [...esc(x)].length)).join(' | ')} |`;
  return [line(cells[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join(
    '\n',
  );
}
