#!/usr/bin/env node
// `npm run test:host`: runs the mocha suite inside the extension host of a real VS Code (code-server
// on 127.0.0.1, driven by headless Chromium), the offline equivalent of @vscode/test-electron's
// runTests(). The suite's console output streams to this shell; the last line is
// `N passed, N failed[, N skipped]`.
//
// Usage: node test/host/run-in-host.mjs [--workspace DIR] [--timeout SECONDS] [--grep PATTERN]
//          [--keep] [--verbose] [--tests FILE] [--extension DIR] [--code-server BIN]
//          [--code-server-version oldest|latest|X.Y.Z]
//   --workspace  folder opened in the workbench (default: an empty temp folder)
//   --timeout    seconds before giving up on the suite (default 600: the whole suite takes about 5 minutes on 2 busy cores); exit 2
//   --grep       only tests whose full title matches (passed to the suite as env KF_TEST_GREP)
//   --untrusted  open the workspace in restricted mode (workspace trust on, never granted) with env
//                KF_TEST_UNTRUSTED=1; without --grep it runs the suites titled "untrusted workspace…",
//                which fail in a trusted window and are skipped (pending) without this flag
//   --keep       keep the temp dirs (server log, profile) and print where they are
//   --verbose    also print the workbench's own chatter, the server log and timings
//   --tests      the compiled suite module exporting run() (default: see SUITE_CANDIDATES)
//   --extension  extensionDevelopmentPath (default: the repository root)
//   --code-server-version  the code-server release: oldest (4.100.3 = VS Code 1.100.3, the default)
//                or latest (4.139.1 = VS Code 1.139.1, on Node 24); same as env KF_CODE_SERVER_VERSION.
//                Install it first: KF_CODE_SERVER_VERSION=latest npm run setup:host
// Exit: 0 all passed, 1 a test failed or the suite did not load, 2 infrastructure failure or timeout.
// A Node deprecation warning (e.g. `[DEP0040] … punycode …`) in the extension's output channels is
// one more failure: on the newest code-server (Node 24) the language server's stderr shows there.
// Every variable of this process's environment reaches the extension host (e.g. KF_TEST_KUBECONFIG).
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import {
  HostError,
  REPO_ROOT,
  extensionId,
  launchChromium,
  outputChannelDeprecations,
  parseArgs,
  remoteUri,
  resolveCodeServerVersion,
  selectedCodeServerVersion,
  startCodeServer,
  workbenchUrl,
} from './host-lib.mjs';

/** Where the in-host suite's entry module may be compiled to (see test/integration/README.md). */
export const SUITE_CANDIDATES = ['out/test/integration/index.js', 'dist/test/integration/index.js'].map((p) =>
  path.join(REPO_ROOT, p),
);

/** The first compiled suite entry that exists, else the first candidate. */
export function defaultSuite() {
  return SUITE_CANDIDATES.find((p) => fs.existsSync(p)) || SUITE_CANDIDATES[0];
}

/** The suites an `--untrusted` run selects (mocha grep on the full title). */
export const UNTRUSTED_SUITES = '^untrusted workspace';

// Lines the workbench itself sends down the same channel as the tests' console output.
const CHATTER = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^Ignoring fetching additional builtin extensions/,
  /^Started local extension host/,
  /^Extension host test runner exit code/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Creation of workbench contribution '[^']*' took \d+ms/,
  /^\[(AgentHost[^\]]*|ChatModelSelection|AccountPolicyGate|reconnection-grace-time)\]/,
];

/**
 * Runs the suite once. Returns the exit code (0/1/2) and the counts mocha reported.
 * @param {{ workspace?: string, timeout?: number, grep?: string, keep?: boolean, verbose?: boolean, untrusted?: boolean,
 *           tests?: string, extension?: string, codeServer?: string, version?: string,
 *           env?: Record<string,string>,
 *           out?: (line: string, isError: boolean) => void }} opts
 * @returns {Promise<{ code: number, passed: number, failed: number, skipped: number }>}
 */
export async function runInHost(opts) {
  const t0 = Date.now();
  const verbose = !!opts.verbose;
  const out = opts.out || ((line, isError) => (isError ? process.stderr : process.stdout).write(line + '\n'));
  const note = (s) => process.stderr.write(`[test:host ${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}\n`);
  const extension = path.resolve(opts.extension || REPO_ROOT);
  const tests = path.resolve(opts.tests || defaultSuite());
  const timeoutS = Number(opts.timeout || 600);
  const counts = { passed: 0, failed: 0, skipped: 0, seen: false };
  let code = 2;
  let server;
  let context;
  try {
    const shown = (p) => (path.relative(REPO_ROOT, p).startsWith('..') ? p : path.relative(REPO_ROOT, p));
    if (!fs.existsSync(tests)) {
      throw new HostError(
        `the compiled suite ${shown(tests)} does not exist`,
        'run: npm run build   (it compiles test/integration; see test/integration/README.md)',
      );
    }
    const main = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8')).main;
    if (main && !fs.existsSync(path.resolve(extension, main))) {
      throw new HostError(
        `the extension's main ${shown(path.resolve(extension, main))} does not exist`,
        'run: npm run build',
      );
    }
    const env = { ...(opts.env || {}) };
    if (opts.untrusted) env.KF_TEST_UNTRUSTED = '1';
    const grep = opts.grep || (opts.untrusted ? UNTRUSTED_SUITES : undefined);
    if (grep) env.KF_TEST_GREP = grep;
    const version = opts.version ? resolveCodeServerVersion(opts.version) : selectedCodeServerVersion();
    server = await startCodeServer({
      env,
      keep: !!opts.keep,
      verbose,
      codeServer: opts.codeServer,
      version,
      // Reported below as a failure instead.
      warnDeprecations: false,
      // Restricted mode: trust is on, the folder is not trusted and nobody is asked.
      ...(opts.untrusted
        ? {
            workspaceTrust: true,
            settings: {
              'security.workspace.trust.startupPrompt': 'never',
              'security.workspace.trust.banner': 'never',
              'security.workspace.trust.emptyWindow': false,
            },
          }
        : {}),
    });
    note(`code-server ${server.version}${verbose ? ` up at ${server.url}` : ''}`);
    context = await launchChromium(server.dirs['browser-profile']);
    const page = context.pages()[0] || (await context.newPage());
    /** @type {(code: number) => void} */
    let onExitCode = () => {};
    const exited = new Promise((resolve) => (onExitCode = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      for (const line of text.split('\n')) {
        if (!verbose && CHATTER.some((re) => re.test(line))) continue;
        countLine(line, counts);
        out(line, type === 'error' || type === 'warn');
      }
    });
    await page.exposeFunction('codeAutomationExit', (c) => onExitCode(Number(c)));
    page.on('pageerror', (e) => out(`[workbench error] ${e.message}`, true));
    if (verbose) page.on('console', (m) => note(`[browser ${m.type()}] ${m.text()}`));
    const url = workbenchUrl(server.url, {
      folder: opts.workspace ? path.resolve(opts.workspace) : server.dirs.workspace,
      payload: [
        ['extensionDevelopmentPath', remoteUri(server.authority, extension)],
        ['extensionTestsPath', remoteUri(server.authority, tests)],
        ['skipWelcome', 'true'],
      ],
    });
    if (verbose) note(`opening ${url}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    let timer;
    const result = await Promise.race([
      exited,
      new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutS * 1000))),
    ]);
    clearTimeout(timer);
    if (result === 'timeout') {
      out(
        `test:host: the suite did not finish within ${timeoutS}s (raise --timeout, or look for a test that never settles).`,
        true,
      );
      if (verbose) out(`--- code-server log (tail) ---\n${server.logTail()}`, true);
    } else {
      code = /** @type {number} */ (result) === 0 ? 0 : 1;
      const id = extensionId(extension);
      const deprecations = id ? outputChannelDeprecations(server, id) : [];
      if (deprecations.length) {
        out(
          `test:host: the output channel of ${id} shows ${deprecations.length} Node deprecation warning(s) ` +
            `(code-server ${server.version}):\n` +
            deprecations.map((d) => `  [${d.channel}] ${d.line}`).join('\n'),
          true,
        );
        code = 1;
        counts.failed += 1;
      }
    }
  } catch (e) {
    out(`test:host: ${e instanceof HostError ? e.message : e?.stack || e}`, true);
    if (e instanceof HostError && e.hint) out(`  how to fix: ${e.hint}`, true);
    if (server && !(e instanceof HostError)) out(server.logTail(), true);
  } finally {
    await context?.close().catch(() => {});
    if (server) {
      if (opts.keep) note(`kept ${server.root} (server log: ${server.logFile})`);
      await server.stop();
    }
  }
  // A suite that failed before mocha printed its summary (module did not load, run() threw)
  // still counts as one failure, so the totals never read "0 failed" for a red run.
  if (code === 1 && counts.failed === 0) counts.failed = 1;
  if (code === 0 && !counts.seen) note('warning: exit 0 but no mocha summary seen (did the suite run any test?)');
  out(
    `${counts.passed} passed, ${counts.failed} failed` + (counts.skipped ? `, ${counts.skipped} skipped` : ''),
    false,
  );
  if (verbose || code !== 0) note(`exit ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return { code, passed: counts.passed, failed: counts.failed, skipped: counts.skipped };
}

/**
 * Picks mocha's summary lines ("  6 passing (1s)", "  1 failing", "  2 pending") out of the output.
 * @param {string} line
 * @param {{ passed: number, failed: number, skipped: number, seen: boolean }} counts
 */
function countLine(line, counts) {
  const m = /^\s*(\d+) (passing|failing|pending)(?: \(|$)/.exec(line);
  if (!m) return;
  const n = Number(m[1]);
  if (m[2] === 'passing') {
    counts.passed += n;
    counts.seen = true;
  } else if (m[2] === 'failing') counts.failed += n;
  else counts.skipped += n;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), {
      flags: ['keep', 'verbose', 'untrusted'],
      values: ['workspace', 'timeout', 'grep', 'tests', 'extension', 'code-server', 'code-server-version'],
    });
  } catch (e) {
    console.error(`test:host: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}`);
    return 2;
  }
  const r = await runInHost({
    ...args,
    codeServer: /** @type {string} */ (args['code-server']),
    version: /** @type {string} */ (args['code-server-version']),
  });
  return r.code;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('run-in-host.mjs')) {
  main().then(
    (c) => process.exit(c),
    (e) => {
      console.error(e);
      process.exit(2);
    },
  );
}
