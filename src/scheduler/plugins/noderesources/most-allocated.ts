/**
 * The MostAllocated scoring strategy, after
 * pkg/scheduler/framework/plugins/noderesources/most_allocated.go.
 *
 * Contract: per resource with allocatable > 0, `min(requested, allocatable) * 100 / allocatable`
 * in Go int64 arithmetic; the weighted mean is truncated. Products beyond 2^47 use BigInt.
 */
import { MAX_NODE_SCORE } from '../../framework/interface';
import { int64Div, mulDiv } from '../../resource/int64';
import type { ResourceScorer, ResourceSpec } from './resource-allocation';

/** `mostRequestedScore`: the used share of `capacity`, 0..100 (requests above capacity count as full). */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return mulDiv(Math.min(requested, capacity), MAX_NODE_SCORE, capacity);
}

/** `mostResourceScorer`: the weighted, truncated mean of `mostRequestedScore`. */
export function mostResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return (requested, _allocated, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const cap = allocatable[i]!;
      if (cap === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += mostRequestedScore(requested[i]!, cap) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : int64Div(nodeScore, weightSum);
  };
}
