/**
 * The choice "Open Simulated Cluster" offers when it runs without arguments (from the palette): the demo
 * cluster (first, the default) or a cluster snapshot file. Pure data and mapping, no `vscode` import, so
 * the choice logic is unit-tested outside the editor.
 */

/** What the simulated cluster starts from. */
export type SimulatorSource = 'demo' | 'snapshot';

/** One QuickPick entry (structurally a `vscode.QuickPickItem`) with the source it stands for. */
export interface SimulatorSourceItem {
  readonly label: string;
  readonly detail: string;
  readonly source: SimulatorSource;
}

/** The entries in display order: "Demo cluster" first (Enter picks it), then "Load a cluster snapshot…". */
export const SIMULATOR_SOURCE_ITEMS: readonly SimulatorSourceItem[] = [
  {
    label: 'Demo cluster',
    detail: 'A generated cluster with nodes across zones and sample workloads.',
    source: 'demo',
  },
  {
    label: 'Load a cluster snapshot…',
    detail: 'A snapshot file (.yaml, .yml or .json), e.g. one saved with "Save Cluster Snapshot".',
    source: 'snapshot',
  },
];

/** The file dialog filter for snapshot files. */
export const SNAPSHOT_FILTERS: Readonly<Record<string, string[]>> = { 'Cluster snapshot': ['yaml', 'yml', 'json'] };

/**
 * Whether the command should ask: only when it got no argument at all (the palette, a keybinding).
 * Any argument, e.g. `{}` or `{ snapshot }` from tests and callers, is used as it is, without asking.
 */
export function shouldAskForSource(arg: unknown): boolean {
  return arg === undefined;
}

/**
 * Maps the picked entry to the command's argument: `{ demo: true }` (the demo cluster, even when the
 * simulated cluster now holds a snapshot), `{ pickSnapshot: true }` (the file dialog follows), or
 * `undefined` when the pick was dismissed.
 */
export function argumentForSource(
  pick: SimulatorSourceItem | undefined,
): { pickSnapshot?: true; demo?: true } | undefined {
  if (pick === undefined) return undefined;
  return pick.source === 'snapshot' ? { pickSnapshot: true } : { demo: true };
}
