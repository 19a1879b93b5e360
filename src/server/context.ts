/**
 * What every handler receives: the connection, the documents, the settings and the cluster host.
 */
import type { Connection } from 'vscode-languageserver';
import type { ClusterHost } from './cluster-host';
import type { ManifestDocuments } from './documents';
import type { SettingsStore } from './settings';

/** The server's shared objects, built once in `server.ts` and passed to each handler's `register` function. */
export interface ServerContext {
  connection: Connection;
  documents: ManifestDocuments;
  settings: SettingsStore;
  cluster: ClusterHost;
  /** Whether the client supports `workspace/codeLens/refresh`. */
  codeLensRefresh: boolean;
}
