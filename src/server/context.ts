/**
 * The server's objects, built once per connection and handed to every handler's `register`
 * function: the connection, the open documents, the settings, the backend factory, the cluster
 * host, the lens refresher, the prediction host and the followed logs. The context owns them: {@link ServerContext.dispose}
 * (on `shutdown`) stops the prediction host's timers, the cluster's caches and health timers, and the
 * simulated cluster. No server object lives in a module global.
 */
import type { Connection } from 'vscode-languageserver';
import { authPrompt } from '../shared/protocol';
import { readAuthSettings } from './auth-settings';
import type { BackendFactory } from './cluster-backend';
import { ClusterHost } from './cluster-host';
import { ManifestDocuments } from './documents';
import { ExplorerBackends } from './explorer-backends';
import { LogStreams } from './log-streams';
import { PredictionHost } from './prediction/prediction-host';
import { LensRefresher } from './refresh';
import { SettingsStore } from './settings';

/** The server's shared objects (see the file comment). */
export class ServerContext {
  /** Open documents and their parsed manifest model. */
  readonly documents = new ManifestDocuments();
  /** Per-resource settings. */
  readonly settings: SettingsStore;
  /** The explorer's backends (kubeconfig contexts, the simulated cluster); loaded on first connection. */
  readonly backends: ExplorerBackends;
  /** The one cluster connection. */
  readonly cluster: ClusterHost;
  /** `workspace/codeLens/refresh`, now and once a status has settled. */
  readonly lenses: LensRefresher;
  /** Predictions: the cluster view, verdicts, background completion, pushed diagnostics. */
  readonly predictions: PredictionHost;
  /** The pod logs followed for the client. */
  readonly logs: LogStreams;
  private disposed = false;

  /** Builds the objects over `connection`; `backendFactory` replaces the explorer's (tests supply a cluster). */
  constructor(
    readonly connection: Connection,
    backendFactory?: BackendFactory,
  ) {
    this.settings = new SettingsStore(connection);
    this.backends = new ExplorerBackends({
      authSettings: () => readAuthSettings(connection),
      onAuthPrompt: (context, text) =>
        void connection.sendNotification(authPrompt, { context, text: text.slice(0, 2000) }),
    });
    this.cluster = new ClusterHost(backendFactory ?? this.backends.create);
    this.lenses = new LensRefresher(connection);
    this.predictions = new PredictionHost(this);
    this.logs = new LogStreams(this.cluster);
  }

  /** Stops everything the context owns (predictions first: they listen to the cluster). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.predictions.dispose();
    this.logs.dispose();
    this.lenses.dispose();
    this.cluster.dispose();
    this.backends.dispose();
  }
}
