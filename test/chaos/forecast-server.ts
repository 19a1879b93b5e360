/**
 * One language server of a chaos campaign (`node dist/server.js --stdio`, started with the LSP
 * fuzzer's `ServerProcess`) with the campaign's manifest open, and what a client sees of it: the tree
 * branches of `tree-mirror.ts` and the manifest's CodeLens titles, plus the prediction details of
 * each lens's pod spec.
 *
 * Two uses: the watched server keeps its connection for the whole campaign and is read as a client
 * holds it (`watch()`: rows refetched on `kube/didChangeTree`, lenses on `workspace/codeLens/refresh`);
 * the truth server is connected afresh after each fault and read directly (`fresh()`).
 *
 * Contract: a `View` is plain JSON; two servers agree when `viewKey` of their views is equal. The root
 * row's `Server:` line is left out (the two servers reach the cluster by different URLs).
 */
import type { ClusterStatus, PodSpecRef, PredictionDetails, TreeNode } from '../../src/shared/protocol';
import { ServerProcess } from '../lsp-fuzz/server-process';
import { CHAOS_CONTEXT } from './credentials';
import { branchesOf, TreeMirror, type TreeRows } from './tree-mirror';

/** What a client shows: tree rows, lens titles, and the details of each lens's pod spec. */
export interface View {
  tree: TreeRows;
  lenses: string[];
  details: unknown[];
}

/** The comparable text of a view. */
export function viewKey(v: View): string {
  return JSON.stringify(v);
}

/** A short description of the first difference between two views (for the log), or undefined. */
export function firstDifference(watched: View, truth: View): string | undefined {
  const a = new Map(watched.tree);
  const b = new Map(truth.tree);
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const ra = JSON.stringify(a.get(id) ?? null);
    const rb = JSON.stringify(b.get(id) ?? null);
    if (ra === rb) continue;
    const la = (a.get(id) ?? []).map((r) => `${r.label} [${r.description ?? ''}]`);
    const lb = (b.get(id) ?? []).map((r) => `${r.label} [${r.description ?? ''}]`);
    return `rows under ${id || '(root)'}: watched ${a.has(id) ? JSON.stringify(la) : 'absent'} vs truth ${b.has(id) ? JSON.stringify(lb) : 'absent'}${
      JSON.stringify(la) === JSON.stringify(lb) ? ' (other fields differ)' : ''
    }`;
  }
  if (JSON.stringify(watched.lenses) !== JSON.stringify(truth.lenses))
    return `lenses: watched ${JSON.stringify(watched.lenses)} vs truth ${JSON.stringify(truth.lenses)}`;
  if (JSON.stringify(watched.details) !== JSON.stringify(truth.details))
    return `prediction details: watched ${JSON.stringify(watched.details).slice(0, 400)} vs truth ${JSON.stringify(truth.details).slice(0, 400)}`;
  return undefined;
}

interface Lens {
  command?: { title: string; tooltip?: string; arguments?: unknown[] };
}

/** The manifest document every server of a campaign has open. */
export interface OpenManifest {
  uri: string;
  text: string;
}

/** A language server process with the manifest open (see the file comment). */
export class ForecastServer {
  private readonly mirror: TreeMirror;
  private lenses: Lens[] = [];
  private lensQueue: Promise<void> = Promise.resolve();
  private lensOff: (() => void) | undefined;
  /** Every cluster state the server announced, with when (for "did the fault bite"). */
  readonly states: { at: number; state: string }[] = [];

  private constructor(
    readonly proc: ServerProcess,
    private readonly manifest: OpenManifest,
    private readonly namespace: string,
  ) {
    this.mirror = new TreeMirror(proc.client, branchesOf(CHAOS_CONTEXT, namespace));
    proc.client.on('kube/didChangeClusterStatus', (s) =>
      this.states.push({ at: performance.now(), state: (s as ClusterStatus).state }),
    );
  }

  /** Starts `serverJs` and opens the manifest (no cluster yet). */
  static async start(serverJs: string, manifest: OpenManifest, namespace: string): Promise<ForecastServer> {
    const proc = await ServerProcess.start(serverJs);
    proc.client.notify('textDocument/didOpen', {
      textDocument: { uri: manifest.uri, languageId: 'yaml', version: 1, text: manifest.text },
    });
    return new ForecastServer(proc, manifest, namespace);
  }

  /** Connects (or reconnects, with fresh caches) to {@link CHAOS_CONTEXT} of `kubeconfig`. */
  async connect(kubeconfig: string): Promise<ClusterStatus> {
    const a = await this.proc.client.request(
      'kube/connectCluster',
      { source: 'kubeconfig', kubeconfigPaths: [kubeconfig], context: CHAOS_CONTEXT, namespaces: [] },
      90_000,
    );
    if (a.error !== undefined) throw new Error(`kube/connectCluster: ${a.error.message}`);
    return a.result as ClusterStatus;
  }

  /** Loads every branch and the lenses, then follows the server's change notifications. */
  async watch(): Promise<void> {
    this.mirror.watch();
    this.lensOff ??= this.proc.client.on('workspace/codeLens/refresh', () => void this.refreshLenses());
    await Promise.all([this.mirror.load(), this.refreshLenses()]);
  }

  /** Forgets what it holds and loads it all again (after a reconnect). */
  async reload(): Promise<void> {
    await Promise.all([this.mirror.load(), this.refreshLenses()]);
  }

  /** What the client holds now (rows and lenses as last refreshed), with freshly asked details. */
  async watched(): Promise<View> {
    const tree = await this.mirror.snapshot();
    await this.lensQueue;
    return { tree: normaliseRoot(tree), lenses: titles(this.lenses), details: await this.details(this.lenses) };
  }

  /** Everything asked afresh now. */
  async fresh(): Promise<View> {
    const m = new TreeMirror(this.proc.client, branchesOf(CHAOS_CONTEXT, this.namespace));
    await m.load();
    const lenses = await this.codeLens();
    return { tree: normaliseRoot(await m.snapshot()), lenses: titles(lenses), details: await this.details(lenses) };
  }

  /** The last request failure of the watched tree, if any. */
  get treeError(): string | undefined {
    return this.mirror.lastError;
  }

  stop(): Promise<void> {
    this.mirror.unwatch();
    this.lensOff?.();
    return this.proc.stop();
  }

  private refreshLenses(): Promise<void> {
    this.lensQueue = this.lensQueue.then(async () => {
      this.lenses = await this.codeLens();
    });
    return this.lensQueue;
  }

  private async codeLens(): Promise<Lens[]> {
    const a = await this.proc.client.request(
      'textDocument/codeLens',
      { textDocument: { uri: this.manifest.uri } },
      30_000,
    );
    if (a.error !== undefined) throw new Error(`textDocument/codeLens: ${a.error.message}`);
    return (a.result ?? []) as Lens[];
  }

  private async details(lenses: readonly Lens[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const l of lenses) {
      const ref = l.command?.arguments?.[0] as PodSpecRef | undefined;
      if (ref === undefined || !Array.isArray(ref.path)) continue;
      const a = await this.proc.client.request('kube/predictionDetails', ref, 30_000);
      const d = a.result as PredictionDetails | null | undefined;
      out.push(
        a.error !== undefined
          ? { error: a.error.message }
          : d == null
            ? null
            : {
                summary: d.summary,
                selectedNode: d.selectedNode,
                tiedNodes: d.tiedNodes,
                failure: d.failure,
                feasibleNodes: d.feasibleNodes,
                placement: d.placement,
                nodes: d.nodes?.map((n) => [n.name, n.feasible, n.filter?.plugin, n.total]),
              },
      );
    }
    return out;
  }
}

function titles(lenses: readonly Lens[]): string[] {
  return lenses.map((l) => `${l.command?.title ?? ''}${l.command?.tooltip ? ` | ${l.command.tooltip}` : ''}`);
}

/** The root rows without their `Server:` tooltip line. */
function normaliseRoot(tree: TreeRows): TreeRows {
  return tree.map(([id, rows]): [string, TreeNode[]] =>
    id !== ''
      ? [id, rows]
      : [
          id,
          rows.map((r) => ({
            ...r,
            tooltip: (r.tooltip ?? '')
              .split('\n')
              .filter((l) => !l.startsWith('Server: '))
              .join('\n'),
          })),
        ],
  );
}
