/**
 * CLI entry point of the simulated cluster (bundled to dist/simulator.js).
 *
 *   simulator [--port N] [--tls (default) | --plain-http] [--nodes N --zones Z] [--snapshot FILE|DIR] [--context NAME]
 *             [--kubeconfig-out FILE] [--version-minor M] [--no-controllers]
 *
 * Prints where it listens and writes a kubeconfig (context `kube-forecast-sim`). A `--snapshot` directory
 * loads every `.json`/`.yaml`/`.yml` file in it, in name order, as one snapshot (each file under the size
 * limit: a cluster whose listing is over V8's string limit is saved in parts).
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as controllers from './controllers';
import * as demo from './demo';
import { startSimulator } from './api/server';
import { Store } from './store/store';
import type { KubeObject } from './store/types';

/** Parsed command line. */
export interface CliOptions {
  port: number;
  tls: boolean;
  nodes: number | undefined;
  zones: number | undefined;
  snapshot: string | undefined;
  kubeconfigOut: string | undefined;
  /** The kubeconfig's context name (default kube-forecast-sim). */
  context: string | undefined;
  versionMinor: number;
  /** Run the controller manager (scheduler, kubelets, workload controllers); default true. */
  controllers: boolean;
}

/** Parses argv (without node and script); throws an Error naming the bad flag. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    port: 0,
    // TLS by default: over plain HTTP kubectl sends no credentials, so that mode must let anonymous in.
    tls: true,
    nodes: undefined,
    zones: undefined,
    snapshot: undefined,
    kubeconfigOut: undefined,
    context: undefined,
    versionMinor: 33,
    controllers: true,
  };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0)
      throw new Error(`${flag}: expected a non-negative integer, got ${String(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        o.port = num(flag, val());
        break;
      case '--tls':
        o.tls = true;
        break;
      case '--plain-http':
        o.tls = false;
        break;
      case '--nodes':
        o.nodes = num(flag, val());
        break;
      case '--zones':
        o.zones = num(flag, val());
        break;
      case '--snapshot':
        o.snapshot = val();
        break;
      case '--kubeconfig-out':
        o.kubeconfigOut = val();
        break;
      case '--context':
        o.context = val();
        break;
      case '--version-minor':
        o.versionMinor = num(flag, val());
        break;
      case '--no-controllers':
        o.controllers = false;
        break;
      case '--help':
      case '-h':
        throw new Error(
          'usage: simulator [--port N] [--tls|--plain-http] [--nodes N --zones Z] [--snapshot FILE] [--kubeconfig-out FILE] [--context NAME] [--version-minor M] [--no-controllers]',
        );
      default:
        throw new Error(`unknown flag: ${a}`);
    }
  }
  return o;
}

/** Builds the store from the options: snapshot, demo cluster, or empty (default namespaces only). */
export function buildStore(o: CliOptions): Store {
  // With controllers running, their kubelet finishes graceful pod deletion; otherwise the store does.
  const store = new Store({ gracefulPodDeletion: o.controllers ? 'external' : 'timer' });
  if (o.snapshot !== undefined) {
    // loadSnapshot reads a path that does not exist as snapshot text; name the missing file instead.
    if (!existsSync(o.snapshot)) throw new Error(`cannot read snapshot ${o.snapshot}: no such file`);
    const files = statSync(o.snapshot).isDirectory()
      ? readdirSync(o.snapshot)
          .filter((f) => /\.(json|ya?ml)$/.test(f))
          .sort()
          .map((f) => join(o.snapshot!, f))
      : [o.snapshot];
    const objects: KubeObject[] = [];
    let skipped = 0;
    for (const file of files) {
      const snap = demo.loadSnapshot(file, { registry: store.registry });
      if (snap.fatal !== undefined) throw new Error(snap.fatal);
      for (const i of [...snap.errors, ...snap.unknown].slice(0, 5)) console.warn(`snapshot: ${demo.formatIssue(i)}`);
      skipped += snap.errors.length + snap.unknown.length;
      for (const obj of snap.objects) objects.push(obj);
    }
    const r = demo.applySnapshot(store, objects);
    skipped += r.errors.length;
    console.log(`loaded ${r.created} objects from ${o.snapshot}${skipped > 0 ? ` (${skipped} skipped)` : ''}`);
  } else if (o.nodes !== undefined && o.nodes > 0) {
    const cluster = demo.generateDemoCluster({
      nodes: o.nodes,
      ...(o.zones !== undefined ? { zones: o.zones } : {}),
      // Date the demo objects now, so ages read naturally and CronJobs do not fire at once.
      now: new Date().toISOString(),
    });
    // Stored as kube-apiserver would have stored them: defaulted (as a snapshot's objects are).
    const lookup = controllers.lookupFromObjects(cluster.objects as never);
    for (const obj of cluster.objects) controllers.applyDefaults(obj as never, lookup);
    const r = store.restore(cluster.objects);
    console.log(
      `generated demo cluster: ${cluster.summary.nodes} nodes, ${cluster.summary.pods} pods (${r.loaded} objects)`,
    );
  }
  return store;
}

async function main(): Promise<void> {
  let o: CliOptions;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  let store: Store;
  try {
    store = buildStore(o);
  } catch (e) {
    console.error(`simulator: ${(e as Error).message}`);
    process.exit(1);
  }
  const lookup = controllers.lookupFromStore(store);
  const sim = await startSimulator({
    port: o.port,
    tls: o.tls,
    store,
    versionMinor: o.versionMinor,
    admit: (_kind, obj) => controllers.applyDefaults(obj as never, lookup),
  });
  // With TLS, each namespace's kube-root-ca.crt carries the server's real CA.
  const cm = o.controllers
    ? new controllers.ControllerManager(store, sim.tls ? { rootCA: sim.tls.ca.cert } : {})
    : undefined;
  cm?.start();
  if (!o.tls)
    console.warn(
      'simulator: --plain-http: requests without credentials have full access (kubectl sends none over http://); use TLS (the default) to leave it running',
    );
  console.log(
    `kube-forecast simulator listening on ${sim.url} (Kubernetes v1.${o.versionMinor}, ${o.tls ? 'TLS' : 'plain HTTP'})`,
  );
  if (o.kubeconfigOut !== undefined) {
    const context = o.context ?? 'kube-forecast-sim';
    writeFileSync(o.kubeconfigOut, sim.kubeconfig({ context }), { mode: 0o600 });
    console.log(`kubeconfig written to ${o.kubeconfigOut} (context ${context})`);
  }
  const stop = (): void => {
    cm?.stop();
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) void main();
