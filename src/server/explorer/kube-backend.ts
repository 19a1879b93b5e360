/**
 * The connected cluster backend: answers the tree, text, write, snapshot and re-authenticate requests
 * from one {@link ClusterSession}'s watch caches, and tells the client (debounced) which tree rows
 * changed. The same caches feed predictions through {@link KubeClusterBackend.predictionCaches}.
 *
 * A thin composition of one-job parts: `connection-health.ts` (health checks and status),
 * `tree-changes.ts` (changed rows, debounced), `backend-tree.ts` (the tree), `resource-operations.ts`
 * (texts, actions, logs, Secret values), `backend-writes.ts` (manifest writes) and `backend-snapshot.ts`.
 * This class owns the session and its caches and replaces both on Re-authenticate.
 *
 * Contract: methods never throw (refusals are `Outcome`s); the status follows the caches (unreachable
 * and expired credentials become `error` with a sentence, and recover by themselves when the caches
 * do); nothing here writes a kubeconfig, and no token or Secret value is logged or returned.
 */
import type { ClusterSession, WatchedKind } from '../../cluster/cluster-session';
import type { CacheChange } from '../../cluster/resource-cache';
import { Emitter, type Event } from '../../shared/emitter';
import type {
  ClusterStatus,
  ManifestWriteReport,
  Outcome,
  ResourceActionParams,
  ResourceTextParams,
  TreeNode,
  WriteManifestParams,
  WriteProgressParams,
} from '../../shared/protocol';
import type { ClusterBackend } from '../cluster-backend';
import type { ClusterCaches } from '../prediction/live-cluster';
import type { ManifestDocument } from '../services/manifest';
import { settled, within, type BackendCore, type BackendOptions } from './backend-core';
import { takeSnapshot } from './backend-snapshot';
import { BackendTree } from './backend-tree';
import { writeManifest } from './backend-writes';
import { ClusterData, type KubeObj } from './cluster-data';
import { ConnectionHealth } from './connection-health';
import { kindInfo } from './kinds';
import { ResourceOperations } from './resource-operations';
import { TreeChanges } from './tree-changes';
import { childId } from './tree-ids';

export type { BackendOptions } from './backend-core';

/** {@link ClusterBackend} over a live cluster. */
export class KubeClusterBackend implements ClusterBackend, BackendCore {
  private sessionValue: ClusterSession;
  private dataValue: ClusterData;
  private readonly changes: TreeChanges;
  private readonly health: ConnectionHealth;
  private readonly tree: BackendTree;
  private readonly operations: ResourceOperations;
  private readonly cacheChanged = new Emitter<{ kind: string; change: CacheChange<KubeObj> }>();
  private offs: (() => void)[] = [];
  private disposed = false;

  /** Status changes (health changes, recovery, expired credentials). */
  readonly onDidChangeStatus: Event<ClusterStatus>;

  /** Changed tree rows (debounced). */
  readonly onDidChangeTree: Event<string[]>;

  /** Wraps `session` (already built) as described by `opts`. Call {@link start} next. */
  constructor(
    session: ClusterSession,
    readonly opts: BackendOptions,
  ) {
    this.sessionValue = session;
    this.dataValue = new ClusterData(session, opts.namespaces);
    this.changes = new TreeChanges(opts.context);
    this.health = new ConnectionHealth(this, this.changes);
    this.tree = new BackendTree(this, this.health);
    this.operations = new ResourceOperations(this);
    this.onDidChangeStatus = this.health.onDidChangeStatus;
    this.onDidChangeTree = this.changes.onDidChange;
  }

  /** The current session (replaced on Re-authenticate and kubeconfig changes). */
  get session(): ClusterSession {
    return this.sessionValue;
  }

  /** The current session's caches. */
  get data(): ClusterData {
    return this.dataValue;
  }

  /** The current status. */
  get status(): ClusterStatus {
    return this.health.status;
  }

  /** The context this backend serves. */
  get context(): string {
    return this.opts.context;
  }

  /** Starts the core caches and waits (up to `timeoutMs`) for their first list; never rejects. */
  async start(timeoutMs = 15_000): Promise<ClusterStatus> {
    this.wire();
    const core = this.coreSources();
    this.tree.startPaintCaches();
    await within(Promise.all([...core.map((s) => settled(this.data, s)), this.health.check()]), timeoutMs);
    this.health.update();
    this.health.startPeriodic();
    return this.status;
  }

  /** The node, pod and namespace caches (started on first use). */
  private coreSources(): ReturnType<ClusterData['source']>[] {
    return (['nodes', 'pods', 'namespaces'] as const).map((k) => this.data.source(k));
  }

  private wire(): void {
    this.offs.push(
      this.data.onDidChange((kind, change) => {
        this.changes.queue(this.changes.affectedIds(kind, change));
        this.cacheChanged.fire({ kind, change });
      }),
      this.data.onDidChangeState((kind) => {
        this.changes.queue([...this.changes.affectedIds(kind, undefined), childId('', this.opts.context)]);
        this.health.update();
      }),
    );
  }

  /**
   * The session's shared caches for predictions (`ClusterCaches`): `list(kind)` starts a kind's cache on
   * first use; `onDidChange` hears every started kind. Stable across Re-authenticate and kubeconfig
   * reloads (the new caches re-list, which arrives as a `resync` change). Objects are the wire JSON
   * (list items lack apiVersion/kind) and are shared with the tree: never mutate them.
   */
  predictionCaches(): ClusterCaches {
    return {
      list: (kind, ns) => (ns === undefined ? this.data.list(kind) : this.data.listStarted(kind, ns)),
      get: (kind, name, ns) => this.data.get(kind, name, ns),
      kubernetesVersion: () => this.health.health?.version,
      onDidChange: (l) => this.cacheChanged.event(({ kind, change }) => l(kind, change)),
    };
  }

  /** The rows under `parentId` (null: the root). */
  children(parentId: string | null): Promise<TreeNode[]> {
    return this.tree.children(parentId);
  }

  /** The rows from the root to `id` (for reveal). */
  nodePath(id: string): TreeNode[] {
    return this.tree.nodePath(id);
  }

  /** Every namespace name the user may list cluster-wide (for Choose Namespaces), or why not. */
  namespaceNames(): Promise<Outcome<string[]>> {
    return this.operations.namespaceNames();
  }

  /** The text of one view of a row's object (YAML, Describe, Why Pending?, logs, a Secret key's value). */
  resourceText(params: ResourceTextParams): Promise<Outcome<string>> {
    return this.operations.resourceText(params);
  }

  /** Follows a pod's log: calls `onChunk` with new text until the returned function is called. */
  followLogs(
    nodeId: string,
    onChunk: (text: string) => void,
    onEnd: (reason: string) => void,
  ): (() => void) | { error: string } {
    return this.operations.followLogs(nodeId, onChunk, onEnd);
  }

  /** Deletes, scales or restarts a row's object. */
  resourceAction(params: ResourceActionParams): Promise<Outcome<string>> {
    return this.operations.resourceAction(params);
  }

  /** Create from Manifest / Apply: a dry run of every document, then the writes; one result per document. */
  writeManifest(
    documents: readonly ManifestDocument[],
    options: Pick<WriteManifestParams, 'mode' | 'namespace' | 'onExisting' | 'checkOnly'>,
    onProgress?: (p: Omit<WriteProgressParams, 'writeId'>) => void,
  ): Promise<Outcome<ManifestWriteReport>> {
    return writeManifest(this, documents, options, onProgress);
  }

  /** Save Cluster Snapshot: the snapshot kinds as one JSON document. */
  snapshot(): Promise<Outcome<string>> {
    return takeSnapshot(this, this.health.health?.version);
  }

  /** Builds a fresh session (re-reading credentials), re-lists the caches and reports whether it connected. */
  async reauthenticate(): Promise<Outcome<string>> {
    try {
      const fresh = await this.opts.makeSession();
      this.replaceSession(fresh);
      const core = this.coreSources();
      await within(Promise.all([...core.map((s) => settled(this.data, s)), this.health.check()]), 15_000);
      this.health.update();
      if (this.status.state !== 'connected') return { ok: false, reason: this.status.message ?? 'still not connected' };
      return { ok: true, value: `Re-authenticated to ${this.opts.context}; the caches were re-listed.` };
    } catch (e) {
      return { ok: false, reason: `Re-authentication failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** Swaps in a new session (new credentials, a changed kubeconfig): the caches re-list; the tree converges. */
  replaceSession(fresh: ClusterSession): void {
    const started = this.data.startedKinds();
    for (const off of this.offs.splice(0)) off();
    this.data.dispose();
    this.session.dispose();
    this.sessionValue = fresh;
    this.dataValue = new ClusterData(fresh, this.opts.namespaces);
    this.tree.rebuild();
    this.wire();
    for (const k of started) if (kindInfo(k) !== undefined) this.data.source(k as WatchedKind);
    this.changes.queue(['']);
  }

  /** Tells the client the root changed (contexts were added or removed). */
  contextsChanged(): void {
    this.changes.queue(['']);
  }

  /** Stops the timers, the caches and the session; forgets every listener. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.changes.dispose();
    this.health.dispose();
    for (const off of this.offs.splice(0)) off();
    this.data.dispose();
    this.session.dispose();
    this.cacheChanged.dispose();
    this.opts.onDispose?.();
  }
}
