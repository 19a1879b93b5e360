#!/usr/bin/env node
// `npm start`: set up and run Kube Forecast on this machine in one command. Installs what is
// missing (node_modules, Chromium and code-server), builds and packages the VSIX, starts the
// simulated cluster, then starts VS Code (code-server) on 127.0.0.1 with the VSIX installed,
// KUBECONFIG pointing at the simulated cluster and a sample workspace open. Ctrl-C stops everything.
//
// Usage: node scripts/start.mjs [--port N] [--workspace DIR] [--nodes N | --snapshot FILE] [--no-simulator]
//   [--skip-build] [--verbose]
//   --port          code-server's port on 127.0.0.1 (default 8080)
//   --nodes         nodes of the simulated demo cluster (default 8, over 3 zones)
//   --snapshot      start the simulated cluster from a saved cluster snapshot instead of the demo cluster
//   --workspace     folder to open (default: a scratch copy of media/demo-workspace, so the tracked
//                   files are never edited; its README and web-deployment.yaml open at start)
//   --no-simulator  keep the current KUBECONFIG instead of starting the simulated cluster
//   --skip-build    reuse dist/ and the existing VSIX
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  HostError,
  REPO_ROOT,
  ensureCodeServer,
  onExit,
  parseArgs,
  remoteUri,
  spawnGroup,
  startCodeServer,
  workbenchUrl,
} from '../test/host/host-lib.mjs';

const say = (s) => console.log(`[start] ${s}`);

/**
 * Runs a command in the repository, output inherited; throws naming it when it fails.
 * @param {string[]} cmd
 */
function run(cmd) {
  say(`$ ${cmd.join(' ')}`);
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new HostError(`${cmd.join(' ')} failed (exit ${r.status})`);
}

/**
 * Resolves when 127.0.0.1:port is free, rejects with a HostError naming --port when it is taken.
 * @param {number} port
 */
function checkPortFree(port) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', () =>
      reject(new HostError(`port ${port} on 127.0.0.1 is in use`, `choose another: npm start -- --port ${port + 1}`)),
    );
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(undefined)));
  });
}

/**
 * Starts dist/simulator.js on a free port with a demo cluster of `nodes` nodes, writing its
 * kubeconfig into `dir`; resolves with the kubeconfig path once the file exists.
 * @param {string} dir
 * @param {number} nodes
 * @param {boolean} verbose
 * @returns {Promise<{ kubeconfig: string, exited: () => boolean, stop: () => Promise<void> }>}
 */
async function startSimulator(dir, nodes, verbose, snapshot) {
  const kubeconfig = path.join(dir, 'kubeconfig');
  // Its own context name: npm start's cluster never looks like the extension's built-in one.
  const argv = ['--port', '0', '--kubeconfig-out', kubeconfig, '--context', 'npm-start-simulator'];
  if (snapshot) argv.push('--snapshot', snapshot);
  else argv.push('--nodes', String(nodes), '--zones', '3');
  const sim = spawnGroup(process.execPath, [path.join(REPO_ROOT, 'dist', 'simulator.js'), ...argv], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const echo = (chunk) => {
    log += chunk.toString();
    if (verbose) process.stdout.write(`[simulator] ${chunk}`);
  };
  sim.child.stdout?.on('data', echo);
  sim.child.stderr?.on('data', echo);
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(kubeconfig) || fs.statSync(kubeconfig).size === 0) {
    if (sim.exited() || Date.now() > deadline) {
      await sim.kill();
      throw new HostError(
        `the simulated cluster did not start:\n${log.slice(-2000)}`,
        'run: npm run simulator   (to see it alone)',
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const where = log.split('\n').find((l) => /listening/i.test(l));
  say(`simulated cluster up${where ? `: ${where.trim()}` : ''} (kubeconfig ${kubeconfig})`);
  return { kubeconfig, exited: sim.exited, stop: sim.kill };
}

/** The newest kube-forecast-*.vsix in the repository root, or undefined. */
function findVsix() {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const exact = path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
  return fs.existsSync(exact) ? exact : undefined;
}

async function main() {
  const args = parseArgs(process.argv.slice(2), {
    flags: ['no-simulator', 'skip-build', 'verbose'],
    values: ['port', 'workspace', 'nodes', 'snapshot'],
  });
  const port = Number(args.port || 8080);
  const verbose = !!args.verbose;
  const ownWorkspace = typeof args.workspace === 'string';
  if (ownWorkspace && !fs.existsSync(path.resolve(/** @type {string} */ (args.workspace))))
    throw new HostError(`no workspace folder ${path.resolve(/** @type {string} */ (args.workspace))}`);
  const snapshot = typeof args.snapshot === 'string' ? path.resolve(args.snapshot) : undefined;
  if (snapshot && !fs.existsSync(snapshot))
    throw new HostError(`no snapshot file ${snapshot}`, 'save one with "Kube Forecast: Save Cluster Snapshot"');
  await checkPortFree(port);

  if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules', '.package-lock.json'))) {
    run(['flock', '/tmp/kf-npm.lock', 'npm', 'ci', '--no-audit', '--no-fund']);
  }
  if (!ensureCodeServer())
    throw new HostError(
      'installing code-server failed',
      'run: npm run setup:host   (as root; it names the failing step)',
    );
  if (!args['skip-build'] || !findVsix()) {
    run(['npm', 'run', 'package']); // builds dist/ (production) and packs the VSIX
  }
  const vsix = findVsix();
  if (!vsix) throw new HostError('npm run package produced no VSIX');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-start-'));
  onExit(() => fs.rmSync(dir, { recursive: true, force: true }));
  // The demo workspace is copied: what the newcomer edits (and creates) never touches tracked files.
  const workspace = ownWorkspace
    ? path.resolve(/** @type {string} */ (args.workspace))
    : path.join(dir, 'demo-workspace');
  if (!ownWorkspace) {
    fs.cpSync(path.join(REPO_ROOT, 'media', 'demo-workspace'), workspace, { recursive: true });
    // The scenarios in examples/ (microservices, data processing, the Helm chart...) come along.
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(workspace, 'examples'), { recursive: true });
  }
  const env = {};
  let sim;
  if (!args['no-simulator']) {
    sim = await startSimulator(dir, Number(args.nodes || 8), verbose, snapshot);
    env.KUBECONFIG = sim.kubeconfig;
  }
  say(`starting VS Code (code-server) with ${path.basename(vsix)} installed`);
  const server = await startCodeServer({
    port,
    env,
    installVsix: [vsix],
    verbose,
    // The demo's README opens as the start page, its first manifest beside it (below).
    settings: ownWorkspace ? {} : { 'kubeForecast.startup.openFiles': ['README.md'] },
  });
  const manifest = path.join(workspace, 'web-deployment.yaml');
  const url = workbenchUrl(server.url, {
    folder: workspace,
    ...(!ownWorkspace && fs.existsSync(manifest)
      ? { payload: [['openFile', remoteUri(server.authority, manifest)]] }
      : {}),
  });
  console.log('');
  console.log(`  Kube Forecast is running. Open this URL in a browser on this machine:`);
  console.log(`    ${url}`);
  console.log(`  (remote machine: ssh -L ${port}:127.0.0.1:${port} <this host>, then the same URL)`);
  if (env.KUBECONFIG)
    console.log(
      `  kubectl against the simulated cluster: kubectl --kubeconfig ${env.KUBECONFIG} --cache-dir ${dir}/kube-cache get nodes`,
    );
  console.log(`  Press Ctrl-C to stop everything.`);
  console.log('');
  // Stay up until Ctrl-C (onExit handlers then stop the server and the simulator) or code-server dies.
  // If the simulated cluster dies, VS Code stays up: the extension shows the cluster as unreachable.
  let simReported = false;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    if (server.exited()) throw new HostError(`code-server stopped unexpectedly:\n${server.logTail()}`);
    if (sim?.exited() && !simReported) {
      simReported = true;
      say(
        'the simulated cluster stopped; VS Code stays up and shows it as unreachable. Use "Kube Forecast: Open Simulated Cluster" for the built-in one, or restart npm start.',
      );
    }
  }
}

main().catch((e) => {
  console.error(`[start] ${e instanceof HostError ? e.message : e?.stack || e}`);
  if (e instanceof HostError && e.hint) console.error(`  how to fix: ${e.hint}`);
  process.exit(1);
});
