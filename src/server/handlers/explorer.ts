/**
 * The explorer's requests and notifications: per-document manifest writes, namespaces, reveal paths,
 * followed logs, and tree-change notifications. Thin: parse, call the service, answer.
 */
import {
  didChangeTree,
  didReportWriteProgress,
  followLogs,
  listNamespaces,
  logChunk,
  stopLogs,
  treeNodePath,
  writeManifest,
} from '../../shared/protocol';
import type { ServerContext } from '../context';
import { namespaceNames, writeOpenManifest } from '../manifest-writes';

/** Registers the explorer handlers on the server's connection. */
export function registerExplorerHandlers(ctx: ServerContext): void {
  const { connection, cluster, documents, logs } = ctx;
  cluster.onDidChangeTree((ids) => void connection.sendNotification(didChangeTree, { ids }));
  connection.onRequest(writeManifest, (params) => {
    const { writeId } = params;
    return writeOpenManifest(
      documents,
      cluster,
      params,
      writeId === undefined
        ? undefined
        : (p) => void connection.sendNotification(didReportWriteProgress, { writeId, ...p }),
    );
  });
  connection.onRequest(listNamespaces, () => namespaceNames(cluster));
  connection.onRequest(treeNodePath, ({ id }) => cluster.backend.nodePath?.(id) ?? []);
  connection.onRequest(followLogs, ({ nodeId, streamId }) =>
    logs.follow(
      nodeId,
      streamId,
      (text) => void connection.sendNotification(logChunk, { streamId, text }),
      (reason) => void connection.sendNotification(logChunk, { streamId, text: '', ended: reason }),
    ),
  );
  connection.onNotification(stopLogs, ({ streamId }) => logs.stop(streamId));
}
