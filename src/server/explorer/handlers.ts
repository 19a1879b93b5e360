/**
 * The explorer's requests and notifications: per-document manifest writes, reveal paths, followed
 * logs, tree-change and credential-prompt notifications. Thin: look up the parsed document model,
 * choose the documents (`services/manifest-write.ts`), delegate to the current backend.
 */
import {
  authPrompt,
  didChangeTree,
  didReportWriteProgress,
  followLogs,
  listNamespaces,
  logChunk,
  stopLogs,
  treeNodePath,
  writeManifest,
} from '../../shared/protocol';
import { explorerFactoryConfig, REQUIRES_CLUSTER } from '../cluster-host';
import type { ServerContext } from '../context';
import { documentsToWrite } from '../services/manifest-write';

/** Registers the explorer handlers on the server's connection. */
export function registerExplorerHandlers(ctx: ServerContext): void {
  const { connection, cluster, documents } = ctx;
  explorerFactoryConfig.onAuthPrompt = (context, text) =>
    void connection.sendNotification(authPrompt, { context, text: text.slice(0, 2000) });
  explorerFactoryConfig.authSettings = async () => {
    const raw = (await Promise.race([
      connection.workspace.getConfiguration('kubeForecast.auth'),
      new Promise((r) => setTimeout(() => r(undefined), 2000)),
    ]).catch(() => undefined)) as { useLoginShellPath?: unknown; extraPath?: unknown } | undefined;
    return {
      useLoginShellPath: typeof raw?.useLoginShellPath === 'boolean' ? raw.useLoginShellPath : true,
      extraPath: Array.isArray(raw?.extraPath) ? raw.extraPath.filter((x): x is string => typeof x === 'string') : [],
    };
  };
  cluster.onDidChangeTree((ids) => void connection.sendNotification(didChangeTree, { ids }));
  connection.onRequest(writeManifest, async (params) => {
    const open = documents.get(params.uri);
    const manifest = documents.manifest(params.uri);
    if (open === undefined || manifest === undefined)
      return { ok: false, reason: 'The manifest is not open in an editor.' };
    const chosen = documentsToWrite(open, manifest, params);
    if (!chosen.ok) return chosen;
    const b = cluster.backend;
    if (b.writeManifest === undefined) return { ok: false, reason: cluster.status.message ?? REQUIRES_CLUSTER };
    const { writeId } = params;
    return b.writeManifest(
      chosen.value,
      params,
      writeId === undefined
        ? undefined
        : (p) => void connection.sendNotification(didReportWriteProgress, { writeId, ...p }),
    );
  });
  connection.onRequest(listNamespaces, async () => {
    const b = cluster.backend;
    if (b.namespaceNames === undefined) return { ok: false, reason: cluster.status.message ?? REQUIRES_CLUSTER };
    return b.namespaceNames();
  });
  connection.onRequest(treeNodePath, ({ id }) => cluster.backend.nodePath?.(id) ?? []);
  const streams = new Map<string, () => void>();
  connection.onRequest(followLogs, ({ nodeId, streamId }) => {
    const b = cluster.backend;
    if (b.followLogs === undefined) return { ok: false, reason: cluster.status.message ?? REQUIRES_CLUSTER };
    const r = b.followLogs(
      nodeId,
      (text) => void connection.sendNotification(logChunk, { streamId, text }),
      (reason) => {
        streams.delete(streamId);
        void connection.sendNotification(logChunk, { streamId, text: '', ended: reason });
      },
    );
    if (typeof r !== 'function') return { ok: false, reason: r.error };
    streams.set(streamId, r);
    return { ok: true, value: streamId };
  });
  connection.onNotification(stopLogs, ({ streamId }) => {
    streams.get(streamId)?.();
    streams.delete(streamId);
  });
}
