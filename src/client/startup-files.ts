/**
 * Opens the files of `kubeForecast.startup.openFiles` once per workspace, after activation: Markdown
 * as a preview tab in the active group, anything else as an editor; the editor that was in front stays
 * in front, at full width (a preview beside it would clip its CodeLens links on a 1,280 px window).
 * Paths are relative to the first workspace folder; missing files are logged and skipped. Never throws.
 */
import { commands, Uri, ViewColumn, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { config } from './config';

const OPENED_KEY = 'kubeForecast.startupFilesOpened';

/** Opens the configured start files, unless this workspace already had them opened. */
export async function openStartupFiles(context: ExtensionContext, log: LogOutputChannel): Promise<void> {
  const files = config.startupOpenFiles();
  const folder = workspace.workspaceFolders?.[0];
  if (files.length === 0 || folder === undefined || context.workspaceState.get<boolean>(OPENED_KEY)) return;
  await context.workspaceState.update(OPENED_KEY, true);
  const front = window.activeTextEditor?.document;
  for (const rel of files) {
    const uri = Uri.joinPath(folder.uri, rel);
    try {
      await workspace.fs.stat(uri);
      if (rel.toLowerCase().endsWith('.md')) await commands.executeCommand('markdown.showPreview', uri);
      else await window.showTextDocument(uri, { viewColumn: ViewColumn.Active, preview: false, preserveFocus: true });
    } catch (e) {
      log.warn(`Could not open ${rel} at start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (front !== undefined) await window.showTextDocument(front, { preview: false }).then(undefined, () => undefined);
}
