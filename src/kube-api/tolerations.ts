/**
 * Taint/toleration matching, after staging/src/k8s.io/api/core/v1/toleration.go
 * (`ToleratesTaint`, `compareNumericValues`), staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go
 * (`TolerationsTolerateTaint`, `FindMatchingUntoleratedTaint`) and
 * pkg/scheduler/framework/plugins/helper/taint.go (`DoNotScheduleTaintsFilterFunc`).
 *
 * Contract: matching never throws. `Lt`/`Gt` tolerations match only when comparison operators
 * are enabled (gate TaintTolerationComparisonOperators); a value that is not a canonical decimal
 * int64 makes the comparison an error value carrying upstream's message.
 */
import type { Taint, Toleration } from './types';

/** A match result: tolerated or not, plus upstream's comparison error when one occurred. */
export interface TolerationResult {
  tolerated: boolean;
  error?: string;
}

const NOT_TOLERATED: TolerationResult = { tolerated: false };
const TOLERATED: TolerationResult = { tolerated: true };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `content.IsDecimalInteger` + `strconv.ParseInt(s, 10, 64)`: the value or upstream's error detail. */
function parseDecimalInt64(s: string): bigint | string {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return 'must be a valid decimal integer in canonical form';
  const v = BigInt(s);
  if (v < INT64_MIN || v > INT64_MAX) return `strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`;
  return v;
}

function compareNumeric(tolVal: string, taintVal: string, op: string): TolerationResult {
  const t = parseDecimalInt64(tolVal);
  if (typeof t === 'string')
    return { tolerated: false, error: `failed to parse toleration value ${JSON.stringify(tolVal)} as int64: ${t}` };
  const n = parseDecimalInt64(taintVal);
  if (typeof n === 'string')
    return { tolerated: false, error: `failed to parse taint value ${JSON.stringify(taintVal)} as int64: ${n}` };
  return (op === 'Lt' ? n < t : n > t) ? TOLERATED : NOT_TOLERATED;
}

/** `Toleration.ToleratesTaint`. */
function toleratesTaint(t: Toleration, taint: Taint, enableComparisonOperators: boolean): TolerationResult {
  if (t == null || typeof t !== 'object') return NOT_TOLERATED;
  const effect = t.effect ?? '';
  if (effect !== '' && effect !== taint.effect) return NOT_TOLERATED;
  const key = t.key ?? '';
  if (key !== '' && key !== taint.key) return NOT_TOLERATED;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '') ? TOLERATED : NOT_TOLERATED;
    case 'Exists':
      return TOLERATED;
    case 'Lt':
    case 'Gt':
      if (!enableComparisonOperators) return NOT_TOLERATED;
      return compareNumeric(t.value ?? '', taint.value ?? '', t.operator!);
    default:
      return NOT_TOLERATED;
  }
}

/** `TolerationsTolerateTaint`: tolerated by any; otherwise the first comparison error, if any. */
export function tolerationsTolerateTaint(
  tolerations: readonly Toleration[] | undefined,
  taint: Taint,
  enableComparisonOperators: boolean,
): TolerationResult {
  if (!Array.isArray(tolerations)) return NOT_TOLERATED;
  let firstErr: string | undefined;
  for (const t of tolerations) {
    const r = toleratesTaint(t, taint, enableComparisonOperators);
    if (r.tolerated) return TOLERATED;
    if (firstErr === undefined && r.error !== undefined) firstErr = r.error;
  }
  return firstErr === undefined ? NOT_TOLERATED : { tolerated: false, error: firstErr };
}

/** `DoNotScheduleTaintsFilterFunc`: NoSchedule and NoExecute taints. */
export function doNotScheduleTaint(t: Taint): boolean {
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}

/** The result of `FindMatchingUntoleratedTaint`. */
export interface UntoleratedTaint {
  taint: Taint;
  /** Set when only comparison errors made the taints untolerated. */
  error?: string;
}

/**
 * `FindMatchingUntoleratedTaint`: the first filtered taint (node order) no toleration tolerates.
 * A cleanly untolerated taint wins over a comparison error; otherwise the first error's taint.
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  filter: (t: Taint) => boolean,
  enableComparisonOperators: boolean,
): UntoleratedTaint | undefined {
  if (!Array.isArray(taints)) return undefined;
  let firstErr: UntoleratedTaint | undefined;
  for (const taint of taints) {
    if (taint == null || !filter(taint)) continue;
    const r = tolerationsTolerateTaint(tolerations, taint, enableComparisonOperators);
    if (r.error !== undefined) {
      if (firstErr === undefined) firstErr = { taint, error: r.error };
      continue;
    }
    if (!r.tolerated) return { taint };
  }
  return firstErr;
}
