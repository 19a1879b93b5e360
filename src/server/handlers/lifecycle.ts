/**
 * The LSP lifecycle: `initialize` (capabilities, the client's features, the cluster named in
 * initializationOptions), `initialized`, `workspace/didChangeConfiguration` and `shutdown`, which
 * disposes the server's objects (`ServerContext.dispose`).
 */
import { CodeActionKind, DidChangeConfigurationNotification, TextDocumentSyncKind } from 'vscode-languageserver';
import type { ConnectClusterParams } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { clusterFromInitializationOptions } from '../prediction/init-options';

/** Registers the lifecycle handlers. */
export function registerLifecycleHandlers(ctx: ServerContext): void {
  const { connection, settings, documents, cluster, lenses } = ctx;
  let dynamicConfig = false;
  let initialCluster: ConnectClusterParams | undefined;
  connection.onInitialize((params) => {
    initialCluster = clusterFromInitializationOptions(params.initializationOptions);
    const workspace = params.capabilities.workspace;
    settings.setSupported(workspace?.configuration === true);
    dynamicConfig = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    lenses.supported = workspace?.codeLens?.refreshSupport === true;
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
    lenses.refresh();
  });
  connection.onShutdown(() => ctx.dispose());
  documents.documents.onDidClose((e) => settings.forget(e.document.uri));
}
