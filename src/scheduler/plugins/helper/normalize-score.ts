/**
 * `DefaultNormalizeScore`, after pkg/scheduler/framework/plugins/helper/normalize_score.go.
 *
 * Contract: scales scores in place so the highest becomes `maxPriority` (int64 truncating
 * division); with `reverse` each score becomes `maxPriority - score`. When every score is 0
 * the scores stay 0, or all become `maxPriority` when reversed. Never fails.
 */
import type { NodeScore } from '../../framework/interface';
import type { Status } from '../../framework/status';

/** Normalises `scores` in place; returns null (Success). */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): Status | null {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return null;
  }
  for (const s of scores) {
    let v = Math.trunc((maxPriority * s.score) / max);
    // Guard exactness: the product only exceeds 2^53 for absurd raw scores; fall back to BigInt.
    if (!Number.isSafeInteger(maxPriority * s.score)) v = Number((BigInt(maxPriority) * BigInt(s.score)) / BigInt(max));
    if (reverse) v = maxPriority - v;
    s.score = v;
  }
  return null;
}
