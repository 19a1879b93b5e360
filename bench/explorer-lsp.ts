/**
 * One explorer benchmark run against the language server as the product runs it: `node dist/server.js
 * --stdio` as its own process, driven over LSP (`kube/connectCluster`, `kube/treeChildren`) by the
 * fuzzer's stdio client, so every figure is end to end (protocol and JSON included).
 *
 * Contract: `measureRun` starts its own server process, connects it to `kubeconfig`'s `context`, and
 * stops the process before it resolves (or rejects). Times are from sending `kube/connectCluster`:
 * - cachesSyncedMs: the Nodes and Namespaces rows show counts and a node's pods are listed (the core
 *   caches, nodes, namespaces and pods, have listed);
 * - firstPaintMs: root, context, every section and every section's children computed with no row
 *   still loading (the category groups wait for their caches too), i.e. the first full paint;
 * - expandNamespaceMs / expandNodeMs: a namespace's groups then its Pods group / a node's pods;
 * - serverRssMb: VmRSS of the server process after the first paint, once settled (the lists' garbage
 *   returned: no new low for 10 s, at most 60 s); serverRssAtPaintMb the moment the paint completed;
 *   serverPeakRssMb its VmHWM.
 */
import { readFileSync } from 'node:fs';
import { ServerProcess } from '../test/lsp-fuzz/server-process';
import type { TreeNode } from '../src/shared/protocol';

export interface RunFigures {
  cachesSyncedMs: number;
  firstPaintMs: number;
  expandNamespaceMs: number[];
  expandNodeMs: number[];
  serverRssMb: number;
  /** VmRSS the moment the paint completed, and VmHWM (the peak so far). */
  serverRssAtPaintMb: number;
  serverPeakRssMb: number;
  rows: number;
  /** The server's status message once painted (says when pods are cached per namespace). */
  status: string;
}

const TIMEOUT_MS = 600_000;

/** VmHWM of `pid` in MB (NaN where /proc is missing). */
function peakRssMb(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function children(sp: ServerProcess, parentId: string | null): Promise<TreeNode[]> {
  const a = await sp.client.request('kube/treeChildren', { parentId }, TIMEOUT_MS);
  if (a.error !== undefined) throw new Error(`kube/treeChildren ${String(parentId)}: ${a.error.message}`);
  return a.result as TreeNode[];
}

const loading = (r: TreeNode): boolean =>
  r.description === 'loading…' || (r.kind === 'message' && /^Loading/.test(r.label));

/** The context row's sections, or undefined while the root does not list the active context yet. */
async function sections(sp: ServerProcess): Promise<{ ctx: TreeNode; rows: TreeNode[] } | undefined> {
  const ctx = (await children(sp, null)).find((r) => r.contextValue === 'context:active');
  return ctx === undefined ? undefined : { ctx, rows: await children(sp, ctx.id) };
}

/** Every row of the first paint, or undefined while one is still loading. */
async function paint(sp: ServerProcess): Promise<number | undefined> {
  const s = await sections(sp);
  if (s === undefined || s.rows.some(loading)) return undefined;
  let rows = 1 + s.rows.length;
  for (const section of s.rows) {
    const kids = await children(sp, section.id);
    if (kids.some(loading)) return undefined;
    rows += kids.length;
  }
  return rows;
}

async function poll<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + TIMEOUT_MS;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One run (see the contract above); `expands` samples of each expand. */
export async function measureRun(
  serverJs: string,
  kubeconfig: string,
  context: string,
  run: number,
  expands = 20,
): Promise<RunFigures> {
  const sp = await ServerProcess.start(serverJs);
  try {
    const t0 = performance.now();
    const connected = await sp.client.request(
      'kube/connectCluster',
      { source: 'kubeconfig', kubeconfigPaths: [kubeconfig], context, namespaces: [] },
      TIMEOUT_MS,
    );
    if (connected.error !== undefined) throw new Error(`kube/connectCluster: ${connected.error.message}`);
    const cachesSyncedMs = await poll('the core caches sync', async () => {
      const s = await sections(sp);
      const nodes = s?.rows.find((r) => r.label === 'Nodes');
      const namespaces = s?.rows.find((r) => r.label === 'Namespaces');
      if (!nodes || !namespaces || loading(nodes) || loading(namespaces)) return undefined;
      const first = (await children(sp, nodes.id))[0];
      if (first === undefined || loading(first) || (await children(sp, first.id)).some(loading)) return undefined;
      return performance.now() - t0;
    });
    const rows = await poll('the first paint', () => paint(sp));
    const firstPaintMs = performance.now() - t0;
    const serverRssAtPaintMb = sp.rssMb() ?? NaN;
    // The lists leave garbage that V8 returns to the system within seconds of going idle: the resident
    // memory after sync is read once it has settled (no new low for 10 s, at most 60 s after the paint).
    let serverRssMb = serverRssAtPaintMb;
    for (let since = Date.now(), end = Date.now() + 60_000; Date.now() < end && Date.now() - since < 10_000;) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = sp.rssMb() ?? NaN;
      if (now < serverRssMb - 1) {
        serverRssMb = now;
        since = Date.now();
      }
    }
    const serverPeakRssMb = peakRssMb(sp.proc.pid!);
    const s = (await sections(sp))!;
    const namespaces = await children(sp, s.rows.find((r) => r.label === 'Namespaces')!.id);
    const nodes = await children(sp, s.rows.find((r) => r.label === 'Nodes')!.id);
    const expandNamespaceMs: number[] = [];
    const expandNodeMs: number[] = [];
    for (let i = 0; i < expands; i++) {
      const ns = namespaces[(i * 7 + run) % namespaces.length]!;
      const a = performance.now();
      const groups = await children(sp, ns.id);
      const pods = groups.find((g) => g.label === 'Pods');
      if (pods !== undefined) await children(sp, pods.id);
      expandNamespaceMs.push(performance.now() - a);
      const node = nodes[(i * 37 + run) % nodes.length]!;
      const b = performance.now();
      await children(sp, node.id);
      expandNodeMs.push(performance.now() - b);
    }
    const status = (await sp.client.request('kube/clusterStatus', undefined, TIMEOUT_MS)).result as
      { message?: string } | undefined;
    return {
      cachesSyncedMs,
      firstPaintMs,
      expandNamespaceMs,
      expandNodeMs,
      serverRssMb,
      serverRssAtPaintMb,
      serverPeakRssMb,
      rows,
      status: status?.message ?? '',
    };
  } finally {
    const stderr = sp.takeStderr();
    if (sp.exited !== undefined) console.error(`${sp.exited}\n${stderr.slice(-20).join('\n')}`);
    await sp.stop();
  }
}
