/** Turns the server's {@link TreeNode}s into VS Code tree items; `contextValue` drives the item menus. */
import { ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState } from 'vscode';
import { Commands } from '../../shared/ids';
import type { TreeNode, TreeNodeKind, TreeNodeStatus } from '../../shared/protocol';

const ICONS: Record<TreeNodeKind, string> = {
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
  cluster: 'server-environment',
  resource: 'symbol-field',
};

/** Icons of generic resources, by context value. */
const RESOURCE_ICONS: Record<string, string> = {
  service: 'globe',
  ingress: 'link-external',
  endpointslice: 'debug-disconnect',
  configmap: 'settings',
  secret: 'lock',
  secretkey: 'key',
  persistentvolumeclaim: 'save',
  persistentvolume: 'database',
  storageclass: 'archive',
  customresourcedefinition: 'symbol-class',
  customresource: 'symbol-object',
  helmrelease: 'package',
  component: 'gear',
};

const PODS_BY_STATUS: Record<TreeNodeStatus, string> = {
  ok: 'pass-filled',
  pending: 'clock',
  warning: 'warning',
  error: 'error',
  unknown: 'circle-outline',
};

const COLORS: Record<TreeNodeStatus, string | undefined> = {
  ok: 'testing.iconPassed',
  pending: 'charts.yellow',
  warning: 'list.warningForeground',
  error: 'list.errorForeground',
  unknown: undefined,
};

/** The icon of a row: pods and components by status; other rows by kind, tinted by status. */
function iconOf(node: TreeNode): ThemeIcon {
  const status = node.status;
  if ((node.kind === 'pod' || node.contextValue === 'component') && status !== undefined) {
    const color = COLORS[status];
    return new ThemeIcon(PODS_BY_STATUS[status], color !== undefined ? new ThemeColor(color) : undefined);
  }
  const name =
    node.kind === 'resource'
      ? (RESOURCE_ICONS[node.contextValue] ?? ICONS.resource)
      : (ICONS[node.kind] ?? 'circle-outline');
  const color = status !== undefined && status !== 'ok' ? COLORS[status] : undefined;
  return new ThemeIcon(name, color !== undefined ? new ThemeColor(color) : undefined);
}

/** Builds the tree item for `node`. */
export function toTreeItem(node: TreeNode): TreeItem {
  const item = new TreeItem(
    node.label,
    node.hasChildren
      ? node.contextValue === 'context:active'
        ? TreeItemCollapsibleState.Expanded
        : TreeItemCollapsibleState.Collapsed
      : TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  item.contextValue = node.contextValue;
  item.iconPath = iconOf(node);
  if (node.description !== undefined) item.description = node.description;
  if (node.tooltip !== undefined && node.tooltip !== '') item.tooltip = node.tooltip;
  if (node.contextValue === 'secretkey') {
    item.command = { command: Commands.revealSecretValue, title: 'Reveal Secret Value', arguments: [node] };
  }
  if (node.contextValue === 'context') {
    item.command = { command: Commands.chooseContext, title: 'Connect', arguments: [node] };
  }
  return item;
}
