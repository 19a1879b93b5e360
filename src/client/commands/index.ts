/**
 * The command table: every contributed command id mapped to its handler and to what it needs.
 *
 * Each command has an enabled variant (its handler) and a "why it's unavailable" variant (a sentence
 * naming the missing cluster or trust). The variant is chosen at call time from the current state, so
 * a command never throws and never half-runs; `executeCommand` resolves to a {@link CommandOutcome}.
 */
import { commands, workspace, type Disposable } from 'vscode';
import { Commands, type CommandId } from '../../shared/ids';
import type { ExtensionState } from '../state';
import * as cluster from './cluster';
import { writeManifest } from './manifest';
import { explainNoCluster, refuse, REQUIRES_TRUST, type CommandOutcome } from './outcome';
import { showPredictionDetails, whyPending } from './prediction';
import { copyName, revealSecretValue, runResourceAction, showResourceText } from './resources';
import { restartLanguageServer, showOutput } from './server';

/** One row of the table. */
export interface CommandSpec {
  /** `cluster`: refused unless a cluster is connected. */
  needs: 'nothing' | 'cluster';
  /** True for commands that write to a cluster or run kubeconfig programs: refused in untrusted workspaces. */
  requiresTrust: boolean;
  run(state: ExtensionState, ...args: unknown[]): CommandOutcome | Promise<CommandOutcome>;
}

const free = (run: CommandSpec['run']): CommandSpec => ({ needs: 'nothing', requiresTrust: false, run });
const read = (run: CommandSpec['run']): CommandSpec => ({ needs: 'cluster', requiresTrust: false, run });
const write = (run: CommandSpec['run']): CommandSpec => ({ needs: 'cluster', requiresTrust: true, run });

/** The table. Its keys are exactly the contributed commands (checked by the type and by the parity test). */
const COMMAND_TABLE: Record<CommandId, CommandSpec> = {
  [Commands.createFromManifest]: write((s, arg) => writeManifest(s, 'create', arg)),
  [Commands.applyManifest]: write((s, arg) => writeManifest(s, 'apply', arg)),
  [Commands.refresh]: free(cluster.refresh),
  [Commands.chooseContext]: { needs: 'nothing', requiresTrust: true, run: cluster.chooseContext },
  [Commands.chooseKubeconfig]: { needs: 'nothing', requiresTrust: true, run: cluster.chooseKubeconfig },
  [Commands.chooseNamespaces]: free(cluster.chooseNamespaces),
  [Commands.openSimulatedCluster]: free(cluster.openSimulatedCluster),
  [Commands.saveClusterSnapshot]: read(cluster.saveSnapshot),
  [Commands.showOutput]: free(showOutput),
  [Commands.restartLanguageServer]: free(restartLanguageServer),
  [Commands.reauthenticate]: { needs: 'nothing', requiresTrust: true, run: cluster.reauthenticate },
  [Commands.deleteResource]: write((s, node, opts) => runResourceAction(s, 'delete', node, opts)),
  [Commands.viewYaml]: read((s, node) => showResourceText(s, 'yaml', node)),
  [Commands.describeResource]: read((s, node) => showResourceText(s, 'describe', node)),
  [Commands.showLogs]: read((s, node) => showResourceText(s, 'logs', node)),
  [Commands.scaleWorkload]: write((s, node, opts) => runResourceAction(s, 'scale', node, opts)),
  [Commands.restartWorkload]: write((s, node, opts) => runResourceAction(s, 'restart', node, opts)),
  [Commands.copyName]: free(copyName),
  [Commands.whyPending]: read(whyPending),
  [Commands.showPredictionDetails]: free(showPredictionDetails),
  [Commands.revealSecretValue]: read((s, node, opts) => revealSecretValue(s, node, opts)),
};

/** The commands refused in an untrusted workspace (they write to a cluster or run kubeconfig programs). */
export const TRUST_REQUIRED: readonly CommandId[] = (Object.keys(COMMAND_TABLE) as CommandId[]).filter(
  (id) => COMMAND_TABLE[id].requiresTrust,
);

/** The commands that refuse to run, saying why, until a cluster is connected. */
export const CLUSTER_REQUIRED: readonly CommandId[] = (Object.keys(COMMAND_TABLE) as CommandId[]).filter(
  (id) => COMMAND_TABLE[id].needs === 'cluster',
);

/** Picks the variant for the current state: the handler, or the sentence saying why it cannot run. */
async function dispatch(state: ExtensionState, id: CommandId, args: unknown[]): Promise<CommandOutcome> {
  const spec = COMMAND_TABLE[id];
  if (spec.requiresTrust && !workspace.isTrusted) return refuse(REQUIRES_TRUST);
  if (spec.needs === 'cluster' && state.clusterStatus.state !== 'connected') return explainNoCluster();
  try {
    return await spec.run(state, ...args);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    state.log.error(`${id} failed: ${message}`);
    return refuse(`Kube Forecast: ${message}`, 'error');
  }
}

/** Registers every command of the table. */
export function registerCommands(state: ExtensionState): Disposable[] {
  return (Object.keys(COMMAND_TABLE) as CommandId[]).map((id) =>
    commands.registerCommand(id, (...args: unknown[]) => dispatch(state, id, args)),
  );
}
