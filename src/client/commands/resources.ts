/**
 * Commands on a cluster-explorer item: View YAML, Describe, Logs, Why Pending?, Delete, Scale,
 * Restart and Copy Name. Each receives the item's {@link TreeNode}; the server does the work. Texts
 * open as read-only virtual documents.
 */
import { env, window } from 'vscode';
import type { ResourceAction, ResourceTextView, TreeNode } from '../../shared/protocol';
import type { ExtensionState } from '../state';
import { ResourceDocuments } from '../views/resource-documents';
import { done, refuse, type CommandOutcome } from './outcome';

const NO_ITEM = 'Kube Forecast: run this from an item of the Kubernetes view.';

/** True when `arg` is a tree node the server produced. */
function isTreeNode(arg: unknown): arg is TreeNode {
  return typeof arg === 'object' && arg !== null && typeof (arg as TreeNode).id === 'string';
}

const documents = new WeakMap<ExtensionState, ResourceDocuments>();

/** The state's document provider, registered on first use. */
function docsOf(state: ExtensionState): ResourceDocuments {
  let d = documents.get(state);
  if (d === undefined) {
    d = new ResourceDocuments(state);
    documents.set(state, d);
    state.context.subscriptions.push(d);
  }
  return d;
}

/** Opens the server's text for `node` (`view`) in a read-only editor (Logs follow the pod). */
export async function showResourceText(
  state: ExtensionState,
  view: ResourceTextView,
  node: unknown,
): Promise<CommandOutcome> {
  if (!isTreeNode(node)) return refuse(NO_ITEM);
  const error = await docsOf(state).open(node, view);
  if (error !== undefined) return refuse(`Kube Forecast: ${error}`, 'warning');
  return done();
}

/**
 * Reveal Secret Value: after a confirmation naming the key and the context (or `{ confirmed: true }`),
 * shows the decoded value of one Secret key in a read-only editor. The value is never logged.
 */
export async function revealSecretValue(
  state: ExtensionState,
  node: unknown,
  options?: unknown,
): Promise<CommandOutcome> {
  if (!isTreeNode(node) || node.contextValue !== 'secretkey')
    return refuse('Kube Forecast: run this on a key of a Secret in the Kubernetes view.');
  const confirmed = (options as { confirmed?: unknown } | undefined)?.confirmed === true;
  if (!confirmed) {
    const pick = await window.showWarningMessage(
      `Reveal the value of "${node.label}" in context "${state.clusterStatus.context ?? ''}"?`,
      { modal: true, detail: 'The decoded value opens in an editor; it is not written to disk or to the log.' },
      'Reveal',
    );
    if (pick !== 'Reveal') return { ok: false, reason: 'Cancelled.' };
  }
  return showResourceText(state, 'secretValue', node);
}

const CONFIRM: Record<ResourceAction['action'], string> = {
  delete: 'Delete',
  restart: 'Restart',
  scale: 'Scale',
};

/** Options tests and other commands pass instead of answering prompts. */
export interface ActionOptions {
  /** Skip the confirmation. */
  confirmed?: boolean;
  /** The replica count for Scale (skips the input box). */
  replicas?: number;
}

/**
 * Asks for confirmation (naming the context) or the replica count, then has the server perform
 * `action` on `node`.
 */
export async function runResourceAction(
  state: ExtensionState,
  action: ResourceAction['action'],
  node: unknown,
  options?: unknown,
): Promise<CommandOutcome> {
  if (!isTreeNode(node)) return refuse(NO_ITEM);
  const opts = (typeof options === 'object' && options !== null ? options : {}) as ActionOptions;
  const context = state.clusterStatus.context ?? state.clusterStatus.source;
  const what = `${node.contextValue.split(':')[0]} ${node.namespace ? `${node.namespace}/` : ''}${node.name ?? node.label}`;
  let request: ResourceAction;
  if (action === 'scale') {
    let replicas = typeof opts.replicas === 'number' ? opts.replicas : undefined;
    if (replicas === undefined) {
      const typed = await window.showInputBox({
        title: `Scale ${what} in ${context}`,
        prompt: node.replicas !== undefined ? `Number of replicas (now ${node.replicas})` : 'Number of replicas',
        ...(node.replicas !== undefined
          ? { value: String(node.replicas), valueSelection: [0, String(node.replicas).length] as [number, number] }
          : {}),
        validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : 'Enter a whole number (0 or more).'),
      });
      if (typed === undefined) return { ok: false, reason: 'Cancelled.' };
      replicas = Number(typed.trim());
    }
    request = { action: 'scale', replicas };
  } else {
    if (opts.confirmed !== true) {
      const verb = CONFIRM[action];
      const pick = await window.showWarningMessage(
        `${verb} ${what} in context "${context}"?`,
        {
          modal: true,
          detail: action === 'delete' ? 'This deletes the object from the cluster.' : 'Pods are replaced one by one.',
        },
        verb,
      );
      if (pick !== verb) return { ok: false, reason: 'Cancelled.' };
    }
    request = action === 'delete' ? { action: 'delete' } : { action: 'restart' };
  }
  const result = await state.request((p) => p.resourceAction, { nodeId: node.id, ...request });
  if (result === undefined) return refuse('Kube Forecast: the language server is not running.', 'error');
  if (!result.ok) return refuse(`Kube Forecast: ${result.reason}`, 'warning');
  state.log.info(result.value);
  void window.showInformationMessage(`Kube Forecast: ${result.value}`);
  return done(result.value);
}

/** Copies the item's resource name (or its label) to the clipboard. */
export async function copyName(_state: ExtensionState, node: unknown): Promise<CommandOutcome> {
  if (!isTreeNode(node)) return refuse(NO_ITEM);
  await env.clipboard.writeText(node.name ?? node.label);
  return done(node.name ?? node.label);
}
