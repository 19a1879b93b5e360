/**
 * CodeLens latency end to end, as an editor sees it: the simulated cluster (`dist/simulator.js
 * --snapshot`, 5,000 nodes and 150,000 pods by default) and the language server (`node
 * dist/server.js --stdio`) each run as their own process; a stdio LSP client (test/lsp-fuzz) connects
 * the server to the cluster (`kube/connectCluster`), opens a manifest of 50 pod templates and types:
 * each keystroke is a `didChange` that changes one template's CPU request, then a
 * `textDocument/codeLens` for that version.
 *
 * Figures: firstLensMs (didOpen → the first codeLens answer), allLensesMs (didOpen → an answer
 * with no "predicting…" lens), keystrokeP50Ms/P95Ms (didChange sent → codeLens answer received),
 * the server's RSS (VmRSS, largest sample), and how many keystroke answers still had a
 * "predicting…" lens. The client serves the editor's default settings (300 ms prediction debounce).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SIMULATOR_CONTEXT, SimulatorProcess } from '../src/server/explorer/simulator-process';
import { CONNECTED_TITLE } from '../src/server/services/code-lens';
import { FUZZ_SETTINGS } from '../test/lsp-fuzz/client';
import { ServerProcess } from '../test/lsp-fuzz/server-process';
import { percentile } from './bench-util';
import { NAMESPACES, nodeName, writeClusterSnapshot } from './codelens-cluster';
import { manifest } from './codelens-manifest';

/** What the end-to-end run measures (keys are stable: `npm run bench` tabulates them). */
export interface E2eFigures {
  nodes: number;
  pods: number;
  podSpecs: number;
  snapshotMb: number;
  simulatorStartMs: number;
  connectedAndSyncedMs: number;
  firstLensMs: number;
  firstLensPredicting: number;
  allLensesMs: number;
  keystrokes: number;
  keystrokeP50Ms: number;
  keystrokeP95Ms: number;
  keystrokeMaxMs: number;
  keystrokeAnswersPredicting: number;
  serverRssMb: number;
}

interface Lens {
  command?: { title: string; tooltip?: string };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the end-to-end measurement; `root` is the repository (dist/ is rebuilt there). */
export async function runE2e(
  root: string,
  opts: { nodes: number; pods: number; keystrokes: number; log: (s: string) => void },
): Promise<E2eFigures> {
  const { nodes, pods, keystrokes, log } = opts;
  for (const entry of ['server', 'simulator'])
    execFileSync(process.execPath, ['esbuild.mjs', `--only=${entry}`], { cwd: root, stdio: 'ignore' });
  // The editor's default prediction debounce, not the fuzzer's 0: diagnostics wait for typing to pause.
  FUZZ_SETTINGS.prediction.debounceMs = 300;
  const dir = mkdtempSync(path.join(tmpdir(), 'kf-bench-codelens-'));
  const sim = new SimulatorProcess(path.join(root, 'dist', 'simulator.js'));
  let server: ServerProcess | undefined;
  try {
    const snapshot = path.join(dir, 'cluster.json');
    writeClusterSnapshot(snapshot, nodes, pods);
    const snapshotMb = Math.round(statSync(snapshot).size / 1e6);
    let t = performance.now();
    const kubeconfig = await sim.start({ snapshot }, 600_000);
    const simulatorStartMs = Math.round(performance.now() - t);
    log(`simulator up: ${nodes} nodes, ${pods} pods (${snapshotMb} MB snapshot) in ${simulatorStartMs} ms`);

    server = await ServerProcess.start(path.join(root, 'dist', 'server.js'));
    const c = server.client;
    t = performance.now();
    const connected = await c.request(
      'kube/connectCluster',
      { source: 'kubeconfig', kubeconfigPaths: [kubeconfig], context: SIMULATOR_CONTEXT, namespaces: [] },
      600_000,
    );
    if ((connected.result as { state?: string } | undefined)?.state !== 'connected')
      throw new Error(`not connected: ${JSON.stringify(connected.result ?? connected.error)}`);
    await waitSynced(server, nodes, log);
    const connectedAndSyncedMs = Math.round(performance.now() - t);
    log(`server connected and synced in ${connectedAndSyncedMs} ms`);

    const uri = 'file:///bench/e2e.yaml';
    const specs = 50;
    const textOf = (edit: number): string =>
      manifest(specs, (i) => (edit >= 0 && i === (edit * 7) % specs ? `${501 + edit}m` : '500m'), 'team-', NAMESPACES);
    const lenses = async (): Promise<{ ms: number; predicting: number }> => {
      const a = await c.request('textDocument/codeLens', { textDocument: { uri } }, 120_000);
      if (a.error !== undefined) throw new Error(`codeLens failed: ${a.error.message}`);
      const list = (a.result ?? []) as Lens[];
      if (list.length !== specs * 2) throw new Error(`expected ${specs * 2} lenses, got ${list.length}`);
      return { ms: a.ms, predicting: list.filter((l) => l.command?.title === CONNECTED_TITLE).length };
    };

    // didOpen, then the editor asks for lenses at once.
    t = performance.now();
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: textOf(-1) } });
    const first = await lenses();
    const firstLensMs = Math.round(performance.now() - t);
    let last = first;
    while (last.predicting > 0 && performance.now() - t < 120_000) {
      await sleep(20);
      last = await lenses();
    }
    const allLensesMs = Math.round(performance.now() - t);
    log(`first lenses ${firstLensMs} ms (${first.predicting} predicting), all ${allLensesMs} ms`);

    // Typing: one changed field per keystroke, ~150 ms apart, a pause every 10 (diagnostics run then).
    const ms: number[] = [];
    let predictingAnswers = 0;
    let rss = server.rssMb() ?? 0;
    for (let e = 0; e < keystrokes; e++) {
      const start = performance.now();
      c.notify('textDocument/didChange', {
        textDocument: { uri, version: e + 2 },
        contentChanges: [{ text: textOf(e) }],
      });
      const r = await lenses();
      ms.push(performance.now() - start);
      if (r.predicting > 0) predictingAnswers++;
      rss = Math.max(rss, server.rssMb() ?? 0);
      const wait = (e % 10 === 9 ? 500 : 150) - (performance.now() - start);
      if (wait > 0) await sleep(wait);
    }
    const sorted = [...ms].sort((a, b) => a - b);
    return {
      nodes,
      pods,
      podSpecs: specs,
      snapshotMb,
      simulatorStartMs,
      connectedAndSyncedMs,
      firstLensMs,
      firstLensPredicting: first.predicting,
      allLensesMs,
      keystrokes,
      keystrokeP50Ms: +percentile(sorted, 50).toFixed(1),
      keystrokeP95Ms: +percentile(sorted, 95).toFixed(1),
      keystrokeMaxMs: +sorted[sorted.length - 1]!.toFixed(1),
      keystrokeAnswersPredicting: predictingAnswers,
      serverRssMb: Math.round(rss),
    };
  } finally {
    await server?.stop();
    sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Waits until the server's caches hold the whole cluster: a probe Pod pinned to the first untainted
 * node asks for more CPU than that node has left once its bound pods are counted, so its lens says
 * `Insufficient cpu` only after nodes and pods were both listed.
 */
async function waitSynced(server: ServerProcess, nodes: number, log: (s: string) => void): Promise<void> {
  const uri = 'file:///bench/probe.yaml';
  const text = `apiVersion: v1
kind: Pod
metadata: { name: probe, namespace: team-0 }
spec:
  nodeSelector: { kubernetes.io/hostname: ${nodeName(1)} }
  containers:
    - name: c
      image: probe
      resources: { requests: { cpu: "31" } }
`;
  server.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const end = performance.now() + 600_000;
  let title = '';
  while (performance.now() < end) {
    const a = await server.client.request('textDocument/codeLens', { textDocument: { uri } }, 120_000);
    const cmd = ((a.result ?? []) as Lens[])[0]?.command;
    title = `${cmd?.title ?? ''} ${cmd?.tooltip ?? ''}`;
    if (title.includes('Insufficient cpu') && title.includes(`/${nodes}`)) {
      server.client.notify('textDocument/didClose', { textDocument: { uri } });
      return;
    }
    await sleep(250);
  }
  log(`probe lens: ${title}`);
  throw new Error('the server did not sync the cluster within 600 s');
}
