/**
 * One scheduling cycle, after pkg/scheduler/schedule_one.go (`schedulePod`,
 * `findNodesThatFitPod`, `findNodesThatPassFilters`, `evaluateNominatedNode`, `prioritizeNodes`,
 * `selectHost`) and pkg/scheduler/framework/types.go (`FitError.Error`).
 *
 * Contract: filtering is sequential in nodeTree order rotated by `nextStartNodeIndex` (which
 * persists across pods, as upstream's), stopping after `numFeasibleNodesToFind` feasible nodes;
 * the canonical deterministic form of upstream's parallel search (spec §4.5). One feasible node
 * is chosen without scoring. The result exposes every node's filter status and scores.
 */
import type { Pod } from '../../kube-api/types';
import { CycleState } from '../framework/cycle-state';
import type { Handle, NodeInfo } from '../framework/interface';
import { Status, type Code } from '../framework/status';
import type { Framework } from './framework';
import { bytewiseCompare, goStringList } from './go-strings';
import { nodePluginScores, type NodePluginScores, type PluginScore, type ScoreTable } from './scoring';
import { numFeasibleNodesToFind, selectHostIndex } from './node-selection';
import { ABSENT_STATUS_KEY } from '../plugins/defaultpreemption/default-preemption';

/** `ErrNoNodesAvailable`. */
const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** A node's filter verdict. */
export interface NodeFilterStatus {
  code: Code;
  reasons: readonly string[];
  /** The plugin that rejected the node ('' for framework-level statuses). */
  plugin: string;
}

/** Everything known about one node after a cycle. */
export interface NodeResult {
  name: string;
  /** undefined when the node was not evaluated (search stopped before it). */
  filter?: NodeFilterStatus;
  feasible: boolean;
  /** Per score plugin, in score-plugin order; absent when the node was not scored. */
  scores?: PluginScore[];
  total?: number;
  /** 1 + the number of scored nodes with a strictly higher total. */
  rank?: number;
}

const SUCCESS_FILTER: NodeFilterStatus = { code: 'Success', reasons: [], plugin: '' };

function toFilterStatus(s: Status): NodeFilterStatus {
  return { code: s.code, reasons: s.reasons, plugin: s.plugin };
}

/** The outcome of one cycle; per-node details are computed on first access. */
export class ScheduleResult {
  selectedNode?: string;
  /** The selected node's index in `feasible` (and column in `scoreTable`); -1 when none was selected. */
  selectedIndex = -1;
  private tiedNames: string[] | undefined;
  /** Indices in `feasible` of the nodes sharing the top total (the names are built on first read). */
  tiedIndices: readonly number[] = [];
  /** Whether scoring ran (false for the single-feasible-node and nominated-node shortcuts). */
  scored = false;
  numAllNodes = 0;
  evaluatedNodes = 0;
  /** The FitError message when no node fits. */
  fitError?: string;
  /** An internal error (a plugin returned Error). */
  error?: string;
  /** The PreFilter status when PreFilter rejected the pod. */
  preFilterStatus?: NodeFilterStatus;
  /** The PostFilter message folded into the FitError, if any. */
  postFilterMessage?: string;
  /** Feasible nodes in evaluation order. */
  feasible: NodeInfo[] = [];
  /** Explicit filter statuses of rejected nodes. */
  statuses = new Map<string, Status>();
  /** Status of nodes without an explicit one (PreFilter result or rejection), if any. */
  absentStatus?: Status;
  /** The PreFilter result's node names, when PreFilter narrowed the candidates. */
  candidates?: ReadonlySet<string>;
  /** Scores of feasible nodes (columns aligned with `feasible`), when scoring ran. */
  scoreTable?: ScoreTable;
  private cachedNodeScores: NodePluginScores[] | undefined;
  /** Every node of the cycle, in nodeTree order. */
  readonly allNodes: readonly NodeInfo[] = [];
  private cachedNodes: NodeResult[] | undefined;

  constructor(allNodes: readonly NodeInfo[]) {
    this.allNodes = allNodes;
    this.numAllNodes = allNodes.length;
  }

  /** Scores of feasible nodes in upstream's `NodePluginScores` shape, aligned with `feasible`. */
  get nodeScores(): NodePluginScores[] | undefined {
    if (this.scoreTable === undefined) return undefined;
    if (this.cachedNodeScores === undefined) this.cachedNodeScores = nodePluginScores(this.scoreTable);
    return this.cachedNodeScores;
  }

  /** Nodes sharing the selected node's top total score (the selected one included). */
  get tiedNodes(): string[] {
    this.tiedNames ??= this.tiedIndices.map((i) => this.feasible[i]!.name);
    return this.tiedNames;
  }

  set tiedNodes(names: string[]) {
    this.tiedNames = names;
  }

  /** How many nodes share the top total (`tiedNodes.length`, without building the list). */
  get tieCount(): number {
    return this.tiedNames !== undefined ? this.tiedNames.length : this.tiedIndices.length;
  }

  /** Whether several nodes share the winning score. */
  get tie(): boolean {
    return this.tieCount > 1;
  }

  /** Per node, in nodeTree order. */
  get nodes(): NodeResult[] {
    if (this.cachedNodes) return this.cachedNodes;
    const feasibleIdx = new Map<string, number>();
    this.feasible.forEach((n, i) => feasibleIdx.set(n.name, i));
    // Totals sorted descending: a node's rank is 1 + the number of strictly higher totals.
    const sorted = this.scoreTable ? Float64Array.from(this.scoreTable.totals).sort().reverse() : new Float64Array(0);
    const rankOf = (total: number): number => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! > total) lo = mid + 1;
        else hi = mid;
      }
      return lo + 1;
    };
    const out: NodeResult[] = [];
    for (const ni of this.allNodes) {
      const r: NodeResult = { name: ni.name, feasible: false };
      const fi = feasibleIdx.get(ni.name);
      if (fi !== undefined) {
        r.feasible = true;
        r.filter = SUCCESS_FILTER;
        const ns = this.nodeScores?.[fi];
        if (ns) {
          r.scores = ns.scores;
          r.total = ns.totalScore;
          r.rank = rankOf(ns.totalScore);
        }
      } else {
        // The absent status belongs to nodes PreFilter ruled out; candidates the search did not
        // reach (it stopped after enough feasible nodes) have no status.
        const ruledOut = this.candidates === undefined || !this.candidates.has(ni.name);
        const s = this.statuses.get(ni.name) ?? (ruledOut ? this.absentStatus : undefined);
        if (s) r.filter = toFilterStatus(s);
      }
      out.push(r);
    }
    this.cachedNodes = out;
    return out;
  }
}

/**
 * `FitError.Error()`: `0/N nodes are available: ` + the PreFilter message, or the reason
 * histogram sorted bytewise on "<count> <reason>", then the PostFilter message.
 */
export function fitErrorMessage(
  numAllNodes: number,
  preFilterMsg: string,
  statuses: ReadonlyMap<string, Status>,
  absentStatus: Status | undefined,
  postFilterMsg: string,
): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg !== '') {
    msg += ` ${preFilterMsg}.`;
  } else {
    const hist = new Map<string, number>();
    for (const s of statuses.values()) for (const r of s.reasons) hist.set(r, (hist.get(r) ?? 0) + 1);
    if (statuses.size < numAllNodes && absentStatus) {
      for (const r of absentStatus.reasons) hist.set(r, (hist.get(r) ?? 0) + numAllNodes - statuses.size);
    }
    const parts = [...hist].map(([r, c]) => `${c} ${r}`).sort(bytewiseCompare);
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  // Since v1.34 the PostFilter message is appended as is (older releases added ". ", hence "..").
  if (postFilterMsg !== '') msg += ` ${postFilterMsg}`;
  return msg;
}

/** Schedules pods one at a time against a handle, keeping `nextStartNodeIndex` across pods. */
export class Scheduler {
  /** Where the next cycle's node search starts (`sched.nextStartNodeIndex`). */
  nextStartNodeIndex = 0;

  constructor(
    readonly framework: Framework,
    readonly handle: Handle,
    /** The configuration-wide percentageOfNodesToScore, used when the profile's is 0. */
    readonly globalPercentageOfNodesToScore = 0,
  ) {}

  /** `schedulePod`: PreFilter, Filter, (PreScore, Score, NormalizeScore), select. */
  schedulePod(pod: Pod, state: CycleState = new CycleState()): ScheduleResult {
    const allNodes = this.handle.nodeInfos();
    const res = new ScheduleResult(allNodes);
    if (allNodes.length === 0) {
      res.error = ERR_NO_NODES_AVAILABLE;
      return res;
    }
    const fw = this.framework;

    const pre = fw.runPreFilterPlugins(state, pod);
    if (pre.status != null && !pre.status.isSuccess()) {
      if (!pre.status.isRejected()) {
        res.error = pre.status.message();
        return res;
      }
      res.preFilterStatus = toFilterStatus(pre.status);
      res.absentStatus = pre.status;
      this.fail(res, state, pod, pre.status.message());
      return res;
    }

    // Upstream's Diagnosis.UnschedulablePlugins: the plugins of the PreFilterResult, plus any plugin
    // that rejects the nominated node below; the message of nodes outside the result lists them all.
    const unschedulablePlugins = new Set(pre.pluginsWithNodes);
    // The PreFilterResult stands even when the nominated node below is taken straight away.
    if (pre.result !== undefined) res.candidates = pre.result.nodeNames;
    // A nominated node (from preemption) is tried first and taken without scoring if it fits.
    const nominated = pod.status?.nominatedNodeName;
    if (typeof nominated === 'string' && nominated !== '') {
      const ni = this.handle.getNodeInfo(nominated);
      // Upstream evaluates it before (and regardless of) the PreFilter result.
      if (ni) {
        const s = fw.runFilterPluginsWithNominatedPods(state, pod, ni);
        if (s != null && s.code === 'Error') {
          res.error = s.message();
          return res;
        }
        if (s != null) {
          res.statuses.set(ni.name, s);
          if (s.isRejected() && s.plugin !== '') unschedulablePlugins.add(s.plugin);
        }
        if (s == null) {
          res.feasible = [ni];
          res.evaluatedNodes = 1;
          res.selectedIndex = 0;
          res.selectedNode = ni.name;
          res.tiedNodes = [ni.name];
          return res;
        }
      }
    }

    let nodes: readonly NodeInfo[] = allNodes;
    if (pre.result !== undefined) {
      const want = pre.result.nodeNames;
      nodes = allNodes.filter((n) => want.has(n.name));
      res.absentStatus = Status.unresolvable(`node(s) didn't satisfy plugin(s) ${goStringList(unschedulablePlugins)}`);
    }

    const err = this.findNodesThatPassFilters(res, state, pod, nodes);
    const processed = res.feasible.length + res.statuses.size;
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % allNodes.length;
    res.evaluatedNodes = processed;
    if (err !== undefined) {
      res.error = err;
      return res;
    }
    if (res.feasible.length === 0) {
      this.fail(res, state, pod, '');
      return res;
    }
    if (res.feasible.length === 1) {
      res.selectedIndex = 0;
      res.selectedNode = res.feasible[0]!.name;
      res.tiedNodes = [res.selectedNode];
      return res;
    }

    // prioritizeNodes.
    if (!fw.hasScorePlugins()) {
      const n = res.feasible.length;
      res.scoreTable = {
        nodeNames: res.feasible.map((x) => x.name),
        plugins: [],
        weights: [],
        raw: [],
        normalized: [],
        totals: new Float64Array(n).fill(1),
      };
    } else {
      const ps = fw.runPreScorePlugins(state, pod, res.feasible);
      if (ps != null && !ps.isSuccess()) {
        res.error = ps.message();
        return res;
      }
      const sc = fw.runScorePlugins(state, pod, res.feasible);
      if (sc.status != null) {
        res.error = sc.status.message();
        return res;
      }
      res.scoreTable = sc.table!;
    }
    res.scored = true;
    const pick = selectHostIndex(res.scoreTable.totals)!;
    res.selectedIndex = pick.host;
    res.selectedNode = res.feasible[pick.host]!.name;
    res.tiedIndices = pick.tied;
    return res;
  }

  /** `findNodesThatPassFilters`, sequentially; returns an error message on a plugin Error. */
  private findNodesThatPassFilters(
    res: ScheduleResult,
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): string | undefined {
    const fw = this.framework;
    const n = nodes.length;
    if (n === 0) return undefined;
    let numNodesToFind = numFeasibleNodesToFind(
      fw.percentageOfNodesToScore !== 0 ? fw.percentageOfNodesToScore : this.globalPercentageOfNodesToScore,
      n,
    );
    if (!fw.hasScorePlugins()) numNodesToFind = 1;
    const start = this.nextStartNodeIndex;
    if (!fw.hasFilterPlugins()) {
      for (let i = 0; i < numNodesToFind && i < n; i++) res.feasible.push(nodes[(start + i) % n]!);
      return undefined;
    }
    const active = fw.activeFilterPlugins(state);
    // Without nominated pods anywhere, the per-node nominated-pod lookup is skipped.
    const withNominated = fw.handle.hasNominatedPods?.() ?? true;
    for (let i = 0; i < n; i++) {
      const ni = nodes[(start + i) % n]!;
      const s = withNominated
        ? fw.runFilterPluginsWithNominatedPods(state, pod, ni, active)
        : fw.runFilterPlugins(state, pod, ni, active);
      if (s == null) {
        res.feasible.push(ni);
        if (res.feasible.length >= numNodesToFind) break;
        continue;
      }
      if (s.code === 'Error') return s.message();
      res.statuses.set(ni.name, s);
    }
    return undefined;
  }

  /** Records a FitError (after running PostFilter plugins, as upstream does). */
  private fail(res: ScheduleResult, state: CycleState, pod: Pod, preFilterMsg: string): void {
    let postMsg = '';
    if (this.framework.postFilterPlugins.length > 0) {
      // Upstream's NodeToStatus answers absent nodes with its AbsentNodesStatus; PostFilter plugins
      // get the explicit statuses plus that status in the cycle state.
      if (res.absentStatus) state.write(ABSENT_STATUS_KEY, res.absentStatus);
      const statusMap = new Map(res.statuses);
      const pf = this.framework.runPostFilterPlugins(state, pod, statusMap);
      postMsg = pf.status.message();
    }
    res.postFilterMessage = postMsg;
    res.fitError = fitErrorMessage(res.numAllNodes, preFilterMsg, res.statuses, res.absentStatus, postMsg);
  }
}
