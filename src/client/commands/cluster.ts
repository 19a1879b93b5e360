/**
 * Commands that choose or inspect the cluster: Open Simulated Cluster, Choose a kubeconfig, Choose
 * Context, Choose Namespaces, Refresh, Save Cluster Snapshot and Re-authenticate. The selection lives in
 * workspace state and settings, never in the user's kubeconfig.
 */
import { ConfigurationTarget, Uri, window, workspace } from 'vscode';
import { PREFIX, Settings } from '../../shared/ids';
import type { ClusterStatus } from '../../shared/protocol';
import { config } from '../config';
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';

const NO_SERVER = 'Kube Forecast: the language server is not running; see the output.';

/** Reports a connection attempt's result to the user. */
function reportStatus(status: ClusterStatus | undefined): CommandOutcome {
  if (status === undefined) return refuse(NO_SERVER, 'error');
  if (status.state === 'connected') return done(`Connected to ${status.context ?? status.source}.`);
  if (status.state === 'error')
    return refuse(`Kube Forecast: ${status.message ?? 'the cluster could not be reached.'}`, 'warning');
  return refuse(`Kube Forecast: ${status.message ?? 'no cluster connected.'}`);
}

/** Asks the server to open the simulated cluster. */
export async function openSimulatedCluster(state: ExtensionState): Promise<CommandOutcome> {
  return reportStatus(await state.connect({ source: 'simulator' }));
}

/** Connects with the kubeconfig settings plus the workspace's saved context and namespaces. */
async function connectKubeconfig(state: ExtensionState): Promise<CommandOutcome> {
  const sel = state.selection;
  return reportStatus(
    await state.connect({
      source: 'kubeconfig',
      kubeconfigPaths: config.kubeconfigPaths(),
      context: sel.context ?? config.context(),
      namespaces: sel.namespaces ?? config.namespaces(),
    }),
  );
}

/** Lets the user pick kubeconfig files, stores them in the user setting, then connects. */
export async function chooseKubeconfig(state: ExtensionState): Promise<CommandOutcome> {
  const picked = await window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Use kubeconfig',
    title: 'Kube Forecast: choose kubeconfig files',
  });
  if (picked === undefined || picked.length === 0) return { ok: false, reason: 'Cancelled.' };
  const joined = picked.map((u) => u.fsPath).join(process.platform === 'win32' ? ';' : ':');
  await workspace
    .getConfiguration(PREFIX)
    .update(Settings.kubeconfig.slice(PREFIX.length + 1), joined, ConfigurationTarget.Global);
  return connectKubeconfig(state);
}

/** Lists the kubeconfig's contexts (read by the server), saves the pick for this workspace and connects. */
export async function chooseContext(state: ExtensionState): Promise<CommandOutcome> {
  const found = await state.request((p) => p.listContexts, { kubeconfigPaths: config.kubeconfigPaths() });
  if (found === undefined) return refuse(NO_SERVER, 'error');
  for (const p of found.problems) state.log.warn(p);
  if (found.contexts.length === 0) {
    return refuse(
      `Kube Forecast: no kubeconfig contexts found${found.problems.length > 0 ? ` (${found.problems[0]})` : ''}.`,
      'warning',
    );
  }
  const current = state.selection.context ?? found.currentContext;
  const pick = await window.showQuickPick(
    found.contexts.map((c) => ({
      label: c.name,
      description: c.name === current ? 'current' : undefined,
      detail: `cluster ${c.cluster}${c.namespace !== undefined ? `, namespace ${c.namespace}` : ''}`,
    })),
    {
      title: 'Kube Forecast: choose a context',
      placeHolder: 'The choice is kept per workspace; your kubeconfig is not changed.',
    },
  );
  if (pick === undefined) return { ok: false, reason: 'Cancelled.' };
  await state.setSelection({ ...state.selection, context: pick.label });
  return connectKubeconfig(state);
}

/** Lets the user type the namespaces to show (empty: all), saves them for this workspace, and reconnects if connected. */
export async function chooseNamespaces(state: ExtensionState): Promise<CommandOutcome> {
  const current = state.selection.namespaces ?? config.namespaces();
  const typed = await window.showInputBox({
    title: 'Kube Forecast: namespaces to show',
    prompt: 'Comma-separated namespaces; leave empty for every namespace you may list.',
    value: current.join(', '),
  });
  if (typed === undefined) return { ok: false, reason: 'Cancelled.' };
  const namespaces = typed
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  await state.setSelection({ ...state.selection, namespaces });
  if (state.clusterStatus.source === 'kubeconfig') return connectKubeconfig(state);
  return done();
}

/** Re-reads the cluster tree. */
export function refresh(state: ExtensionState): CommandOutcome {
  state.tree.refresh();
  return done();
}

/** Writes the server's snapshot of the connected cluster to a JSON file the user picks. */
export async function saveSnapshot(state: ExtensionState): Promise<CommandOutcome> {
  const result = await state.request0((p) => p.saveClusterSnapshot);
  if (result === undefined) return refuse(NO_SERVER, 'error');
  if (!result.ok) return refuse(`Kube Forecast: ${result.reason}`, 'warning');
  const target = await window.showSaveDialog({
    filters: { JSON: ['json'] },
    defaultUri: workspace.workspaceFolders?.[0]
      ? Uri.joinPath(workspace.workspaceFolders[0].uri, 'cluster-snapshot.json')
      : undefined,
  });
  if (target === undefined) return { ok: false, reason: 'Cancelled.' };
  await workspace.fs.writeFile(target, Buffer.from(result.value, 'utf8'));
  return done(`Saved ${target.fsPath}.`);
}

/** Asks the server to re-run the kubeconfig's credential flow and resync. */
export async function reauthenticate(state: ExtensionState): Promise<CommandOutcome> {
  const result = await state.request0((p) => p.reauthenticate);
  if (result === undefined) return refuse(NO_SERVER, 'error');
  if (!result.ok) return refuse(`Kube Forecast: ${result.reason}`, 'warning');
  void window.showInformationMessage(`Kube Forecast: ${result.value}`);
  return done(result.value);
}
