/**
 * What a command returns: whether it ran, or the sentence explaining why not. Tests read the value
 * `executeCommand` resolves to; users see the sentence as a notification.
 */
import { commands, window } from 'vscode';
import { Commands } from '../../shared/ids';

/** A command's result. */
export type CommandOutcome = { ok: true; detail?: string } | { ok: false; reason: string };

/** The sentence for commands that need a cluster when none is connected. */
const REQUIRES_CLUSTER = 'Kube Forecast: this requires a connected cluster.';

/** The sentence for writes in an untrusted workspace. */
export const REQUIRES_TRUST = 'Kube Forecast: writing to a cluster is disabled until you trust this workspace.';

/** Success. */
export function done(detail?: string): CommandOutcome {
  return detail === undefined ? { ok: true } : { ok: true, detail };
}

/** Shows `reason` without waiting for the user (so commands never block on a notification) and returns it. */
export function refuse(reason: string, kind: 'info' | 'warning' | 'error' = 'info'): CommandOutcome {
  const show =
    kind === 'error'
      ? window.showErrorMessage
      : kind === 'warning'
        ? window.showWarningMessage
        : window.showInformationMessage;
  void show(reason);
  return { ok: false, reason };
}

/** Explains that a cluster is needed, offering the two ways to get one. Does not wait for the user. */
export function explainNoCluster(): CommandOutcome {
  const open = 'Open Simulated Cluster';
  const choose = 'Choose a kubeconfig';
  void window.showInformationMessage(REQUIRES_CLUSTER, open, choose).then(async (pick) => {
    if (pick === open) await commands.executeCommand(Commands.openSimulatedCluster);
    if (pick === choose) await commands.executeCommand(Commands.chooseKubeconfig);
  });
  return { ok: false, reason: REQUIRES_CLUSTER };
}
