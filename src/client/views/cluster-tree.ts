/**
 * The cluster explorer's data provider. It holds no cluster data: every `getChildren` asks the
 * language server (`kube/treeChildren`), which answers from its watch caches. The server says which
 * rows changed (`kube/didChangeTree`, debounced) and this provider fires `onDidChangeTreeData` for the
 * rows it has shown, so the tree stays live without polling. With no cluster the root is empty and the
 * view shows its welcome content; problems show as one view message, never a stream of pop-ups.
 */
import {
  commands,
  EventEmitter,
  window,
  type Event,
  type LogOutputChannel,
  type TreeDataProvider,
  type TreeItem,
  type TreeView,
} from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RequestParam, RequestType } from 'vscode-languageserver-protocol';
import { Commands } from '../../shared/ids';
import type * as Protocol from '../../shared/protocol';
import type { ClusterStatus, TreeNode } from '../../shared/protocol';
import { Disposable } from '../util/lifecycle';
import { toTreeItem } from './tree-items';

/**
 * What the provider needs from its owner (`ExtensionState` has this shape): requests to the server,
 * the first connection, the status, the log, and each new language client (for notifications).
 */
export interface TreeHost {
  readonly log: LogOutputChannel;
  readonly clusterStatus: ClusterStatus;
  request<P, R>(
    pick: (p: typeof Protocol) => RequestType<P, R, void>,
    params: NoInfer<RequestParam<P>>,
  ): Promise<R | undefined>;
  ensureConnected(): Promise<void>;
  onClientCreated(hook: (client: LanguageClient, protocol: typeof Protocol) => void): void;
}

/** The message shown when the language server cannot answer. */
const SERVER_UNAVAILABLE_MESSAGE =
  'The Kube Forecast language server is not running. Run "Kube Forecast: Restart Language Server"; details are in the output.';

/** Provides the cluster tree from server requests. */
export class ClusterTreeProvider extends Disposable implements TreeDataProvider<TreeNode> {
  private readonly changed = this._register(new EventEmitter<TreeNode | undefined>());
  /** The server's tree-change notices, as they arrive. */
  private readonly notices = this._register(new EventEmitter<readonly string[]>());
  /** Fires with the ids of every tree-change notice (the cluster's content changed). */
  readonly onDidNotice: Event<readonly string[]> = this.notices.event;
  private view: TreeView<TreeNode> | undefined;
  private lastError: string | undefined;
  /** Rows shown so far, by id (the server names rows by id in its change notifications). */
  private readonly known = new Map<string, TreeNode>();
  private reauthPrompted = false;
  /**
   * Reveals under way, and the change notices held until they end. VS Code fetches a branch's rows for
   * a reveal and for a change event independently, and when both fetches of one branch overlap it
   * registers the rows twice ("Element with id … is already registered", microsoft/vscode#192055) and
   * the branch stays empty. A change that arrives during a reveal is fired once the reveal ends.
   */
  private revealing = 0;
  private held: string[] = [];

  /** Fires when the tree must be re-read. */
  readonly onDidChangeTreeData: Event<TreeNode | undefined> = this.changed.event;

  /** Creates a provider reading through `state`. */
  constructor(private readonly state: TreeHost) {
    super();
    state.onClientCreated((client, protocol) => {
      client.onNotification(protocol.didChangeTree, ({ ids }) => this.changedIds(ids));
      // A credential plugin waiting for the user (a device code, a login URL): show it, never hang silently.
      client.onNotification(protocol.authPrompt, ({ context, text }) => {
        const line = text.trim();
        if (line === '') return;
        this.state.log.info(`[${context}] credential plugin: ${line}`);
        void window.showInformationMessage(`Kube Forecast (${context}): ${line}`, 'Show Output').then((pick) => {
          if (pick !== undefined) this.state.log.show(true);
        });
      });
    });
  }

  /** Connects the provider to its view so it can set the view's message. */
  attach(view: TreeView<TreeNode>): void {
    this.view = view;
  }

  /** Re-reads the whole tree. */
  refresh(): void {
    this.known.clear();
    if (this.revealing > 0) this.held.push('');
    else this.changed.fire(undefined);
  }

  /** Fires for the rows the server says changed (after any reveal under way); the root (`''`) refreshes everything. */
  changedIds(ids: readonly string[]): void {
    this.notices.fire(ids);
    if (this.revealing > 0) this.held.push(...ids);
    else this.fireChanged(ids);
  }

  /** Fires `onDidChangeTreeData` for `ids`: once for the root when it is among them, else per row shown. */
  private fireChanged(ids: readonly string[]): void {
    if (ids.includes('')) {
      this.changed.fire(undefined);
      return;
    }
    for (const id of ids) {
      const node = this.known.get(id);
      if (node !== undefined) this.changed.fire(node);
    }
  }

  /** Renders the status as the view's message: shown for errors, cleared otherwise (the welcome content covers "none"). */
  showStatus(status: ClusterStatus): void {
    if (this.view !== undefined) {
      this.view.message = status.state === 'error' || status.state === 'connecting' ? status.message : undefined;
      this.view.description =
        status.state === 'connected' || status.state === 'error'
          ? `${status.label ?? status.context ?? status.source}${status.namespaces?.length ? ` · ${status.namespaces.join(', ')}` : ''}`
          : undefined;
    }
    const expired = status.state === 'error' && /Re-authenticate/.test(status.message ?? '');
    if (expired && !this.reauthPrompted) {
      this.reauthPrompted = true;
      void window.showWarningMessage(`Kube Forecast: ${status.message ?? ''}`, 'Re-authenticate').then((pick) => {
        if (pick === 'Re-authenticate') void commands.executeCommand(Commands.reauthenticate);
      });
    }
    if (!expired) this.reauthPrompted = false;
  }

  getTreeItem(node: TreeNode): TreeItem {
    return toTreeItem(node);
  }

  /** The parent of a row the tree has shown (for reveal). */
  getParent(node: TreeNode): TreeNode | undefined {
    return node.parentId !== undefined ? this.known.get(node.parentId) : undefined;
  }

  /**
   * Reveals and selects the row `id` (e.g. an object just created), expanding its ancestors; true once
   * the row is selected. VS Code's reveal resolves without selecting anything when a row of the chain
   * is not loaded in the view at that moment (a branch being redrawn), so the selection is checked.
   */
  async reveal(id: string): Promise<boolean> {
    const chain = await this.state.request((p) => p.treeNodePath, { id });
    if (chain === undefined || chain.length === 0 || this.view === undefined) return false;
    // Rows the tree already shows keep the instances VS Code holds: a change event fired with another
    // instance of the same row is ignored by VS Code, and that branch would stop updating.
    for (const n of chain) if (!this.known.has(n.id)) this.known.set(n.id, n);
    this.revealing++;
    try {
      await this.view.reveal(this.known.get(chain[chain.length - 1]!.id)!, {
        select: true,
        focus: false,
        expand: false,
      });
      return this.view.selection.some((n) => n.id === id);
    } catch {
      return false;
    } finally {
      if (--this.revealing === 0 && this.held.length > 0) this.fireChanged([...new Set(this.held.splice(0))]);
    }
  }

  /**
   * Reveals `id` once the server's caches hold it: now if they do, else after each tree-change notice
   * (the watch delivers a written object shortly after the write), for up to `timeoutMs`. Listens
   * before the first try, and a notice that arrives while a try is under way makes one more try: the
   * notice of the object's arrival often comes during the first try (it asks the server, which may
   * not have it yet), and there may be no notice after it. A failed try is also repeated a moment
   * later (backing off): the same notice refreshes the rows the reveal expands, and VS Code does not
   * reveal through a branch it is redrawing (seen as the namespace opened, its Deployments not, and
   * nothing selected).
   */
  async revealWhenPresent(id: string, timeoutMs = 15_000): Promise<boolean> {
    return new Promise((resolve) => {
      let busy = false;
      let again = false;
      let finished = false;
      let failures = 0;
      let later: ReturnType<typeof setTimeout> | undefined;
      const finish = (ok: boolean): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (later !== undefined) clearTimeout(later);
        sub.dispose();
        resolve(ok);
      };
      const attempt = (): void => {
        if (finished) return;
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        again = false;
        if (later !== undefined) clearTimeout(later);
        later = undefined;
        void this.reveal(id)
          .catch(() => false)
          .then((ok) => {
            busy = false;
            if (ok) finish(true);
            else if (again) attempt();
            else if (!finished) later = setTimeout(attempt, Math.min(2_000, 150 * 2 ** failures++));
          });
      };
      const sub = this.notices.event(attempt);
      const timer = setTimeout(() => finish(false), timeoutMs);
      attempt();
    });
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (node === undefined) await this.state.ensureConnected();
      const children = await this.state.request((p) => p.treeChildren, { parentId: node?.id ?? null });
      if (children === undefined) {
        this.reportOnce(SERVER_UNAVAILABLE_MESSAGE);
        return [];
      }
      for (const c of children) this.known.set(c.id, c);
      if (this.lastError !== undefined) {
        this.lastError = undefined;
        this.showStatus(this.state.clusterStatus);
      }
      return children;
    } catch (e) {
      this.reportOnce(`Could not read the cluster tree: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  /** Logs a problem and shows it as the view message, once per distinct message. */
  private reportOnce(message: string): void {
    if (this.lastError === message) return;
    this.lastError = message;
    this.state.log.error(message);
    if (this.view !== undefined) this.view.message = message;
  }
}
