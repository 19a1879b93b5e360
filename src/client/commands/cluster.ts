/**
 * Commands that choose or inspect the cluster: Open Simulated Cluster, Choose a kubeconfig, Choose
 * Context, Choose Namespaces, Refresh, Save Cluster Snapshot and Re-authenticate. The selection lives in
 * workspace state and settings, never in the user's kubeconfig.
 */
import { ConfigurationTarget, Uri, window, workspace, type QuickPickItem } from 'vscode';
import { PREFIX, Settings } from '../../shared/ids';
import type { ClusterStatus, ConnectClusterParams, TreeNode } from '../../shared/protocol';
import { config } from '../config';
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';
import { SIMULATOR_SOURCE_ITEMS, SNAPSHOT_FILTERS, argumentForSource, shouldAskForSource } from './simulator-source';

const NO_SERVER = 'Kube Forecast: the language server is not running; see the output.';

/** The simulated cluster's context name (as its kubeconfig names it). */
const SIMULATOR_CONTEXT = 'kube-forecast-sim';

/** Reports a connection attempt's result to the user. */
function reportStatus(status: ClusterStatus | undefined): CommandOutcome {
  if (status === undefined) return refuse(NO_SERVER, 'error');
  if (status.state === 'connected') return done(`Connected to ${status.context ?? status.source}.`);
  if (status.state === 'error')
    return refuse(`Kube Forecast: ${status.message ?? 'the cluster could not be reached.'}`, 'warning');
  return refuse(`Kube Forecast: ${status.message ?? 'no cluster connected.'}`);
}

/**
 * The simulator connection for the current settings and selection (`snapshot`: a file to load; `demo`:
 * the demo cluster even when the running one holds a snapshot).
 */
function simulatorParams(state: ExtensionState, snapshot?: string, demo = false): ConnectClusterParams {
  return {
    source: 'simulator',
    nodes: config.simulatorNodes(),
    zones: config.simulatorZones().length,
    namespaces: state.selection.namespaces ?? config.namespaces(),
    kubeconfigPaths: config.kubeconfigPaths(),
    ...(snapshot !== undefined ? { snapshot } : {}),
    ...(demo ? { demo: true } : {}),
  };
}

/**
 * Opens the simulated cluster: the demo cluster (`{ demo: true }` restarts it as the demo when it holds a
 * snapshot; `{}` reuses whatever runs), or the snapshot file in `arg` (`{ snapshot: path }`, or
 * `{ pickSnapshot: true }` to choose one). Without any argument (the palette) it first asks with a
 * QuickPick: "Demo cluster" (the default) or "Load a cluster snapshot…". It runs as a child process of
 * the language server and stops with it; it is added as a context of its own, and the user's
 * kubeconfig is not touched.
 */
export async function openSimulatedCluster(state: ExtensionState, arg?: unknown): Promise<CommandOutcome> {
  if (shouldAskForSource(arg)) {
    const pick = await window.showQuickPick([...SIMULATOR_SOURCE_ITEMS], {
      title: 'Kube Forecast: open the simulated cluster',
      placeHolder: 'Start from the demo cluster or from a saved cluster snapshot',
    });
    arg = argumentForSource(pick);
    if (arg === undefined) return { ok: false, reason: 'Cancelled.' };
  }
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as {
    snapshot?: unknown;
    pickSnapshot?: unknown;
    demo?: unknown;
  };
  let snapshot = typeof a.snapshot === 'string' ? a.snapshot : undefined;
  if (a.pickSnapshot === true) {
    const picked = await window.showOpenDialog({
      canSelectMany: false,
      filters: { ...SNAPSHOT_FILTERS },
      openLabel: 'Load into the simulated cluster',
      title: 'Kube Forecast: choose a cluster snapshot',
    });
    if (picked === undefined || picked.length === 0) return { ok: false, reason: 'Cancelled.' };
    snapshot = picked[0]!.fsPath;
  }
  await state.setSelection({ ...state.selection, context: SIMULATOR_CONTEXT });
  return reportStatus(await state.connect(simulatorParams(state, snapshot, snapshot === undefined && a.demo === true)));
}

/** The kubeconfig connection for the settings and this workspace's saved context and namespaces. */
function kubeconfigParams(state: ExtensionState): ConnectClusterParams {
  const sel = state.selection;
  return {
    source: 'kubeconfig',
    kubeconfigPaths: config.kubeconfigPaths(),
    context: sel.context ?? config.context(),
    namespaces: sel.namespaces ?? config.namespaces(),
  };
}

/** Connects with the kubeconfig settings plus the workspace's saved context and namespaces. */
async function connectKubeconfig(state: ExtensionState): Promise<CommandOutcome> {
  return reportStatus(await state.connect(kubeconfigParams(state)));
}

/**
 * Connects quietly when the tree first shows: the saved selection or the kubeconfig's current context,
 * else (when `useSimulatedClusterWhenNoKubeconfig` is on) the simulated cluster. Never shows pop-ups.
 */
export async function autoConnect(state: ExtensionState): Promise<void> {
  if (!workspace.isTrusted) return;
  const status = await state.connect(kubeconfigParams(state));
  if (status?.state === 'none' && config.useSimulatedClusterWhenNoKubeconfig())
    await state.connect(simulatorParams(state));
}

/**
 * Lets the user pick kubeconfig files, stores them in the user setting, then connects to their
 * current-context: the context and namespaces saved for the previous files (or the simulated cluster)
 * no longer apply.
 */
export async function chooseKubeconfig(state: ExtensionState): Promise<CommandOutcome> {
  const picked = await window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Use kubeconfig',
    title: 'Kube Forecast: choose kubeconfig files',
  });
  if (picked === undefined || picked.length === 0) return { ok: false, reason: 'Cancelled.' };
  const joined = picked.map((u) => u.fsPath).join(process.platform === 'win32' ? ';' : ':');
  await state.setSelection({});
  await workspace
    .getConfiguration(PREFIX)
    .update(Settings.kubeconfig.slice(PREFIX.length + 1), joined, ConfigurationTarget.Global);
  return connectKubeconfig(state);
}

/**
 * Connects to a context: the context row `arg` (clicked in the tree, or `{ name }`), else one picked
 * from the kubeconfig's contexts (read by the server) plus the simulated cluster. The pick is saved for
 * this workspace; the kubeconfig's current-context is never changed.
 */
export async function chooseContext(state: ExtensionState, arg?: unknown): Promise<CommandOutcome> {
  let name =
    typeof arg === 'object' && arg !== null && typeof (arg as TreeNode).name === 'string'
      ? (arg as TreeNode).name
      : undefined;
  if (typeof arg === 'string') name = arg;
  if (name === undefined) {
    const found = await state.request((p) => p.listContexts, { kubeconfigPaths: config.kubeconfigPaths() });
    if (found === undefined) return refuse(NO_SERVER, 'error');
    for (const p of found.problems) state.log.warn(p);
    const current = state.selection.context ?? found.currentContext;
    const items: (QuickPickItem & { context: string })[] = found.contexts
      .filter((c) => c.name !== SIMULATOR_CONTEXT)
      .map((c) => ({
        label: c.name,
        context: c.name,
        description: c.name === current ? 'current' : undefined,
        detail: `cluster ${c.cluster}${c.namespace !== undefined ? `, namespace ${c.namespace}` : ''}`,
      }));
    // The built-in simulated cluster under the name it shows everywhere (what it was started from):
    // the server names it while it runs (a snapshot's cluster too, when a kubeconfig context is
    // connected); else choosing it starts the demo cluster, named as the server will name it.
    const sim =
      found.simulatorLabel ?? (state.clusterStatus.source === 'simulator' ? state.clusterStatus.label : undefined);
    items.push({
      label: sim ?? `simulated: demo (${config.simulatorNodes()} nodes)`,
      context: SIMULATOR_CONTEXT,
      description: current === SIMULATOR_CONTEXT ? 'current' : undefined,
      detail: 'The simulated cluster on this machine (started on demand).',
    });
    const pick = await window.showQuickPick(items, {
      title: 'Kube Forecast: choose a context',
      placeHolder: `The choice is kept per workspace; your kubeconfig is not changed.${
        found.contexts.length === 0 && found.problems.length > 0 ? ` (${found.problems[0]})` : ''
      }`,
    });
    if (pick === undefined) return { ok: false, reason: 'Cancelled.' };
    name = pick.context;
  }
  await state.setSelection({ ...state.selection, context: name });
  if (name === SIMULATOR_CONTEXT) return reportStatus(await state.connect(simulatorParams(state)));
  return connectKubeconfig(state);
}

/**
 * Lets the user pick the namespaces to show (multi-select from the cluster's list, or typed when the
 * user may not list namespaces); an empty choice means all. Saved for this workspace; reconnects.
 * `arg` (`{ namespaces: string[] }`) sets them without asking.
 */
export async function chooseNamespaces(state: ExtensionState, arg?: unknown): Promise<CommandOutcome> {
  const current = state.selection.namespaces ?? config.namespaces();
  let namespaces: string[] | undefined;
  const given = (arg as { namespaces?: unknown } | undefined)?.namespaces;
  if (Array.isArray(given)) namespaces = given.filter((n): n is string => typeof n === 'string' && n !== '');
  else {
    const listed =
      state.clusterStatus.state === 'connected' ? await state.request0((p) => p.listNamespaces) : undefined;
    if (listed?.ok === true) {
      const picks = await window.showQuickPick(
        listed.value.map((n) => ({ label: n, picked: current.includes(n) })),
        { canPickMany: true, title: 'Kube Forecast: namespaces to show (none selected: all namespaces)' },
      );
      if (picks === undefined) return { ok: false, reason: 'Cancelled.' };
      namespaces = picks.map((p) => p.label);
    } else {
      const typed = await window.showInputBox({
        title: 'Kube Forecast: namespaces to show',
        prompt: `Comma-separated namespaces; leave empty for every namespace you may list.${listed?.ok === false ? ` (${listed.reason})` : ''}`,
        value: current.join(', '),
      });
      if (typed === undefined) return { ok: false, reason: 'Cancelled.' };
      namespaces = typed
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    }
  }
  await state.setSelection({ ...state.selection, namespaces });
  const last = state.lastConnection;
  if (last.source === 'kubeconfig') return connectKubeconfig(state);
  if (last.source === 'simulator') return reportStatus(await state.connect({ ...last, namespaces }));
  return done();
}

/** Re-reads the cluster tree. */
export function refresh(state: ExtensionState): CommandOutcome {
  state.tree.refresh();
  return done();
}

/**
 * Writes the server's snapshot of the connected cluster (nodes, pods and what scheduling reads; never
 * Secrets) to a file the user picks (or `arg.file`), and offers to open it in the simulated cluster.
 */
export async function saveSnapshot(state: ExtensionState, arg?: unknown): Promise<CommandOutcome> {
  const result = await state.request0((p) => p.saveClusterSnapshot);
  if (result === undefined) return refuse(NO_SERVER, 'error');
  if (!result.ok) return refuse(`Kube Forecast: ${result.reason}`, 'warning');
  const file = (arg as { file?: unknown } | undefined)?.file;
  const target =
    typeof file === 'string'
      ? Uri.file(file)
      : await window.showSaveDialog({
          filters: { JSON: ['json'] },
          defaultUri: workspace.workspaceFolders?.[0]
            ? Uri.joinPath(
                workspace.workspaceFolders[0].uri,
                `${state.clusterStatus.context ?? 'cluster'}-snapshot.json`,
              )
            : undefined,
        });
  if (target === undefined) return { ok: false, reason: 'Cancelled.' };
  await workspace.fs.writeFile(target, Buffer.from(result.value, 'utf8'));
  state.log.info(`Saved a cluster snapshot of ${state.clusterStatus.context ?? ''} to ${target.fsPath}.`);
  if (typeof file !== 'string') {
    void window
      .showInformationMessage(`Kube Forecast: saved ${target.fsPath}.`, 'Open in Simulated Cluster')
      .then((pick) => (pick !== undefined ? openSimulatedCluster(state, { snapshot: target.fsPath }) : undefined));
  }
  return done(`Saved ${target.fsPath}.`);
}

/** Asks the server to re-read the kubeconfig, re-run its credential flow and resync. */
export async function reauthenticate(state: ExtensionState): Promise<CommandOutcome> {
  const result = await state.request0((p) => p.reauthenticate);
  if (result === undefined) return refuse(NO_SERVER, 'error');
  if (!result.ok) return refuse(`Kube Forecast: ${result.reason}`, 'warning');
  void window.showInformationMessage(`Kube Forecast: ${result.value}`);
  return done(result.value);
}
