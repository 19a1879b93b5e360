/**
 * The compiled form of a PodTopologySpread constraint, after
 * pkg/scheduler/framework/plugins/podtopologyspread/common.go (`topologySpreadConstraint`): built once
 * per scheduling cycle by `getConstraints` (common.ts) and read by filtering, scoring and the
 * cross-cycle domain sums (domain-sums.ts).
 */
import type { Selector } from '../../../kube-api/labels';

/** `v1.NodeInclusionPolicy`: whether node affinity or taints decide which nodes count for skew. */
export type NodeInclusionPolicy = 'Honor' | 'Ignore';

/** The internal, parsed form of a `v1.TopologySpreadConstraint` (`topologySpreadConstraint`). */
export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  selector: Selector;
  readonly minDomains: number;
  readonly nodeAffinityPolicy: NodeInclusionPolicy;
  readonly nodeTaintsPolicy: NodeInclusionPolicy;
}
