/**
 * The language server: declares capabilities and registers the handlers. Holds no cluster or
 * document state itself; `ClusterHost`, `ManifestDocuments` and `SettingsStore` do.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
} from 'vscode-languageserver';
import { ClusterHost, type BackendFactory } from './cluster-host';
import type { ServerContext } from './context';
import { ManifestDocuments } from './documents';
import { registerExplorerHandlers } from './explorer/handlers';
import { registerClusterHandlers } from './handlers/cluster';
import { registerCodeLensHandler } from './handlers/code-lens';
import { registerPredictionDetailsHandler } from './handlers/prediction-details';
import { registerResourceHandlers } from './handlers/resources';
import { clusterFromInitializationOptions } from './prediction/init-options';
import { registerPredictionFeatures } from './prediction/register';
import type { ConnectClusterParams } from '../shared/protocol';
import { refreshCodeLenses } from './refresh';
import { SettingsStore } from './settings';

/** The Kube Forecast language server over one connection. */
export class KubeForecastServer {
  private readonly ctx: ServerContext;

  /** Creates the server; `backendFactory` is injectable so tests can supply a cluster. */
  constructor(connection: Connection, backendFactory?: BackendFactory) {
    this.ctx = {
      connection,
      documents: new ManifestDocuments(),
      settings: new SettingsStore(connection),
      cluster: new ClusterHost(backendFactory),
      codeLensRefresh: false,
    };
  }

  /** Registers every handler and starts listening. */
  listen(): void {
    const { connection, settings, documents, cluster } = this.ctx;
    let dynamicConfig = false;
    let initialCluster: ConnectClusterParams | undefined;
    connection.onInitialize((params) => {
      initialCluster = clusterFromInitializationOptions(params.initializationOptions);
      const workspace = params.capabilities.workspace;
      settings.setSupported(workspace?.configuration === true);
      dynamicConfig = workspace?.didChangeConfiguration?.dynamicRegistration === true;
      this.ctx.codeLensRefresh = workspace?.codeLens?.refreshSupport === true;
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          codeLensProvider: { resolveProvider: false },
          hoverProvider: true,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        },
        serverInfo: { name: 'kube-forecast-server' },
      };
    });
    connection.onInitialized(() => {
      if (dynamicConfig) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
      // Other editors (`node dist/server.js --stdio`) choose the cluster in initializationOptions.
      if (initialCluster !== undefined) void cluster.connect(initialCluster);
    });
    connection.onDidChangeConfiguration(() => {
      settings.clear();
      refreshCodeLenses(this.ctx);
    });
    connection.onShutdown(() => cluster.dispose());
    documents.documents.onDidClose((e) => settings.forget(e.document.uri));
    registerCodeLensHandler(this.ctx);
    registerClusterHandlers(this.ctx);
    registerExplorerHandlers(this.ctx);
    registerResourceHandlers(this.ctx);
    registerPredictionDetailsHandler(this.ctx);
    registerPredictionFeatures(this.ctx);
    documents.listen(connection);
    connection.listen();
  }
}
