/**
 * Every identifier the extension shares with `package.json`: commands, views, context keys,
 * settings and tree-item context values.
 *
 * Nobody writes one of these strings anywhere else. `test/unit/manifest-parity.test.ts` diffs the
 * command, view and setting ids below against `package.json` `contributes`, in both directions.
 * This module imports nothing, so the client, the server and tests can all use it.
 */

/** The extension's identifier, `<publisher>.<name>` from `package.json`. */
export const EXTENSION_ID = 'kube-forecast.kube-forecast';

/** The prefix of every command, view, context key and setting. */
export const PREFIX = 'kubeForecast';

/** Command ids, `kubeForecast.<verbNoun>`. Each one is contributed in `package.json` and bound in `client/commands/index.ts`. */
export const Commands = {
  createFromManifest: 'kubeForecast.createFromManifest',
  applyManifest: 'kubeForecast.applyManifest',
  refresh: 'kubeForecast.refresh',
  chooseContext: 'kubeForecast.chooseContext',
  chooseKubeconfig: 'kubeForecast.chooseKubeconfig',
  chooseNamespaces: 'kubeForecast.chooseNamespaces',
  openSimulatedCluster: 'kubeForecast.openSimulatedCluster',
  saveClusterSnapshot: 'kubeForecast.saveClusterSnapshot',
  showOutput: 'kubeForecast.showOutput',
  restartLanguageServer: 'kubeForecast.restartLanguageServer',
  reauthenticate: 'kubeForecast.reauthenticate',
  deleteResource: 'kubeForecast.deleteResource',
  viewYaml: 'kubeForecast.viewYaml',
  describeResource: 'kubeForecast.describeResource',
  showLogs: 'kubeForecast.showLogs',
  scaleWorkload: 'kubeForecast.scaleWorkload',
  restartWorkload: 'kubeForecast.restartWorkload',
  copyName: 'kubeForecast.copyName',
  whyPending: 'kubeForecast.whyPending',
  revealSecretValue: 'kubeForecast.revealSecretValue',
  showPredictionDetails: 'kubeForecast.showPredictionDetails',
} as const;

/** A contributed command id. */
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Activity-bar view containers. */
export const ViewContainers = {
  kubernetes: 'kubeForecast',
} as const;

/** Views, `kubeForecast.<view>`. */
export const Views = {
  clusterExplorer: 'kubeForecast.clusterExplorer',
} as const;

/** Context keys the client sets with `setContext`; `when` clauses in `package.json` read them. */
export const ContextKeys = {
  /** The cluster state, one of {@link ClusterStateValue}. */
  clusterState: 'kubeForecast.clusterState',
  /** True while the language server is running. */
  serverRunning: 'kubeForecast.serverRunning',
} as const;

/** Settings keys (full names). `package.json` `contributes.configuration` is their schema. */
export const Settings = {
  kubeconfig: 'kubeForecast.kubeconfig',
  context: 'kubeForecast.context',
  namespaces: 'kubeForecast.namespaces',
  schedulerProfile: 'kubeForecast.schedulerProfile',
  useSimulatedClusterWhenNoKubeconfig: 'kubeForecast.useSimulatedClusterWhenNoKubeconfig',
  simulatorNodes: 'kubeForecast.simulator.nodes',
  simulatorZones: 'kubeForecast.simulator.zones',
  codeLensEnabled: 'kubeForecast.codeLens.enabled',
  predictionDebounceMs: 'kubeForecast.prediction.debounceMs',
  authExtraPath: 'kubeForecast.auth.extraPath',
  authUseLoginShellPath: 'kubeForecast.auth.useLoginShellPath',
  traceServer: 'kubeForecast.trace.server',
  startupOpenFiles: 'kubeForecast.startup.openFiles',
} as const;

/** A contributed setting key. */
export type SettingKey = (typeof Settings)[keyof typeof Settings];

/** The language id of the read-only Logs documents, coloured by `syntaxes/kube-forecast-log.tmLanguage.json`. */
export const LOG_LANGUAGE_ID = 'kube-forecast-log';

/** The name of the output channel (a `LogOutputChannel`). */
export const OUTPUT_CHANNEL_NAME = 'Kube Forecast';

/** The language client's id; `vscode-languageclient` reads `<id>.trace.server` from it. */
export const LANGUAGE_CLIENT_ID = 'kubeForecast';
