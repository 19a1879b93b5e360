/**
 * The cluster explorer's data provider. It holds no cluster data: every `getChildren` asks the
 * language server (`kube/treeChildren`), which answers from its cache. With no cluster the root is
 * empty and the view shows its welcome content; a broken kubeconfig or server shows one message,
 * never a stream of error pop-ups.
 */
import { EventEmitter, type Event, type TreeDataProvider, type TreeItem, type TreeView } from 'vscode';
import type { ClusterStatus, TreeNode } from '../../shared/protocol';
import type { ExtensionState } from '../state';
import { Disposable } from '../util/lifecycle';
import { toTreeItem } from './tree-items';

/** The message shown when the language server cannot answer. */
export const SERVER_UNAVAILABLE_MESSAGE =
  'The Kube Forecast language server is not running. Run "Kube Forecast: Restart Language Server"; details are in the output.';

/** Provides the cluster tree from server requests. */
export class ClusterTreeProvider extends Disposable implements TreeDataProvider<TreeNode> {
  private readonly changed = this._register(new EventEmitter<TreeNode | undefined>());
  private view: TreeView<TreeNode> | undefined;
  private lastError: string | undefined;

  /** Fires when the tree must be re-read. */
  readonly onDidChangeTreeData: Event<TreeNode | undefined> = this.changed.event;

  /** Creates a provider reading through `state`. */
  constructor(private readonly state: ExtensionState) {
    super();
  }

  /** Connects the provider to its view so it can set the view's message. */
  attach(view: TreeView<TreeNode>): void {
    this.view = view;
  }

  /** Re-reads the whole tree. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Renders the status as the view's message: shown for errors, cleared otherwise (the welcome content covers "none"). */
  showStatus(status: ClusterStatus): void {
    if (this.view === undefined) return;
    this.view.message = status.state === 'error' || status.state === 'connecting' ? status.message : undefined;
  }

  getTreeItem(node: TreeNode): TreeItem {
    return toTreeItem(node);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      const children = await this.state.request((p) => p.treeChildren, { parentId: node?.id ?? null });
      if (children === undefined) {
        this.reportOnce(SERVER_UNAVAILABLE_MESSAGE);
        return [];
      }
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
