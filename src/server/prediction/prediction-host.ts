/**
 * The server's prediction state: the incremental snapshot over the current backend's caches, the
 * verdict cache, per-document debouncing, and the refresh of lenses and diagnostics when a document
 * is edited or the cluster changes.
 *
 * Contract: one host per server (`predictionHost(ctx)`). Cluster changes are coalesced (debounce
 * from the settings) into one `workspace/codeLens/refresh` and one diagnostics pass. Never throws
 * into the connection: failures become diagnostics or lens text.
 */
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClusterSnapshot } from '../../scheduler';
import type { ServerContext } from '../context';
import { refreshCodeLenses } from '../refresh';
import type { ManifestDocument, PodSpecLocation } from '../services/manifest';
import { DEFAULT_SETTINGS } from '../settings';
import { manifestDiagnostics } from './diagnostics';
import { PredictionEngine, type SpecVerdict } from './engine';
import { LiveCluster, type CachedObject } from './live-cluster';
import { resolveProfile, type ProfileResolution } from './profiles';
import type { NodeSizes } from './resource-units';
import { looksLikeKubernetesManifest } from '../../shared/manifest-sniff';

/** Milliseconds a lens or diagnostics pass spends recomputing verdicts made stale by a cluster change. */
export const TIME_BUDGET_MS = 80;

/**
 * Milliseconds after which a pass stops predicting even specs it has never predicted (a file with
 * thousands of pod specs); their lenses say the prediction is pending and catch-up rounds fill them in.
 */
const HARD_BUDGET_MS = 700;

/** Delay before the next catch-up round after a pass served stale verdicts. */
const CATCH_UP_DELAY_MS = 150;

/** The cluster view a computation uses. */
export interface ClusterView {
  snapshot: ClusterSnapshot;
  generation: number;
  live: LiveCluster;
}

/** The prediction host of one server. */
class PredictionHost {
  readonly engine = new PredictionEngine();
  private live: LiveCluster | undefined;
  private liveOff: (() => void) | undefined;
  private readonly lastEdit = new Map<string, number>();
  private readonly diagTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private clusterTimer: ReturnType<typeof setTimeout> | undefined;
  private catchUpTimer: ReturnType<typeof setTimeout> | undefined;
  private debounceMs = DEFAULT_SETTINGS.predictionDebounceMs;
  /** Called after every cluster-driven refresh (tests and benchmarks hook it). */
  onDidRefresh: (() => void) | undefined;

  /** Creates the host and follows documents and the cluster of `ctx`. */
  constructor(private readonly ctx: ServerContext) {
    ctx.cluster.onDidChangeStatus(() => this.rebind());
    const docs = ctx.documents.documents;
    docs.onDidChangeContent((e) => {
      this.lastEdit.set(e.document.uri, Date.now());
      this.scheduleDiagnostics(e.document.uri);
    });
    docs.onDidClose((e) => {
      this.lastEdit.delete(e.document.uri);
      const t = this.diagTimers.get(e.document.uri);
      if (t !== undefined) clearTimeout(t);
      this.diagTimers.delete(e.document.uri);
      void ctx.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
  }

  /** The current cluster view, binding the backend's caches on first use; undefined without a connected cluster. */
  view(): ClusterView | undefined {
    if (this.ctx.cluster.status.state !== 'connected') return undefined;
    if (this.live === undefined) {
      const caches = this.ctx.cluster.backend.predictionCaches?.();
      if (caches === undefined) return undefined;
      this.live = new LiveCluster(caches);
      this.liveOff = this.live.onDidChange(() => this.scheduleClusterRefresh());
    }
    return { snapshot: this.live.snapshot, generation: this.live.generation, live: this.live };
  }

  /** The largest node's allocatable CPU of the connected cluster; undefined without a cluster or nodes. */
  nodeSizes(): NodeSizes | undefined {
    const v = this.view();
    if (v === undefined) return undefined;
    let maxMilliCpu = 0;
    for (const n of v.snapshot.nodeInfos()) maxMilliCpu = Math.max(maxMilliCpu, n.allocatable.milliCPU);
    return maxMilliCpu > 0 ? { maxMilliCpu } : undefined;
  }

  /** The namespace for manifests that name none: the first chosen namespace, else `default`. */
  defaultNamespace(): string {
    return this.ctx.cluster.status.namespaces?.[0] ?? 'default';
  }

  /** Milliseconds until `uri`'s last edit is `debounceMs` old (0 when it already is). */
  settleDelay(uri: string, debounceMs: number): number {
    this.debounceMs = debounceMs;
    const t = this.lastEdit.get(uri);
    if (t === undefined) return 0;
    return Math.max(0, t + debounceMs - Date.now());
  }

  /** The configuration in effect for a document. */
  profile(uri: string, text: string, setting: string): ProfileResolution {
    return resolveProfile(uri, text, setting);
  }

  /**
   * The verdict of one spec, or undefined without a cluster. With a `deadline`, verdicts of an older
   * cluster generation may be served once it has passed; call {@link catchUp} afterwards.
   */
  verdict(
    doc: ManifestDocument,
    spec: PodSpecLocation,
    resolution: ProfileResolution,
    deadline?: number,
  ): SpecVerdict | undefined {
    const v = this.view();
    if (v === undefined) return undefined;
    const opts = {
      defaultNamespace: this.defaultNamespace(),
      profile: resolution.choice,
      ...(deadline !== undefined ? { deadline, hardDeadline: deadline - TIME_BUDGET_MS + HARD_BUDGET_MS } : {}),
    };
    // Once the manifest was created, its pods are predicted as if they did not exist yet.
    const live = this.liveObjects(doc, spec, opts.defaultNamespace);
    if (live.length > 0)
      return this.withoutLivePods(v, live, () => this.engine.tryVerdict(doc, spec, v.snapshot, v.generation, opts));
    return this.engine.tryVerdict(doc, spec, v.snapshot, v.generation, opts);
  }

  /**
   * The live pods a document created: the Pod itself, or a workload's pods (same namespace,
   * controller-owned, carrying every template label). Empty before Create or without a cluster.
   */
  liveObjects(doc: ManifestDocument, spec: PodSpecLocation, defaultNamespace: string): CachedObject[] {
    if (this.live === undefined) return [];
    if (doc.kind === 'Pod') {
      const pod = this.livePod(doc, defaultNamespace);
      return pod === undefined ? [] : [pod];
    }
    const md = spec.template['metadata'];
    const labels = typeof md === 'object' && md !== null ? (md as { labels?: unknown }).labels : undefined;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return [];
    const strings: Record<string, string> = {};
    for (const [k, val] of Object.entries(labels)) if (typeof val === 'string') strings[k] = val;
    return this.live.workloadPods(doc.namespace ?? defaultNamespace, strings);
  }

  /** Runs `fn` with `pods` taken out of the snapshot, then puts them back. */
  withoutLivePods<T>(v: ClusterView, pods: readonly CachedObject[], fn: () => T): T {
    const removed: CachedObject[] = [];
    for (const pod of pods) {
      const name = pod.metadata?.name;
      if (typeof name !== 'string') continue;
      v.snapshot.remove('Pod', pod.metadata?.namespace, name);
      removed.push(pod);
    }
    try {
      return fn();
    } finally {
      for (const pod of removed) v.snapshot.addPod(pod as never);
    }
  }

  /** The live pod a Pod document created, if the cluster has it. */
  livePod(doc: ManifestDocument, defaultNamespace: string): CachedObject | undefined {
    if (doc.kind !== 'Pod' || doc.name === undefined || this.live === undefined) return undefined;
    return this.live.pod(doc.namespace ?? defaultNamespace, doc.name);
  }

  /** Runs `fn` with `pod` taken out of the snapshot (a pod is predicted as if it did not exist yet). */
  withoutLivePod<T>(v: ClusterView, pod: CachedObject, fn: () => T): T {
    return this.withoutLivePods(v, [pod], fn);
  }

  /**
   * After a request that served stale verdicts (the time budget ran out after a cluster change), asks
   * the client for lenses again shortly, so each round recomputes another budget's worth until all are current.
   */
  catchUp(): void {
    if (this.engine.takeDeferred() === 0 || this.catchUpTimer !== undefined) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = undefined;
      this.refreshAll();
    }, CATCH_UP_DELAY_MS);
  }

  /** Computes the diagnostics of an open document. */
  diagnostics(doc: TextDocument, settingProfile: string): Diagnostic[] {
    // The budget counts from the start, parsing included, so a large file's pass stays within it.
    const deadline = performance.now() + TIME_BUDGET_MS;
    const docs = this.ctx.documents.manifest(doc.uri) ?? [];
    const resolution = this.profile(doc.uri, doc.getText(), settingProfile);
    const out = manifestDiagnostics(
      doc,
      docs,
      (d, s) => this.verdict(d, s, resolution, deadline),
      resolution.problems,
      this.nodeSizes(),
    );
    this.catchUp();
    return out;
  }

  /** Publishes the diagnostics of `uri` now. */
  async publish(uri: string): Promise<void> {
    const doc = this.ctx.documents.get(uri);
    if (doc === undefined) return;
    let diagnostics: Diagnostic[];
    // Everything that parses or predicts is inside the try: a rejection here would be unhandled (the
    // callers do not await it) and end the server process.
    try {
      if (
        !looksLikeKubernetesManifest(doc.getText()) &&
        (this.ctx.documents.manifest(uri) ?? []).every((d) => d.error === undefined)
      )
        diagnostics = [];
      else diagnostics = this.diagnostics(doc, (await this.ctx.settings.get(uri)).schedulerProfile);
    } catch (e) {
      diagnostics = [];
      this.ctx.connection.console.error(
        `kube-forecast diagnostics failed for ${uri}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    await this.ctx.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  }

  private scheduleDiagnostics(uri: string): void {
    const old = this.diagTimers.get(uri);
    if (old !== undefined) clearTimeout(old);
    void this.ctx.settings.get(uri).then((s) => {
      this.debounceMs = s.predictionDebounceMs;
      const prev = this.diagTimers.get(uri);
      if (prev !== undefined) clearTimeout(prev);
      this.diagTimers.set(
        uri,
        setTimeout(() => {
          this.diagTimers.delete(uri);
          void this.publish(uri);
        }, s.predictionDebounceMs),
      );
    });
  }

  private scheduleClusterRefresh(): void {
    if (this.clusterTimer !== undefined) return;
    this.clusterTimer = setTimeout(() => {
      this.clusterTimer = undefined;
      this.refreshAll();
    }, this.debounceMs);
  }

  /** Refreshes lenses and diagnostics of every open document. */
  refreshAll(): void {
    refreshCodeLenses(this.ctx);
    for (const d of this.ctx.documents.documents.all()) void this.publish(d.uri);
    this.onDidRefresh?.();
  }

  private rebind(): void {
    this.liveOff?.();
    this.liveOff = undefined;
    this.live?.dispose();
    this.live = undefined;
    this.engine.clear();
    // Bind now when connected so that cluster changes refresh lenses without a request first.
    this.view();
    this.refreshAll();
  }

  /** Stops timers and listeners. */
  dispose(): void {
    if (this.clusterTimer !== undefined) clearTimeout(this.clusterTimer);
    if (this.catchUpTimer !== undefined) clearTimeout(this.catchUpTimer);
    for (const t of this.diagTimers.values()) clearTimeout(t);
    this.liveOff?.();
    this.live?.dispose();
  }
}

const hosts = new WeakMap<ServerContext, PredictionHost>();

/** The prediction host of a server, created on first use. */
export function predictionHost(ctx: ServerContext): PredictionHost {
  let h = hosts.get(ctx);
  if (h === undefined) {
    h = new PredictionHost(ctx);
    hosts.set(ctx, h);
  }
  return h;
}
