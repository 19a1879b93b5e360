/**
 * The object `activate()` returns: what the integration tests and the benchmark read. Not a public API
 * for other extensions; it may change between versions.
 */
import type { LogOutputChannel, TreeDataProvider } from 'vscode';
import type { ClusterStatus, ConnectClusterParams, TreeNode } from '../shared/protocol';

/** The language server's state as the extension sees it (`failed`: it could not start; see the output). */
export type LanguageServerState = 'stopped' | 'starting' | 'running' | 'failed';

/** What `activate()` returns. */
export interface KubeForecastApi {
  /** Milliseconds spent inside `activate()`, measured with `performance.now()`. */
  readonly activationMs: number;
  /** The cluster explorer's data provider. */
  readonly clusterTree: TreeDataProvider<TreeNode>;
  /** The "Kube Forecast" output channel. */
  readonly log: LogOutputChannel;
  /** The current language server state. */
  languageServerState(): LanguageServerState;
  /** Starts the language server if it is not running; resolves true once it runs. Never rejects. */
  startLanguageServer(): Promise<boolean>;
  /** The last cluster status the server reported. */
  clusterStatus(): ClusterStatus;
  /** Asks the server to connect as `params` say (tests use `{ source: 'none' }` to disconnect). */
  connect(params: ConnectClusterParams): Promise<ClusterStatus | undefined>;
  /** How many times the server was started (first start, crash restarts and manual restarts). */
  serverStarts(): number;
  /** The prediction details view: whether it is open, what it shows, why it is out of date, its recomputes. */
  detailsView(): { open: boolean; summary?: string; outOfDate?: string; refreshes: number };
}
