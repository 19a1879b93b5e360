/** Answers the tree and resource requests by delegating to the current cluster backend. */
import { applyManifest, resourceAction, resourceText, treeChildren } from '../../shared/protocol';
import type { ServerContext } from '../context';

/** Registers the tree, resource-text, resource-action and apply handlers. */
export function registerResourceHandlers(ctx: ServerContext): void {
  const { connection, cluster, documents } = ctx;
  connection.onRequest(treeChildren, ({ parentId }) => cluster.backend.children(parentId));
  connection.onRequest(resourceText, (params) => cluster.backend.resourceText(params));
  connection.onRequest(resourceAction, (params) => cluster.backend.resourceAction(params));
  connection.onRequest(applyManifest, async (params) => {
    const doc = documents.get(params.uri);
    if (doc === undefined) return { ok: false, reason: 'The manifest is not open in an editor.' };
    return cluster.backend.applyManifest(params, doc.getText());
  });
}
