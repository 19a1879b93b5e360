/**
 * The cluster-wide image table ImageLocality reads, after pkg/scheduler/backend/cache/cache.go
 * (`imageStates`, `addNodeImageStates`, `removeNodeImageStates`): for every image name a node
 * reports, its size and the nodes that have it. Each NodeInfo's `imageStates` map points at the shared
 * entries, so `numNodes` is current on every node that has the image.
 */
import type { Node } from '../../kube-api/types';
import type { ImageStateSummary } from './interface';
import type { NodeInfoImpl } from './node-info';

/** One image's entry: its summary plus the nodes that have it. */
interface ImageState extends ImageStateSummary {
  nodes: Set<string>;
}

/** Image name → size and nodes; kept in step with the snapshot's nodes. */
export class ImageStates {
  private readonly byName = new Map<string, ImageState>();

  /** The summary of one image name, if any node has it. */
  get(name: string): ImageStateSummary | undefined {
    return this.byName.get(name);
  }

  /** Records the images `node` reports under every name, and gives `ni` its per-node summary. */
  addNode(node: Node, ni: NodeInfoImpl): void {
    const sum = new Map<string, ImageStateSummary>();
    const images = node.status?.images;
    if (Array.isArray(images)) {
      for (const image of images) {
        if (!Array.isArray(image?.names)) continue;
        for (const n of image.names) {
          if (typeof n !== 'string') continue;
          let st = this.byName.get(n);
          if (st === undefined) {
            st = { size: typeof image.sizeBytes === 'number' ? image.sizeBytes : 0, numNodes: 0, nodes: new Set() };
            this.byName.set(n, st);
          }
          st.nodes.add(ni.name);
          st.numNodes = st.nodes.size;
          if (!sum.has(n)) sum.set(n, st);
        }
      }
    }
    ni.imageStates = sum;
  }

  /** Forgets `ni`'s images (an image no node has any more leaves the table) and clears its summary. */
  removeNode(ni: NodeInfoImpl): void {
    for (const n of ni.imageStates.keys()) {
      const st = this.byName.get(n);
      if (!st) continue;
      st.nodes.delete(ni.name);
      st.numNodes = st.nodes.size;
      if (st.nodes.size === 0) this.byName.delete(n);
    }
    ni.imageStates = new Map();
  }

  /** Copies every entry of `other` into this (empty) table. */
  copyFrom(other: ImageStates): void {
    for (const [name, st] of other.byName) {
      this.byName.set(name, { size: st.size, numNodes: st.numNodes, nodes: new Set(st.nodes) });
    }
  }

  /** A per-node summary over this table's entries for the image names `names` (a cloned node's). */
  summaryOf(names: Iterable<string>): Map<string, ImageStateSummary> {
    const sum = new Map<string, ImageStateSummary>();
    for (const n of names) sum.set(n, this.byName.get(n)!);
    return sum;
  }
}
