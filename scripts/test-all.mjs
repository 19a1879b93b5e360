#!/usr/bin/env node
// `npm test`: every check of the project, in order, each under a header line. A failing step does
// not stop the run: every step runs, a summary table follows, then the plain closing line
// `N passed, N failed` summing the test counts the runners reported. Exit 1 when any step failed.
//
// Two lanes: the steps marked `lane: 'side'` (the real control plane's, which mostly wait on its
// controllers) run one after another beside the main lane; their output is held and printed whole when
// each finishes, so every step's log stays in one piece. A step with `after` starts only once that step
// has ended (host-real needs dist/ from build; package rewrites dist/, so it waits for host-real; e2e-real
// needs the VSIX). `--serial` runs every step in the main lane, in the order listed.
//
// Usage: node scripts/test-all.mjs [--only step,step] [--skip step,step] [--serial] [--list]
// Steps: typecheck lint format unit unit-real conformance oracle oracle-placement apiserver-conformance clients-python
// helm build lsp-fuzz chaos host host-real host-latest package e2e e2e-real e2e-latest
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSIONS } from '../test/host/host-lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} Step
 * @property {string} name      what --only / --skip use
 * @property {string} title     header text
 * @property {string[][]} run   commands run in order; the step fails at the first non-zero exit
 * @property {string} fix       one line: how to reproduce and fix it locally
 * @property {number} minutes   time limit for the step
 * @property {() => string | null} [skipIf]  a reason to skip, or null to run
 * @property {Record<string, string>} [env]  extra environment for the step's commands
 * @property {'side'} [lane]  run beside the main lane (see the file comment); absent: the main lane
 * @property {string} [after]  a step (of either lane) that must have ended before this one starts, when
 *   both are chosen: what it builds (dist/, the VSIX) is used or rewritten here
 */

/** @type {Step[]} */
const STEPS = [
  {
    name: 'typecheck',
    title: 'Type check (tsc --noEmit)',
    run: [['npm', 'run', 'typecheck']],
    fix: 'run `npm run typecheck` and fix the errors it names (file:line)',
    minutes: 5,
  },
  {
    name: 'lint',
    title: 'Lint (eslint)',
    run: [['npm', 'run', 'lint']],
    fix: 'run `npm run lint` (try `npx eslint --fix <file>` for the fixable rules)',
    minutes: 5,
    skipIf: () => (fs.existsSync(path.join(ROOT, 'eslint.config.mjs')) ? null : 'no eslint.config.mjs'),
  },
  {
    name: 'format',
    title: 'Formatting (prettier --check)',
    run: [['npm', 'run', 'format:check']],
    fix: 'run `npm run format` (prettier --write) and commit the result',
    minutes: 5,
  },
  {
    name: 'unit',
    title: 'Unit tests (node --test)',
    run: [['npm', 'run', 'test:unit']],
    fix: 'run `npm run test:unit -- <path filter>` for the failing file and read the assertion diff',
    minutes: 10,
  },
  {
    name: 'unit-real',
    lane: 'side',
    title: 'Cluster tests against the real control plane (k8s.io/kubernetes v1.37.2, KF_TEST_CLUSTER=real)',
    run: [
      ['npm', 'run', 'real-cluster:build'],
      ['node', 'scripts/run-unit-tests.mjs', '--cluster-tests'],
    ],
    env: { KF_TEST_CLUSTER: 'real' },
    fix: 'run `KF_TEST_CLUSTER=real node scripts/run-unit-tests.mjs --cluster-tests <file>`; component logs: ~/.cache/kube-forecast/real-cluster/logs/',
    minutes: 15,
  },
  {
    name: 'conformance',
    title: 'Scheduler conformance (upstream kube-scheduler cases)',
    run: [['npm', 'run', 'conformance']],
    fix: 'run `npm run conformance` and compare the named case with ../shared/conformance (FORMAT.md)',
    minutes: 10,
  },
  {
    name: 'oracle',
    title: 'Scheduler model vs the real kube-scheduler v1.37.2 (Go oracle: go test, corpus, 2000 fuzz cases)',
    run: [
      ['npm', 'run', 'oracle:go-test'],
      ['npm', 'run', 'conformance', '--', '--oracle', 'real'],
      ['npm', 'run', 'fuzz:scheduler', '--', '--seed', '1', '--count', '2000', '--quiet'],
    ],
    fix: 'run the failing command; a fuzz disagreement is saved in test-results/fuzz-scheduler/<seed>-<index>.json (replay: `npm run fuzz:scheduler -- --seed S --first I --count 1`)',
    minutes: 15,
  },
  {
    name: 'oracle-placement',
    lane: 'side',
    title: 'Predictions vs real placements (oracle:placement on the real control plane, 60 nodes, 150 pods)',
    run: [
      ['npm', 'run', 'real-cluster:build'],
      ['npm', 'run', 'oracle:placement', '--', '--seed', '1', '--pods', '150', '--nodes', '60'],
    ],
    fix: 'run `npm run oracle:placement -- --seed 1 --pods 150 --nodes 60`; disagreements are saved with the cluster state in test-results/oracle-placement/',
    minutes: 10,
  },
  {
    name: 'apiserver-conformance',
    lane: 'side',
    title: 'The simulated cluster held against kube-apiserver v1.37.2 (one request sequence sent to both)',
    run: [
      ['npm', 'run', 'real-cluster:build'],
      ['npm', 'run', 'conformance:apiserver'],
    ],
    fix: 'run `npm run conformance:apiserver` (`-- --only <behaviour>` for one) and read test-results/apiserver-conformance/report.txt; fix the simulator, or list a difference that must stay in test/apiserver-conformance/accepted.json and src/simulator/README.md',
    minutes: 10,
  },
  // Load without loss (test/load): concurrent clients write while watches run, on both clusters; the
  // full size (20 clients × 5,000 objects) runs in `npm run bench:load`.
  {
    name: 'load',
    lane: 'side',
    title: 'Load without loss (8 clients, 250 objects, seed 1) on the simulated cluster and the real control plane',
    run: [
      ['npm', 'run', 'real-cluster:build'],
      ['npm', 'run', 'load', '--', '--seed', '1', '--clients', '8', '--objects', '250', '--cluster', 'both'],
    ],
    fix: 'run `npm run load -- --seed 1 --clients 8 --objects 250 --cluster simulated|real`: the first failures are printed as `FAIL ...` lines (test/load/README.md says what each check means)',
    minutes: 5,
  },
  // The clients our users already run, unchanged, on both clusters (test/clients): each runner starts
  // the simulated cluster, then the real control plane, and fails when a client cannot run or no test ran.
  {
    name: 'clients-python',
    lane: 'side',
    title: 'The official Python client (kubernetes 37, pytest) on the simulated cluster and the real control plane',
    run: [
      ['npm', 'run', 'setup:clients', '--', 'python'],
      ['npm', 'run', 'real-cluster:build'],
      ['npm', 'run', 'test:clients:python'],
    ],
    fix: 'run `npm run test:clients:python -- --cluster simulated|real -k <test name>` (setup: `npm run setup:clients -- python`); real-cluster logs: ~/.cache/kube-forecast/real-cluster/logs/',
    minutes: 10,
  },
  {
    name: 'helm',
    lane: 'side',
    title: 'Real helm (helm.sh/helm/v4) with examples/chart on the simulated cluster and the real control plane',
    run: [
      ['npm', 'run', 'setup:clients', '--', 'helm'],
      ['npm', 'run', 'real-cluster:build'],
      ['npm', 'run', 'test:clients:helm'],
    ],
    fix: 'run `npm run test:clients:helm -- --cluster simulated|real` (setup: `npm run setup:clients -- helm`); a failing helm command is shown with its own error text',
    minutes: 15,
  },
  {
    name: 'build',
    title: 'Build (esbuild: dist/extension.js, dist/server.js, dist/simulator.js)',
    run: [['npm', 'run', 'build']],
    fix: 'run `npm run build` and fix the first error esbuild prints',
    minutes: 5,
  },
  {
    name: 'lsp-fuzz',
    title:
      'Language server fuzzing (fuzz:lsp seed 1: inputs 0-999 without a cluster, 1000-1999 with the simulated one)',
    run: [
      ['node', 'esbuild.mjs', '--only=server'],
      ['npm', 'run', 'fuzz:lsp', '--', '--seed', '1', '--count', '1000', '--out', 'test-results/lsp-fuzz'],
      [
        'npm',
        'run',
        'fuzz:lsp',
        '--',
        '--seed',
        '1',
        '--first',
        '1000',
        '--count',
        '1000',
        '--cluster',
        '--out',
        'test-results/lsp-fuzz',
      ],
    ],
    fix: 'findings are saved in test-results/lsp-fuzz/<seed>-<index>.yaml + .json; replay one with `npm run fuzz:lsp -- --seed 1 --first I --count 1 [--cluster]`, fix the server, then move the pair to test/fixtures/lsp-fuzz/ (the unit tests replay it)',
    minutes: 10,
  },
  // Faults and convergence (test/chaos): one round of every fault on both clusters; a fault passes when
  // the watched server's rows and predictions equal a freshly connected server's within 10 s of clearing.
  {
    name: 'chaos',
    title: 'Chaos (chaos seed 1, one round of every fault on the simulated cluster and the real control plane)',
    run: [
      ['node', 'esbuild.mjs', '--only=server'],
      ['npm', 'run', 'real-cluster:build'],
      [
        'npm',
        'run',
        'chaos',
        '--',
        '--seed',
        '1',
        '--cluster',
        'both',
        '--parallel',
        '--json',
        'test-results/chaos/chaos.json',
      ],
    ],
    fix: 'run `npm run chaos -- --seed 1 --cluster simulated|real [--only <fault type>]`; every fault (its actions, seconds to converge, the difference left) is in test-results/chaos/chaos.json',
    minutes: 5,
  },
  {
    name: 'host',
    title: 'In-host tests (mocha inside VS Code 1.100 via code-server)',
    run: [
      ['bash', 'test/host/setup-code-server.sh'],
      ['npm', 'run', 'test:host'],
      // The "untrusted workspace" suites, in a restricted window (~25 s).
      ['npm', 'run', 'test:host', '--', '--untrusted'],
    ],
    fix: 'run `npm run build && npm run test:host -- --grep "<test name>" --verbose` (`--untrusted` for the "untrusted workspace" suites; setup: `npm run setup:host`)',
    minutes: 12,
  },
  {
    name: 'host-real',
    lane: 'side',
    after: 'build',
    title: 'In-host tests against the real control plane (KF_TEST_CLUSTER=real)',
    run: [
      ['bash', 'test/host/setup-code-server.sh'],
      ['npm', 'run', 'real-cluster:build'],
      ['npm', 'run', 'test:host'],
    ],
    env: { KF_TEST_CLUSTER: 'real' },
    fix: 'run `npm run build && KF_TEST_CLUSTER=real npm run test:host -- --grep "<test name>" --verbose`; component logs: ~/.cache/kube-forecast/real-cluster/logs/',
    minutes: 12,
  },
  // The newest VS Code as well as the oldest: the simulated-cluster tier again on the newest
  // code-server (Node 24); the real-cluster tiers stay on the oldest to keep CI short.
  {
    name: 'host-latest',
    title: `In-host tests on the newest VS Code (code-server ${CODE_SERVER_VERSIONS.latest}, Node 24)`,
    run: [
      ['bash', 'test/host/setup-code-server.sh'],
      ['npm', 'run', 'test:host'],
    ],
    env: { KF_CODE_SERVER_VERSION: 'latest' },
    fix: 'run `npm run build && KF_CODE_SERVER_VERSION=latest npm run test:host -- --grep "<test name>" --verbose` (setup: `KF_CODE_SERVER_VERSION=latest npm run setup:host`)',
    minutes: 12,
  },
  {
    name: 'package',
    after: 'host-real',
    title: 'Package (vsce package)',
    run: [['npm', 'run', 'package']],
    fix: 'run `npm run package`; vsce names the missing file or the bad package.json field',
    minutes: 5,
  },
  {
    name: 'e2e',
    title: 'End-to-end in the browser (packaged VSIX in code-server)',
    run: [
      ['bash', 'test/host/setup-code-server.sh'],
      ['npm', 'run', 'test:e2e'],
    ],
    fix: 'run `npm run test:e2e -- --verbose` and look at test-results/screenshots/',
    minutes: 10,
  },
  {
    name: 'e2e-real',
    lane: 'side',
    after: 'package',
    title: 'End-to-end in the browser against the real control plane (KF_TEST_CLUSTER=real)',
    run: [
      ['bash', 'test/host/setup-code-server.sh'],
      ['npm', 'run', 'real-cluster:build'],
      ['npm', 'run', 'test:e2e'],
    ],
    env: { KF_TEST_CLUSTER: 'real' },
    fix: 'run `KF_TEST_CLUSTER=real npm run test:e2e -- --verbose` and look at test-results/screenshots-real/',
    minutes: 10,
  },
  {
    name: 'e2e-latest',
    title: `End-to-end in the browser on the newest VS Code (code-server ${CODE_SERVER_VERSIONS.latest}, Node 24)`,
    run: [
      ['bash', 'test/host/setup-code-server.sh'],
      ['npm', 'run', 'test:e2e'],
    ],
    env: { KF_CODE_SERVER_VERSION: 'latest' },
    fix: 'run `KF_CODE_SERVER_VERSION=latest npm run test:e2e -- --verbose` and look at test-results/screenshots-latest/',
    minutes: 10,
  },
];

/**
 * Test counts found in a step's output, or null when it printed none. Understands node --test
 * (`# pass N` / `ℹ pass N`, preferred when present) and the plain `N passed, N failed[, N skipped]`
 * line; the last occurrence wins, so a final total overrides per-file lines.
 * @param {string} output
 * @returns {{ passed: number, failed: number, skipped: number } | null}
 */
export function parseCounts(output) {
  let plain = null;
  const nodeTest = {};
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
    const p = /^\s*(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(line);
    if (p) plain = { passed: Number(p[1]), failed: Number(p[2]), skipped: Number(p[3] || 0) };
    const n = /^(?:#|ℹ) (pass|fail|skipped|todo|cancelled) (\d+)\s*$/.exec(line);
    if (n) nodeTest[n[1]] = Number(n[2]);
  }
  // node --test's closing counts win over plain lines, which a unit test may print while testing a CLI.
  if (nodeTest.pass !== undefined) {
    return {
      passed: nodeTest.pass,
      failed: (nodeTest.fail || 0) + (nodeTest.cancelled || 0),
      skipped: (nodeTest.skipped || 0) + (nodeTest.todo || 0),
    };
  }
  if (plain) return plain;
  return null;
}

/**
 * The sum of the commands' counts, or null when none printed any.
 * @param {ReturnType<typeof parseCounts>[]} list
 */
export function sumCounts(list) {
  const found = list.filter((c) => c !== null);
  if (found.length === 0) return null;
  return found.reduce((a, c) => ({
    passed: a.passed + c.passed,
    failed: a.failed + c.failed,
    skipped: a.skipped + c.skipped,
  }));
}

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();
for (const [sig, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(sig, () => {
    for (const c of running) {
      try {
        process.kill(-(/** @type {number} */ (c.pid)), sig);
      } catch {
        // Already gone.
      }
    }
    process.exit(code);
  });
}

/**
 * Runs one command in its own process group, writing its output to `out` and returning it.
 * @param {string[]} cmd
 * @param {number} limitMs
 * @param {Record<string, string>} env
 * @param {Sink} out
 * @returns {Promise<{ code: number, output: string, timedOut: boolean }>}
 */
function runCommand(cmd, limitMs, env, out) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, ...env },
    });
    running.add(child);
    let output = '';
    const take = (stream) => (chunk) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', take(out.stdout));
    child.stderr.on('data', take(out.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      out.stderr.write(`\n!! ${cmd.join(' ')}: no result after ${limitMs / 60000} min; stopping it\n`);
      try {
        process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, limitMs);
    const finish = (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, output, timedOut });
    };
    child.on('error', (e) => {
      output += String(e);
      finish(127);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

function fmtTime(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function parseList(v) {
  return (v || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * @typedef {{ stdout: { write(chunk: string | Buffer): unknown }, stderr: { write(chunk: string | Buffer): unknown } }} Sink
 * @typedef {{ step: Step, status: 'passed' | 'FAILED' | 'skipped', counts: ReturnType<typeof parseCounts>, ms: number, note: string }} StepResult
 */

/**
 * Runs one step under its header. With `held`, everything it prints is kept and written in one piece
 * when it ends (a side-lane step); otherwise it streams.
 * @param {Step} step
 * @param {number} index
 * @param {number} total
 * @param {boolean} held
 * @returns {Promise<StepResult>}
 */
async function runStep(step, index, total, held) {
  let kept = '';
  const keep = { write: (/** @type {string | Buffer} */ c) => (kept += c.toString()) };
  /** @type {Sink} */
  const out = held ? { stdout: keep, stderr: keep } : { stdout: process.stdout, stderr: process.stderr };
  const say = (/** @type {string} */ line) => out.stdout.write(`${line}\n`);
  say(`\n==== [${index}/${total}] ${step.title}${held ? ' (ran beside the main lane)' : ''} ====`);
  const reason = step.skipIf?.();
  if (reason) {
    say(`(skipped: ${reason})`);
    if (held) process.stdout.write(kept);
    return { step, status: 'skipped', counts: null, ms: 0, note: reason };
  }
  const start = Date.now();
  /** @type {StepResult['status']} */
  let status = 'passed';
  let note = '';
  /** Each command's counts (a step such as host runs two test passes), summed below. */
  const perCommand = [];
  for (const cmd of step.run) {
    say(`$ ${cmd.join(' ')}`);
    const limit = step.minutes * 60_000 - (Date.now() - start);
    const r = await runCommand(cmd, Math.max(limit, 10_000), step.env ?? {}, out);
    perCommand.push(parseCounts(r.output));
    if (r.code !== 0) {
      status = 'FAILED';
      note = r.timedOut ? `timed out after ${step.minutes} min` : `exit ${r.code} from ${cmd.join(' ')}`;
      break;
    }
  }
  const counts = sumCounts(perCommand);
  const ms = Date.now() - start;
  if (status === 'FAILED') {
    say(`\n✗ ${step.name} failed (${note}, ${fmtTime(ms)})`);
    say(`  how to fix locally: ${step.fix}`);
  } else {
    say(`\n✓ ${step.name} passed (${fmtTime(ms)})`);
  }
  if (held) process.stdout.write(kept);
  return { step, status, counts, ms, note };
}

async function main() {
  const argv = process.argv.slice(2);
  let only = [];
  let skip = [];
  let serial = false;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(only|skip)(?:=(.*))?$/.exec(argv[i]);
    if (m) {
      const list = parseList(m[2] ?? argv[++i]);
      if (m[1] === 'only') only = list;
      else skip = list;
    } else if (argv[i] === '--serial') {
      serial = true;
    } else if (argv[i] === '--list') {
      for (const s of STEPS) console.log(`${s.name.padEnd(12)} ${s.title}`);
      return 0;
    } else {
      console.error(`test-all: unknown argument ${argv[i]}; use --only a,b  --skip a,b  --serial  --list`);
      return 2;
    }
  }
  const known = STEPS.map((s) => s.name);
  const unknown = [...only, ...skip].filter((n) => !known.includes(n));
  if (unknown.length) {
    console.error(`test-all: unknown step(s) ${unknown.join(', ')}; steps are: ${known.join(' ')}`);
    return 2;
  }
  const chosen = STEPS.filter((s) => (only.length === 0 || only.includes(s.name)) && !skip.includes(s.name));
  const t0 = Date.now();
  const side = serial ? [] : chosen.filter((s) => s.lane === 'side');
  const mainLane = chosen.filter((s) => !side.includes(s));
  if (side.length > 0 && mainLane.length > 0)
    console.log(
      `(beside the main lane, in this order: ${side.map((s) => s.name).join(', ')}; each log follows when it ends)`,
    );
  /** @type {Map<Step, StepResult>} */
  const byStep = new Map();
  /** @type {Map<string, () => void>} */
  const endOf = new Map();
  /** @type {Map<string, Promise<void>>} */
  const ended = new Map(chosen.map((s) => [s.name, new Promise((r) => endOf.set(s.name, () => r()))]));
  const lane = async (steps, held) => {
    for (const step of steps) {
      if (step.after !== undefined) await ended.get(step.after);
      byStep.set(step, await runStep(step, chosen.indexOf(step) + 1, chosen.length, held));
      endOf.get(step.name)?.();
    }
  };
  await Promise.all([lane(mainLane, false), lane(side, mainLane.length > 0)]);
  const results = chosen.map((s) => /** @type {StepResult} */ (byStep.get(s)));

  const total = { passed: 0, failed: 0, skipped: 0 };
  console.log(`\n==== Summary (${fmtTime(Date.now() - t0)}) ====`);
  console.log(`${'step'.padEnd(12)} ${'result'.padEnd(8)} ${'tests'.padEnd(28)} time`);
  for (const r of results) {
    let tests = '-';
    if (r.counts) {
      total.passed += r.counts.passed;
      total.failed += r.counts.failed;
      total.skipped += r.counts.skipped;
      tests =
        `${r.counts.passed} passed, ${r.counts.failed} failed` +
        (r.counts.skipped ? `, ${r.counts.skipped} skipped` : '');
    }
    console.log(
      `${r.step.name.padEnd(12)} ${r.status.padEnd(8)} ${tests.padEnd(28)} ${r.status === 'skipped' ? r.note : fmtTime(r.ms)}`,
    );
  }
  const failedSteps = results.filter((r) => r.status === 'FAILED');
  if (failedSteps.length) {
    console.log(`\nFailed steps: ${failedSteps.map((r) => r.step.name).join(', ')}`);
    for (const r of failedSteps) console.log(`  ${r.step.name}: ${r.step.fix}`);
  }
  console.log(`${total.passed} passed, ${total.failed} failed` + (total.skipped ? `, ${total.skipped} skipped` : ''));
  return failedSteps.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(2);
    },
  );
}
