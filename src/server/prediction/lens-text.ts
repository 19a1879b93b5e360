/**
 * The words of the prediction CodeLens: one short title per pod spec and a longer tooltip.
 *
 * Pure. Titles lead with the answer and stay short enough that the Create/Apply link beside them is
 * visible in a 1,280 px window with the side bar open (`MAX_TITLE_CHARS`): `→ node-b 1287 · 4/6 nodes
 * fit`, `no node fits: 7× Insufficient nvidia.com/gpu, 2× node(s) had untolerated taint(s)` (the
 * commonest reasons of kube-scheduler's FitError, whose full text is the tooltip and the details
 * view's), `3 of 3 replicas fit now: node-a ×2, node-b` (nodes in the order the replicas land), or
 * for a DaemonSet `runs on 5 of 6 nodes: …`.
 */
import type { PreemptionJSON } from '../../scheduler';
import type { SpecVerdict } from './engine';

/** The longest title shown (the Create/Apply link must stay on screen); the tooltip carries the whole text. */
const MAX_TITLE_CHARS = 96;

/** A lens title and tooltip. */
export interface LensText {
  title: string;
  tooltip: string;
  /** `fits`, `partial`, `none` or `invalid`: drives diagnostics and tests. */
  outcome: 'fits' | 'partial' | 'none' | 'invalid';
}

/** The lens text for a verdict. */
export function lensText(v: SpecVerdict): LensText {
  if (v.errors !== undefined && v.errors.length > 0) {
    const first = v.errors[0]!;
    const more = v.errors.length > 1 ? ` (+${v.errors.length - 1} more)` : '';
    // `field: Invalid value: "x": why` reads `field: why` in the title; the tooltip keeps the value.
    const short = first.message.replace(/^([^:]+): Invalid value: (?:"(?:[^"\\]|\\.)*"|[^:]*): /, '$1: ');
    return cap(`⚠ cannot predict: ${short}${more}`, v.errors.map((e) => e.message).join('\n'), 'invalid');
  }
  const f = v.first;
  if (f === undefined) return cap('⚠ cannot predict', 'The model returned no result.', 'invalid');
  if (f.error !== undefined && f.selectedNode === undefined && f.failure === undefined) {
    return cap(`⚠ scheduler error: ${f.error}`, f.error, 'invalid');
  }
  if (v.daemon !== undefined) return daemonText(v.daemon, f.numAllNodes);
  const fit = fitCount(f);
  if (f.selectedNode === undefined) return noFitText(f.failure ?? 'no node fits', f.preemption);
  const score = v.selectedTotal !== undefined ? ` ${v.selectedTotal}` : f.scored ? '' : ' (only fit, not scored)';
  const tie = f.tieCount > 1 ? ` (tie of ${f.tieCount})` : '';
  const p = v.placement;
  if (p !== undefined) {
    const where = perNode(p.perNode);
    if (p.placed === p.requested) {
      return cap(
        `${p.placed} of ${p.requested} replicas fit now: ${where} · ${fit}`,
        `First replica → ${f.selectedNode}${score}${tie}.`,
        'fits',
      );
    }
    const rest = p.failure ?? p.error ?? '';
    return cap(
      `${p.placed} of ${p.requested} replicas fit now${p.placed > 0 ? `: ${where}` : ''} — then ${shortFailure(rest)}`,
      rest,
      p.placed > 0 ? 'partial' : 'none',
    );
  }
  const count = v.replicas.kind === 'replicas' || v.replicas.kind === 'completions' ? v.replicas.count : 1;
  const prefix = count === 0 ? '0 replicas requested; a pod would go ' : '';
  return cap(
    `${prefix}→ ${f.selectedNode}${score}${tie} · ${fit}`,
    `kube-scheduler would bind the pod to ${f.selectedNode}${score}${tie}.`,
    'fits',
  );
}

/** `4/6 nodes fit`, or `≥500 of 5000 nodes fit (searched 600)` when kube-scheduler stopped searching early. */
function fitCount(f: { feasibleNodes: number; numAllNodes: number; evaluatedNodes: number }): string {
  if (f.evaluatedNodes < f.numAllNodes)
    return `≥${f.feasibleNodes} of ${f.numAllNodes} nodes fit (kube-scheduler searched ${f.evaluatedNodes})`;
  return `${f.feasibleNodes}/${f.numAllNodes} nodes fit`;
}

function noFitText(failure: string, preemption: PreemptionJSON | undefined): LensText {
  if (preemption?.nominatedNode !== undefined) {
    const n = preemption.victims.length;
    return cap(
      `no node fits now — would preempt ${n} pod${n === 1 ? '' : 's'} on ${preemption.nominatedNode}`,
      failure,
      'partial',
    );
  }
  return cap(`no node fits: ${shortFailure(failure)}`, failure, 'none');
}

/**
 * The commonest reasons of a FitError (`0/N nodes are available: 2 A, 7 B. preemption: …`), most
 * nodes first: `7× B, 2× A`; at most two, then `(+k more)`. Any other text comes back as it is.
 */
export function shortFailure(failure: string): string {
  const m = /^0\/\d+ nodes are available: (.*?)\.(?: |$)/.exec(failure);
  if (m === null) return failure;
  const reasons = m[1]!
    .split(/, (?=\d+ )/)
    .map((part) => /^(\d+) (.*)$/.exec(part))
    .filter((x): x is RegExpExecArray => x !== null)
    .map((x) => ({ n: Number(x[1]), reason: x[2]! }))
    .sort((a, b) => b.n - a.n);
  if (reasons.length === 0) return failure;
  const shown = reasons.slice(0, 2).map((r) => `${r.n}× ${r.reason}`);
  return shown.join(', ') + (reasons.length > 2 ? ` (+${reasons.length - 2} more)` : '');
}

function daemonText(d: NonNullable<SpecVerdict['daemon']>, numAllNodes: number): LensText {
  const running = d.eligible.length - d.pending.length;
  const names = d.eligible.filter((n) => !d.pending.some((p) => p.node === n));
  const list = names.slice(0, 4).join(', ') + (names.length > 4 ? `, +${names.length - 4}` : '');
  const pend = d.pending.length > 0 ? ` · ${d.pending.length} would stay Pending (${d.pending[0]!.reason})` : '';
  const title = `DaemonSet runs on ${running} of ${numAllNodes} nodes${running > 0 ? `: ${list}` : ''}${pend}`;
  const tooltip = [
    `Nodes: ${names.join(', ') || 'none'}`,
    ...d.pending.map((p) => `${p.node}: Pending — ${p.reason}`),
  ].join('\n');
  return cap(title, tooltip, d.pending.length > 0 || running === 0 ? (running === 0 ? 'none' : 'partial') : 'fits');
}

/** `node-a ×2, node-b`, in the record's order (a placement lists nodes in the order replicas land on them). */
export function perNode(perNodeCounts: Record<string, number>): string {
  const e = Object.entries(perNodeCounts);
  const shown = e.slice(0, 4).map(([n, c]) => (c > 1 ? `${n} ×${c}` : n));
  return shown.join(', ') + (e.length > 4 ? `, +${e.length - 4} nodes` : '');
}

function cap(title: string, tooltip: string, outcome: LensText['outcome']): LensText {
  return {
    title: title.length > MAX_TITLE_CHARS ? `${title.slice(0, MAX_TITLE_CHARS - 1)}…` : title,
    tooltip,
    outcome,
  };
}
