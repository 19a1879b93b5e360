/**
 * Go int64 arithmetic on JS numbers: truncating division and `a * b / c` without losing exactness.
 *
 * Contract: inputs are integers (exact JS numbers). Results equal Go's int64 result whenever that
 * result fits in 2^53; intermediate products beyond 2^47 switch to BigInt (e.g. memory bytes × 100),
 * so no intermediate is ever rounded. Division by zero is the caller's responsibility (as in Go).
 */

/** Products below this bound keep float division exact enough to be corrected by one step. */
const FAST_LIMIT = 2 ** 47;

/** Go's `a / b` for int64: truncates toward zero. */
export function int64Div(a: number, b: number): number {
  const absA = Math.abs(a);
  const absB = Math.abs(b);
  if (absA < FAST_LIMIT && absB < FAST_LIMIT) {
    if (absB > absA) return 0;
    let q = Math.floor(absA / absB);
    if (q * absB > absA) q--;
    else if ((q + 1) * absB <= absA) q++;
    return a < 0 !== b < 0 ? -q : q;
  }
  return Number(BigInt(a) / BigInt(b));
}

/** Go's `a * b / c` for int64 (multiplication first, then truncating division), computed exactly. */
export function mulDiv(a: number, b: number, c: number): number {
  const p = a * b;
  if (Math.abs(p) < FAST_LIMIT) return int64Div(p, c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}
