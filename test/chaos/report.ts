/**
 * The results of chaos campaigns: one record per fault, the per-type figures, the closing line of a
 * campaign and the `N passed, M failed` line `npm test` sums.
 *
 * Contract: pure functions. A fault "converged" when the watched server's view equalled the truth
 * within {@link CONVERGE_LIMIT_S} of the clear; otherwise it counts as "never" (its `seconds` is when it
 * converged after the limit, or null when it did not within the observation window).
 */
import type { ClusterKind } from '../clusters/test-cluster';
import type { FaultType } from './plan';

/** The goal: every fault converges within this many seconds of clearing. */
export const CONVERGE_LIMIT_S = 10;

/** One fault's outcome. */
export interface FaultRecord {
  cluster: ClusterKind;
  round: number;
  type: FaultType;
  /** The fault as planned, in words (`server-error 503 for 1.25 s`). */
  fault: string;
  /** The changes before and during it. */
  actions: string[];
  /** Seconds the fault was on (a kube-apiserver restart: until it was ready again). */
  onSeconds: number;
  /** Seconds from clear to equal (null: never within the observation window). */
  seconds: number | null;
  converged: boolean;
  /** Whether the watched server reported an error state while the fault was on. */
  bit: boolean;
  /** The watched server's status changes from the fault on, as `state@seconds` relative to the clear. */
  states: string[];
  /** The last difference seen before agreement, or the one still left at the end of the window. */
  difference?: string;
}

/** Per-type figures. */
export interface TypeFigures {
  count: number;
  converged: number;
  never: number;
  p50: number | null;
  max: number | null;
  /** Faults during which the watched server reported an error state. */
  bit: number;
}

/** The median (upper, of the sorted list) of `xs`, or null when empty. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Figures per fault type, in the order types first appear. */
export function figuresByType(records: readonly FaultRecord[]): Map<FaultType, TypeFigures> {
  const out = new Map<FaultType, TypeFigures>();
  const seconds = new Map<FaultType, number[]>();
  for (const r of records) {
    const f = out.get(r.type) ?? { count: 0, converged: 0, never: 0, p50: null, max: null, bit: 0 };
    f.count++;
    if (r.converged) f.converged++;
    else f.never++;
    if (r.bit) f.bit++;
    out.set(r.type, f);
    if (r.seconds !== null) seconds.set(r.type, [...(seconds.get(r.type) ?? []), r.seconds]);
  }
  for (const [type, f] of out) {
    const xs = seconds.get(type) ?? [];
    f.p50 = median(xs);
    f.max = xs.length === 0 ? null : Math.max(...xs);
  }
  return out;
}

const fmt = (s: number | null): string => (s === null ? '-' : s.toFixed(1));

/**
 * The closing line of one campaign:
 * `chaos seed S on real: F faults, C converged, N never, max X s, p50 per type drop-watches 0.4 s, ...`
 */
export function campaignLine(seed: number, cluster: ClusterKind, records: readonly FaultRecord[]): string {
  const converged = records.filter((r) => r.converged).length;
  const all = records.map((r) => r.seconds).filter((s): s is number => s !== null);
  const perType = [...figuresByType(records)].map(([t, f]) => `${t} ${fmt(f.p50)} s`).join(', ');
  return (
    `chaos seed ${seed} on ${cluster}: ${records.length} faults, ${converged} converged, ` +
    `${records.length - converged} never, max ${fmt(all.length ? Math.max(...all) : null)} s, p50 per type ${perType}`
  );
}

/** The line `npm test` sums: converged faults pass, the others fail. */
export function countsLine(records: readonly FaultRecord[]): string {
  const passed = records.filter((r) => r.converged).length;
  return `${passed} passed, ${records.length - passed} failed`;
}
