/** Answers the tree and resource requests by delegating to the current cluster backend. */
import { resourceAction, resourceText, treeChildren } from '../../shared/protocol';
import type { ServerContext } from '../context';

/** Registers the tree, resource-text and resource-action handlers. */
export function registerResourceHandlers(ctx: ServerContext): void {
  const { connection, cluster } = ctx;
  connection.onRequest(treeChildren, ({ parentId }) => cluster.backend.children(parentId));
  connection.onRequest(resourceText, (params) => cluster.backend.resourceText(params));
  connection.onRequest(resourceAction, (params) => cluster.backend.resourceAction(params));
}
