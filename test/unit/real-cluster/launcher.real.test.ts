/**
 * `npm run real-cluster` as a user runs it, against the real binaries (so only in the real-cluster
 * tier: `node scripts/run-unit-tests.mjs --cluster-tests`): ready with Ready nodes, a working
 * kubeconfig and container logs (`kubectl logs`), a clean stop on SIGTERM, a clear error for a taken
 * port, a component that exits, a missing build and Ctrl-C during start-up, and a start after a
 * SIGKILLed run.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureBinaries, repoRoot } from '@test/real-cluster/binaries';
import { startRealCluster } from '@test/real-cluster/control-plane';

const ROOT = repoRoot();
const NODES = path.join(ROOT, 'test', 'fixtures', 'clusters', 'three-nodes.yaml');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-launcher-test-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  output: () => string;
  /** Resolves when `pattern` appears in the output (or rejects when the process exits first). */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  exit: Promise<number | null>;
}

/**
 * Marks the environment of every launcher this file starts, which its components inherit: the rig's
 * processes of this file are told apart from other clusters started from the same cache meanwhile
 * (the other cluster test files of a run, or a developer's cluster).
 */
const RUN_TAG = `KF_LAUNCHER_TEST=${process.pid}-${Date.now()}`;

function launch(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/real-cluster/cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, KF_LAUNCHER_TEST: RUN_TAG.split('=')[1] },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const take = (d: Buffer): void => {
    out += d.toString();
    for (const l of [...listeners]) l();
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    output: () => out,
    exit,
    waitFor: (pattern, ms = 120_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${out}`)), ms);
        const check = (): void => {
          if (pattern.test(out)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
        void exit.then((code) => {
          if (!pattern.test(out)) reject(new Error(`exited (${code}) before ${pattern}:\n${out}`));
        });
      }),
  };
}

/** PIDs of live processes running a binary of the rig (etcd, kube-*, kwok) started by this file's launchers. */
function rigProcesses(): number[] {
  const r = spawnSync('pgrep', ['-f', path.join('kube-forecast', 'real-cluster', 'v')], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        if (/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))) return false;
        return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(RUN_TAG);
      } catch {
        return false;
      }
    });
}

function kubectl(kubeconfig: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'kc'), ...args], {
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the binaries are built (or cached) before the launcher tests', { timeout: 15 * 60_000 }, async () => {
  const b = await ensureBinaries({ log: () => undefined });
  for (const f of [b.etcd, b.kubeApiserver, b.kubeControllerManager, b.kubeScheduler, b.kwok])
    assert.ok(fs.existsSync(f), f);
});

test("both Go modules replace exactly the staging modules of k8s.io/kubernetes v1.37.2's own go.mod", () => {
  for (const dir of ['test/real-cluster', 'test/scheduler-oracle']) {
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'test/real-cluster/staging-replaces.mjs'), path.join(ROOT, dir), '--check'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, `${dir}: ${r.stderr}`);
    assert.match(r.stdout, /33 staging replaces match k8s\.io\/kubernetes@v1\.37\.2/);
  }
});

test('start, use, and stop with SIGTERM: ready, Ready nodes, admin and view-only contexts, nothing left behind', async () => {
  const kubeconfig = path.join(dir, 'one.kubeconfig');
  const run = launch(['--kubeconfig-out', kubeconfig, '--nodes', NODES]);
  await run.waitFor(/^ready$/m);
  assert.match(run.output(), /kube-apiserver v1\.37\.2 at https:\/\/127\.0\.0\.1:\d+/);
  const nodes = kubectl(kubeconfig, 'get', 'nodes', '--no-headers');
  assert.equal(nodes.status, 0, nodes.out);
  assert.deepEqual(
    nodes.out
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    ['gpu-a Ready', 'node-a Ready', 'node-b Ready'],
  );
  const denied = kubectl(kubeconfig, '--context', 'kube-forecast-real-view', 'create', 'configmap', 'x');
  assert.notEqual(denied.status, 0);
  assert.match(denied.out, /forbidden: User "kube-forecast-viewer" cannot create resource "configmaps"/);
  // Container logs: kube-apiserver asks the node's kubelet (kwok's server) for them, in both contexts.
  const web = kubectl(kubeconfig, 'run', 'web', '--image=busybox', '--restart=Never');
  assert.equal(web.status, 0, web.out);
  const started = kubectl(kubeconfig, 'wait', '--for=condition=Ready', 'pod/web', '--timeout=30s');
  assert.equal(started.status, 0, started.out);
  for (const context of ['kube-forecast-real', 'kube-forecast-real-view']) {
    const logs = kubectl(kubeconfig, '--context', context, 'logs', 'web', '--timestamps', '--tail=3');
    assert.equal(logs.status, 0, logs.out);
    const lines = logs.out.trim().split('\n');
    assert.equal(lines.length, 3, logs.out);
    for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S/);
  }
  const children = spawnSync('ps', ['-o', 'args=', '--ppid', String(run.child.pid)], { encoding: 'utf8' }).stdout;
  const tmp = /--data-dir=(\S+)\/etcd/.exec(children)?.[1];
  assert.ok(tmp && fs.existsSync(tmp), `etcd's data lives in the run's temporary folder: ${children}`);
  run.child.kill('SIGTERM');
  assert.equal(await run.exit, 0);
  assert.deepEqual(rigProcesses(), [], 'every component stopped');
  assert.ok(!fs.existsSync(tmp), 'the temporary folder is removed');
});

test('a taken port is one clear error naming kube-apiserver and the port', async () => {
  const blocker = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const run = launch(['--port', String(port), '--kubeconfig-out', path.join(dir, 'x'), '--nodes', NODES]);
    assert.equal(await run.exit, 1);
    assert.match(run.output(), new RegExp(`kube-apiserver: port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.deepEqual(rigProcesses(), []);
  } finally {
    blocker.close();
  }
});

test('a component that exits fails the start with its name and log file, and stops the rest', async () => {
  const bins = await ensureBinaries({ log: () => undefined });
  await assert.rejects(
    startRealCluster({ nodesFile: NODES, binaries: { ...bins, kubeScheduler: '/bin/false' }, log: () => undefined }),
    (e: Error) => {
      assert.match(
        e.message,
        /^kube-scheduler exited with code 1 while the cluster was starting; its log: \S+kube-scheduler\.log$/,
      );
      assert.ok(fs.existsSync(e.message.split('its log: ')[1]!), 'the log file stays');
      return true;
    },
  );
  assert.deepEqual(rigProcesses(), [], 'the half-started control plane is torn down');
});

test('a build that cannot be made names Go and what to do', () => {
  const cache = fs.mkdtempSync(path.join(dir, 'cache-'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/real-cluster/build-cli.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, KF_CACHE_DIR: cache, PATH: path.dirname(process.execPath) },
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /real-cluster build: Go is not installed or not on PATH/);
});

test('Ctrl-C during start-up stops what has started', async () => {
  const run = launch(['--kubeconfig-out', path.join(dir, 'y'), '--nodes', NODES]);
  await run.waitFor(/starting etcd, kube-apiserver/);
  // Interrupt in the middle of start-up (the behaviour under test), once some components are running.
  await new Promise((r) => setTimeout(r, 1500));
  run.child.kill('SIGINT');
  assert.equal(await run.exit, 0);
  assert.match(run.output(), /interrupted while starting/);
  assert.deepEqual(rigProcesses(), []);
});

test('a start after a SIGKILLed run works on the same port: its leftovers are stopped first', async () => {
  const kubeconfig = path.join(dir, 'two.kubeconfig');
  const first = launch(['--kubeconfig-out', kubeconfig, '--nodes', NODES]);
  await first.waitFor(/^ready$/m);
  const port = /127\.0\.0\.1:(\d+)/.exec(first.output())![1]!;
  first.child.kill('SIGKILL');
  await first.exit;
  assert.ok(rigProcesses().length > 0, 'the killed launcher left its components running');
  const second = launch(['--port', port, '--kubeconfig-out', kubeconfig, '--nodes', NODES]);
  await second.waitFor(/^ready$/m);
  assert.match(second.output(), /stopped \d+ process\(es\) left by an earlier run that was killed/);
  assert.equal(kubectl(kubeconfig, 'get', 'nodes').status, 0);
  second.child.kill('SIGTERM');
  assert.equal(await second.exit, 0);
  assert.deepEqual(rigProcesses(), []);
});
