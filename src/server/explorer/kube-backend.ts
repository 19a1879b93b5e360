/**
 * The connected cluster backend: answers the tree, text, write, snapshot and re-authenticate requests
 * from one {@link ClusterSession}'s watch caches, and tells the client (debounced) which tree rows
 * changed. The same caches feed predictions through {@link KubeClusterBackend.predictionCaches}.
 *
 * Contract: methods never throw (refusals are `Outcome`s); the status follows the caches (unreachable
 * and expired credentials become `error` with a sentence, and recover by themselves when the caches
 * do); nothing here writes a kubeconfig, and no token or Secret value is logged or returned.
 */
import {
  WATCHED_KINDS,
  type ClusterHealth,
  type ClusterSession,
  type WatchedKind,
} from '../../cluster/cluster-session';
import type { ManifestObject } from '../../cluster/object-writer';
import type { CacheChange } from '../../cluster/resource-cache';
import type {
  ClusterSource,
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
import { ClusterData, type KindState, type KindSource, type KubeObj } from './cluster-data';
import { latestReleases } from '../../cluster/helm-release';
import { KINDS, kindInfo } from './kinds';
import type { ClusterCaches } from '../prediction/live-cluster';
import type { ManifestDocument } from '../services/manifest';
import { writeDocuments } from './manifest-writer';
import { describe } from './describe-text';
import { fetchFullObject } from './full-object';
import { toYaml, whyPending } from './resource-texts';
import { buildSnapshot, SNAPSHOT_KINDS } from './snapshot-writer';
import { CATEGORY_PREFIX, TreeModel, type ContextEntry, type TreeSource } from './tree-model';
import { childId, joinId, objectId, objectOf, parseId } from './tree-ids';

/** How long tree changes are collected before the client is told. */
const TREE_DEBOUNCE_MS = 250;

/** How soon an unhealthy /readyz or /version answer is checked again. */
const UNHEALTHY_RECHECK_MS = 2000;

/** How the backend was reached and how to rebuild its session (Re-authenticate, kubeconfig changes). */
export interface BackendOptions {
  source: ClusterSource;
  context: string;
  server: string;
  namespaces: readonly string[];
  /** Builds a fresh session (re-reading credentials). */
  makeSession: () => Promise<ClusterSession>;
  /** The contexts the root lists. */
  contexts: () => readonly ContextEntry[];
  /** Milliseconds between health checks (0: only on demand). */
  healthIntervalMs?: number;
  /** The kubeconfig context's namespace: where documents without one go when no namespace is chosen. */
  contextNamespace?: string | undefined;
  /** Called on dispose (stop watchers, the simulator...). */
  onDispose?: () => void;
  /** The cluster's name for the user when not the context name (`ClusterStatus.label`). */
  label?: string;
}

/** The cluster-wide collection path of a CRD's custom resources (its storage version). */
function customPath(crd: KubeObj): string {
  const group = String(crd.spec?.group ?? '');
  const versions = (crd.spec?.versions ?? []) as { name: string; served?: boolean; storage?: boolean }[];
  const version =
    (versions.find((v) => v.storage) ?? versions.find((v) => v.served !== false) ?? versions[0])?.name ?? 'v1';
  return `/apis/${group}/${version}/${String(crd.spec?.names?.plural ?? '')}`;
}

/** {@link ClusterBackend} over a live cluster. */
export class KubeClusterBackend implements ClusterBackend {
  private session: ClusterSession;
  private data: ClusterData;
  private model: TreeModel;
  private health: ClusterHealth | undefined;
  private statusValue: ClusterStatus;
  private readonly statusListeners = new Set<(s: ClusterStatus) => void>();
  private readonly treeListeners = new Set<(ids: string[]) => void>();
  private readonly cacheListeners = new Set<(kind: string, change: CacheChange<KubeObj>) => void>();
  private pendingIds = new Set<string>();
  private treeTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private healthRecheck: NodeJS.Timeout | undefined;
  private offs: (() => void)[] = [];
  private disposed = false;

  /** Wraps `session` (already built) as described by `opts`. Call {@link start} next. */
  constructor(
    session: ClusterSession,
    private readonly opts: BackendOptions,
  ) {
    this.session = session;
    this.data = new ClusterData(session, opts.namespaces);
    this.model = new TreeModel(this.treeSource(), () => ({
      context: this.opts.context,
      contexts: this.listedContexts(),
      health: this.health,
      problem: this.connectionProblem(),
    }));
    this.statusValue = {
      state: 'connecting',
      source: opts.source,
      context: opts.context,
      ...(opts.label !== undefined ? { label: opts.label } : {}),
      server: opts.server,
      namespaces: [...opts.namespaces],
    };
  }

  /** The current status. */
  get status(): ClusterStatus {
    return this.statusValue;
  }

  /** The context this backend serves. */
  get context(): string {
    return this.opts.context;
  }

  /** Starts the core caches and waits (up to `timeoutMs`) for their first list; never rejects. */
  async start(timeoutMs = 15_000): Promise<ClusterStatus> {
    this.wire();
    const core = (['nodes', 'pods', 'namespaces'] as const).map((k) => this.data.source(k));
    this.startPaintCaches();
    await Promise.race([
      Promise.all([...core.map((s) => this.settled(s)), this.checkHealth()]),
      new Promise((r) => setTimeout(r, timeoutMs).unref()),
    ]);
    this.updateStatus();
    if ((this.opts.healthIntervalMs ?? 30_000) > 0) {
      this.healthTimer = setInterval(
        () => void this.checkHealth().then(() => this.updateStatus()),
        this.opts.healthIntervalMs ?? 30_000,
      );
      this.healthTimer.unref();
    }
    return this.statusValue;
  }

  /**
   * Starts, beside the core caches, every cache the first full paint reads (the sections' rows: the
   * category groups' counts, custom resource definitions, Helm releases) instead of when the tree first
   * asks: on a large cluster their lists then run while the core ones do, and the paint completes soon
   * after the core caches sync. Computing the sections' rows is what starts them.
   */
  private startPaintCaches(): void {
    try {
      for (const section of this.model.children(childId('', this.opts.context))) this.model.children(section.id);
    } catch {
      /* The rows are computed again when the tree asks; they say what failed then. */
    }
  }

  /** Resolves when the source synced or reached a failure state. */
  private settled(s: KindSource): Promise<void> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const st = s.state.state;
        return st === 'synced' || st === 'forbidden' || st === 'unauthorized' || st === 'unreachable';
      };
      if (check()) return resolve();
      const off = this.data.onDidChangeState(() => {
        if (check()) {
          off();
          resolve();
        }
      });
      void s.whenSynced().then(() => {
        off();
        resolve();
      });
    });
  }

  private wire(): void {
    this.offs.push(
      this.data.onDidChange((kind, change) => {
        this.queueTree(this.affectedIds(kind, change));
        for (const l of this.cacheListeners) l(kind, change);
      }),
      this.data.onDidChangeState((kind) => {
        this.queueTree([...this.affectedIds(kind, undefined), childId('', this.opts.context)]);
        this.updateStatus();
      }),
    );
  }

  /**
   * Asks /version and /readyz. A changed answer refreshes the rows that show it (the context's sections
   * and the Cluster row); an unhealthy one is asked again after {@link UNHEALTHY_RECHECK_MS}, so the tree
   * says "ready" within seconds of the server recovering, not at the next periodic check.
   */
  private async checkHealth(): Promise<void> {
    const before = JSON.stringify(this.health);
    this.health = await this.session.health();
    if (this.disposed) return;
    if (JSON.stringify(this.health) !== before) {
      const ctx = childId('', this.opts.context);
      this.queueTree([ctx, childId(ctx, 'cluster')]);
    }
    if ((!this.health.reachable || this.health.ready === false) && this.healthRecheck === undefined) {
      this.healthRecheck = setTimeout(() => {
        this.healthRecheck = undefined;
        void this.checkHealth().then(() => this.updateStatus());
      }, UNHEALTHY_RECHECK_MS);
      this.healthRecheck.unref();
    }
  }

  private listedContexts(): ContextEntry[] {
    const list = [...this.opts.contexts()];
    if (!list.some((c) => c.name === this.opts.context))
      list.unshift({ name: this.opts.context, server: this.opts.server });
    return list;
  }

  /** A sentence when the connection as a whole fails (the core caches cannot list). */
  private connectionProblem(): string | undefined {
    const states = (['pods', 'namespaces', 'nodes'] as const)
      .map((k) => this.data.started(k)?.state)
      .filter((s): s is KindState => s !== undefined);
    const unauth = states.find((s) => s.state === 'unauthorized');
    if (unauth !== undefined)
      return `The cluster rejected the credentials of context "${this.opts.context}" (401: ${unauth.message}). Run "Kube Forecast: Re-authenticate".`;
    const authFailed = states.find((s) => s.state === 'unreachable' && s.message.startsWith('authentication failed'));
    if (authFailed !== undefined) {
      return `The credentials of context "${this.opts.context}" could not be obtained (${authFailed.message}). Fix the credential plugin or log in, then run "Kube Forecast: Re-authenticate".`;
    }
    const unreachable = states.find((s) => s.state === 'unreachable');
    if (unreachable !== undefined && states.every((s) => s.state !== 'synced')) {
      return `Cannot reach the cluster of context "${this.opts.context}": ${unreachable.message}. Retrying with backoff.`;
    }
    if (this.health !== undefined && !this.health.reachable && states.every((s) => s.state !== 'synced')) {
      return `Cannot reach the cluster of context "${this.opts.context}": ${this.health.message ?? 'unreachable'}. Retrying with backoff.`;
    }
    return undefined;
  }

  private updateStatus(): void {
    if (this.disposed) return;
    const problem = this.connectionProblem();
    const forbidden = (['nodes', 'namespaces', 'pods'] as const)
      .map((k) => ({ k, s: this.data.started(k)?.state }))
      .filter((x) => x.s?.state === 'forbidden')
      .map((x) => x.k);
    const next: ClusterStatus = {
      state: problem !== undefined ? 'error' : 'connected',
      source: this.opts.source,
      context: this.opts.context,
      ...(this.opts.label !== undefined ? { label: this.opts.label } : {}),
      server: this.opts.server,
      namespaces: [...this.opts.namespaces],
      message:
        problem ??
        (forbidden.length > 0
          ? `Connected to ${this.opts.label ?? this.opts.context}; not allowed to list ${forbidden.join(', ')} (those branches explain why).`
          : `Connected to ${this.opts.label ?? this.opts.context}${this.health?.version ? ` (Kubernetes ${this.health.version})` : ''}.`),
    };
    const prev = this.statusValue;
    this.statusValue = next;
    if (prev.state !== next.state || prev.message !== next.message) {
      for (const l of this.statusListeners) l(next);
      this.queueTree(['']);
    }
  }

  /** The tree rows whose children change when `kind` changes. */
  private affectedIds(kind: string, change: CacheChange<KubeObj> | undefined): string[] {
    const ctx = childId('', this.opts.context);
    const ids = new Set<string>();
    const nsSection = childId(ctx, 'namespaces');
    if (kind === 'nodes') ids.add(childId(ctx, 'nodes')).add(ctx);
    else if (kind === 'namespaces') ids.add(nsSection).add(ctx);
    else if (kind === 'customresourcedefinitions') ids.add(childId(ctx, 'crds')).add(ctx);
    else if (kind.startsWith('cr:')) ids.add(childId(ctx, 'crds'));
    else if (kind === 'helm') ids.add(childId(ctx, 'helm'));
    else if (kind === 'events') {
      // Events only matter for Pending pods' reasons.
      ids.add(childId(ctx, `${CATEGORY_PREFIX}workloads`));
    }
    const info = kindInfo(kind);
    if (info?.category !== undefined) ids.add(childId(ctx, `${CATEGORY_PREFIX}${info.category}`));
    if (kind === 'pods') {
      ids.add(childId(ctx, 'nodes')).add(childId(ctx, 'cluster'));
      if (change === undefined || change.resync || change.added.length > 0 || change.deleted.length > 0)
        ids.add(nsSection);
    }
    if (info?.namespaced) {
      const namespaces = new Set<string>();
      if (change === undefined) ids.add(nsSection);
      else
        for (const o of [...change.added, ...change.modified, ...change.deleted])
          namespaces.add(o.metadata?.namespace ?? '');
      for (const ns of namespaces) ids.add(objectId(nsSection, { kind: 'namespaces', namespace: '', name: ns }));
      if (change?.resync) ids.add(nsSection);
    }
    return [...ids];
  }

  private queueTree(ids: readonly string[]): void {
    if (this.disposed) return;
    for (const id of ids) this.pendingIds.add(id);
    if (this.treeTimer !== undefined) return;
    this.treeTimer = setTimeout(() => {
      this.treeTimer = undefined;
      const out = [...this.pendingIds];
      this.pendingIds.clear();
      for (const l of this.treeListeners) l(out);
    }, TREE_DEBOUNCE_MS);
  }

  private treeSource(): TreeSource {
    return {
      namespaces: this.opts.namespaces,
      list: (kind, ns) => this.data.list(kind, ns),
      state: (kind) => this.data.source(kind).state,
      podsOnNode: (node) => this.data.podsOnNode(node),
      custom: (crd) => {
        const s = this.customSource(crd);
        return {
          list: (ns) => s.list(ns),
          get state() {
            return s.state;
          },
        };
      },
      helmSecrets: () => {
        const s = this.data.customSource('helm', '/api/v1/secrets', true, 'owner=helm');
        return {
          list: () => s.list(),
          get state() {
            return s.state;
          },
        };
      },
    };
  }

  private customSource(crd: KubeObj): KindSource {
    return this.data.customSource(`cr:${crd.metadata?.name ?? ''}`, customPath(crd), crd.spec?.scope === 'Namespaced');
  }

  /** Registers a status listener (health changes, recovery, expired credentials). */
  onDidChangeStatus(l: (s: ClusterStatus) => void): () => void {
    this.statusListeners.add(l);
    return () => this.statusListeners.delete(l);
  }

  /** Registers a listener for changed tree rows (debounced). */
  onDidChangeTree(l: (ids: string[]) => void): () => void {
    this.treeListeners.add(l);
    return () => this.treeListeners.delete(l);
  }

  /**
   * The session's shared caches for predictions (`ClusterCaches`): `list(kind)` starts a kind's cache on
   * first use; `onDidChange` hears every started kind. Stable across Re-authenticate and kubeconfig
   * reloads (the new caches re-list, which arrives as a `resync` change). Objects are the wire JSON
   * (list items lack apiVersion/kind) and are shared with the tree: never mutate them.
   */
  predictionCaches(): ClusterCaches {
    return {
      list: (kind) => this.data.list(kind),
      kubernetesVersion: () => this.health?.version,
      onDidChange: (l) => {
        this.cacheListeners.add(l);
        return () => this.cacheListeners.delete(l);
      },
    };
  }

  async children(parentId: string | null): Promise<TreeNode[]> {
    try {
      const ctxId = childId('', this.opts.context);
      if (parentId === ctxId && this.health === undefined) await this.checkHealth();
      if (parentId === childId(ctxId, 'cluster')) await this.checkHealth();
      return this.model.children(parentId);
    } catch (e) {
      return [
        {
          id: `${parentId ?? ''}/!error`,
          label: `Could not list: ${e instanceof Error ? e.message : String(e)}`,
          kind: 'message',
          contextValue: 'message',
          hasChildren: false,
        },
      ];
    }
  }

  /** Every namespace name the user may list cluster-wide (for Choose Namespaces), or why not. */
  async namespaceNames(): Promise<Outcome<string[]>> {
    const src = this.session.cache<KubeObj>('namespaces');
    await Promise.race([src.whenSynced(), new Promise((r) => setTimeout(r, 5000).unref())]);
    if (src.state !== 'synced') return { ok: false, reason: `Cannot list namespaces (${src.state}): ${src.message}` };
    return {
      ok: true,
      value: src
        .list()
        .map((n) => n.metadata?.name ?? '')
        .filter((n) => n !== '')
        .sort(),
    };
  }

  /** The rows from the root to `id` (for reveal). */
  nodePath(id: string): TreeNode[] {
    try {
      return this.model.path(id);
    } catch {
      return [];
    }
  }

  /** The tree id of an object written by a manifest (under its namespace, or its category). */
  nodeIdOf(obj: ManifestObject, namespace: string | undefined): string | undefined {
    const info = KINDS.find((k) => k.kind === obj.kind && k.apiVersion === obj.apiVersion);
    const name = obj.metadata?.name;
    if (info === undefined || !name) return undefined;
    const ctx = childId('', this.opts.context);
    const nsSection = childId(ctx, 'namespaces');
    if (info.key === 'namespaces') return objectId(nsSection, { kind: 'namespaces', namespace: '', name });
    if (info.key === 'nodes') return objectId(childId(ctx, 'nodes'), { kind: 'nodes', namespace: '', name });
    if (info.namespaced && namespace) {
      const nsRow = objectId(nsSection, { kind: 'namespaces', namespace: '', name: namespace });
      return objectId(childId(nsRow, info.key), { kind: info.key, namespace, name });
    }
    if (info.category !== undefined)
      return objectId(childId(ctx, `${CATEGORY_PREFIX}${info.category}`, info.key), {
        kind: info.key,
        namespace: '',
        name,
      });
    return undefined;
  }

  /**
   * The cached object a row stands for, with apiVersion and kind, and the collection it is listed from
   * (`path`; none for a Helm release, which is not one object).
   */
  private objectFor(nodeId: string): { obj: KubeObj; key: string; path?: string } | { error: string } {
    const ref = objectOf(nodeId);
    if (ref === undefined) return { error: 'This row is not a Kubernetes object.' };
    if (ref.kind === 'crd') {
      const o = this.data.source('customresourcedefinitions').get(ref.name);
      return o
        ? {
            obj: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', ...o },
            key: 'customresourcedefinitions',
            path: WATCHED_KINDS.customresourcedefinitions,
          }
        : { error: `${ref.name} no longer exists.` };
    }
    if (ref.kind.startsWith('cr:')) {
      const crd = this.data.source('customresourcedefinitions').get(ref.kind.slice(3));
      if (crd === undefined) return { error: `The custom resource definition ${ref.kind.slice(3)} no longer exists.` };
      const src = this.customSource(crd);
      const o = src.get(ref.name, ref.namespace || undefined);
      const versions = (crd.spec?.versions ?? []) as { name: string; storage?: boolean }[];
      const apiVersion = `${String(crd.spec?.group ?? '')}/${(versions.find((v) => v.storage) ?? versions[0])?.name ?? 'v1'}`;
      return o
        ? { obj: { apiVersion, kind: String(crd.spec?.names?.kind ?? ''), ...o }, key: ref.kind, path: customPath(crd) }
        : { error: `${ref.name} no longer exists.` };
    }
    if (ref.kind === 'helm') {
      // The release as `helm list` and `helm get manifest` would summarise it; its values are not shown.
      const r = latestReleases(this.data.customSource('helm', '/api/v1/secrets', true, 'owner=helm').list()).find(
        (x) => x.name === ref.name && x.namespace === ref.namespace,
      );
      if (r === undefined) return { error: `Helm release ${ref.namespace}/${ref.name} no longer exists.` };
      return {
        obj: {
          apiVersion: 'helm.sh/v3',
          kind: 'Release',
          metadata: { name: r.name, namespace: r.namespace },
          chart: `${r.chart}-${r.chartVersion}`,
          ...(r.appVersion ? { appVersion: r.appVersion } : {}),
          revision: r.revision,
          status: r.status,
          ...(r.updated ? { updated: r.updated } : {}),
          resources: r.resources ?? [],
        } as KubeObj,
        key: 'helm',
      };
    }
    const info = kindInfo(ref.kind);
    if (info === undefined) return { error: `Unknown kind ${ref.kind}.` };
    const o = this.data.source(info.key).get(ref.name, ref.namespace || undefined);
    if (o === undefined)
      return { error: `${info.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} no longer exists.` };
    return {
      obj: { apiVersion: info.apiVersion, kind: info.kind, ...o },
      key: info.key,
      path: WATCHED_KINDS[info.key],
    };
  }

  private async events(ns: string | undefined): Promise<KubeObj[]> {
    const src = this.data.source('events');
    await Promise.race([src.whenSynced(), new Promise((r) => setTimeout(r, 3000).unref())]);
    return src.list(ns);
  }

  async resourceText(params: ResourceTextParams): Promise<Outcome<string>> {
    try {
      if (params.view === 'secretValue') return this.secretValue(params.nodeId);
      const found = this.objectFor(params.nodeId);
      if ('error' in found) return { ok: false, reason: found.error };
      const { obj } = found;
      const ns = obj.metadata?.namespace;
      // The cache keeps a slim copy; what the user opens is the object as the server has it.
      const full = async (): Promise<{ obj: KubeObj } | { gone: string }> =>
        found.path !== undefined ? fetchFullObject(this.session.client, found.path, obj) : { obj };
      switch (params.view) {
        case 'yaml': {
          const f = await full();
          return 'gone' in f ? { ok: false, reason: f.gone } : { ok: true, value: toYaml(f.obj) };
        }
        case 'describe': {
          const f = await full();
          if ('gone' in f) return { ok: false, reason: f.gone };
          const o = f.obj;
          return { ok: true, value: describe(o, await this.events(ns)) };
        }
        case 'whyPending':
          if (obj.kind !== 'Pod') return { ok: false, reason: 'Why Pending? applies to pods.' };
          return { ok: true, value: whyPending(obj, await this.events(ns)) };
        case 'logs': {
          if (obj.kind !== 'Pod') return { ok: false, reason: 'Logs are available for pods.' };
          const containers = ((obj.spec?.containers ?? []) as { name: string }[]).map((c) => c.name);
          const parts: string[] = [];
          for (const c of containers) {
            const r = await this.session.client.request<string>({
              path: `/api/v1/namespaces/${encodeURIComponent(ns ?? '')}/pods/${encodeURIComponent(obj.metadata?.name ?? '')}/log`,
              query: { container: c, timestamps: true, tailLines: 2000 },
              accept: 'application/json, */*',
            });
            if (r.status !== 200) parts.push(`# ${c}: ${r.error ?? `HTTP ${r.status}`}`);
            else
              parts.push(
                ...(containers.length > 1 ? [`# container ${c}`] : []),
                typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? ''),
              );
          }
          return { ok: true, value: parts.join('\n') };
        }
        default:
          return { ok: false, reason: `Unknown view ${String(params.view)}.` };
      }
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /** The decoded value of one Secret key row (`…/key/<name>` under a Secret row); only on explicit request. */
  private secretValue(nodeId: string): Outcome<string> {
    const seg = parseId(nodeId);
    if (seg.length < 3 || seg[seg.length - 2] !== 'key')
      return { ok: false, reason: 'Reveal applies to a key of a Secret.' };
    const found = this.objectFor(joinId(seg.slice(0, -2)));
    if ('error' in found) return { ok: false, reason: found.error };
    if (found.obj.kind !== 'Secret') return { ok: false, reason: 'Reveal applies to a key of a Secret.' };
    const key = seg[seg.length - 1]!;
    const raw = found.obj.data?.[key];
    if (raw === undefined) return { ok: false, reason: `The Secret has no key "${key}" any more.` };
    return { ok: true, value: Buffer.from(raw, 'base64').toString('utf8') };
  }

  /** Follows a pod's log: calls `onChunk` with new text until the returned function is called. */
  followLogs(
    nodeId: string,
    onChunk: (text: string) => void,
    onEnd: (reason: string) => void,
  ): (() => void) | { error: string } {
    const found = this.objectFor(nodeId);
    if ('error' in found) return found;
    const { obj } = found;
    if (obj.kind !== 'Pod') return { error: 'Logs are available for pods.' };
    const container = ((obj.spec?.containers ?? []) as { name: string }[])[0]?.name;
    const handle = this.session.client.stream(
      {
        path: `/api/v1/namespaces/${encodeURIComponent(obj.metadata?.namespace ?? '')}/pods/${encodeURIComponent(obj.metadata?.name ?? '')}/log`,
        query: { follow: true, timestamps: true, tailLines: 200, ...(container ? { container } : {}) },
        accept: 'application/json, */*',
      },
      onChunk,
    );
    void handle.done.then((end) => onEnd(end?.error ?? 'The log stream ended.'));
    return () => handle.stop();
  }

  async resourceAction(params: ResourceActionParams): Promise<Outcome<string>> {
    const found = this.objectFor(params.nodeId);
    if ('error' in found) return { ok: false, reason: found.error };
    const { obj } = found;
    const what = `${obj.kind ?? ''} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name ?? ''}`;
    const target = {
      apiVersion: obj.apiVersion!,
      kind: obj.kind!,
      metadata: {
        name: obj.metadata?.name ?? '',
        ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
      },
    };
    if (params.action === 'delete') {
      const r = await this.session.writer.delete(target);
      return r.outcome === 'failed'
        ? { ok: false, reason: `Could not delete ${what} in ${this.opts.context}: ${r.message ?? ''}` }
        : { ok: true, value: `Deleted ${what} in ${this.opts.context}.` };
    }
    if (
      obj.kind !== 'Deployment' &&
      obj.kind !== 'StatefulSet' &&
      !(params.action === 'restart' && obj.kind === 'DaemonSet') &&
      !(params.action === 'scale' && obj.kind === 'ReplicaSet')
    ) {
      return {
        ok: false,
        reason: `${params.action === 'scale' ? 'Scale' : 'Restart'} applies to Deployments and StatefulSets, not ${obj.kind ?? 'this'}.`,
      };
    }
    const info = kindInfo(found.key)!;
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(obj.metadata?.namespace ?? '')}/${info.key}/${encodeURIComponent(obj.metadata?.name ?? '')}`;
    const patch =
      params.action === 'scale'
        ? { spec: { replicas: params.replicas } }
        : {
            spec: {
              template: {
                metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } },
              },
            },
          };
    if (params.action === 'scale' && (!Number.isInteger(params.replicas) || params.replicas < 0))
      return { ok: false, reason: 'replicas: must be a whole number, 0 or more.' };
    const r = await this.session.client.request({
      method: 'PATCH',
      path,
      body: patch,
      contentType: 'application/merge-patch+json',
      query: { fieldManager: 'kube-forecast' },
    });
    if (r.status < 200 || r.status >= 300)
      return { ok: false, reason: `Could not ${params.action} ${what}: ${r.error ?? `HTTP ${r.status}`}` };
    return {
      ok: true,
      value:
        params.action === 'scale'
          ? `Scaled ${what} to ${params.replicas} replicas.`
          : `Restarted ${what} (rolling restart).`,
    };
  }

  private defaultNamespace(requested: string | undefined): string {
    return requested || this.opts.namespaces[0] || this.opts.contextNamespace || 'default';
  }

  /** Create from Manifest / Apply: a dry run of every document, then the writes; one result per document. */
  async writeManifest(
    documents: readonly ManifestDocument[],
    options: Pick<WriteManifestParams, 'mode' | 'namespace' | 'onExisting' | 'checkOnly'>,
    onProgress?: (p: Omit<WriteProgressParams, 'writeId'>) => void,
  ): Promise<Outcome<ManifestWriteReport>> {
    try {
      const results = await writeDocuments(this.session.writer, documents, {
        mode: options.mode,
        defaultNamespace: this.defaultNamespace(options.namespace),
        ...(options.onExisting !== undefined ? { onExisting: options.onExisting } : {}),
        ...(options.checkOnly === true ? { checkOnly: true } : {}),
        ...(onProgress !== undefined ? { onProgress } : {}),
        nodeIdOf: (o, ns) => this.nodeIdOf(o, ns),
      });
      if (results.length === 0) return { ok: false, reason: 'The manifest holds no object to write.' };
      return { ok: true, value: { context: this.opts.context, results } };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  async snapshot(): Promise<Outcome<string>> {
    const sources = SNAPSHOT_KINDS.map((k) => this.data.source(k));
    await Promise.race([
      Promise.all(sources.map((c) => this.settled(c))),
      new Promise((r) => setTimeout(r, 15_000).unref()),
    ]);
    // The release it serves goes with it: the copy is predicted with the same scheduler arithmetic.
    const version = this.health?.version ?? (await this.session.health().catch(() => undefined))?.version;
    const { snapshot, skipped } = buildSnapshot(
      { list: (k) => this.data.list(k), state: (k) => this.data.source(k).state },
      this.opts.context,
      new Date(),
      version,
    );
    if (snapshot.items.length === 0)
      return { ok: false, reason: `Nothing could be read from ${this.opts.context}: ${skipped.join('; ')}` };
    return { ok: true, value: JSON.stringify(snapshot, null, 1) };
  }

  async reauthenticate(): Promise<Outcome<string>> {
    try {
      const fresh = await this.opts.makeSession();
      this.replaceSession(fresh);
      const core = (['nodes', 'pods', 'namespaces'] as const).map((k) => this.data.source(k));
      await Promise.race([
        Promise.all([...core.map((s) => this.settled(s)), this.checkHealth()]),
        new Promise((r) => setTimeout(r, 15_000).unref()),
      ]);
      this.updateStatus();
      if (this.statusValue.state !== 'connected')
        return { ok: false, reason: this.statusValue.message ?? 'still not connected' };
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
    this.session = fresh;
    this.data = new ClusterData(fresh, this.opts.namespaces);
    this.model = new TreeModel(this.treeSource(), () => ({
      context: this.opts.context,
      contexts: this.listedContexts(),
      health: this.health,
      problem: this.connectionProblem(),
    }));
    this.wire();
    for (const k of started) if (kindInfo(k) !== undefined) this.data.source(k as WatchedKind);
    this.queueTree(['']);
  }

  /** Tells the client the root changed (contexts were added or removed). */
  contextsChanged(): void {
    this.queueTree(['']);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.treeTimer);
    clearInterval(this.healthTimer);
    clearTimeout(this.healthRecheck);
    for (const off of this.offs.splice(0)) off();
    this.data.dispose();
    this.session.dispose();
    this.statusListeners.clear();
    this.treeListeners.clear();
    this.cacheListeners.clear();
    this.opts.onDispose?.();
  }
}
