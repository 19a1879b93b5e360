/**
 * Builds the details view's data for one pod: every node's filter verdict and reasons, each score
 * plugin's normalised and weighted score, totals and ranks (an `all-nodes` prediction, so every node
 * is shown), the preemption victims, the replica placement, and the same as Markdown.
 *
 * Pure: `(pod, snapshot, profile) → PredictionDetails`.
 */
import { predictOn, type ClusterSnapshot, type SchedulerProfile } from '../../scheduler';
import type { DetailsNodeRow, PredictionDetails } from '../../shared/protocol';
import type { SpecVerdict } from './engine';
import { lensText, shortFailure } from './lens-text';
import type { PodObject } from './pod-from-spec';

/** The most node rows sent to the view (the best-ranked first, then the filtered-out ones). */
const MAX_DETAIL_ROWS = 1000;

/** Computes the details for `pod`; `verdict` (the lens verdict) supplies the summary and the replica placement. */
export function buildDetails(
  title: string,
  pod: PodObject,
  snapshot: ClusterSnapshot,
  profile: SchedulerProfile,
  verdict: SpecVerdict | undefined,
): PredictionDetails {
  const r = predictOn(pod as never, snapshot, profile, { mode: 'all-nodes', detail: 'full' });
  const weights = new Map<string, number>();
  for (const s of profile.plugins.score ?? []) weights.set(s.name, s.weight ?? 1);
  const order: string[] = [];
  const rows: DetailsNodeRow[] = (r.nodes ?? []).map((n) => {
    const row: DetailsNodeRow = { name: n.name, evaluated: n.evaluated, feasible: n.feasible };
    if (n.filter !== undefined) row.filter = n.filter;
    if (n.scores !== undefined) {
      row.scores = n.scores.map((s) => ({ plugin: s.plugin, normalized: s.normalized, weighted: s.weighted }));
      for (const s of n.scores) if (!order.includes(s.plugin)) order.push(s.plugin);
    }
    if (n.total !== undefined) row.total = n.total;
    if (n.rank !== undefined) row.rank = n.rank;
    return row;
  });
  rows.sort(
    (a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || (a.name < b.name ? -1 : 1),
  );
  const summary =
    verdict !== undefined
      ? lensText(verdict).title
      : r.selectedNode !== undefined
        ? `→ ${r.selectedNode}`
        : `no node fits: ${shortFailure(r.failure ?? '')}`;
  const d: PredictionDetails = {
    summary,
    markdown: '',
    title,
    schedulerName: r.schedulerName,
    numAllNodes: r.numAllNodes,
    feasibleNodes: r.feasibleNodes,
    plugins: order.map((name) => ({ name, weight: weights.get(name) ?? 1 })),
    nodes: rows.slice(0, MAX_DETAIL_ROWS),
  };
  if (r.selectedNode !== undefined) d.selectedNode = r.selectedNode;
  if (r.tiedNodes.length > 1) d.tiedNodes = r.tiedNodes;
  if (r.failure !== undefined) d.failure = r.failure;
  if (r.preemption !== undefined) d.preemption = r.preemption;
  const p = verdict?.placement;
  if (p !== undefined) {
    d.placement = { requested: p.requested, placed: p.placed, perNode: p.perNode };
    if (p.failure !== undefined) d.placement.failure = p.failure;
  }
  if (verdict?.errors !== undefined) d.errors = verdict.errors.map((e) => e.message);
  if (r.error !== undefined) d.errors = [...(d.errors ?? []), r.error];
  d.markdown = detailsMarkdown(d);
  return d;
}

/** The details as Markdown: summary, failure, preemption, and the table nodes × plugins. */
export function detailsMarkdown(d: PredictionDetails): string {
  const out: string[] = [`# ${d.title ?? 'Prediction'}`, '', `**${d.summary}**`, ''];
  if (d.schedulerName !== undefined)
    out.push(`Scheduler profile: \`${d.schedulerName}\`. ${d.feasibleNodes ?? 0}/${d.numAllNodes ?? 0} nodes fit.`, '');
  if (d.actual !== undefined) {
    out.push(
      `Actual: ${d.actual.nodeName !== undefined ? `scheduled on \`${d.actual.nodeName}\`` : (d.actual.phase ?? 'unknown')}${d.actual.message ? ` — ${d.actual.message}` : ''}`,
      '',
    );
  }
  if (d.failure !== undefined) out.push('```', d.failure, '```', '');
  for (const e of d.errors ?? []) out.push(`- ⚠ ${e}`);
  if (d.preemption?.nominatedNode !== undefined) {
    const others = (d.preemption.tiedNodes ?? []).filter((n) => n !== d.preemption?.nominatedNode);
    const alt =
      others.length > 0
        ? ` (or, equally good, ${others.map((n) => `\`${n}\``).join(', ')}: kube-scheduler may pick any)`
        : '';
    out.push(`Preemption would nominate \`${d.preemption.nominatedNode}\`${alt}, evicting:`, '');
    for (const v of d.preemption.victims) out.push(`- ${v.namespace}/${v.name} (priority ${v.priority})`);
    out.push('');
  }
  if (d.placement !== undefined) {
    const where = Object.entries(d.placement.perNode)
      .map(([n, c]) => `${n} ×${c}`)
      .join(', ');
    out.push(
      `Replicas: ${d.placement.placed} of ${d.placement.requested} fit now${where ? ` (${where})` : ''}.${d.placement.failure ? ` Then: ${d.placement.failure}` : ''}`,
      '',
    );
  }
  const plugins = d.plugins ?? [];
  out.push(
    `| Rank | Node | Filter | ${plugins.map((p) => `${p.name} (×${p.weight})`).join(' | ')}${plugins.length ? ' | ' : ''}Total |`,
  );
  out.push(`|---|---|---|${plugins.map(() => '---|').join('')}---|`);
  for (const n of d.nodes ?? []) {
    const filter = n.feasible
      ? 'fits'
      : n.filter !== undefined
        ? `${n.filter.plugin}: ${n.filter.reasons.join(', ')}`
        : 'not evaluated';
    const cells = plugins.map((p) => {
      const s = n.scores?.find((x) => x.plugin === p.name);
      return s === undefined ? '' : `${s.normalized} → ${s.weighted}`;
    });
    out.push(
      `| ${n.rank ?? ''} | ${n.name} | ${escapeCell(filter)} | ${cells.join(' | ')}${cells.length ? ' | ' : ''}${n.total ?? ''} |`,
    );
  }
  return out.join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}
