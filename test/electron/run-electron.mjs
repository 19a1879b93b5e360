#!/usr/bin/env node
// `npm run test:electron`: the in-host mocha suite (test/integration) in desktop VS Code through
// @vscode/test-electron's runTests(), for machines that can download VS Code. This machine cannot
// (see /work/shared/reference/vscode-host.md): it fails within seconds with a clear message and
// exit 2, and `npm run test:host` is the runner to use here.
//
// Usage: node test/electron/run-electron.mjs [--vscode-version VERSION|stable|min]
//          [--vscode-executable PATH] [--workspace DIR] [--grep PATTERN] [--tests FILE]
//   --vscode-version     default stable; `min` means engines.vscode's minimum from package.json
//   --vscode-executable  an installed VS Code (or $VSCODE_EXECUTABLE): no download at all
// Exit: 0 pass, 1 a test failed, 2 VS Code unavailable or launcher failure. Last line:
// `N passed, N failed[, N skipped]` (when mocha printed its summary).
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = path.join(ROOT, '.vscode-test');
const UPDATE_HOST = 'update.code.visualstudio.com';

function parseArgs(argv) {
  const out = {};
  const values = ['vscode-version', 'vscode-executable', 'workspace', 'grep', 'tests'];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !values.includes(m[1]))
      throw new Error(`unknown argument ${argv[i]} (options: ${values.map((v) => '--' + v).join(' ')})`);
    out[m[1]] = m[2] ?? argv[++i];
  }
  return out;
}

/**
 * Resolves true when VS Code's update server answers within `ms`, false otherwise.
 * @param {number} ms
 * @returns {Promise<boolean>}
 */
function canReachUpdateServer(ms) {
  return new Promise((resolve) => {
    const req = https.request(
      { host: UPDATE_HOST, path: '/api/releases/stable', method: 'HEAD', timeout: ms },
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** True when .vscode-test already holds a downloaded VS Code (runTests then needs no network). */
function hasCachedVSCode() {
  try {
    return fs.readdirSync(CACHE).some((d) => d.startsWith('vscode-'));
  } catch {
    return false;
  }
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`test:electron: ${e.message}`);
    return 2;
  }
  const tests = path.resolve(
    args.tests ||
      ['out/test/integration/index.js', 'dist/test/integration/index.js']
        .map((p) => path.join(ROOT, p))
        .find((p) => fs.existsSync(p)) ||
      'out/test/integration/index.js',
  );
  if (!fs.existsSync(tests)) {
    console.error(`test:electron: the compiled suite ${path.relative(ROOT, tests)} does not exist; run: npm run build`);
    return 2;
  }
  const executable = args['vscode-executable'] || process.env.VSCODE_EXECUTABLE;
  if (executable && !fs.existsSync(executable)) {
    console.error(`test:electron: no VS Code executable at ${executable}`);
    return 2;
  }
  let version = args['vscode-version'] || 'stable';
  if (version === 'min') {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    version = String(pkg.engines.vscode).replace(/^[^\d]*/, '');
  }
  if (!executable && !hasCachedVSCode() && !(await canReachUpdateServer(5000))) {
    console.error(
      [
        `test:electron: cannot download VS Code: https://${UPDATE_HOST} is unreachable from this machine.`,
        '  @vscode/test-electron needs desktop VS Code (downloaded from Microsoft, or --vscode-executable PATH).',
        '  On this offline machine run the same suite with: npm run test:host   (VS Code 1.100 via code-server).',
      ].join('\n'),
    );
    return 2;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    console.error(
      'test:electron: note: no $DISPLAY; on a headless Linux machine run it under `xvfb-run -a npm run test:electron`.',
    );
  }

  const { runTests } = await import('@vscode/test-electron');
  const counts = { passing: 0, failing: 0, pending: 0, seen: false };
  // runTests pipes VS Code's stdout to ours: watch it for mocha's summary lines.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    for (const line of String(chunk).split('\n')) {
      const m = /^\s*(\d+) (passing|failing|pending)(?: \(|$)/.exec(line);
      if (m) {
        counts[m[2]] += Number(m[1]);
        counts.seen = true;
      }
    }
    return write(chunk, ...rest);
  };
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-electron-'));
  let code = 2;
  try {
    const env = {};
    if (args.grep) env.KF_TEST_GREP = args.grep;
    const workspace = args.workspace ? path.resolve(args.workspace) : fs.mkdtempSync(path.join(userData, 'ws-'));
    code = await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : { version }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: tests,
      extensionTestsEnv: env,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        path.join(userData, 'ud'),
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (e) {
    const failedRun = e && typeof e === 'object' && 'code' in e && typeof e.code === 'number';
    console.error(`test:electron: ${failedRun ? `VS Code exited with ${e.code}` : e?.message || e}`);
    code = failedRun ? 1 : 2;
  } finally {
    process.stdout.write = write;
    fs.rmSync(userData, { recursive: true, force: true });
  }
  if (counts.seen || code === 1) {
    const failed = counts.failing || (code === 1 ? 1 : 0);
    console.log(`${counts.passing} passed, ${failed} failed` + (counts.pending ? `, ${counts.pending} skipped` : ''));
  }
  return code === 0 ? 0 : code === 2 ? 2 : 1;
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
