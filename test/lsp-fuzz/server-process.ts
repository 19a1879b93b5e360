/**
 * The language server under fuzzing as its own process (`node dist/server.js --stdio`), and the
 * simulated cluster the fuzzer may connect it to.
 *
 * Contract: `ServerProcess.start` resolves once the server answered `initialize` (and, with a
 * kubeconfig, once `kube/clusterStatus` says connected, or rejects after 60 s). Its stderr is kept
 * line by line until `takeStderr()`; `rssMb()` reads VmRSS from /proc (undefined elsewhere);
 * `stop()` ends the process it started and nothing else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVER_EXEC_ARGV } from '../../src/shared/server-launch';
import * as controllers from '../../src/simulator/controllers';
import { startSimulator } from '../../src/simulator/api/server';
import { buildStore, parseArgs } from '../../src/simulator/main';
import { LspClient } from './client';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '../..');

/** The initialize capabilities of the fuzzer's client: configuration (no debounce) and lens refresh. */
export const CLIENT_CAPABILITIES = {
  workspace: { configuration: true, codeLens: { refreshSupport: true } },
  textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } },
};

/** A running server process and its client. */
export class ServerProcess {
  private stderr: string[] = [];
  private partial = '';
  exited: string | undefined;

  private constructor(
    readonly proc: ChildProcess,
    readonly client: LspClient,
  ) {
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (d: string) => {
      const lines = (this.partial + d).split('\n');
      this.partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim() !== '') this.stderr.push(l);
    });
    proc.on('exit', (code, signal) => {
      this.exited = `the server exited (${signal ?? `code ${String(code)}`})`;
    });
  }

  /**
   * Starts `<serverJs> --stdio` with the product's Node options (SERVER_EXEC_ARGV) and initializes
   * it; with `kubeconfig`, waits until it is connected. `LSP_FUZZ_NODE_ARGS` (space-separated) adds node options, e.g. `--cpu-prof --cpu-prof-dir=DIR`;
   * `LSP_FUZZ_WRAP` (space-separated) runs node under a tool, e.g. `heaptrack -o FILE` (native memory).
   */
  static async start(serverJs: string, kubeconfig?: string): Promise<ServerProcess> {
    const words = (name: string): string[] => (process.env[name] ?? '').split(' ').filter((a) => a !== '');
    const [command, ...wrapArgs] = [...words('LSP_FUZZ_WRAP'), process.execPath];
    const nodeArgs = [...SERVER_EXEC_ARGV, ...words('LSP_FUZZ_NODE_ARGS')];
    const proc = spawn(command!, [...wrapArgs, ...nodeArgs, serverJs, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const sp = new ServerProcess(proc, new LspClient(proc.stdin!, proc.stdout!));
    const init = await sp.client.request(
      'initialize',
      {
        processId: process.pid,
        rootUri: null,
        capabilities: CLIENT_CAPABILITIES,
        workspaceFolders: null,
        ...(kubeconfig !== undefined
          ? { initializationOptions: { kubeconfig, context: 'kube-forecast-sim', namespaces: [] } }
          : {}),
      },
      30_000,
    );
    if (init.error !== undefined) throw new Error(`initialize failed: ${init.error.message}`);
    sp.client.notify('initialized', {});
    if (kubeconfig !== undefined) {
      const end = Date.now() + 60_000;
      for (;;) {
        const s = (await sp.client.request('kube/clusterStatus', undefined)).result as { state?: string } | undefined;
        if (s?.state === 'connected') break;
        if (Date.now() > end) throw new Error(`the server did not connect to the cluster: ${JSON.stringify(s)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return sp;
  }

  /** Stderr lines since the last call. */
  takeStderr(): string[] {
    const s = this.stderr;
    this.stderr = [];
    return s;
  }

  /** The process's resident set size in MB, from /proc/<pid>/status; undefined where /proc is missing. */
  rssMb(): number | undefined {
    try {
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Asks the server to shut down, then kills it if it has not exited within 2 s. */
  async stop(): Promise<void> {
    if (this.exited === undefined && !this.client.isClosed) {
      await this.client.request('shutdown', null, 2000).catch(() => undefined);
      this.client.notify('exit', null);
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 2000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

/** A simulated cluster in this process on 127.0.0.1 (3 nodes, demo workloads, controllers running). */
export interface FuzzCluster {
  kubeconfig: string;
  stop(): Promise<void>;
}

/** Starts the simulated cluster and writes its kubeconfig (context `kube-forecast-sim`) to a temporary file, removed by `stop`. */
export async function startFuzzCluster(): Promise<FuzzCluster> {
  const store = buildStore(parseArgs(['--nodes', '3']));
  const lookup = controllers.lookupFromStore(store);
  const sim = await startSimulator({ store, admit: (_k, obj) => controllers.applyDefaults(obj as never, lookup) });
  const cm = new controllers.ControllerManager(store, {});
  cm.start();
  const dir = mkdtempSync(path.join(tmpdir(), 'kf-lsp-fuzz-'));
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, sim.kubeconfig({ context: 'kube-forecast-sim' }), { mode: 0o600 });
  return {
    kubeconfig,
    stop: async () => {
      cm.stop();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
