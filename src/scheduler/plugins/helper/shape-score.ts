/**
 * `BuildBrokenLinearFunction`, after pkg/scheduler/framework/plugins/helper/shape_score.go.
 *
 * Contract: for a shape sorted by increasing utilization, returns f(p): the first point's score
 * at or below its utilization, linear interpolation (Go int64, truncating toward zero) between
 * neighbouring points, and the last point's score beyond the last utilization.
 */
import { int64Div } from '../../resource/int64';

/** `helper.FunctionShapePoint`. */
export interface FunctionShapePoint {
  utilization: number;
  score: number;
}

/** The broken-linear function through `shape`. */
export function buildBrokenLinearFunction(shape: readonly FunctionShapePoint[]): (p: number) => number {
  const pts = shape.map((s) => ({ utilization: s.utilization, score: s.score }));
  return (p: number): number => {
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i]!;
      if (p <= cur.utilization) {
        if (i === 0) return cur.score;
        const prev = pts[i - 1]!;
        return (
          prev.score + int64Div((cur.score - prev.score) * (p - prev.utilization), cur.utilization - prev.utilization)
        );
      }
    }
    return pts.length === 0 ? 0 : pts[pts.length - 1]!.score;
  };
}
