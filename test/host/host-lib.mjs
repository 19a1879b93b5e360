// Shared machinery of the host tests: a code-server (real VS Code server with a Node extension
// host) on 127.0.0.1 with private temporary dirs, headless Debian Chromium driven by
// playwright-core, and workbench URLs carrying the test payload.
// How and why: /work/shared/reference/vscode-host.md; the contract is summarised in README.md here.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Absolute path of the repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The code-server releases the host tests run on: `oldest` is VS Code 1.100.3 (built for Node 20),
 * the floor `engines.vscode` allows; `latest` is VS Code 1.139.1, the newest code-server on npm
 * (built for Node 24, which setup-code-server.sh installs from the npm package node@24). Keep in
 * step with the aliases in setup-code-server.sh.
 */
export const CODE_SERVER_VERSIONS = Object.freeze({ oldest: '4.100.3', latest: '4.139.1' });

/** The default code-server release (VS Code 1.100.3). */
export const CODE_SERVER_VERSION = CODE_SERVER_VERSIONS.oldest;

/**
 * A code-server version from `v`: `oldest`, `latest` or a version such as 4.139.1; empty means the
 * default. Throws a HostError for anything else.
 * @param {string} [v]
 * @returns {string}
 */
export function resolveCodeServerVersion(v) {
  const s = String(v || '').trim();
  if (!s) return CODE_SERVER_VERSION;
  if (Object.hasOwn(CODE_SERVER_VERSIONS, s)) return CODE_SERVER_VERSIONS[/** @type {'oldest'|'latest'} */ (s)];
  if (/^\d+\.\d+\.\d+$/.test(s)) return s;
  throw new HostError(
    `unknown code-server version ${JSON.stringify(s)}`,
    `use oldest (${CODE_SERVER_VERSIONS.oldest}), latest (${CODE_SERVER_VERSIONS.latest}) or a version from: npm view code-server versions`,
  );
}

/**
 * The code-server version selected for this run: $KF_CODE_SERVER_VERSION (`oldest`, `latest` or a
 * version; run-in-host.mjs's --code-server-version sets it), else 4.100.3. Read at each call, so
 * e2e.mjs and every other caller of startCodeServer() follow the variable without an option.
 * @returns {string}
 */
export function selectedCodeServerVersion() {
  return resolveCodeServerVersion(process.env.KF_CODE_SERVER_VERSION);
}

/** Path of the idempotent installer for code-server and Chromium. */
export const SETUP_SCRIPT = path.join(REPO_ROOT, 'test', 'host', 'setup-code-server.sh');

/** Chromium flags that make headless Debian Chromium quiet and offline-safe as root. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** User settings that keep the workbench from showing welcome pages, tips, updates and AI prompts. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
};

/**
 * An error of the harness itself (missing install, server or browser not starting) as opposed to
 * a failing test; runners turn it into exit code 2. `hint` says how to fix it locally.
 */
export class HostError extends Error {
  /**
   * @param {string} message what went wrong
   * @param {string} [hint] one sentence on how to fix it
   */
  constructor(message, hint) {
    super(message);
    this.name = 'HostError';
    this.hint = hint;
  }
}

/**
 * Folder code-server is installed in: $KF_CODE_SERVER_DIR, else
 * ~/.cache/kube-forecast/code-server-<version> (the setup script's default).
 * @param {string} [version]  default: selectedCodeServerVersion()
 * @returns {string}
 */
export function codeServerDir(version = selectedCodeServerVersion()) {
  return path.resolve(
    process.env.KF_CODE_SERVER_DIR || path.join(os.homedir(), '.cache', 'kube-forecast', `code-server-${version}`),
  );
}

/** The setup command for `version`, as a hint. */
function setupHint(version) {
  return version === CODE_SERVER_VERSION
    ? 'run: npm run setup:host   (installs Chromium and code-server; as root)'
    : `run: KF_CODE_SERVER_VERSION=${version} npm run setup:host   (code-server ${version} and the Node it needs; as root)`;
}

/**
 * The code-server executable to use: `explicit`, else $CODE_SERVER, else the one in
 * codeServerDir(version). Throws a HostError naming the setup command when none is installed.
 * @param {string} [explicit]
 * @param {string} [version]  default: selectedCodeServerVersion()
 * @returns {string}
 */
export function findCodeServer(explicit, version = selectedCodeServerVersion()) {
  const dir = codeServerDir(version);
  const candidate = explicit || process.env.CODE_SERVER || path.join(dir, 'node_modules', '.bin', 'code-server');
  if (!fs.existsSync(candidate)) {
    throw new HostError(`code-server ${version} is not installed at ${candidate}`, setupHint(version));
  }
  if (!explicit && !process.env.CODE_SERVER) {
    const complete = path.join(dir, '.complete');
    const got = fs.existsSync(complete) ? fs.readFileSync(complete, 'utf8').trim() : '';
    if (got !== version)
      throw new HostError(
        `code-server install in ${dir} is ${got ? `version ${got}, not ${version}` : 'incomplete'}`,
        setupHint(version),
      );
  }
  return candidate;
}

/**
 * The Node that runs code-server: $KF_CODE_SERVER_NODE, else the binary named in the install's
 * `.node` file (written by setup-code-server.sh when the release needs another Node major than the
 * system's, e.g. Node 24 for 4.139.1), else null: the entry's `#!/usr/bin/env node`.
 * @param {string} [version]  default: selectedCodeServerVersion()
 * @returns {string | null}
 */
export function codeServerNode(version = selectedCodeServerVersion()) {
  if (process.env.KF_CODE_SERVER_NODE) return process.env.KF_CODE_SERVER_NODE;
  const file = path.join(codeServerDir(version), '.node');
  const node = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  if (!node) return null;
  if (!fs.existsSync(node))
    throw new HostError(`the Node that code-server ${version} needs is gone: ${node}`, setupHint(version));
  return node;
}

/**
 * Runs the setup script unless code-server (`version`) is already installed; output goes to stderr.
 * @param {string} [version]  default: selectedCodeServerVersion()
 * @returns {boolean} true when code-server is installed afterwards
 */
export function ensureCodeServer(version = selectedCodeServerVersion()) {
  const complete = path.join(codeServerDir(version), '.complete');
  if (
    fs.existsSync(complete) &&
    fs.readFileSync(complete, 'utf8').trim() === version &&
    fs.existsSync('/usr/bin/chromium')
  )
    return true;
  const r = spawnSync('bash', [SETUP_SCRIPT, codeServerDir(version), version], { stdio: ['ignore', 2, 2] });
  return r.status === 0;
}

/**
 * A free TCP port on 127.0.0.1.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once GET `url` answers with any status; rejects after `ms` or when `alive()` turns false.
 * @param {string} url
 * @param {number} ms
 * @param {() => boolean} alive
 */
function waitForHttp(url, ms, alive) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (!alive()) return reject(new Error('the process exited before it answered'));
      const req = http.get(url, (res) => {
        res.resume();
        resolve(undefined);
      });
      req.setTimeout(2000, () => req.destroy());
      req.on('error', () => {
        if (Date.now() > deadline) reject(new Error(`no answer from ${url} within ${ms / 1000}s`));
        else setTimeout(attempt, 150);
      });
    };
    attempt();
  });
}

const cleanups = new Set();
let handlersInstalled = false;

/**
 * Registers a synchronous cleanup that runs when the process exits, is interrupted (SIGINT,
 * SIGTERM, SIGHUP) or calls process.exit. Returns a function that unregisters it.
 * @param {() => void} fn
 * @returns {() => void}
 */
export function onExit(fn) {
  cleanups.add(fn);
  if (!handlersInstalled) {
    handlersInstalled = true;
    const runAll = () => {
      for (const f of [...cleanups]) {
        cleanups.delete(f);
        try {
          f();
        } catch {
          // Cleanup is best effort; the process is going away.
        }
      }
    };
    process.on('exit', runAll);
    for (const [sig, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ]) {
      process.on(sig, () => {
        process.stderr.write(`\n${sig}: stopping\n`);
        runAll();
        process.exit(code);
      });
    }
  }
  return () => cleanups.delete(fn);
}

/**
 * Spawns a process in its own process group, registered so that the group is killed on exit.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 * @returns {{ child: import('node:child_process').ChildProcess, exited: () => boolean, kill: () => Promise<void> }}
 */
export function spawnGroup(cmd, args, options) {
  const child = spawn(cmd, args, { ...options, detached: true });
  let done = false;
  child.on('exit', () => (done = true));
  child.on('error', () => (done = true));
  const killSync = (sig) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  const unregister = onExit(() => killSync('SIGKILL'));
  const kill = async () => {
    unregister();
    if (!done) killSync('SIGTERM');
    for (let i = 0; i < 30 && !done; i++) await new Promise((r) => setTimeout(r, 100));
    // Children of the group (the extension host) may outlive the leader: always sweep.
    killSync('SIGKILL');
  };
  return { child, exited: () => done, kill };
}

/**
 * @typedef {object} CodeServer
 * @property {string} url        base URL, http://127.0.0.1:PORT/
 * @property {string} authority  127.0.0.1:PORT, the authority of vscode-remote URIs
 * @property {number} port
 * @property {string} version    the code-server version it runs
 * @property {string} root       private temp root (removed by stop() unless keep)
 * @property {Record<string, string>} dirs  user-data, extensions, xdg-*, tmp, browser-profile, workspace
 * @property {string} logFile    file receiving the server's stdout and stderr
 * @property {() => string} logTail  last 4 KB of the server log
 * @property {() => Promise<void>} stop  kills the server's process group and removes the temp root
 * @property {() => boolean} exited  true once the server process has exited
 */

/**
 * Starts code-server on 127.0.0.1 with private temp dirs and waits until /healthz answers.
 * Options:
 *   port           fixed port (default: a free one)
 *   env            extra environment for the server and its extension host
 *   installVsix    VSIX files installed first with --install-extension
 *   settings       user settings merged over QUIET_SETTINGS
 *   workspaceTrust true to keep workspace trust on (restricted mode); default off
 *   keep           keep the temp root after stop()
 *   verbose        echo the server log to stderr
 *   codeServer     explicit executable
 *   version        code-server version or oldest/latest (default: $KF_CODE_SERVER_VERSION, else 4.100.3)
 *   node           the Node to run it with (default: codeServerNode(version))
 *   warnDeprecations  false: stop() does not warn about Node deprecations in this repository's
 *                  extension's output channel (default: it does, on stderr)
 * Throws HostError when the server does not come up within 60 s.
 * @param {{ port?: number, env?: Record<string,string>, installVsix?: string[], settings?: object,
 *           workspaceTrust?: boolean, keep?: boolean, verbose?: boolean, codeServer?: string,
 *           version?: string, node?: string, warnDeprecations?: boolean }} [opts]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(opts = {}) {
  const version = opts.version ? resolveCodeServerVersion(opts.version) : selectedCodeServerVersion();
  const bin = findCodeServer(opts.codeServer, version);
  // An explicit executable runs as it is unless told which Node to use.
  const explicit = !!(opts.codeServer || process.env.CODE_SERVER);
  const node = opts.node || (explicit ? process.env.KF_CODE_SERVER_NODE || null : codeServerNode(version));
  // With another Node than the system's, run the entry script with it (its shebang says `node`);
  // code-server starts the extension host, and that starts the language server, with the same Node.
  /** @type {(args: string[]) => [string, string[]]} */
  const command = (args) => (node ? [node, [fs.realpathSync(bin), ...args]] : [bin, args]);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-host-'));
  const dirs = {};
  for (const d of [
    'user-data',
    'extensions',
    'xdg-config',
    'xdg-data',
    'xdg-cache',
    'tmp',
    'browser-profile',
    'workspace',
  ]) {
    dirs[d] = path.join(root, d);
    fs.mkdirSync(dirs[d], { recursive: true });
  }
  const settings = { ...QUIET_SETTINGS, ...(opts.settings || {}) };
  if (opts.workspaceTrust) settings['security.workspace.trust.enabled'] = true;
  fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const env = {
    ...process.env,
    ...(opts.env || {}),
    // Without these, code-server writes ~/.config/code-server, ~/.local/share/code-server and
    // ~/.cache/Microsoft; a killed server also leaves vscode-ipc-*.sock files in TMPDIR.
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    TMPDIR: dirs.tmp,
    // '{}' turns off the default gallery (open-vsx.org), unreachable here.
    EXTENSIONS_GALLERY: '{}',
  };
  const common = ['--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions];
  const logFile = path.join(root, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const removeRoot = () => {
    if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });
  };
  const unregisterRoot = onExit(removeRoot);

  for (const vsix of opts.installVsix || []) {
    const r = spawnSync(...command([...common, '--install-extension', path.resolve(vsix), '--force']), {
      env,
      stdio: ['ignore', log, log],
      timeout: 120_000,
    });
    if (r.status !== 0) {
      const output = fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !/^\s+at |^\s*[{}]|^\s+\w+: '/.test(l))
        .slice(-5)
        .join('\n  ');
      fs.closeSync(log);
      removeRoot();
      throw new HostError(
        `code-server --install-extension ${vsix} failed (exit ${r.status}):\n  ${output}`,
        'check the VSIX: npm run package, then unzip -l it',
      );
    }
  }

  // From VS Code 1.133 the workbench honours the test payload only with enable-smoke-test-driver.
  const extra = [];
  try {
    const cli = fs.readFileSync(path.join(path.dirname(fs.realpathSync(bin)), 'cli.js'), 'utf8');
    if (cli.includes('"vscode-option"')) extra.push('--vscode-option', 'enable-smoke-test-driver');
  } catch {
    // Older layouts have no cli.js next to the entry; they need no flag.
  }
  const port = opts.port || (await freePort());
  const authority = `127.0.0.1:${port}`;
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    authority,
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--disable-proxy',
    ...extra,
  ];
  if (!opts.workspaceTrust) args.push('--disable-workspace-trust');
  const server = spawnGroup(...command(args), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const onData = (chunk) => {
    fs.writeSync(log, chunk);
    tail = (tail + chunk.toString()).slice(-4096);
    if (opts.verbose) process.stderr.write(`[code-server] ${chunk}`);
  };
  server.child.stdout?.on('data', onData);
  server.child.stderr?.on('data', onData);

  const stop = async () => {
    // Every run (test:e2e too) says so when this repository's extension logged a Node deprecation
    // in its output channel; run-in-host.mjs counts it as a failure.
    const id = opts.warnDeprecations === false ? null : extensionId(REPO_ROOT);
    const deprecations = id ? outputChannelDeprecations(/** @type {any} */ ({ dirs }), id) : [];
    if (deprecations.length)
      process.stderr.write(
        `[host] warning: the ${id} output channel shows Node deprecation warnings (code-server ${version}):\n` +
          deprecations.map((d) => `  [${d.channel}] ${d.line}\n`).join(''),
      );
    await server.kill();
    try {
      fs.closeSync(log);
    } catch {
      // Already closed.
    }
    unregisterRoot();
    removeRoot();
  };
  try {
    await waitForHttp(`http://${authority}/healthz`, 60_000, () => !server.exited());
  } catch (e) {
    const t = tail;
    await stop();
    throw new HostError(
      `code-server did not start on ${authority}: ${e.message}\n${t}`,
      'run: npm run setup:host   (reinstalls when incomplete)',
    );
  }
  return {
    url: `http://${authority}/`,
    authority,
    port,
    version,
    root,
    dirs,
    logFile,
    logTail: () => tail,
    stop,
    exited: server.exited,
  };
}

/** Node's deprecation warnings as a process prints them: `(node:123) [DEP0040] DeprecationWarning: …`. */
export const DEPRECATION_LINE = /\[DEP\d{4}\]|\bDeprecationWarning\b/;

/**
 * Lines of Node deprecation warnings (DEPRECATION_LINE) in the output channels of the extension
 * `extensionId` (publisher.name): the files VS Code writes under
 * <user-data>/logs/<session>/exthost<N>/<extensionId>/<channel>.log on the server, which hold what
 * the Output view shows, e.g. the language server's stderr as [error] lines. Read them before
 * server.stop(), which removes the folder.
 * @param {CodeServer} server
 * @param {string} extensionId
 * @returns {{ channel: string, line: string }[]}
 */
export function outputChannelDeprecations(server, extensionId) {
  const id = extensionId.toLowerCase();
  /** @type {{ channel: string, line: string }[]} */
  const found = [];
  const walk = (dir, inExtension) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of entries) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p, inExtension || d.name.toLowerCase() === id);
      else if (inExtension && d.name.endsWith('.log')) {
        for (const line of fs.readFileSync(p, 'utf8').split('\n'))
          if (DEPRECATION_LINE.test(line)) found.push({ channel: d.name.replace(/\.log$/, ''), line: line.trim() });
      }
    }
  };
  walk(path.join(server.dirs['user-data'], 'logs'), false);
  return found;
}

/**
 * The identifier (publisher.name) of the extension in `dir`, from its package.json; null without one.
 * @param {string} dir
 * @returns {string | null}
 */
export function extensionId(dir) {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return pkg.publisher && pkg.name ? `${pkg.publisher}.${pkg.name}` : null;
  } catch {
    return null;
  }
}

/**
 * Launches headless /usr/bin/chromium (or $CHROMIUM_PATH) through playwright-core with a fresh
 * profile. Chromium's own XDG dirs go inside the profile so $HOME stays untouched.
 * @param {string} profileDir  an empty folder (it is filled by the browser)
 * @param {{ viewport?: { width: number, height: number } }} [opts]
 * @returns {Promise<import('playwright-core').BrowserContext>}
 */
export async function launchChromium(profileDir, opts = {}) {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new HostError(`no browser at ${executablePath}`, 'run: npm run setup:host   (apt-get install chromium)');
  const { chromium } = require('playwright-core');
  const xdg = path.join(profileDir, '.xdg');
  fs.mkdirSync(xdg, { recursive: true });
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_CACHE_HOME: path.join(xdg, 'cache') },
      viewport: opts.viewport || { width: 1440, height: 900 },
      // Our own onExit() handlers stop everything; Playwright's would race them.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const browserPid = /** @type {any} */ (context).browser?.()?.process?.()?.pid;
    const unregister = onExit(() => {
      // Playwright starts the browser as a process-group leader: kill the group, then the pid.
      for (const target of browserPid ? [-browserPid, browserPid] : []) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    });
    context.on('close', unregister);
    return context;
  } catch (e) {
    throw new HostError(`Chromium did not start: ${e.message}`, 'run: npm run setup:host   (apt-get install chromium)');
  }
}

/**
 * The vscode-remote URI the web workbench expects for a path on the server.
 * @param {string} authority  127.0.0.1:PORT
 * @param {string} p          a server-side path (resolved against the cwd)
 * @returns {string}
 */
export function remoteUri(authority, p) {
  return `vscode-remote://${authority}${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`;
}

/**
 * A workbench URL opening `folder`, with `payload` as [key, value] pairs (extensionDevelopmentPath,
 * extensionTestsPath, ...) in the shape VS Code's own browser integration tests use.
 * @param {string} baseUrl  http://127.0.0.1:PORT/
 * @param {{ folder?: string, payload?: [string, string][] }} [what]
 * @returns {string}
 */
export function workbenchUrl(baseUrl, what = {}) {
  const u = new URL(baseUrl);
  if (what.folder) u.searchParams.set('folder', path.resolve(what.folder));
  if (what.payload && what.payload.length) u.searchParams.set('payload', JSON.stringify(what.payload));
  return u.toString();
}

/**
 * Parses `--name value`, `--name=value` and bare `--flag` arguments; `flags` lists the options that
 * take no value. Unknown options throw, so typos are reported.
 * @param {string[]} argv
 * @param {{ flags: string[], values: string[] }} spec
 * @returns {Record<string, string | boolean> & { _: string[] }}
 */
export function parseArgs(argv, spec) {
  const out = /** @type {any} */ ({ _: [] });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      out._.push(a);
      continue;
    }
    const [, name, inline] = m;
    if (spec.flags.includes(name)) out[name] = true;
    else if (spec.values.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new HostError(`--${name} needs a value`);
      out[name] = v;
    } else
      throw new HostError(
        `unknown option --${name}`,
        `options: ${[...spec.flags, ...spec.values].map((x) => '--' + x).join(' ')}`,
      );
  }
  return out;
}
