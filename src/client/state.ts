/**
 * `ExtensionState` owns everything the extension creates: the output channel, the status bar, the
 * cluster tree, the (lazily started) language client and the user's cluster selection. Commands and
 * views receive it; nothing else holds VS Code objects.
 */
import {
  commands,
  EventEmitter,
  Range,
  window,
  workspace,
  type Event,
  type ExtensionContext,
  type LogOutputChannel,
  type TextDocument,
  type TreeView,
} from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ContextKeys, OUTPUT_CHANNEL_NAME, Views } from '../shared/ids';
import { looksLikeKubernetesManifest, SNIFF_CHARS } from '../shared/manifest-sniff';
import type { RequestParam, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type * as Protocol from '../shared/protocol';
import type { ClusterStatus, ConnectClusterParams, TreeNode } from '../shared/protocol';
import type { LanguageServerState } from './api';
import { RESTART_REQUIRED_KEYS } from './config';
import type { RestartingErrorHandler } from './language-client';
import { StatusBar } from './status-bar';
import { Disposable, toDisposable } from './util/lifecycle';
import { ClusterTreeProvider } from './views/cluster-tree';

/** The status the client assumes until the server says otherwise. */
const INITIAL_STATUS: ClusterStatus = {
  state: 'none',
  source: 'none',
  message: 'No cluster connected. Open the simulated cluster or choose a kubeconfig.',
};

/** The key of the cluster selection in `workspaceState` (never written to the kubeconfig). */
const SELECTION_KEY = 'kubeForecast.selection';

/** The user's cluster choice for this workspace. */
export interface ClusterSelection {
  context?: string;
  namespaces?: string[];
}

/** The extension's single state owner. */
export class ExtensionState extends Disposable {
  /** The "Kube Forecast" log output channel. */
  readonly log: LogOutputChannel;
  /** The cluster explorer's data provider. */
  readonly tree: ClusterTreeProvider;
  private readonly statusBar: StatusBar;
  private readonly treeView: TreeView<TreeNode>;
  private client: LanguageClient | undefined;
  private protocol: typeof Protocol | undefined;
  private errorHandler: RestartingErrorHandler | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;
  private failed = false;
  private starts = 0;
  /** Crash restarts made by language clients already disposed (each client's handler counts its own). */
  private pastRestarts = 0;
  private status: ClusterStatus = INITIAL_STATUS;
  private lastConnect: ConnectClusterParams = { source: 'none' };
  private firstConnection: Promise<void> | undefined;
  /**
   * Connects the saved selection (or the kubeconfig's current context) the first time it is needed:
   * made once by whichever comes first (the tree's first root request, the view showing, a manifest
   * opening). Given to the constructor (`commands/cluster.ts` `autoConnect`), so this file imports no command.
   */
  autoConnect: (() => Promise<unknown>) | undefined;
  private readonly startHooks: ((client: LanguageClient, protocol: typeof Protocol) => void)[] = [];
  private readonly statusChanged = this._register(new EventEmitter<ClusterStatus>());
  /** Fires when the cluster status changes (connecting, connected, a switch, an error). */
  readonly onDidChangeStatus: Event<ClusterStatus> = this.statusChanged.event;

  /**
   * Creates the state and its UI pieces. Does no I/O and starts no process. `autoConnect` makes the
   * first connection for this state (see {@link ExtensionState.autoConnect}).
   */
  constructor(
    readonly context: ExtensionContext,
    autoConnect?: (state: ExtensionState) => Promise<unknown>,
  ) {
    super();
    if (autoConnect !== undefined) this.autoConnect = () => autoConnect(this);
    this.log = this._register(window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true }));
    this.statusBar = this._register(new StatusBar());
    this.tree = this._register(new ClusterTreeProvider(this));
    this.treeView = this._register(
      window.createTreeView(Views.clusterExplorer, { treeDataProvider: this.tree, showCollapseAll: true }),
    );
    this.tree.attach(this.treeView);
    this.applyStatus(INITIAL_STATUS);
    this.watchForStartTriggers();
    this._register(
      workspace.onDidChangeConfiguration((e) => {
        if (this.client !== undefined && RESTART_REQUIRED_KEYS.some((k) => e.affectsConfiguration(k))) {
          void window
            .showInformationMessage('Kube Forecast: restart the language server to apply the new setting.', 'Restart')
            .then((pick) => (pick === 'Restart' ? this.restartLanguageServer() : undefined));
        }
      }),
    );
    this._register(toDisposable(() => void this.stopLanguageServer()));
  }

  /** Runs `hook` for every language client this state creates (to register notification handlers). */
  onClientCreated(hook: (client: LanguageClient, protocol: typeof Protocol) => void): void {
    this.startHooks.push(hook);
    if (this.client !== undefined && this.protocol !== undefined) hook(this.client, this.protocol);
  }

  /** The cluster explorer's view (for reveal). */
  get explorerView(): TreeView<TreeNode> {
    return this.treeView;
  }

  /** The parameters of the last connection request (`none` before any). */
  get lastConnection(): ConnectClusterParams {
    return this.lastConnect;
  }

  /** The last cluster status the server reported. */
  get clusterStatus(): ClusterStatus {
    return this.status;
  }

  /** The saved cluster selection for this workspace. */
  get selection(): ClusterSelection {
    return this.context.workspaceState.get<ClusterSelection>(SELECTION_KEY, {});
  }

  /** Saves the cluster selection for this workspace. */
  async setSelection(selection: ClusterSelection): Promise<void> {
    await this.context.workspaceState.update(SELECTION_KEY, selection);
  }

  /** The language server's state. */
  get languageServerState(): LanguageServerState {
    if (this.failed) return 'failed';
    if (this.starting !== undefined) return 'starting';
    if (this.client === undefined) return 'stopped';
    return this.client.isRunning() ? 'running' : 'stopped';
  }

  /** How many times the server was started. */
  get serverStarts(): number {
    return this.starts + this.pastRestarts + (this.errorHandler?.restarts ?? 0);
  }

  /**
   * The running language client, starting it on first use. Resolves undefined (and logs why, once)
   * when it cannot start; it is not retried until Restart Language Server runs.
   */
  languageServer(): Promise<LanguageClient | undefined> {
    if (this.failed || this.isDisposed) return Promise.resolve(undefined);
    if (this.client?.isRunning()) return Promise.resolve(this.client);
    if (this.client !== undefined && this.starting === undefined) return this.waitUntilRunning(this.client, 10_000);
    this.starting ??= this.startLanguageServer().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Resolves the client once it runs again (after a crash restart), or undefined after `timeoutMs`. */
  private waitUntilRunning(client: LanguageClient, timeoutMs: number): Promise<LanguageClient | undefined> {
    return new Promise((resolve) => {
      const done = (value: LanguageClient | undefined): void => {
        clearTimeout(timer);
        listener.dispose();
        resolve(value);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const listener = client.onDidChangeState(() => {
        if (client.isRunning()) done(client);
      });
      if (client.isRunning()) done(client);
    });
  }

  /** Stops the server (if any) and starts it again. Resolves true when it runs. Never rejects. */
  async restartLanguageServer(): Promise<boolean> {
    await this.starting;
    await this.stopLanguageServer();
    this.failed = false;
    this.log.info('Restarting the language server.');
    return (await this.languageServer()) !== undefined;
  }

  /** Stops and disposes the language client. Never rejects. */
  async stopLanguageServer(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.pastRestarts += this.errorHandler?.restarts ?? 0;
    this.errorHandler = undefined;
    if (client === undefined) return;
    try {
      await client.dispose(2000);
    } catch (e) {
      this.log.warn(`Stopping the language server: ${e instanceof Error ? e.message : String(e)}`);
    }
    void commands.executeCommand('setContext', ContextKeys.serverRunning, false);
  }

  /**
   * Sends the request `pick` chooses from the protocol, starting the server if needed. Resolves
   * undefined when the server is unavailable (already logged); rejects only if the request itself fails.
   */
  async request<P, R>(
    pick: (p: typeof Protocol) => RequestType<P, R, void>,
    params: NoInfer<RequestParam<P>>,
  ): Promise<R | undefined> {
    const client = await this.languageServer();
    if (client === undefined || this.protocol === undefined) return undefined;
    return client.sendRequest(pick(this.protocol), params);
  }

  /** {@link request} for requests without parameters. */
  async request0<R>(pick: (p: typeof Protocol) => RequestType0<R, void>): Promise<R | undefined> {
    const client = await this.languageServer();
    if (client === undefined || this.protocol === undefined) return undefined;
    return client.sendRequest(pick(this.protocol));
  }

  /**
   * Starts the server and makes the first connection (`autoConnect`) once, whatever asked first: a
   * manifest opening, the view showing, or a tree request. Later calls wait for the same attempt.
   */
  ensureConnected(): Promise<void> {
    this.firstConnection ??= (async () => {
      // No "no cluster" welcome while the server starts and the kubeconfig is read.
      if (this.lastConnect.source === 'none' && this.autoConnect !== undefined && workspace.isTrusted)
        this.applyStatus({ state: 'connecting', source: 'none', message: 'Connecting…' });
      if ((await this.languageServer()) === undefined) {
        if (this.status.state === 'connecting') this.applyStatus(INITIAL_STATUS);
        return;
      }
      if (this.lastConnect.source === 'none' && this.autoConnect !== undefined) await this.autoConnect();
      if (this.status.state === 'connecting' && this.status.source === 'none') this.applyStatus(INITIAL_STATUS);
    })().catch((e: unknown) => this.log.warn(`Connecting: ${e instanceof Error ? e.message : String(e)}`));
    return this.firstConnection;
  }

  /** Asks the server to connect as `params` say; remembers it to reconnect after a server restart. */
  async connect(params: ConnectClusterParams): Promise<ClusterStatus | undefined> {
    this.lastConnect = params;
    // Say so at once: the server (maybe still starting) reports the target as soon as it knows it.
    if (params.source !== 'none' && this.status.state !== 'connected')
      this.applyStatus({
        state: 'connecting',
        source: params.source,
        message: params.source === 'simulator' ? 'Starting the simulated cluster…' : 'Connecting…',
      });
    const status = await this.request((p) => p.connectCluster, params);
    if (status !== undefined) this.applyStatus(status);
    return status;
  }

  private async startLanguageServer(): Promise<LanguageClient | undefined> {
    const started = performance.now();
    try {
      const { createLanguageClient, protocol } = await import('./language-client');
      this.protocol = protocol;
      const { client, errorHandler } = createLanguageClient(this.context, this.log, () => {
        this.failed = true;
      });
      client.onNotification(protocol.didChangeClusterStatus, (s) => this.applyStatus(s));
      for (const hook of this.startHooks) hook(client, protocol);
      client.onDidChangeState(() => {
        void commands.executeCommand('setContext', ContextKeys.serverRunning, client.isRunning());
        if (client.isRunning() && this.client === client) void this.resync(client);
      });
      this.client = client;
      this.errorHandler = errorHandler;
      this.starts++;
      await client.start();
      this.log.info(`Language server started in ${Math.round(performance.now() - started)} ms.`);
      return client;
    } catch (e) {
      this.failed = true;
      this.client = undefined;
      this.log.error(`The language server could not start: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** Re-reads the status (and re-sends the last connection) after the server (re)starts. */
  private async resync(client: LanguageClient): Promise<void> {
    const protocol = this.protocol;
    if (protocol === undefined) return;
    try {
      const status =
        this.lastConnect.source === 'none'
          ? await client.sendRequest(protocol.clusterStatus)
          : await client.sendRequest(protocol.connectCluster, this.lastConnect);
      this.applyStatus(status);
    } catch (e) {
      this.log.warn(`Could not read the cluster status: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private applyStatus(status: ClusterStatus): void {
    const changed = status.state !== this.status.state || status.message !== this.status.message;
    this.status = status;
    void commands.executeCommand('setContext', ContextKeys.clusterState, status.state);
    this.statusBar.update(status);
    this.tree.showStatus(status);
    if (changed) {
      this.tree.refresh();
      this.statusChanged.fire(status);
    }
  }

  /** Starts the server and connects when a manifest-looking YAML document opens or the cluster view becomes visible. */
  private watchForStartTriggers(): void {
    const consider = (doc: TextDocument): void => {
      if (this.client !== undefined || this.starting !== undefined || doc.languageId !== 'yaml') return;
      const head = doc.getText(new Range(doc.positionAt(0), doc.positionAt(SNIFF_CHARS)));
      if (looksLikeKubernetesManifest(head)) void this.ensureConnected();
    };
    this._register(workspace.onDidOpenTextDocument(consider));
    for (const doc of workspace.textDocuments) consider(doc);
    this._register(
      this.treeView.onDidChangeVisibility((e) => {
        if (e.visible) void this.ensureConnected();
      }),
    );
    if (this.treeView.visible) void this.ensureConnected();
  }
}
