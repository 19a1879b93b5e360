/**
 * The extension's entry point: build the one {@link ExtensionState}, register the command table,
 * return. No network, no kubeconfig reads, no processes: the language server starts later, on demand.
 */
import { window, type ExtensionContext } from 'vscode';
import type { KubeForecastApi } from './api';
import { autoConnect } from './commands/cluster';
import { registerCommands } from './commands/index';
import { detailsPanel } from './commands/prediction';
import { openStartupFiles } from './startup-files';
import { ExtensionState } from './state';

let state: ExtensionState | undefined;

/** Activates the extension and returns the {@link KubeForecastApi} (with `activationMs`). */
export function activate(context: ExtensionContext): KubeForecastApi | undefined {
  const started = performance.now();
  try {
    const s = new ExtensionState(context, autoConnect);
    state = s;
    context.subscriptions.push(s, ...registerCommands(s));
    const activationMs = performance.now() - started;
    s.log.info(`Activated in ${activationMs.toFixed(1)} ms.`);
    // After activation returns: opening editors is not activation's work.
    setTimeout(() => void openStartupFiles(context, s.log), 0);
    return {
      activationMs,
      clusterTree: s.tree,
      log: s.log,
      languageServerState: () => s.languageServerState,
      startLanguageServer: async () => (await s.languageServer()) !== undefined,
      clusterStatus: () => s.clusterStatus,
      connect: (params) => s.connect(params),
      serverStarts: () => s.serverStarts,
      detailsView: () => {
        const panel = detailsPanel(s);
        const current = panel.current;
        return {
          open: current !== undefined,
          ...(current !== undefined ? { summary: current.summary } : {}),
          ...(panel.outOfDate !== undefined ? { outOfDate: panel.outOfDate } : {}),
          refreshes: panel.refreshes,
        };
      },
    };
  } catch (e) {
    void window.showErrorMessage(`Kube Forecast could not activate: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** Stops the language server; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  const s = state;
  state = undefined;
  return s?.stopLanguageServer();
}
