/**
 * What a client holds of the cluster explorer: the rows of the branches a chaos campaign touches,
 * fetched with `kube/treeChildren` and refetched only when the server says so (`kube/didChangeTree`),
 * as VS Code's tree view does.
 *
 * The branches (all expanded): the connected context's sections; Nodes and every node (its pods);
 * Namespaces and the campaign's namespace with its Pods, Deployments and ReplicaSets groups and every
 * Deployment (its pods); the Workloads category's kind groups.
 *
 * Contract: `load('')` fetches every branch afresh. `watch()` subscribes to `kube/didChangeTree`: for
 * each id it names ('' = everything) the rows under it are fetched again, expanded descendants
 * included, one refresh at a time. `snapshot()` waits until no refresh runs and returns the rows
 * reachable from the root, keyed by parent id, in fetch order.
 */
import { childId, objectId } from '../../src/server/explorer/tree-ids';
import { CATEGORY_PREFIX } from '../../src/server/explorer/tree-model';
import type { TreeNode } from '../../src/shared/protocol';
import type { LspClient } from '../lsp-fuzz/client';

/** Rows per parent id ('' is the root). */
export type TreeRows = [parentId: string, rows: TreeNode[]][];

/** Which rows are expanded: the campaign's branches under `context`, for namespace `namespace`. */
export function branchesOf(context: string, namespace: string): (row: TreeNode) => boolean {
  const ctx = childId('', context);
  const nodes = childId(ctx, 'nodes');
  const namespaces = childId(ctx, 'namespaces');
  const nsRow = objectId(namespaces, { kind: 'namespaces', namespace: '', name: namespace });
  const open = new Set([
    ctx,
    nodes,
    namespaces,
    childId(ctx, `${CATEGORY_PREFIX}workloads`),
    nsRow,
    childId(nsRow, 'pods'),
    childId(nsRow, 'deployments'),
    childId(nsRow, 'replicasets'),
  ]);
  return (row) =>
    row.hasChildren &&
    (open.has(row.id) ||
      (row.kind === 'node' && row.parentId === nodes) ||
      (row.kind === 'deployment' && row.parentId === childId(nsRow, 'deployments')));
}

/** A client's copy of the campaign's branches. */
export class TreeMirror {
  private readonly rows = new Map<string, TreeNode[]>();
  private queue: Promise<void> = Promise.resolve();
  private off: (() => void) | undefined;
  /** The last failure of a fetch (a request that timed out or answered an error), for the report. */
  lastError: string | undefined;

  constructor(
    private readonly client: LspClient,
    private readonly expanded: (row: TreeNode) => boolean,
  ) {}

  /** Follows `kube/didChangeTree` from now on (see the file comment). */
  watch(): void {
    this.off ??= this.client.on('kube/didChangeTree', (p) => {
      const ids = (p as { ids?: string[] } | undefined)?.ids ?? [''];
      for (const id of ids) void this.enqueue(id);
    });
  }

  /** Stops following notifications. */
  unwatch(): void {
    this.off?.();
    this.off = undefined;
  }

  /** Refetches the rows under `id` (and its expanded descendants) after the refreshes before it. */
  enqueue(id: string): Promise<void> {
    // An id the client does not show expanded has no rows to refetch (VS Code fetches them on expand).
    this.queue = this.queue.then(() => (id === '' || this.rows.has(id) ? this.fetch(id) : undefined));
    return this.queue;
  }

  /** Fetches every branch afresh (resolves when done). */
  load(): Promise<void> {
    return this.enqueue('');
  }

  /** The rows reachable from the root once no refresh runs. */
  async snapshot(): Promise<TreeRows> {
    for (let q = this.queue; ; q = this.queue) {
      await q;
      if (q === this.queue) break;
    }
    const out: TreeRows = [];
    const walk = (id: string): void => {
      const rows = this.rows.get(id);
      if (rows === undefined) return;
      out.push([id, rows]);
      for (const r of rows) if (this.expanded(r)) walk(r.id);
    };
    walk('');
    return out;
  }

  private async fetch(id: string): Promise<void> {
    try {
      const a = await this.client.request('kube/treeChildren', { parentId: id === '' ? null : id }, 30_000);
      if (a.error !== undefined) throw new Error(a.error.message);
      const rows = (a.result ?? []) as TreeNode[];
      this.rows.set(id, rows);
      // VS Code refetches the expanded rows under a changed one, and restores a known row's expansion.
      for (const r of rows) if (this.expanded(r)) await this.fetch(r.id);
    } catch (e) {
      this.lastError = `kube/treeChildren ${id || '(root)'}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
