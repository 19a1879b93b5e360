/**
 * The LeastAllocated scoring strategy, after
 * pkg/scheduler/framework/plugins/noderesources/least_allocated.go.
 *
 * Contract: per resource with allocatable > 0, `(allocatable - requested) * 100 / allocatable`
 * (0 when requested exceeds allocatable), in Go int64 arithmetic; the weighted mean is truncated.
 * Products beyond 2^47 (e.g. memory bytes × 100) are computed in BigInt.
 */
import { MAX_NODE_SCORE } from '../../framework/interface';
import { int64Div, mulDiv } from '../../resource/int64';
import type { ResourceScorer, ResourceSpec } from './resource-allocation';

/** `leastRequestedScore`: the unused share of `capacity`, 0..100. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDiv(capacity - requested, MAX_NODE_SCORE, capacity);
}

/** `leastResourceScorer`: the weighted, truncated mean of `leastRequestedScore`. */
export function leastResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return (requested, _allocated, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const cap = allocatable[i]!;
      if (cap === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += leastRequestedScore(requested[i]!, cap) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : int64Div(nodeScore, weightSum);
  };
}
