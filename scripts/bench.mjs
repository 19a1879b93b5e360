#!/usr/bin/env node
// The home of all benchmarks: `npm run bench -- [--json FILE] [--no-host] [--no-vsix] [--runs N]`.
//
// 1. Bundle sizes: every dist/*.js (builds with --production first when dist/extension.js is missing).
// 2. VSIX size: kube-forecast-<version>.vsix (runs `npm run package` when it is missing).
// 3. Activation: inside a real VS Code through the harness's in-host runner (test/host/run-in-host.mjs
//    with the probe out/test/integration/bench/activation.js) when both exist; otherwise require +
//    activate of dist/extension.js against a minimal fake `vscode` module, in fresh node processes
//    (the JSON's activation.method says which).
// 4. Every other `bench:*` script of package.json whose bench/<name>.ts exists, run with
//    `--json <tmp>`, its JSON merged under benches.<name>.
// Prints the merged JSON and writes it to FILE with --json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function parseArgs(argv) {
  const opts = { json: undefined, host: true, vsix: true, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = argv[++i];
    else if (a.startsWith('--json=')) opts.json = a.slice(7);
    else if (a === '--no-host') opts.host = false;
    else if (a === '--no-vsix') opts.vsix = false;
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a.startsWith('--runs=')) opts.runs = Number(a.slice(7));
    else {
      console.error(`bench: unknown argument ${a}`);
      process.exit(2);
    }
  }
  if (opts.json === undefined && argv.includes('--json')) {
    console.error('bench: --json needs a file name');
    process.exit(2);
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
  const out = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    version: pkg.version,
    bundles: {},
    vsix: null,
    activation: null,
    benches: {},
  };

  // 1. Bundles.
  if (!existsSync(join(ROOT, 'dist/extension.js'))) {
    log('dist/extension.js missing: building with --production');
    const b = run(process.execPath, ['esbuild.mjs', '--production']);
    if (b.code !== 0) out.bundles.error = b.stderr.trim() || b.stdout.trim();
  }
  if (existsSync(join(ROOT, 'dist'))) {
    for (const f of readdirSync(join(ROOT, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .sort()) {
      out.bundles[`dist/${f}`] = { bytes: statSync(join(ROOT, 'dist', f)).size };
    }
  }

  // 2. VSIX.
  if (opts.vsix) {
    const vsix = join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
    if (!existsSync(vsix)) {
      log(`${vsix} missing: running npm run package`);
      const p = run('npm', ['run', 'package'], { stdio: ['ignore', 'pipe', 'pipe'] });
      if (p.code !== 0) out.vsix = { error: (p.stderr || p.stdout).trim().split('\n').slice(-5).join('\n') };
    }
    if (existsSync(vsix)) out.vsix = { file: `${pkg.name}-${pkg.version}.vsix`, bytes: statSync(vsix).size };
  }

  // 3. Activation.
  out.activation =
    (opts.host ? await activationInHost(log) : null) ?? activationWithFakeVscode(opts.runs, log, opts.host);

  // 4. Other benchmarks.
  for (const [script] of Object.entries(pkg.scripts).filter(([s]) => s.startsWith('bench:'))) {
    const name = script.slice('bench:'.length);
    if (!existsSync(join(ROOT, 'bench', `${name}.ts`))) continue;
    const dir = mkdtempSync(join(tmpdir(), 'kf-bench-'));
    const file = join(dir, `${name}.json`);
    log(`running npm run ${script}`);
    const t0 = Date.now();
    const r = run('npm', ['run', '--silent', script, '--', '--json', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      out.benches[name] = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      out.benches[name] = {
        error: `exit ${r.code}, no JSON written`,
        stderr: r.stderr.trim().split('\n').slice(-5).join('\n'),
      };
    }
    if (r.code !== 0 && out.benches[name].error === undefined) out.benches[name].exitCode = r.code;
    out.benches[name].wallMs ??= Date.now() - t0;
    rmSync(dir, { recursive: true, force: true });
  }

  const text = JSON.stringify(out, null, 2);
  console.log(text);
  if (opts.json) writeFileSync(resolve(opts.json), text + '\n');
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
    apply: () => fake,
    construct: () => fake,
  });
  const vscode = new Proxy(
    {
      workspace: new Proxy({ textDocuments: [], isTrusted: true }, { get: (t, p) => (p in t ? t[p] : fake) }),
      window: new Proxy({}, { get: () => noop }),
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
  console.log(JSON.stringify({ requireMs, activationMs: api?.activationMs ?? null }));
  process.exit(0);
}

if (process.argv[2] === '--fake-activation-child') {
  fakeActivationChild();
} else {
  await main();
}
