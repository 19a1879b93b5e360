/**
 * Commands on a cluster-explorer item: View YAML, Describe, Logs, Why Pending?, Delete, Scale,
 * Restart and Copy Name. Each receives the item's {@link TreeNode}; the server does the work.
 */
import { env, window, workspace } from 'vscode';
import { LOG_LANGUAGE_ID } from '../../shared/ids';
import type { ResourceAction, ResourceTextView, TreeNode } from '../../shared/protocol';
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';

const NO_ITEM = 'Kube Forecast: run this from an item of the Kubernetes view.';

/** True when `arg` is a tree node the server produced. */
function isTreeNode(arg: unknown): arg is TreeNode {
  return typeof arg === 'object' && arg !== null && typeof (arg as TreeNode).id === 'string';
}

const LANGUAGES: Record<ResourceTextView, string> = {
  yaml: 'yaml',
  describe: 'plaintext',
  logs: LOG_LANGUAGE_ID,
  whyPending: 'markdown',
};

/** Opens the server's text for `node` (`view`) in a read-only untitled editor. */
export async function showResourceText(
  state: ExtensionState,
  view: ResourceTextView,
  node: unknown,
): Promise<CommandOutcome> {
  if (!isTreeNode(node)) return refuse(NO_ITEM);
  const result = await state.request((p) => p.resourceText, { nodeId: node.id, view });
  if (result === undefined) return refuse('Kube Forecast: the language server is not running.', 'error');
  if (!result.ok) return refuse(`Kube Forecast: ${result.reason}`, 'warning');
  const doc = await workspace.openTextDocument({ content: result.value, language: LANGUAGES[view] });
  await window.showTextDocument(doc, { preview: true });
  return done();
}

const CONFIRM: Record<ResourceAction['action'], string> = {
  delete: 'Delete',
  restart: 'Restart',
  scale: 'Scale',
};

/** Asks for confirmation (and replicas, for scale), then has the server perform `action` on `node`. */
export async function runResourceAction(
  state: ExtensionState,
  action: ResourceAction['action'],
  node: unknown,
): Promise<CommandOutcome> {
  if (!isTreeNode(node)) return refuse(NO_ITEM);
  let request: ResourceAction;
  if (action === 'scale') {
    const typed = await window.showInputBox({
      title: `Scale ${node.label}`,
      prompt: 'Number of replicas',
      validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : 'Enter a whole number (0 or more).'),
    });
    if (typed === undefined) return { ok: false, reason: 'Cancelled.' };
    request = { action: 'scale', replicas: Number(typed.trim()) };
  } else {
    const verb = CONFIRM[action];
    const pick = await window.showWarningMessage(`${verb} ${node.kind} ${node.label}?`, { modal: true }, verb);
    if (pick !== verb) return { ok: false, reason: 'Cancelled.' };
    request = action === 'delete' ? { action: 'delete' } : { action: 'restart' };
  }
  const result = await state.request((p) => p.resourceAction, { nodeId: node.id, ...request });
  if (result === undefined) return refuse('Kube Forecast: the language server is not running.', 'error');
  if (!result.ok) return refuse(`Kube Forecast: ${result.reason}`, 'warning');
  void window.showInformationMessage(`Kube Forecast: ${result.value}`);
  return done(result.value);
}

/** Copies the item's resource name (or its label) to the clipboard. */
export async function copyName(_state: ExtensionState, node: unknown): Promise<CommandOutcome> {
  if (!isTreeNode(node)) return refuse(NO_ITEM);
  await env.clipboard.writeText(node.name ?? node.label);
  return done(node.name ?? node.label);
}
