/**
 * The RequestedToCapacityRatio scoring strategy, after
 * pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio.go.
 *
 * Contract: shape scores (0..10) are scaled by `MaxNodeScore / MaxCustomPriorityScore` (= 10);
 * per resource with allocatable > 0 the score is f(utilization) with utilization
 * `requested * 100 / allocatable` (int64), or f(100) when allocatable is 0 or exceeded; only
 * resources scoring > 0 enter the weighted mean, which is rounded half away from zero.
 */
import { MAX_NODE_SCORE } from '../../framework/interface';
import { mulDiv } from '../../resource/int64';
import { buildBrokenLinearFunction, type FunctionShapePoint } from '../helper/shape-score';
import type { ResourceScorer, ResourceSpec } from './resource-allocation';

/** `config.MaxCustomPriorityScore`. */
const MAX_CUSTOM_PRIORITY_SCORE = 10;
/** `maxUtilization`. */
const MAX_UTILIZATION = 100;

/** `v1.UtilizationShapePoint` as configured (score 0..10). */
export interface UtilizationShapePoint {
  readonly utilization: number;
  readonly score: number;
}

/** `buildRequestedToCapacityRatioScorerFunction` over an already scaled shape. */
function buildRequestedToCapacityRatioScorerFunction(
  shape: readonly FunctionShapePoint[],
  resources: readonly ResourceSpec[],
): ResourceScorer {
  const raw = buildBrokenLinearFunction(shape);
  const resourceScore = (requested: number, capacity: number): number =>
    capacity === 0 || requested > capacity ? raw(MAX_UTILIZATION) : raw(mulDiv(requested, MAX_UTILIZATION, capacity));
  return (requested, _allocated, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const cap = allocatable[i]!;
      if (cap === 0) continue;
      const weight = resources[i]!.weight;
      const s = resourceScore(requested[i]!, cap);
      if (s > 0) {
        nodeScore += s * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/** `requestedToCapacityRatioScorer`: scales the configured shape to 0..100 and builds the scorer. */
export function requestedToCapacityRatioScorer(
  resources: readonly ResourceSpec[],
  shape: readonly UtilizationShapePoint[],
): ResourceScorer {
  const scale = Math.trunc(MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE);
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * scale }));
  return buildRequestedToCapacityRatioScorerFunction(scaled, resources);
}
