/**
 * CLI entry point of the simulated cluster (bundled to dist/simulator.js).
 *
 *   simulator [--port N] [--tls | --plain-http] [--nodes N --zones Z] [--snapshot FILE]
 *             [--kubeconfig-out FILE] [--version-minor M]
 *
 * Prints where it listens and writes a kubeconfig (context `kube-forecast-sim`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import * as demo from './demo';
import { startSimulator } from './api/server';
import { Store } from './store/store';

/** Parsed command line. */
export interface CliOptions {
  port: number;
  tls: boolean;
  nodes: number | undefined;
  zones: number | undefined;
  snapshot: string | undefined;
  kubeconfigOut: string | undefined;
  versionMinor: number;
}

/** Parses argv (without node and script); throws an Error naming the bad flag. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { port: 0, tls: false, nodes: undefined, zones: undefined, snapshot: undefined, kubeconfigOut: undefined, versionMinor: 33 };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag}: expected a non-negative integer, got ${String(v)}`);
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
      case '--version-minor':
        o.versionMinor = num(flag, val());
        break;
      case '--help':
      case '-h':
        throw new Error('usage: simulator [--port N] [--tls|--plain-http] [--nodes N --zones Z] [--snapshot FILE] [--kubeconfig-out FILE] [--version-minor M]');
      default:
        throw new Error(`unknown flag: ${a}`);
    }
  }
  return o;
}

/** Reads a snapshot file (JSON or YAML: a List, an array, or multi-document YAML) into objects. */
export function readSnapshotFile(file: string): Record<string, any>[] {
  const text = readFileSync(file, 'utf8');
  const docs = yaml.loadAll(text) as unknown[];
  const out: Record<string, any>[] = [];
  const add = (d: unknown): void => {
    if (Array.isArray(d)) d.forEach(add);
    else if (d !== null && typeof d === 'object') {
      const o = d as Record<string, any>;
      if (Array.isArray(o['items']) && typeof o['kind'] === 'string' && o['kind'].endsWith('List')) o['items'].forEach(add);
      else if (Array.isArray(o['objects'])) o['objects'].forEach(add);
      else out.push(o);
    }
  };
  docs.forEach(add);
  return out;
}

/** Builds the store from the options: snapshot, demo cluster, or empty (default namespaces only). */
export async function buildStore(o: CliOptions): Promise<Store> {
  const store = new Store();
  const d = demo as Record<string, unknown>;
  if (o.snapshot !== undefined) {
    const objs = typeof d['loadSnapshot'] === 'function' ? await (d['loadSnapshot'] as (f: string) => unknown)(o.snapshot) : readSnapshotFile(o.snapshot);
    const list = Array.isArray(objs) ? objs : ((objs as { objects?: unknown[] }).objects ?? []);
    const r = store.restore(list as Record<string, any>[]);
    console.log(`loaded ${r.loaded} objects from ${o.snapshot}${r.failed.length > 0 ? ` (${r.failed.length} skipped, first: ${r.failed[0]!.object}: ${r.failed[0]!.reason})` : ''}`);
  } else if (o.nodes !== undefined && o.nodes > 0) {
    const cluster = demo.generateDemoCluster({ nodes: o.nodes, ...(o.zones !== undefined ? { zones: o.zones } : {}) });
    const r = store.restore(cluster.objects);
    console.log(`generated demo cluster: ${cluster.summary.nodes} nodes, ${cluster.summary.pods} pods (${r.loaded} objects)`);
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
  const store = await buildStore(o);
  const sim = await startSimulator({ port: o.port, tls: o.tls, store, versionMinor: o.versionMinor });
  console.log(`kube-forecast simulator listening on ${sim.url} (Kubernetes v1.${o.versionMinor}, ${o.tls ? 'TLS' : 'plain HTTP'})`);
  if (o.kubeconfigOut !== undefined) {
    writeFileSync(o.kubeconfigOut, sim.kubeconfig(), { mode: 0o600 });
    console.log(`kubeconfig written to ${o.kubeconfigOut} (context kube-forecast-sim)`);
  }
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) void main();
