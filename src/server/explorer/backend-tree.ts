/**
 * The tree of one backend: the pure `TreeModel` over the current caches (rebuilt with them when the
 * session is replaced), the health checks the Cluster rows ask for, and reveal paths.
 *
 * Contract: `children` never throws (a failure is one message row); `nodePath` is [] for an id not in
 * the tree.
 */
import type { TreeNode } from '../../shared/protocol';
import type { BackendCore } from './backend-core';
import type { ConnectionHealth } from './connection-health';
import { customSource, helmSource } from './object-lookup';
import { childId } from './tree-ids';
import { TreeModel } from './tree-model';
import type { ContextEntry, TreeSource } from './tree-source';

/** The tree rows of one backend. */
export class BackendTree {
  private model: TreeModel;

  /** A tree over the caches of `core`, showing the status of `health`. */
  constructor(
    private readonly core: BackendCore,
    private readonly health: ConnectionHealth,
  ) {
    this.model = this.build();
  }

  /** Builds the model over the current caches (after the session was replaced). */
  rebuild(): void {
    this.model = this.build();
  }

  private build(): TreeModel {
    return new TreeModel(this.source(), () => ({
      context: this.core.opts.context,
      contexts: this.listedContexts(),
      health: this.health.health,
      problem: this.health.problem(),
    }));
  }

  /**
   * Starts, beside the core caches, every cache the first full paint reads (the sections' rows: the
   * category groups' counts, custom resource definitions, Helm releases) instead of when the tree first
   * asks: on a large cluster their lists then run while the core ones do, and the paint completes soon
   * after the core caches sync. Computing the sections' rows is what starts them.
   */
  startPaintCaches(): void {
    try {
      for (const section of this.model.children(childId('', this.core.opts.context))) this.model.children(section.id);
    } catch {
      /* The rows are computed again when the tree asks; they say what failed then. */
    }
  }

  /** The rows under `parentId` (null: the root); the context and Cluster rows check health first. */
  async children(parentId: string | null): Promise<TreeNode[]> {
    try {
      const ctxId = childId('', this.core.opts.context);
      if (parentId === ctxId && this.health.health === undefined) await this.health.check();
      if (parentId === childId(ctxId, 'cluster')) await this.health.check();
      return this.model.children(parentId);
    } catch (e) {
      return [
        {
          id: `${parentId ?? ''}/!error`,
          label: `Could not list: ${e instanceof Error ? e.message : String(e)}`,
          kind: 'message',
          contextValue: 'message',
          hasChildren: false,
        },
      ];
    }
  }

  /** The rows from the root to `id` (for reveal). */
  nodePath(id: string): TreeNode[] {
    try {
      return this.model.path(id);
    } catch {
      return [];
    }
  }

  private listedContexts(): ContextEntry[] {
    const { opts } = this.core;
    const list = [...opts.contexts()];
    if (!list.some((c) => c.name === opts.context)) list.unshift({ name: opts.context, server: opts.server });
    return list;
  }

  /** The model's view of the current caches (read through `core` at each call). */
  private source(): TreeSource {
    const core = this.core;
    return {
      namespaces: core.opts.namespaces,
      list: (kind, ns) => core.data.list(kind, ns),
      state: (kind) => core.data.source(kind).state,
      podsOnNode: (node) => core.data.podsOnNode(node),
      custom: (crd) => {
        const s = customSource(core.data, crd);
        return {
          list: (ns) => s.list(ns),
          get state() {
            return s.state;
          },
        };
      },
      helmSecrets: () => {
        const s = helmSource(core.data);
        return {
          list: () => s.list(),
          get state() {
            return s.state;
          },
        };
      },
    };
  }
}
