/**
 * The Score phase of one profile, after pkg/scheduler/framework/runtime/framework.go
 * (`RunScorePlugins`) and pkg/scheduler/framework/types.go (`NodePluginScores`): each plugin's raw
 * score per node, NormalizeScore over the scored set, the range check and the weight, kept in typed
 * arrays (one row per plugin) so a cycle over thousands of nodes allocates no per-node score objects.
 *
 * Contract: plugin failures (returned or thrown) come back as upstream's Status messages; nothing
 * throws. A `ScoreRunner` reuses one block of storage between cycles (see `release`).
 */
import type { Pod } from '../../kube-api/types';
import type { CycleState } from '../framework/cycle-state';
import {
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type NodeInfo,
  type NodeScore,
  type ScorePlugin,
} from '../framework/interface';
import { Status } from '../framework/status';
import { errorText } from './go-strings';

/** One plugin's score on one node, at every stage. */
export interface PluginScore {
  plugin: string;
  /** What `Score` returned. */
  raw: number;
  /** After NormalizeScore (equal to raw for plugins without one). */
  normalized: number;
  /** normalized × weight: what upstream reports in `NodePluginScores.Scores`. */
  weighted: number;
}

/** `NodePluginScores`: one node's scores in score-plugin order, and their weighted total. */
export interface NodePluginScores {
  name: string;
  scores: PluginScore[];
  totalScore: number;
}

/**
 * The scores of one cycle: row `p` of `raw`/`normalized` holds plugin `plugins[p]`'s score for
 * node `nodeNames[i]` at column `i`; `totals[i]` is the weighted sum.
 */
export interface ScoreTable {
  readonly nodeNames: readonly string[];
  plugins: string[];
  weights: number[];
  raw: Float64Array[];
  normalized: Float64Array[];
  totals: Float64Array;
}

/**
 * A `ScoreTable` over scored nodes whose `nodeNames` list is built on first read (a cycle over
 * thousands of nodes usually needs only the winner's name).
 */
class LazyScoreTable implements ScoreTable {
  private names: string[] | undefined;
  readonly raw: Float64Array[] = [];
  readonly normalized: Float64Array[] = [];

  constructor(
    private readonly nodes: readonly NodeInfo[],
    readonly plugins: string[],
    readonly weights: number[],
    readonly totals: Float64Array,
  ) {}

  get nodeNames(): readonly string[] {
    this.names ??= this.nodes.map((x) => x.name);
    return this.names;
  }
}

/** Expands a score table into upstream's `NodePluginScores` shape (one object per node). */
export function nodePluginScores(t: ScoreTable): NodePluginScores[] {
  return t.nodeNames.map((name, i) => ({
    name,
    scores: t.plugins.map((plugin, p) => {
      const normalized = t.normalized[p]![i]!;
      return { plugin, raw: t.raw[p]![i]!, normalized, weighted: normalized * t.weights[p]! };
    }),
    totalScore: t.totals[i]!,
  }));
}

/** A score plugin with its weight. */
export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

/** Runs the Score phase for one framework, reusing its storage from one cycle to the next. */
export class ScoreRunner {
  private readonly scratch: NodeScore[][] = [];
  /** A score block handed back by `release`, reused by the next `run`. */
  private spareBlock: Float64Array | undefined;

  /**
   * `RunScorePlugins`: Score per node and plugin, NormalizeScore per plugin over the scored set,
   * range check, weight, for the plugins given (those skipped at PreScore left out). Scores are kept in typed arrays (one row per
   * plugin) so a cycle over thousands of nodes allocates no per-node score objects.
   */
  run(
    plugins: readonly WeightedScorePlugin[],
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { table?: ScoreTable; status: Status | null } {
    const n = nodes.length;
    const np = plugins.length;
    let numNormalized = 0;
    for (let pi = 0; pi < np; pi++) if (typeof plugins[pi]!.plugin.normalizeScore === 'function') numNormalized++;
    // One block per cycle: totals, then one raw row per plugin, then one normalised row per plugin
    // with NormalizeScore (the others' normalised row is their raw row). A block released by the
    // previous cycle's caller is reused.
    const size = n * (1 + np + numNormalized);
    let block = this.spareBlock;
    this.spareBlock = undefined;
    if (block === undefined || block.length < size) block = new Float64Array(size);
    const totals = block.subarray(0, n);
    totals.fill(0);
    const table = new LazyScoreTable(
      nodes,
      plugins.map((p) => p.plugin.name),
      plugins.map((p) => p.weight),
      totals,
    );
    let nextRow = 1;
    for (let pi = 0; pi < np; pi++) {
      const { plugin: pl, weight } = plugins[pi]!;
      const raw = block.subarray(nextRow * n, (nextRow + 1) * n);
      nextRow++;
      if (typeof pl.scoreNodes === 'function') {
        // Batch form: one call per plugin, no per-node result objects.
        let st: Status | null;
        try {
          st = pl.scoreNodes(state, pod, nodes, raw);
        } catch (e) {
          st = Status.error(errorText(e));
        }
        if (st != null && !st.isSuccess()) {
          return {
            status: Status.error(
              `running Score plugins: plugin ${JSON.stringify(pl.name)} failed with: ${st.message()}`,
            ).withPlugin(pl.name),
          };
        }
      } else
        for (let i = 0; i < n; i++) {
          let r: { score: number; status: Status | null };
          try {
            r = pl.score(state, pod, nodes[i]!);
          } catch (e) {
            r = { score: 0, status: Status.error(errorText(e)) };
          }
          if (r.status != null && !r.status.isSuccess()) {
            return {
              status: Status.error(
                `running Score plugins: plugin ${JSON.stringify(pl.name)} failed with: ${r.status.message()}`,
              ).withPlugin(pl.name),
            };
          }
          raw[i] = r.score;
        }
      let normalized = raw;
      if (typeof pl.normalizeScore === 'function') {
        const list = this.scratchList(pi, n);
        for (let i = 0; i < n; i++) {
          const e = list[i]!;
          e.name = nodes[i]!.name;
          e.score = raw[i]!;
        }
        let s: Status | null;
        try {
          s = pl.normalizeScore(state, pod, list);
        } catch (e) {
          s = Status.error(errorText(e));
        }
        if (s != null && !s.isSuccess()) {
          return {
            status: Status.error(
              `running Normalize on Score plugins: plugin ${JSON.stringify(pl.name)} failed with: ${s.message()}`,
            ).withPlugin(pl.name),
          };
        }
        normalized = block.subarray(nextRow * n, (nextRow + 1) * n);
        nextRow++;
        for (let i = 0; i < n; i++) normalized[i] = list[i]!.score;
      }
      for (let i = 0; i < n; i++) {
        const score = normalized[i]!;
        if (!(score <= MAX_NODE_SCORE && score >= MIN_NODE_SCORE) || !Number.isInteger(score)) {
          return {
            status: Status.error(
              `applying score defaultWeights on Score plugins: plugin ${JSON.stringify(pl.name)} returns an invalid score ${score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`,
            ).withPlugin(pl.name),
          };
        }
        totals[i] = totals[i]! + score * weight;
      }
      table.raw.push(raw);
      table.normalized.push(normalized);
    }
    return { table, status: null };
  }

  /**
   * Hands a table from `run` back: its storage is reused by the next cycle, so the caller must not
   * read the table (or rows taken from it) afterwards.
   */
  release(t: ScoreTable): void {
    this.spareBlock = new Float64Array(t.totals.buffer);
  }

  /** A reusable NodeScore list for plugin row `pi`, grown to `n` entries. */
  private scratchList(pi: number, n: number): NodeScore[] {
    let list = this.scratch[pi];
    if (list === undefined) {
      list = [];
      this.scratch[pi] = list;
    }
    while (list.length < n) list.push({ name: '', score: 0 });
    if (list.length > n) list.length = n;
    return list;
  }
}
