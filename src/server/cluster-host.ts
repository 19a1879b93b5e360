/**
 * Owns the server's one cluster connection: its status, and the backend that answers tree, text and
 * write requests. Handlers call this; they never hold cluster state themselves. Backends come from
 * the injected {@link BackendFactory} (`ServerContext` passes the explorer's, tests their own); while
 * nothing is connected a `DisconnectedBackend` answers.
 */
import { Emitter, type Event } from '../shared/emitter';
import type { ClusterStatus, ConnectClusterParams } from '../shared/protocol';
import type { BackendFactory, ClusterBackend } from './cluster-backend';
import { DisconnectedBackend, NO_CLUSTER_STATUS } from './disconnected-backend';

/** Holds the current backend and tells listeners when the status or the tree changes. */
export class ClusterHost {
  private backendValue: ClusterBackend = new DisconnectedBackend(NO_CLUSTER_STATUS);
  /** Increments per `connect` call; a result whose ticket is no longer current is discarded. */
  private connectTicket = 0;
  private readonly statusChanged = new Emitter<ClusterStatus>();
  private readonly treeChanged = new Emitter<string[]>();
  private unwire: (() => void)[] = [];
  /** While a connection is being made: what it connects to (state `connecting`). */
  private pending: ClusterStatus | undefined;

  /** Status changes: connecting, connected, errors and recoveries of the current backend. */
  readonly onDidChangeStatus: Event<ClusterStatus> = this.statusChanged.event;

  /** Changed tree rows of the current backend (`''`, the root, after each connection). */
  readonly onDidChangeTree: Event<string[]> = this.treeChanged.event;

  /** Creates a host that builds backends with `factory`. */
  constructor(private readonly factory: BackendFactory) {}

  /** The current backend; replace it only through {@link connect}. */
  get backend(): ClusterBackend {
    return this.backendValue;
  }

  /** The current status (`connecting` while a connection is being made). */
  get status(): ClusterStatus {
    return this.pending ?? this.backendValue.status;
  }

  /** Disposes the old backend, builds the new one and announces its status. Never throws. */
  async connect(params: ConnectClusterParams): Promise<ClusterStatus> {
    // Only the newest request may install its backend: a slower, older one (e.g. a simulator start
    // that the newer request stopped) is disposed when it finally settles, never shown.
    const ticket = ++this.connectTicket;
    this.pending = undefined;
    const progress = (s: ClusterStatus): void => {
      if (ticket !== this.connectTicket || s.state !== 'connecting') return;
      this.pending = s;
      this.statusChanged.fire(s);
    };
    if (params.source !== 'none')
      progress({
        state: 'connecting',
        source: params.source,
        ...(params.source === 'kubeconfig' && params.context ? { context: params.context } : {}),
        message:
          params.source === 'simulator'
            ? 'Starting the simulated cluster…'
            : `Connecting to ${params.context || "the kubeconfig's current context"}…`,
      });
    let next: ClusterBackend;
    try {
      next = await this.factory(params, progress);
    } catch (e) {
      next = new DisconnectedBackend({
        state: 'error',
        source: params.source,
        message: `Could not connect: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    if (ticket !== this.connectTicket) {
      next.dispose();
      return this.backendValue.status;
    }
    for (const off of this.unwire.splice(0)) off();
    this.backendValue.dispose();
    this.backendValue = next;
    this.pending = undefined;
    const offStatus = next.onDidChangeStatus?.((s) => {
      if (this.backendValue === next) this.statusChanged.fire(s);
    });
    const offTree = next.onDidChangeTree?.((ids) => {
      if (this.backendValue === next) this.treeChanged.fire(ids);
    });
    if (offStatus) this.unwire.push(offStatus);
    if (offTree) this.unwire.push(offTree);
    this.statusChanged.fire(next.status);
    this.treeChanged.fire(['']);
    return next.status;
  }

  /** Disposes the backend and forgets every listener. */
  dispose(): void {
    for (const off of this.unwire.splice(0)) off();
    this.backendValue.dispose();
    this.statusChanged.dispose();
    this.treeChanged.dispose();
  }
}
