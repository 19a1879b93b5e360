/** Turns the server's {@link TreeNode}s into VS Code tree items; `contextValue` drives the item menus. */
import { ThemeIcon, TreeItem, TreeItemCollapsibleState } from 'vscode';
import type { TreeNode, TreeNodeKind } from '../../shared/protocol';

/** Codicons by kind; unknown kinds get a neutral icon. */
const ICONS: Partial<Record<TreeNodeKind | 'context' | 'cluster' | 'resource', string>> = {
  message: 'info',
  group: 'folder',
  namespace: 'symbol-namespace',
  node: 'server',
  pod: 'package',
  deployment: 'layers',
  replicaset: 'copy',
  statefulset: 'database',
  daemonset: 'broadcast',
  job: 'play',
  cronjob: 'watch',
  context: 'plug',
  cluster: 'cloud',
  resource: 'symbol-object',
};

/** Builds the tree item for `node`. */
export function toTreeItem(node: TreeNode): TreeItem {
  const item = new TreeItem(
    node.label,
    node.hasChildren ? TreeItemCollapsibleState.Collapsed : TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  item.contextValue = node.contextValue;
  item.iconPath = new ThemeIcon(ICONS[node.kind] ?? 'circle-outline');
  if (node.description !== undefined) item.description = node.description;
  if (node.tooltip !== undefined) item.tooltip = node.tooltip;
  return item;
}
