#!/usr/bin/env node
// Self-test of the in-host runner's contract, against the tiny extension in fixtures/selftest-ext:
// a passing suite exits 0 with the shell's environment visible in the extension host, a failing
// test exits 1 and shows the assertion, a suite whose run() rejects or whose module does not
// load exits 1, and a suite that never settles times out with exit 2. `--grep` narrows the run.
//
// Usage: node test/host/selftest.mjs   (about a minute; needs `npm run setup:host` first)
// Last line: `N passed, N failed` over the cases below; exit 1 when any case failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_VERSIONS, REPO_ROOT } from './host-lib.mjs';

const EXT = path.join(REPO_ROOT, 'test', 'host', 'fixtures', 'selftest-ext');
const SUITE = path.join(EXT, 'suite', 'index.js');

/**
 * Runs run-in-host.mjs with `args` and extra environment; resolves with its exit code and output.
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @returns {Promise<{ code: number | null, out: string }>}
 */
function runner(args, env) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'test', 'host', 'run-in-host.mjs'), '--extension', EXT, ...args],
      {
        // The fixture's suite checks that it runs in VS Code 1.100: always the oldest code-server.
        env: {
          ...process.env,
          KF_CODE_SERVER_VERSION: CODE_SERVER_VERSIONS.oldest,
          KF_SELFTEST_TOKEN: 'token-42',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const lastLine = (out) =>
  out
    .trim()
    .split('\n')
    .filter((l) => /^\d+ passed, \d+ failed/.test(l))
    .pop() || '';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-selftest-'));
const broken = path.join(tmp, 'broken.js');
fs.writeFileSync(broken, 'module.exports = { run: async () => {} ;\n');

/** @type {{ name: string, args: string[], env?: Record<string, string>, code: number, line?: string, shows?: RegExp }[]} */
const CASES = [
  {
    name: 'passing suite',
    args: ['--tests', SUITE],
    code: 0,
    line: '3 passed, 0 failed, 1 skipped',
    shows: /✔ the shell environment reaches the extension host/,
  },
  {
    name: 'failing test',
    args: ['--tests', SUITE],
    env: { KF_SELFTEST_MODE: 'fail' },
    code: 1,
    line: '2 passed, 1 failed, 1 skipped',
    shows: /AssertionError[\s\S]*'actual'/,
  },
  {
    name: '--grep narrows the run',
    args: ['--tests', SUITE, '--grep', 'environment'],
    code: 0,
    line: '1 passed, 0 failed',
  },
  {
    name: 'run() rejects',
    args: ['--tests', SUITE],
    env: { KF_SELFTEST_MODE: 'throw' },
    code: 1,
    line: '0 passed, 1 failed',
    shows: /run\(\) rejected on purpose/,
  },
  {
    name: 'suite module does not load',
    args: ['--tests', broken],
    code: 1,
    line: '0 passed, 1 failed',
    shows: /SyntaxError/,
  },
  {
    name: 'hanging suite times out',
    args: ['--tests', SUITE, '--timeout', '15'],
    env: { KF_SELFTEST_MODE: 'hang' },
    code: 2,
    shows: /did not finish within 15s/,
  },
];

let failed = 0;
for (const c of CASES) {
  const t0 = Date.now();
  const r = await runner(c.args, c.env || {});
  const problems = [];
  if (r.code !== c.code) problems.push(`exit ${r.code}, want ${c.code}`);
  if (c.line && lastLine(r.out) !== c.line)
    problems.push(`closing line ${JSON.stringify(lastLine(r.out))}, want ${JSON.stringify(c.line)}`);
  if (c.shows && !c.shows.test(r.out)) problems.push(`output lacks ${c.shows}`);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (problems.length) {
    failed++;
    console.log(
      `FAIL ${c.name} (${secs}s): ${problems.join('; ')}\n${r.out
        .split('\n')
        .map((l) => '  | ' + l)
        .join('\n')}`,
    );
  } else {
    console.log(`PASS ${c.name} (exit ${r.code}, ${secs}s)`);
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${CASES.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
