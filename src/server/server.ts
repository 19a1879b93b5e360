/**
 * The language server: builds the {@link ServerContext} and registers the handlers (`handlers/*`,
 * the only place requests and notifications are registered). Holds no state itself.
 */
import type { Connection } from 'vscode-languageserver';
import type { BackendFactory } from './cluster-backend';
import { ServerContext } from './context';
import { registerClusterHandlers } from './handlers/cluster';
import { registerCodeActionHandler } from './handlers/code-actions';
import { registerCodeLensHandler } from './handlers/code-lens';
import { registerExplorerHandlers } from './handlers/explorer';
import { registerHoverHandler } from './handlers/hover';
import { registerLifecycleHandlers } from './handlers/lifecycle';
import { registerPredictionDetailsHandler } from './handlers/prediction-details';
import { registerResourceHandlers } from './handlers/resources';

/** The Kube Forecast language server over one connection. */
export class KubeForecastServer {
  /** The server's objects (tests read the prediction host and the cluster through it). */
  readonly ctx: ServerContext;

  /** Creates the server; `backendFactory` is injectable so tests can supply a cluster. */
  constructor(connection: Connection, backendFactory?: BackendFactory) {
    this.ctx = new ServerContext(connection, backendFactory);
  }

  /** Registers every handler and starts listening. */
  listen(): void {
    const { connection, documents } = this.ctx;
    registerLifecycleHandlers(this.ctx);
    registerCodeLensHandler(this.ctx);
    registerClusterHandlers(this.ctx);
    registerExplorerHandlers(this.ctx);
    registerResourceHandlers(this.ctx);
    registerPredictionDetailsHandler(this.ctx);
    registerHoverHandler(this.ctx);
    registerCodeActionHandler(this.ctx);
    documents.listen(connection);
    connection.listen();
  }
}
