/**
 * The connection's health and status: /version and /readyz (periodically, and again soon after an
 * unhealthy answer), the sentence when the connection as a whole fails (the core caches cannot list:
 * unreachable, rejected or unobtainable credentials), and the status that follows from both.
 *
 * Contract: the status is `connecting` until the first {@link ConnectionHealth.update}, then `error`
 * with a sentence or `connected`; it recovers by itself when the caches do. A change of state or
 * message is announced and refreshes the root row.
 */
import type { ClusterHealth } from '../../cluster/cluster-session';
import { Emitter, type Event } from '../../shared/emitter';
import type { ClusterStatus } from '../../shared/protocol';
import type { BackendCore } from './backend-core';
import type { KindState } from './cluster-data';
import type { TreeChanges } from './tree-changes';
import { childId } from './tree-ids';

/** How soon an unhealthy /readyz or /version answer is checked again. */
const UNHEALTHY_RECHECK_MS = 2000;

/** The health checks and the status of one backend. */
export class ConnectionHealth {
  private healthValue: ClusterHealth | undefined;
  private statusValue: ClusterStatus;
  private readonly statusChanged = new Emitter<ClusterStatus>();
  private healthTimer: NodeJS.Timeout | undefined;
  private healthRecheck: NodeJS.Timeout | undefined;
  private disposed = false;

  /** Status changes (health changes, recovery, expired credentials). */
  readonly onDidChangeStatus: Event<ClusterStatus> = this.statusChanged.event;

  /** Follows the connection of `core`; changed rows go to `tree`. */
  constructor(
    private readonly core: BackendCore,
    private readonly tree: TreeChanges,
  ) {
    const { opts } = core;
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

  /** The last /version and /readyz answer, if any. */
  get health(): ClusterHealth | undefined {
    return this.healthValue;
  }

  /** Checks health every `healthIntervalMs` (default 30 s; 0: only on demand). */
  startPeriodic(): void {
    const every = this.core.opts.healthIntervalMs ?? 30_000;
    if (every <= 0 || this.disposed) return;
    this.healthTimer = setInterval(() => void this.check().then(() => this.update()), every);
    this.healthTimer.unref();
  }

  /**
   * Asks /version and /readyz. A changed answer refreshes the rows that show it (the context's sections
   * and the Cluster row); an unhealthy one is asked again after {@link UNHEALTHY_RECHECK_MS}, so the tree
   * says "ready" within seconds of the server recovering, not at the next periodic check.
   */
  async check(): Promise<void> {
    const before = JSON.stringify(this.healthValue);
    this.healthValue = await this.core.session.health();
    if (this.disposed) return;
    if (JSON.stringify(this.healthValue) !== before) {
      const ctx = childId('', this.core.opts.context);
      this.tree.queue([ctx, childId(ctx, 'cluster')]);
    }
    if ((!this.healthValue.reachable || this.healthValue.ready === false) && this.healthRecheck === undefined) {
      this.healthRecheck = setTimeout(() => {
        this.healthRecheck = undefined;
        void this.check().then(() => this.update());
      }, UNHEALTHY_RECHECK_MS);
      this.healthRecheck.unref();
    }
  }

  /** A sentence when the connection as a whole fails (the core caches cannot list). */
  problem(): string | undefined {
    const context = this.core.opts.context;
    const states = (['pods', 'namespaces', 'nodes'] as const)
      .map((k) => this.core.data.started(k)?.state)
      .filter((s): s is KindState => s !== undefined);
    const unauth = states.find((s) => s.state === 'unauthorized');
    if (unauth !== undefined)
      return `The cluster rejected the credentials of context "${context}" (401: ${unauth.message}). Run "Kube Forecast: Re-authenticate".`;
    const authFailed = states.find((s) => s.state === 'unreachable' && s.message.startsWith('authentication failed'));
    if (authFailed !== undefined) {
      return `The credentials of context "${context}" could not be obtained (${authFailed.message}). Fix the credential plugin or log in, then run "Kube Forecast: Re-authenticate".`;
    }
    const unreachable = states.find((s) => s.state === 'unreachable');
    if (unreachable !== undefined && states.every((s) => s.state !== 'synced')) {
      return `Cannot reach the cluster of context "${context}": ${unreachable.message}. Retrying with backoff.`;
    }
    const health = this.healthValue;
    if (health !== undefined && !health.reachable && states.every((s) => s.state !== 'synced')) {
      return `Cannot reach the cluster of context "${context}": ${health.message ?? 'unreachable'}. Retrying with backoff.`;
    }
    return undefined;
  }

  /** Recomputes the status from the caches and the health; announces a changed state or message. */
  update(): void {
    if (this.disposed) return;
    const { opts, data } = this.core;
    const problem = this.problem();
    const forbidden = (['nodes', 'namespaces', 'pods'] as const)
      .map((k) => ({ k, s: data.started(k)?.state }))
      .filter((x) => x.s?.state === 'forbidden')
      .map((x) => x.k);
    const name = opts.label ?? opts.context;
    const next: ClusterStatus = {
      state: problem !== undefined ? 'error' : 'connected',
      source: opts.source,
      context: opts.context,
      ...(opts.label !== undefined ? { label: opts.label } : {}),
      server: opts.server,
      namespaces: [...opts.namespaces],
      message:
        problem ??
        (forbidden.length > 0
          ? `Connected to ${name}; not allowed to list ${forbidden.join(', ')} (those branches explain why).`
          : `Connected to ${name}${this.healthValue?.version ? ` (Kubernetes ${this.healthValue.version})` : ''}.`),
    };
    const prev = this.statusValue;
    this.statusValue = next;
    if (prev.state !== next.state || prev.message !== next.message) {
      this.statusChanged.fire(next);
      this.tree.queue(['']);
    }
  }

  /** Stops the timers and forgets the listeners. */
  dispose(): void {
    this.disposed = true;
    clearInterval(this.healthTimer);
    clearTimeout(this.healthRecheck);
    this.statusChanged.dispose();
  }
}
