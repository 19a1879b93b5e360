/**
 * Runs the simulated cluster (`dist/simulator.js`) as a child process of the language server, on
 * 127.0.0.1 with an ephemeral port, and hands back the kubeconfig it writes to a private temp file.
 * The user's kubeconfig is never touched.
 *
 * Contract: `start` resolves with the kubeconfig path once the simulator listens, or rejects with its
 * output when it exits or does not start within the timeout. `stop` kills it; the child is also killed
 * when this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { snapshotVersionMinor } from './snapshot-writer';

/** How the simulated cluster starts: a snapshot file, or the demo cluster's size. */
export interface SimulatorLaunch {
  snapshot?: string;
  nodes?: number;
  zones?: number;
  /** False: no controller manager (a still cluster, e.g. for benchmarks); default true. */
  controllers?: boolean;
}

/** The context name the simulator writes into its kubeconfig. */
export const SIMULATOR_CONTEXT = 'kube-forecast-sim';

/** One simulated cluster child process. */
export class SimulatorProcess {
  private child: ChildProcess | undefined;
  private dir: string | undefined;
  private readonly killOnExit = (): void => {
    this.child?.kill('SIGKILL');
  };
  /** The kubeconfig file of the running simulator. */
  kubeconfigPath: string | undefined;
  /** What it was started with. */
  launch: SimulatorLaunch | undefined;
  /** Everything it printed (for error messages). */
  output = '';

  /** `script` is the simulator's entry (`dist/simulator.js`). */
  constructor(private readonly script: string) {}

  /** True while the child runs. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the simulator; resolves its kubeconfig path. */
  start(launch: SimulatorLaunch, timeoutMs = 60_000): Promise<string> {
    this.stop();
    if (!fs.existsSync(this.script))
      return Promise.reject(new Error(`the simulated cluster is not built (${this.script} is missing)`));
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-forecast-sim-'));
    const kubeconfig = path.join(this.dir, 'kubeconfig.yaml');
    const args = [this.script, '--port', '0', '--kubeconfig-out', kubeconfig];
    if (launch.snapshot !== undefined) {
      args.push('--snapshot', launch.snapshot);
      // The Kubernetes release the snapshot was taken from (else the simulator's default).
      const minor = readVersionMinor(launch.snapshot);
      if (minor !== undefined) args.push('--version-minor', String(minor));
    } else {
      args.push('--nodes', String(launch.nodes ?? 3));
      if (launch.zones !== undefined) args.push('--zones', String(launch.zones));
    }
    if (launch.controllers === false) args.push('--no-controllers');
    this.launch = launch;
    this.output = '';
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child = child;
    process.once('exit', this.killOnExit);
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err !== undefined) {
          this.stop();
          reject(err);
        } else {
          this.kubeconfigPath = kubeconfig;
          resolve(kubeconfig);
        }
      };
      const timer = setTimeout(
        () => finish(new Error(`the simulated cluster did not start within ${timeoutMs / 1000} s: ${this.tail()}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer): void => {
        this.output = (this.output + chunk.toString('utf8')).slice(-4000);
        if (/kubeconfig written to/.test(this.output) && fs.existsSync(kubeconfig)) finish(undefined);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('error', (e) => finish(e));
      child.on('exit', (code, signal) =>
        finish(new Error(`the simulated cluster exited (${signal ?? `code ${String(code)}`}): ${this.tail()}`)),
      );
    });
  }

  private tail(): string {
    return this.output.trim().split('\n').slice(-3).join(' ') || 'no output';
  }

  /** Stops the child and removes its temp files. */
  stop(): void {
    const child = this.child;
    this.child = undefined;
    this.kubeconfigPath = undefined;
    process.removeListener('exit', this.killOnExit);
    if (child !== undefined && child.exitCode === null) child.kill('SIGTERM');
    if (this.dir !== undefined) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/**
 * The minor release a snapshot file records, or undefined (unreadable: the simulator reports it). Only
 * the head is read: Save Cluster Snapshot writes the annotations before the items.
 */
function readVersionMinor(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return snapshotVersionMinor(head.subarray(0, n).toString('utf8'));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
