/**
 * The zone-interleaved node order, after pkg/scheduler/backend/cache/node_tree.go and
 * staging/src/k8s.io/component-helpers/node/topology/helpers.go (`GetZoneKey`).
 *
 * Contract: `list()` interleaves zones round-robin in the order zones were first seen, and within
 * a zone keeps insertion order. A node whose zone changes moves to the end of its new zone.
 */
import type { Node } from '../../kube-api/types';

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const GA_ZONE = 'topology.kubernetes.io/zone';
const GA_REGION = 'topology.kubernetes.io/region';

/** `GetZoneKey`: `region + ":\x00:" + zone`, beta labels first; "" when neither is set. */
export function getZoneKey(node: Node): string {
  const labels = node.metadata?.labels;
  if (labels == null) return '';
  const zone = labels[BETA_ZONE] ?? labels[GA_ZONE] ?? '';
  const region = labels[BETA_REGION] ?? labels[GA_REGION] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}

/** `nodeTree`: node names grouped by zone. */
export class NodeTree {
  private readonly tree = new Map<string, string[]>();
  private readonly zones: string[] = [];
  private readonly zoneOf = new Map<string, string>();
  numNodes = 0;

  /** `addNode`: a duplicate name is ignored. */
  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    if (this.zoneOf.has(name)) return;
    const zone = getZoneKey(node);
    let names = this.tree.get(zone);
    if (names === undefined) {
      names = [];
      this.tree.set(zone, names);
      this.zones.push(zone);
    }
    names.push(name);
    this.zoneOf.set(name, zone);
    this.numNodes += 1;
  }

  /** `removeNode`: preserves the order of the remaining names; drops an emptied zone. */
  removeNode(name: string): void {
    const zone = this.zoneOf.get(name);
    if (zone === undefined) return;
    const names = this.tree.get(zone)!;
    const i = names.indexOf(name);
    if (i >= 0) names.splice(i, 1);
    if (names.length === 0) {
      this.tree.delete(zone);
      const zi = this.zones.indexOf(zone);
      if (zi >= 0) this.zones.splice(zi, 1);
    }
    this.zoneOf.delete(name);
    this.numNodes -= 1;
  }

  /** `updateNode`: re-adds the node only when its zone key changed. */
  updateNode(oldNode: Node | undefined, newNode: Node): void {
    const name = newNode.metadata?.name ?? '';
    const cur = this.zoneOf.get(name);
    if (cur !== undefined && oldNode !== undefined && cur === getZoneKey(newNode)) return;
    if (cur !== undefined) this.removeNode(name);
    this.addNode(newNode);
  }

  /** `list()`: zones interleaved round-robin. */
  list(): string[] {
    const out: string[] = [];
    if (this.zones.length === 1) return this.tree.get(this.zones[0]!)!.slice();
    for (let idx = 0; out.length < this.numNodes; idx++) {
      for (const z of this.zones) {
        const names = this.tree.get(z)!;
        if (idx < names.length) out.push(names[idx]!);
      }
    }
    return out;
  }
}
