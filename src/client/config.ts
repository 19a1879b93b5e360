/**
 * Typed getters for the `kubeForecast.*` settings; `package.json` is their schema. Settings the
 * language server reads per resource are fetched by the server itself (`workspace/configuration`).
 */
import * as path from 'node:path';
import { workspace, type ConfigurationScope } from 'vscode';
import { PREFIX, Settings, type SettingKey } from '../shared/ids';

/** Settings whose change only takes effect after restarting the language server. */
export const RESTART_REQUIRED_KEYS: readonly SettingKey[] = [Settings.authExtraPath, Settings.authUseLoginShellPath];

function get<T>(key: SettingKey, fallback: T, scope?: ConfigurationScope): T {
  return workspace.getConfiguration(PREFIX, scope).get<T>(key.slice(PREFIX.length + 1), fallback);
}

/** Typed access to the settings. Every getter reads the current value; nothing is cached. */
export const config = {
  /** Kubeconfig files from `kubeForecast.kubeconfig` (split on the platform's path delimiter); empty means the default lookup. */
  kubeconfigPaths(): string[] {
    return get<string>(Settings.kubeconfig, '')
      .split(path.delimiter)
      .map((p) => p.trim())
      .filter((p) => p !== '');
  },
  /** The configured default context; empty means the kubeconfig's current-context. */
  context(): string {
    return get<string>(Settings.context, '');
  },
  /** The configured namespaces; empty means all namespaces the user may list. */
  namespaces(): string[] {
    const v = get<unknown>(Settings.namespaces, []);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  },
  /** Whether to open the simulated cluster when no kubeconfig exists. */
  useSimulatedClusterWhenNoKubeconfig(): boolean {
    return get<boolean>(Settings.useSimulatedClusterWhenNoKubeconfig, false);
  },
  /** The simulated cluster's node count. */
  simulatorNodes(): number {
    return get<number>(Settings.simulatorNodes, 3);
  },
  /** The simulated cluster's zone names. */
  simulatorZones(): string[] {
    return get<string[]>(Settings.simulatorZones, ['zone-a', 'zone-b', 'zone-c']);
  },
  /** Workspace-relative files to open once at start (`npm start` opens the demo's README this way). */
  startupOpenFiles(): string[] {
    const v = get<unknown>(Settings.startupOpenFiles, []);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  },
  /** Extra directories for exec credential plugins (restricted in untrusted workspaces). */
  authExtraPath(): string[] {
    return get<string[]>(Settings.authExtraPath, []);
  },
};
