/**
 * Judges one pod of `npm run oracle:placement`: the model's prediction (made before the pod was
 * created, through the editor's own path) against what the real kube-scheduler did with it.
 *
 * Contract (pure): returns the list of differences, empty when they agree. The rules:
 * - Bound to X after scoring: the nodes kube-scheduler scored (its log) must all be feasible in the
 *   model; when it evaluated every node they must be exactly the model's feasible nodes. On those
 *   nodes every plugin's weighted score and the total must equal the model's (scored over the same
 *   nodes: `rescore` when they are a sample), and X must be among the model's top total.
 * - Bound to X without scoring: X was the only feasible node kube-scheduler found, so (its search
 *   stops only after 100 feasible nodes) the model's only feasible node.
 * - Not scheduled: the FailedScheduling event's text must equal the model's FitError (events cut
 *   long texts at 1024 characters, as `truncateMessage` does; so is the model's before comparing).
 * - Preemption: the nominated node must be one the model found equally good (`tiedNodes`) when every
 *   node could be a candidate, else one where the model finds victims; the victims must be the ones
 *   the model evicts on that node (`victimsOn`), where ties between equally important pods may go
 *   either way (kube-scheduler orders them by its cache's internal pod order).
 */
import type { PredictionDetails } from '../../../src/shared/protocol';
import type { CycleScores } from './scheduler-log';

/** What the real control plane did with the pod. */
export interface RealOutcome {
  /** The node the pod was bound to (finally; after a preemption, usually the nominated one). */
  boundNode?: string;
  /** kube-scheduler's "evaluatedNodes" and "feasibleNodes" for the binding cycle (its log). */
  evaluatedNodes?: number;
  feasibleNodes?: number;
  /** The scores of the binding cycle (absent when it did not score: one feasible node, or the nominated node). */
  scores?: CycleScores;
  /** The first FailedScheduling event's message. */
  failure?: string;
  /** The node preemption nominated, and the pods it evicted (`namespace/name`, sorted). */
  nominatedNode?: string;
  victims?: string[];
}

/** Model computations the rules need beyond the prediction itself. */
export interface ModelProbe {
  /** Weighted scores (plugin → score) and totals when only `nodes` are scored. */
  rescore(nodes: readonly string[]): { plugins: Map<string, Map<string, number>>; totals: Map<string, number> };
  /**
   * The victims (`namespace/name`, sorted) the model evicts to fit the pod on `node`, or undefined if
   * none can. Pods in `preferEvicting` go last among equally important pods (same priority, same
   * start second), whose order kube-scheduler takes from its cache's internal pod order.
   */
  victimsOn(node: string, preferEvicting?: readonly string[]): string[] | undefined;
}

const NOTE_LENGTH_LIMIT = 1024;

/** Upstream's `truncateMessage` for event notes. */
export function truncateMessage(message: string): string {
  if (message.length <= NOTE_LENGTH_LIMIT) return message;
  const suffix = ' ...';
  return message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}

/** The differences between the model's `details` and the real `outcome` (empty: they agree). */
export function comparePlacement(
  details: PredictionDetails,
  outcome: RealOutcome,
  numAllNodes: number,
  probe: ModelProbe,
): string[] {
  const out: string[] = [];
  if (details.errors !== undefined && details.errors.length > 0) {
    out.push(`the model could not predict: ${details.errors.join('; ')}`);
    return out;
  }
  const rows = details.nodes ?? [];
  const feasible = new Set(rows.filter((r) => r.feasible).map((r) => r.name));
  if (outcome.failure === undefined && outcome.boundNode !== undefined) {
    compareBinding(details, outcome, outcome.boundNode, feasible, numAllNodes, probe, out);
    return out;
  }
  if (outcome.failure === undefined) {
    out.push('the real scheduler neither bound the pod nor reported FailedScheduling');
    return out;
  }
  const modelFailure = details.failure === undefined ? undefined : truncateMessage(asNominated(details, outcome));
  if (modelFailure !== outcome.failure)
    out.push(
      `FitError: model ${modelFailure === undefined ? `binds to ${details.selectedNode ?? '?'}` : JSON.stringify(modelFailure)}, real ${JSON.stringify(outcome.failure)}`,
    );
  if (outcome.nominatedNode !== undefined) comparePreemption(details, outcome, numAllNodes, probe, out);
  else if (details.preemption?.nominatedNode !== undefined)
    out.push(`preemption: the model nominates ${details.preemption.nominatedNode}, the real scheduler nominated none`);
  return out;
}

function compareBinding(
  details: PredictionDetails,
  outcome: RealOutcome,
  bound: string,
  feasible: ReadonlySet<string>,
  numAllNodes: number,
  probe: ModelProbe,
  out: string[],
): void {
  if (details.failure !== undefined) {
    out.push(`the real scheduler bound to ${bound}; the model says ${JSON.stringify(details.failure)}`);
    return;
  }
  const scores = outcome.scores;
  if (scores === undefined || scores.totals.size === 0) {
    if (feasible.size !== 1 || !feasible.has(bound))
      out.push(
        `the real scheduler bound to ${bound} without scoring (one feasible node); the model finds ${feasible.size} feasible: ${[...feasible].slice(0, 8).join(', ')}`,
      );
    return;
  }
  const scored = [...scores.totals.keys()].sort();
  const infeasible = scored.filter((n) => !feasible.has(n));
  if (infeasible.length > 0)
    out.push(`the real scheduler scored nodes the model filters out: ${infeasible.join(', ')}`);
  const everyNode = outcome.evaluatedNodes === undefined || outcome.evaluatedNodes >= numAllNodes;
  if (everyNode && scored.length !== feasible.size) {
    const missed = [...feasible].filter((n) => !scores.totals.has(n));
    out.push(
      `feasible nodes: model ${feasible.size}, real ${scored.length} (the model also finds: ${missed.slice(0, 8).join(', ')})`,
    );
  }
  if (out.length > 0) return;
  const model = sameNodes(scored, feasible) ? fromRows(details) : probe.rescore(scored);
  for (const node of scored) {
    const real = scores.plugins.get(node) ?? new Map<string, number>();
    const mine = model.plugins.get(node) ?? new Map<string, number>();
    for (const plugin of new Set([...real.keys(), ...mine.keys()])) {
      const r = real.get(plugin);
      const m = mine.get(plugin);
      // The real log lists plugins PreScore skipped nowhere; the model lists them nowhere either.
      if (r !== m) out.push(`${node} ${plugin}: model ${m ?? 'absent'}, real ${r ?? 'absent'}`);
    }
    const rt = scores.totals.get(node);
    const mt = model.totals.get(node);
    if (rt !== mt) out.push(`${node} total: model ${mt ?? 'absent'}, real ${rt ?? 'absent'}`);
  }
  if (out.length > 0) return;
  let best = -Infinity;
  for (const n of scored) best = Math.max(best, model.totals.get(n) ?? -Infinity);
  if ((model.totals.get(bound) ?? -Infinity) !== best) {
    const top = scored.filter((n) => model.totals.get(n) === best);
    out.push(`bound to ${bound} (total ${model.totals.get(bound)}), the model's best is ${best} on ${top.join(', ')}`);
  }
}

function comparePreemption(
  details: PredictionDetails,
  outcome: RealOutcome,
  numAllNodes: number,
  probe: ModelProbe,
  out: string[],
): void {
  const nominated = outcome.nominatedNode!;
  const p = details.preemption;
  if (p?.nominatedNode === undefined) {
    out.push(`preemption: the real scheduler nominated ${nominated}; the model nominates none`);
    return;
  }
  const tied = p.tiedNodes ?? [p.nominatedNode];
  // DefaultPreemption tries at least 100 candidates (minCandidateNodesAbsolute), all nodes up to 100.
  if (numAllNodes <= 100 && !tied.includes(nominated))
    out.push(`preemption: the real scheduler nominated ${nominated}; the model ${tied.join(' or ')}`);
  const mine =
    nominated === p.nominatedNode
      ? p.victims.map((v) => `${v.namespace}/${v.name}`).sort()
      : probe.victimsOn(nominated);
  const real = outcome.victims ?? [];
  if (mine !== undefined && mine.join(' ') === real.join(' ')) return;
  // Equally important pods (same priority, started in the same second) are reprieved in an order the
  // scheduler takes from its cache: the real choice agrees when the model makes it with the ties its way.
  const tiesTheirWay = probe.victimsOn(nominated, real);
  if (tiesTheirWay !== undefined && tiesTheirWay.join(' ') === real.join(' ')) return;
  if (mine === undefined) out.push(`preemption: the model finds no victims that make room on ${nominated}`);
  else out.push(`victims on ${nominated}: model [${mine.join(', ')}], real [${real.join(', ')}]`);
}

/** The model's FitError naming the real nominated node when the model found it as good as its own. */
function asNominated(details: PredictionDetails, outcome: RealOutcome): string {
  const mine = details.preemption?.nominatedNode;
  const real = outcome.nominatedNode;
  const failure = details.failure!;
  if (
    mine === undefined ||
    real === undefined ||
    mine === real ||
    !(details.preemption?.tiedNodes ?? []).includes(real)
  )
    return failure;
  return failure.replace(`placement for pod on node ${mine},`, `placement for pod on node ${real},`);
}

function sameNodes(a: readonly string[], b: ReadonlySet<string>): boolean {
  return a.length === b.size && a.every((n) => b.has(n));
}

function fromRows(details: PredictionDetails): ReturnType<ModelProbe['rescore']> {
  const plugins = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const r of details.nodes ?? []) {
    if (!r.feasible || r.scores === undefined) continue;
    plugins.set(r.name, new Map(r.scores.map((s) => [s.plugin, s.weighted])));
    if (r.total !== undefined) totals.set(r.name, r.total);
  }
  return { plugins, totals };
}
