/**
 * The server's prediction state: the incremental snapshot over the current backend's caches, the
 * verdict cache, the time budget of each pass, the background completion of what a pass left out,
 * and the refresh of lenses and diagnostics when a document is edited or the cluster changes.
 *
 * Contract: one host per server (`ServerContext.predictions`, disposed on shutdown). A lens or diagnostics pass never waits: it
 * spends at most {@link TIME_BUDGET_MS} predicting (plus the one spec under way when it runs out)
 * and leaves the rest as "predicting…" lenses or stale verdicts; the host then predicts those in
 * background slices of about {@link SLICE_MS}, each one its own macrotask, so requests are answered
 * between slices, and sends `workspace/codeLens/refresh` and the diagnostics once they are current.
 * Only what the server pushes itself is debounced (the setting): diagnostics after an edit, and
 * cluster changes, coalesced into one refresh. Never throws into the connection: failures become
 * diagnostics or lens text.
 */
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Connection } from 'vscode-languageserver';
import type { ClusterHost } from '../cluster-host';
import type { ManifestDocuments } from '../documents';
import type { LensRefresher } from '../refresh';
import type { SettingsStore } from '../settings';
import type { ManifestDocument, PodSpecLocation } from '../services/manifest';
import { DEFAULT_SETTINGS } from '../settings';
import { manifestDiagnostics } from './diagnostics';
import { PredictionEngine, type SpecVerdict } from './engine';
import { LiveCluster, type CachedObject } from './live-cluster';
import {
  livePodOf,
  liveObjectsOf,
  predictNew,
  specVerdict,
  withoutLivePods,
  type ClusterView,
  type PredictionModel,
} from './verdicts';
import { resolveProfile, type ProfileResolution } from './profiles';
import type { NodeSizes } from './resource-units';
import { looksLikeKubernetesManifest } from '../../shared/manifest-sniff';

/**
 * Milliseconds a lens or diagnostics pass spends predicting; past it, specs never predicted get a
 * "predicting…" lens and verdicts made stale by a cluster change are served as they are, and the
 * background completes them.
 */
export const TIME_BUDGET_MS = 80;

/** Milliseconds of one background slice (at least one spec is predicted per slice). */
export const SLICE_MS = 20;

/** While the background works through a long backlog, lenses are refreshed this often to show progress. */
const PROGRESS_REFRESH_MS = 1000;

/** What the prediction host reads and pushes through (the server's objects; see `ServerContext`). */
export interface PredictionHostDeps {
  connection: Connection;
  documents: ManifestDocuments;
  settings: SettingsStore;
  cluster: ClusterHost;
  lenses: LensRefresher;
}

/** The prediction host of one server. */
export class PredictionHost {
  readonly engine = new PredictionEngine();
  private live: LiveCluster | undefined;
  private liveOff: (() => void) | undefined;
  private readonly diagTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private clusterTimer: ReturnType<typeof setTimeout> | undefined;
  private debounceMs = DEFAULT_SETTINGS.predictionDebounceMs;
  /** Documents a pass left incomplete, with the profile setting they were predicted under (background queue). */
  private readonly behind = new Map<string, string>();
  /** Documents the background made current since its last refresh. */
  private readonly completed = new Set<string>();
  private backgroundTask: ReturnType<typeof setImmediate> | undefined;
  private sliceMs = SLICE_MS;
  private lastProgressRefresh = 0;
  /** Called after every cluster-driven or background refresh (tests and benchmarks hook it). */
  onDidRefresh: (() => void) | undefined;

  private readonly offs: { dispose(): void }[] = [];
  private disposed = false;

  /** Creates the host and follows documents and the cluster of `ctx`. */
  constructor(private readonly ctx: PredictionHostDeps) {
    const offStatus = ctx.cluster.onDidChangeStatus(() => this.rebind());
    this.offs.push({ dispose: offStatus });
    const docs = ctx.documents.documents;
    this.offs.push(docs.onDidChangeContent((e) => this.scheduleDiagnostics(e.document.uri)));
    this.offs.push(
      docs.onDidClose((e) => {
        this.behind.delete(e.document.uri);
        this.completed.delete(e.document.uri);
        const t = this.diagTimers.get(e.document.uri);
        if (t !== undefined) clearTimeout(t);
        this.diagTimers.delete(e.document.uri);
        void ctx.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      }),
    );
  }

  /** The current cluster view, binding the backend's caches on first use; undefined without a connected cluster. */
  view(): ClusterView | undefined {
    if (this.disposed || this.ctx.cluster.status.state !== 'connected') return undefined;
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

  /** The configuration in effect for a document. */
  profile(uri: string, text: string, setting: string): ProfileResolution {
    return resolveProfile(uri, text, setting);
  }

  /**
   * The verdict of one spec, or undefined without a cluster. With a `deadline` (`performance.now()`
   * time), once it has passed specs never predicted get undefined (a "predicting…" lens), and once
   * `staleAfter` (default: the deadline) has passed verdicts of an older cluster generation are served
   * as they are; call {@link catchUp} after the pass.
   */
  verdict(
    doc: ManifestDocument,
    spec: PodSpecLocation,
    resolution: ProfileResolution,
    deadline?: number,
    staleAfter = deadline,
  ): SpecVerdict | undefined {
    return specVerdict(this.model(resolution), doc, spec, deadline, staleAfter);
  }

  /** The model a service predicts with (see `verdicts.ts`): binds the cluster view on first use. */
  model(resolution: ProfileResolution): PredictionModel {
    return { engine: this.engine, view: this.view(), resolution, defaultNamespace: this.defaultNamespace() };
  }

  /** See `predictNew` in `verdicts.ts`. */
  predictNew(manifest: readonly ManifestDocument[], resolution: ProfileResolution, deadline: number): void {
    predictNew(this.model(resolution), manifest, deadline);
  }

  /** The live pods a document created (see `liveObjectsOf`). */
  liveObjects(doc: ManifestDocument, spec: PodSpecLocation, defaultNamespace: string): CachedObject[] {
    return liveObjectsOf(this.live, doc, spec, defaultNamespace);
  }

  /** Runs `fn` with `pods` taken out of the snapshot (see `withoutLivePods`). */
  withoutLivePods<T>(v: ClusterView, pods: readonly CachedObject[], fn: () => T): T {
    return withoutLivePods(v, pods, fn);
  }

  /** The live pod a Pod document created, if the cluster has it. */
  livePod(doc: ManifestDocument, defaultNamespace: string): CachedObject | undefined {
    return livePodOf(this.live, doc, defaultNamespace);
  }

  /** Runs `fn` with `pod` taken out of the snapshot (a pod is predicted as if it did not exist yet). */
  withoutLivePod<T>(v: ClusterView, pod: CachedObject, fn: () => T): T {
    return withoutLivePods(v, [pod], fn);
  }

  /**
   * After a pass over `uri` (predicted under the `settingProfile` setting): when its time budget ran
   * out (specs left out or stale verdicts served), queues the document for background completion.
   */
  catchUp(uri: string, settingProfile: string): void {
    if (this.engine.takeDeferred() === 0) return;
    this.behind.set(uri, settingProfile);
    this.scheduleBackground();
  }

  /** True while documents wait for background predictions (tests read it). */
  get busy(): boolean {
    return this.behind.size > 0 || this.backgroundTask !== undefined;
  }

  private scheduleBackground(): void {
    if (this.backgroundTask !== undefined || this.behind.size === 0) return;
    this.backgroundTask = setImmediate(() => {
      this.backgroundTask = undefined;
      this.backgroundSlice();
    });
  }

  /**
   * One background slice: predicts the first queued document's missing or stale verdicts for about
   * `sliceMs` (at least one spec: a slice that made no progress doubles the next one), then yields.
   * Once the queue is empty (or every {@link PROGRESS_REFRESH_MS} during a long one), refreshes the
   * lenses and publishes the diagnostics of the documents it completed.
   */
  private backgroundSlice(): void {
    const next = this.behind.entries().next();
    // The queue may have emptied since this slice was scheduled (documents closed, the host disposed).
    if (next.done === true) return;
    const [uri, setting] = next.value;
    const doc = this.ctx.documents.get(uri);
    const manifest = this.ctx.documents.manifest(uri);
    if (doc === undefined || manifest === undefined || this.view() === undefined) this.behind.delete(uri);
    else {
      const computed = this.engine.computed;
      try {
        const resolution = this.profile(uri, doc.getText(), setting);
        const deadline = performance.now() + this.sliceMs;
        for (const d of manifest) for (const s of d.podSpecs) this.verdict(d, s, resolution, deadline);
        this.sliceMs = this.engine.computed > computed ? SLICE_MS : this.sliceMs * 2;
        if (this.engine.takeDeferred() === 0) {
          this.behind.delete(uri);
          this.completed.add(uri);
        }
      } catch (e) {
        this.engine.takeDeferred();
        this.behind.delete(uri);
        this.ctx.connection.console.error(
          `kube-forecast background prediction failed for ${uri}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    const now = performance.now();
    if (this.behind.size === 0 || now - this.lastProgressRefresh > PROGRESS_REFRESH_MS) {
      this.lastProgressRefresh = now;
      if (this.completed.size > 0 || this.behind.size > 0) this.ctx.lenses.refresh();
      for (const u of this.completed) void this.publish(u);
      this.completed.clear();
      this.onDidRefresh?.();
    }
    this.scheduleBackground();
  }

  /** Computes the diagnostics of an open document. */
  diagnostics(doc: TextDocument, settingProfile: string): Diagnostic[] {
    // The budget counts from the start, parsing included, so a large file's pass stays within it.
    const deadline = performance.now() + TIME_BUDGET_MS;
    const docs = this.ctx.documents.manifest(doc.uri) ?? [];
    const resolution = this.profile(doc.uri, doc.getText(), settingProfile);
    this.predictNew(docs, resolution, deadline);
    const out = manifestDiagnostics(
      doc,
      docs,
      (d, s) => this.verdict(d, s, resolution, deadline),
      resolution.problems,
      this.nodeSizes(),
    );
    this.catchUp(doc.uri, settingProfile);
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
      if (this.disposed) return;
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
    this.ctx.lenses.refresh();
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

  /** True while a timer or a background slice is pending (tests of shutdown read it). */
  get pendingWork(): boolean {
    return this.clusterTimer !== undefined || this.backgroundTask !== undefined || this.diagTimers.size > 0;
  }

  /** Stops timers and listeners and releases the cluster view (its listener on the caches). */
  dispose(): void {
    this.disposed = true;
    if (this.clusterTimer !== undefined) clearTimeout(this.clusterTimer);
    this.clusterTimer = undefined;
    if (this.backgroundTask !== undefined) clearImmediate(this.backgroundTask);
    this.backgroundTask = undefined;
    this.behind.clear();
    for (const t of this.diagTimers.values()) clearTimeout(t);
    this.diagTimers.clear();
    for (const off of this.offs.splice(0)) off.dispose();
    this.liveOff?.();
    this.liveOff = undefined;
    this.live?.dispose();
    this.live = undefined;
  }
}
