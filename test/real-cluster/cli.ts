/**
 * `npm run real-cluster -- [--port N] --kubeconfig-out FILE [--nodes FILE]`
 *
 * Builds (or takes from the cache) the real control plane, starts it on 127.0.0.1, writes a
 * kubeconfig with two contexts (`kube-forecast-real`: admin; `kube-forecast-real-view`: view only),
 * prints `ready`, and stays in the foreground until Ctrl-C or SIGTERM, when it stops every process and
 * removes its temporary folder. Exit codes: 0 after a requested stop, 1 when the cluster could not
 * start or a component died, 2 for bad arguments.
 */
import fs from 'node:fs';
import { ADMIN_CONTEXT, startRealCluster, VIEWER_CONTEXT, type RealCluster } from './control-plane';

/** Parsed arguments. */
export interface CliArgs {
  port: number;
  kubeconfigOut: string;
  nodes: string | undefined;
}

const USAGE = 'usage: npm run real-cluster -- [--port N] --kubeconfig-out FILE [--nodes FILE]';

/** Parses argv; throws an Error naming the bad flag. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let port = 0;
  let kubeconfigOut: string | undefined;
  let nodes: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const flag = eq >= 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag}: a value is required\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const v = value();
        port = Number(v);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected 0-65535, got ${v}`);
        break;
      }
      case '--kubeconfig-out':
        kubeconfigOut = value();
        break;
      case '--nodes':
        nodes = value();
        if (!fs.existsSync(nodes)) throw new Error(`--nodes: no such file: ${nodes}`);
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument: ${a}\n${USAGE}`);
    }
  }
  if (kubeconfigOut === undefined) throw new Error(`--kubeconfig-out is required\n${USAGE}`);
  return { port, kubeconfigOut, nodes };
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  let cluster: RealCluster | undefined;
  let stopping: Promise<never> | undefined;
  const starting = new AbortController();
  // One shutdown, however many signals arrive (tsx forwards Ctrl-C's SIGINT a second time). During
  // start-up the abort makes startRealCluster stop what it started and reject.
  const shutdown = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      if (cluster === undefined) {
        starting.abort();
        return new Promise<never>(() => undefined);
      }
      await cluster.stop();
      process.exit(code);
    })());
  // Ctrl-C during start-up must still tear down what has started.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const started = Date.now();
  try {
    cluster = await startRealCluster({
      port: args.port,
      signal: starting.signal,
      ...(args.nodes ? { nodesFile: args.nodes } : {}),
    });
  } catch (e) {
    console.error(`real-cluster: ${(e as Error).message}`);
    process.exit(starting.signal.aborted ? 0 : 1);
  }
  fs.writeFileSync(args.kubeconfigOut, cluster.kubeconfig(), { mode: 0o600 });
  console.log(`real-cluster: kube-apiserver ${cluster.version} at ${cluster.url}`);
  console.log(`real-cluster: kubeconfig ${args.kubeconfigOut} (contexts ${ADMIN_CONTEXT}, ${VIEWER_CONTEXT})`);
  console.log(`real-cluster: logs in ${cluster.logDir}; started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log('ready');
  const why = await cluster.died;
  if (stopping) return;
  console.error(`real-cluster: ${why}; stopping the cluster`);
  await shutdown(1);
}

if (process.argv[1] && /cli\.[cm]?[tj]s$/.test(process.argv[1])) void main();
