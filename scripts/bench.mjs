#!/usr/bin/env node
// The home of all benchmarks:
//   npm run bench -- [--json FILE] [--no-host] [--no-vsix] [--no-activation] [--runs N] [--only a,b]
//                    [--skip-benches] [--bench-timeout SECONDS] [--merge FILE] [--table FILE]
//
// 1. VSIX size: kube-forecast-<version>.vsix (runs `npm run package`, a --production build, when missing).
// 2. Bundle sizes: every dist/*.js, and whether dist/ holds a development or production build.
// 3. Activation: inside a real VS Code through the harness's in-host runner (test/host/run-in-host.mjs
//    with the probe out/test/integration/bench/activation.js) when both exist; otherwise require +
//    activate of dist/extension.js against a minimal fake `vscode` module, in fresh node processes
//    (the JSON's activation.method says which).
// 4. Every other `bench:*` script of package.json whose bench/<name>.ts exists (or only those named by
//    --only), run with `--json <tmp>` and a time limit (--bench-timeout, default 900 s), its JSON merged
//    under benches.<name>. --skip-benches stops after step 3.
// 5. Prints one table (scripts/bench-table.mjs): each figure, the value, the goal beside it, met or missed;
//    figures a run did not produce show as "not measured". --json FILE writes the merged JSON with the
//    same rows as `table`.
// --merge FILE starts from an earlier report and replaces only what this run measures (e.g. `--only
// whatif --no-vsix --no-activation`), so the pieces of a long full-size run can be taken one at a time;
// --no-activation skips step 3. --table FILE prints the table of a report and exits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchRows, formatTable } from './bench-table.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Benchmarks that need longer than --bench-timeout at full size: their own limit, in minutes. */
const BENCH_MINUTES = { 'lsp-fuzz': 150, explorer: 40 };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function parseArgs(argv) {
  const opts = {
    json: undefined,
    host: true,
    vsix: true,
    activation: true,
    runs: 5,
    only: undefined,
    benches: true,
    benchTimeoutS: 900,
    merge: undefined,
    table: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = argv[++i];
    else if (a.startsWith('--json=')) opts.json = a.slice(7);
    else if (a === '--no-host') opts.host = false;
    else if (a === '--no-vsix') opts.vsix = false;
    else if (a === '--no-activation') opts.activation = false;
    else if (a === '--merge') opts.merge = argv[++i];
    else if (a.startsWith('--merge=')) opts.merge = a.slice(8);
    else if (a === '--table') opts.table = argv[++i];
    else if (a.startsWith('--table=')) opts.table = a.slice(8);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a.startsWith('--runs=')) opts.runs = Number(a.slice(7));
    else if (a === '--only') opts.only = argv[++i].split(',');
    else if (a.startsWith('--only=')) opts.only = a.slice(7).split(',');
    else if (a === '--skip-benches') opts.benches = false;
    else if (a === '--bench-timeout') opts.benchTimeoutS = Number(argv[++i]);
    else if (a.startsWith('--bench-timeout=')) opts.benchTimeoutS = Number(a.slice(16));
    else {
      console.error(`bench: unknown argument ${a}`);
      process.exit(2);
    }
  }
  for (const [flag, v] of [
    ['--json', opts.json],
    ['--merge', opts.merge],
    ['--table', opts.table],
  ]) {
    if (v === undefined && argv.includes(flag)) {
      console.error(`bench: ${flag} needs a file name`);
      process.exit(2);
    }
  }
  return opts;
}

function run(cmd, args, extra = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...extra });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => (typeof x === 'number' ? Math.round(x * 100) / 100 : x);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const log = (s) => process.stderr.write(`[bench] ${s}\n`);
  if (opts.table !== undefined) {
    const report = JSON.parse(readFileSync(resolve(opts.table), 'utf8'));
    if (report.machine !== undefined) console.log(`${heading(report)}\n`);
    console.log(formatTable(benchRows(report)));
    return;
  }
  const base = opts.merge !== undefined ? JSON.parse(readFileSync(resolve(opts.merge), 'utf8')) : {};
  const out = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    version: pkg.version,
    machine: machine(),
    bundles: {},
    vsix: base.vsix ?? null,
    activation: base.activation ?? null,
    benches: { ...(base.benches ?? {}) },
  };
  if (opts.merge !== undefined) out.mergedFrom = { file: opts.merge, generatedAt: base.generatedAt ?? null };

  // 1. VSIX first: `npm run package` rebuilds dist/ with --production, so sizes below match the VSIX.
  if (opts.vsix) {
    const vsix = join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
    if (!existsSync(vsix)) {
      log(`${vsix} missing: running npm run package`);
      const p = run('npm', ['run', 'package'], { stdio: ['ignore', 'pipe', 'pipe'] });
      if (p.code !== 0) out.vsix = { error: (p.stderr || p.stdout).trim().split('\n').slice(-5).join('\n') };
    }
    if (existsSync(vsix)) out.vsix = { file: `${pkg.name}-${pkg.version}.vsix`, bytes: statSync(vsix).size };
  }

  // 2. Bundles (whatever build dist/ holds; `build` says which).
  if (!existsSync(join(ROOT, 'dist/extension.js'))) {
    log('dist/extension.js missing: building with --production');
    const b = run(process.execPath, ['esbuild.mjs', '--production']);
    if (b.code !== 0) out.bundles.error = b.stderr.trim() || b.stdout.trim();
  }
  if (existsSync(join(ROOT, 'dist/extension.js'))) {
    // Development builds link their source maps; --production builds do not reference them.
    const linked = readFileSync(join(ROOT, 'dist/extension.js'), 'utf8').includes('//# sourceMappingURL=');
    out.bundles.build = linked ? 'development' : 'production';
  }
  if (existsSync(join(ROOT, 'dist'))) {
    for (const f of readdirSync(join(ROOT, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .sort()) {
      out.bundles[`dist/${f}`] = { bytes: statSync(join(ROOT, 'dist', f)).size };
    }
  }

  // 3. Activation.
  if (opts.activation) {
    out.activation =
      (opts.host ? await activationInHost(log) : null) ?? activationWithFakeVscode(opts.runs, log, opts.host);
  }

  // 4. Other benchmarks.
  const scripts = opts.benches ? Object.keys(pkg.scripts).filter((s) => s.startsWith('bench:')) : [];
  for (const script of scripts) {
    const name = script.slice('bench:'.length);
    if (opts.only !== undefined && !opts.only.includes(name)) continue;
    if (!existsSync(join(ROOT, 'bench', `${name}.ts`))) continue;
    const dir = mkdtempSync(join(tmpdir(), 'kf-bench-'));
    const file = join(dir, `${name}.json`);
    // `node --import tsx` is what `tsx bench/<name>.ts` (the bench:* script) runs, in one process, so the
    // time limit can kill it.
    log(`running bench/${name}.ts (npm run ${script})`);
    const t0 = Date.now();
    const limitS = Math.max(opts.benchTimeoutS, (BENCH_MINUTES[name] ?? 0) * 60);
    const r = run(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, '--json', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: limitS * 1000,
      killSignal: 'SIGKILL',
    });
    try {
      out.benches[name] = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      const why = Date.now() - t0 >= limitS * 1000 ? `timed out after ${limitS} s` : `exit ${r.code}`;
      out.benches[name] = {
        error: `${why}, no JSON written`,
        stderr: r.stderr.trim().split('\n').slice(-5).join('\n'),
      };
    }
    if (r.code !== 0 && out.benches[name].error === undefined) out.benches[name].exitCode = r.code;
    out.benches[name].wallMs ??= Date.now() - t0;
    rmSync(dir, { recursive: true, force: true });
  }

  // 5. The table (the load average as the run ends).
  out.machine = machine();
  const rows = benchRows(out);
  out.table = rows;
  if (opts.json) {
    writeFileSync(resolve(opts.json), JSON.stringify(out, null, 2) + '\n');
    log(`wrote ${opts.json}`);
  }
  console.log(`${heading(out)}\n`);
  console.log(formatTable(rows));
}

/** The line above the table: version, time, and the machine (cores, RAM, Node.js, load average). */
function heading(report) {
  const m = report.machine;
  return (
    `Kube Forecast ${report.version} benchmarks, ${report.generatedAt} — ${m.cpus} × ${m.cpuModel}, ` +
    `${m.memGiB} GiB RAM, Node ${report.node}, load average ${m.loadAverage.join(' ')}`
  );
}

/** The machine the figures come from: cores, RAM, Node.js, load average (1, 5, 15 min) at the end of the run. */
function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memGiB: Math.round(totalmem() / 1024 ** 3),
    platform: `${platform()} ${release()}`,
    loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
  };
}

/** Activation timing inside code-server via the harness; null when the harness or probe is missing or fails. */
async function activationInHost(log) {
  const runner = join(ROOT, 'test/host/run-in-host.mjs');
  const probe = join(ROOT, 'out/test/integration/bench/activation.js');
  if (!existsSync(runner)) return null;
  if (!existsSync(probe)) {
    log('building the in-host probe (node esbuild.mjs --only=integration)');
    run(process.execPath, ['esbuild.mjs', '--only=integration']);
    if (!existsSync(probe)) return null;
  }
  // The development extension loads from dist/: make sure it is there.
  if (!existsSync(join(ROOT, 'dist/server.js'))) run(process.execPath, ['esbuild.mjs']);
  log('measuring activation inside code-server (test/host/run-in-host.mjs)');
  const { runInHost } = await import(pathToFileURL(runner).href);
  const lines = [];
  const t0 = Date.now();
  const r = await runInHost({ tests: probe, timeout: 180, out: (line) => lines.push(line) });
  const line = lines.find((l) => l.includes('KF_BENCH_JSON '));
  if (r.code !== 0 || line === undefined) {
    log(`in-host activation failed (exit ${r.code}); falling back to the fake vscode module`);
    log(lines.slice(-10).join('\n'));
    return null;
  }
  const m = JSON.parse(line.slice(line.indexOf('KF_BENCH_JSON ') + 'KF_BENCH_JSON '.length));
  return {
    method: 'in-host',
    note: `VS Code ${m.vscodeVersion} (code-server) extension host, one fresh host; activationMs is performance.now() around activate() as the extension reports it`,
    activationMs: round(m.activationMs),
    activateCallMs: round(m.activateCallMs),
    languageServerStartMs: round(m.languageServerStartMs),
    languageServerStateBefore: m.languageServerStateBefore,
    firstCodeLensMs: round(m.firstCodeLensMs),
    codeLenses: m.codeLenses,
    hostWallMs: Date.now() - t0,
  };
}

/** Activation timing with a fake `vscode` module, `runs` fresh processes; reports medians. */
function activationWithFakeVscode(runs, log, hostWanted) {
  log(`measuring require + activate of dist/extension.js with a fake vscode module (${runs} runs)`);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = run(process.execPath, [fileURLToPath(import.meta.url), '--fake-activation-child']);
    try {
      samples.push(JSON.parse(r.stdout.trim().split('\n').pop()));
    } catch {
      return { method: 'fake-vscode', error: (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n') };
    }
  }
  return {
    method: 'fake-vscode',
    note:
      (hostWanted ? 'the in-host runner was unavailable or failed; ' : 'in-host run skipped (--no-host); ') +
      'measured in plain node against a minimal fake vscode module, so VS Code API costs are not included',
    runs,
    requireMs: round(median(samples.map((s) => s.requireMs))),
    activationMs: round(median(samples.map((s) => s.activationMs))),
    samples: samples.map((s) => ({ requireMs: round(s.requireMs), activationMs: round(s.activationMs) })),
  };
}

/** Child mode: install a fake `vscode`, require dist/extension.js, activate, print timings as JSON. */
function fakeActivationChild() {
  const require = createRequire(import.meta.url);
  const Module = require('node:module');
  const noop = () => fake;
  let activationError;
  // A callable, constructible proxy: every property is another fake, every call returns a fake,
  // so any API shape the extension touches "works"; events return disposables.
  const fake = new Proxy(function () {}, {
    get: (_t, prop) => {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'dispose') return () => undefined;
      return fake;
    },
    set: () => true,
    apply: () => fake,
    construct: () => fake,
  });
  const vscode = new Proxy(
    {
      workspace: new Proxy({ textDocuments: [], isTrusted: true }, { get: (t, p) => (p in t ? t[p] : fake) }),
      window: new Proxy(
        {
          showErrorMessage: (m) => {
            activationError = String(m);
            return Promise.resolve(undefined);
          },
        },
        { get: (t, p) => (p in t ? t[p] : noop) },
      ),
    },
    { get: (t, p) => (p in t ? t[p] : fake) },
  );
  const original = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : original.call(this, request, ...rest);
  };
  const context = {
    subscriptions: [],
    extensionPath: ROOT,
    asAbsolutePath: (p) => join(ROOT, p),
    workspaceState: { get: (_k, d) => d, update: async () => undefined },
    globalState: { get: (_k, d) => d, update: async () => undefined },
  };
  const t0 = performance.now();
  const ext = require(join(ROOT, 'dist/extension.js'));
  const requireMs = performance.now() - t0;
  const api = ext.activate(context);
  console.log(JSON.stringify({ requireMs, activationMs: api?.activationMs ?? null, error: activationError }));
  process.exit(0);
}

if (process.argv[2] === '--fake-activation-child') {
  fakeActivationChild();
} else {
  await main();
}
