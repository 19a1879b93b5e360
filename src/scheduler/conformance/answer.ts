/**
 * The model's answer to a conformance scenario, in the JSON shape the real scheduler's oracle
 * (test/scheduler-oracle, Go over k8s.io/kubernetes v1.37.2) prints, so the two can be diffed field
 * by field. The same answers feed the corpus check in runner.ts.
 *
 * Contract (mirrors the oracle):
 * - plugin-level scenarios (no `profile`/`config`/`expect.scheduledOn`): PreFilter of every listed
 *   filter plugin, then Filter of those plugins for EVERY node (first failure wins, plugins whose
 *   PreFilter skipped are left out); PreScore over the candidates (`feasibleNodes`, else all nodes),
 *   Score, NormalizeScore and weight per score plugin. Only the scenario's gates are on.
 * - profile scenarios: the whole cycle with every node filtered and every feasible node scored
 *   (percentageOfNodesToScore 100), the release's default gates plus the scenario's, DefaultPreemption
 *   when nothing fits. Scores exist only when two or more nodes are feasible (upstream skips scoring
 *   for one). `selected` is the set of feasible nodes sharing the top total, sorted.
 * - profile scenarios stand for objects created through kube-apiserver: every pod (incoming and
 *   existing) is admitted as the product admits a manifest (api/defaulting.ts `admitPod`: core
 *   defaults, Priority, DefaultTolerationSeconds, RuntimeClass), as the oracle admits it with
 *   kube-apiserver's own code. Plugin-level scenarios are upstream unit tests: pods are used as given.
 * Never throws: a model crash is an `error` answer.
 */
import { admitPod, lookupFromObjects } from '../../kube-api/defaulting';
import type { KubeObject, Namespace, Node, Pod } from '../../kube-api/types';
import type { V1Profile } from '../config/types';
import { CycleState } from '../framework/cycle-state';
import { DEFAULT_FEATURE_GATES } from '../framework/feature-gates';
import type {
  FeatureGates,
  FilterPlugin,
  NodeInfo,
  NodeScore,
  Plugin,
  PluginFactory,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../framework/interface';
import { snapshotFrom, type ClusterSnapshot } from '../framework/snapshot';
import type { Status } from '../framework/status';
import { DefaultPreemption } from '../plugins/defaultpreemption/default-preemption';
import { lookupPlugin } from '../plugins/registry';
import { frameworkFor } from '../predict/predict';
import { resolveV1Profile } from '../runtime/profile';
import { Scheduler, type NodeResult } from '../runtime/schedule-one';
import { loadConfiguration, profileForSchedulerName } from '../config/load';

/** An expected status: "Success"/"Skip", or a code with reasons or a message fragment. */
export type ExpectedStatus = string | { code: string; reasons?: string[]; messageContains?: string };

/** One scenario as FORMAT.md describes it (plus `objects` and `config`). */
export interface Scenario {
  id: string;
  source?: { file?: string; case?: string; ref?: string };
  plugins: {
    filter: string[];
    score: { name: string; weight: number }[];
    args?: Record<string, Record<string, unknown>>;
    features?: Record<string, boolean>;
  };
  pod: Pod;
  nodes?: Node[];
  existingPods?: Pod[];
  namespaces?: Namespace[];
  /** PVs, PVCs, StorageClasses, CSINodes, PriorityClasses, PDBs, Services, ... */
  objects?: KubeObject[];
  /** A whole v1 KubeSchedulerConfiguration (profile mode). */
  config?: Record<string, unknown>;
  expect: {
    filter?: Record<string, ExpectedStatus>;
    scores?: Record<string, number>;
    preFilter?: ExpectedStatus;
    preScore?: ExpectedStatus;
    scheduledOn?: string[];
  };
  feasibleNodes?: string[];
  profile?: V1Profile;
  notes?: string;
}

/** A status as both sides print it. */
export type StatusAnswer = 'Success' | 'Skip' | { code: string; plugin?: string; reasons: string[] };

/** One plugin's score on one node. */
export interface ScoreAnswer {
  raw: number;
  normalized: number;
  weighted: number;
}

/** The answer to one scenario. */
export interface Answer {
  id: string;
  mode: 'plugins' | 'profile';
  /** The scenario could not be run (invalid input, a crash): the message. */
  error?: string;
  preFilter?: StatusAnswer;
  /** Merged PreFilterResult node names, sorted; null = all nodes. */
  preFilterResult?: string[] | null;
  /** plugins mode: every node's Filter status. */
  filter?: Record<string, StatusAnswer>;
  preScore?: StatusAnswer;
  /** plugins mode: per candidate node, per score plugin. */
  scores?: Record<string, Record<string, ScoreAnswer>>;
  totals?: Record<string, number>;
  /** profile mode: per node. */
  nodes?: Record<string, { filter: StatusAnswer; scores?: Record<string, ScoreAnswer>; total?: number }>;
  selected?: string[];
  failure?: string;
  /** When preemption nominated a node: the node and the victims it evicts ("ns/name"); else its message. */
  preemption?: { nominatedNode?: string; victims?: string[]; message?: string };
}

/** Options of `modelAnswer`. */
export interface AnswerOptions {
  registry?: (name: string) => PluginFactory | undefined;
  /** The release to model (default: the newest; the oracle answers for v1.37.2). */
  kubernetesVersion?: string;
}

/** Whether a scenario runs the whole profile. */
export function isProfileScenario(s: Scenario): boolean {
  return s.profile !== undefined || s.config !== undefined || s.expect?.scheduledOn !== undefined;
}

/** The model's answer; never throws. */
export function modelAnswer(s: Scenario, opts: AnswerOptions = {}): Answer {
  const id = typeof s?.id === 'string' ? s.id : '(scenario without id)';
  const mode = s && isProfileScenario(s) ? 'profile' : 'plugins';
  try {
    const invalid = validateScenario(s);
    if (invalid !== undefined) return { id, mode, error: invalid };
    return mode === 'profile' ? profileAnswer(s, opts) : pluginAnswer(s, opts);
  } catch (e) {
    return { id, mode, error: `model threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
  }
}

function validateScenario(s: Scenario): string | undefined {
  if (s == null || typeof s !== 'object') return 'scenario: must be an object';
  if (s.plugins == null || typeof s.plugins !== 'object') return 'plugins: Required value';
  if (!Array.isArray(s.plugins.filter)) return 'plugins.filter: must be a list';
  if (!Array.isArray(s.plugins.score)) return 'plugins.score: must be a list';
  if (s.expect == null || typeof s.expect !== 'object') return 'expect: Required value';
  if (s.pod == null || typeof s.pod !== 'object') return 'pod: Required value';
  return undefined;
}

/** Builds the snapshot: nodes in order, every existing pod counted (never de-duplicated). */
export function scenarioSnapshot(s: Scenario, features?: FeatureGates): ClusterSnapshot {
  const pods = (s.existingPods ?? []).map((p, i) =>
    p?.metadata?.uid ? p : { ...p, metadata: { ...(p?.metadata ?? {}), uid: `conformance-existing-${i}` } },
  );
  return snapshotFrom(
    { nodes: s.nodes ?? [], pods, namespaces: s.namespaces ?? [], objects: s.objects ?? [] },
    features,
  );
}

/** A status in the shared JSON shape (null = Success). */
function statusAnswer(st: Status | null | undefined, plugin?: string): StatusAnswer {
  if (st == null || st.code === 'Success') return 'Success';
  if (st.code === 'Skip') return 'Skip';
  const p = plugin ?? st.plugin;
  return { code: st.code, ...(p ? { plugin: p } : {}), reasons: [...st.reasons] };
}

function instantiate(
  names: readonly string[],
  s: Scenario,
  snapshot: ClusterSnapshot,
  features: FeatureGates,
  opts: AnswerOptions,
): Map<string, Plugin> | string {
  const lookup = opts.registry ?? lookupPlugin;
  const plugins = new Map<string, Plugin>();
  const missing: string[] = [];
  for (const name of names) {
    if (plugins.has(name)) continue;
    const f = lookup(name);
    if (!f) {
      missing.push(`plugin ${name} not implemented`);
      continue;
    }
    plugins.set(
      name,
      f({ args: s.plugins.args?.[name], handle: snapshot, features, kubernetesVersion: opts.kubernetesVersion }),
    );
  }
  return missing.length > 0 ? missing.join('; ') : plugins;
}

function pluginAnswer(s: Scenario, opts: AnswerOptions): Answer {
  // Plugins read an absent gate as off (upstream's zero plfeature.Features); framework code outside
  // plugins reads the release defaults (framework/feature-gates.ts).
  const features: FeatureGates = { ...(s.plugins.features ?? {}) };
  const snapshot = scenarioSnapshot(s);
  const names = [...s.plugins.filter, ...s.plugins.score.map((p) => p.name)];
  const plugins = instantiate(names, s, snapshot, features, opts);
  const out: Answer = { id: s.id, mode: 'plugins' };
  if (typeof plugins === 'string') return { ...out, error: plugins };
  const pod = s.pod;
  const state = new CycleState();

  if (s.plugins.filter.length > 0) {
    // PreFilter of every listed plugin; the first non-success, non-skip status is the result.
    let preStatus: Status | null = null;
    let prePlugin = '';
    let allSkipped = true;
    let anyPreFilter = false;
    let result = null as Set<string> | null;
    for (const name of s.plugins.filter) {
      const p = plugins.get(name) as Partial<PreFilterPlugin>;
      if (typeof p.preFilter !== 'function') continue;
      anyPreFilter = true;
      const r = p.preFilter.call(p, state, pod, snapshot.nodeInfos());
      const st = r.status;
      if (st != null && st.isSkip()) {
        state.skipFilterPlugins.add(name);
        continue;
      }
      allSkipped = false;
      if (st != null && !st.isSuccess() && preStatus == null) {
        preStatus = st;
        prePlugin = name;
      }
      if (r.result !== undefined) {
        const names = r.result.nodeNames;
        result = result === null ? new Set(names) : new Set([...result].filter((n) => names.has(n)));
      }
    }
    out.preFilter = anyPreFilter && allSkipped ? 'Skip' : statusAnswer(preStatus, prePlugin);
    out.preFilterResult = result === null ? null : [...result].sort();
    out.filter = {};
    for (const ni of snapshot.nodeInfos()) {
      let st: Status | null = null;
      let by = '';
      for (const name of s.plugins.filter) {
        if (state.skipFilterPlugins.has(name)) continue;
        const p = plugins.get(name) as Partial<FilterPlugin>;
        if (typeof p.filter !== 'function') continue;
        const r = p.filter.call(p, state, pod, ni);
        if (r != null && !r.isSuccess()) {
          st = r;
          by = name;
          break;
        }
      }
      out.filter[ni.name] = statusAnswer(st, by);
    }
  }

  if (s.plugins.score.length > 0) {
    let candidates: NodeInfo[] = [...snapshot.nodeInfos()];
    if (Array.isArray(s.feasibleNodes)) {
      candidates = [];
      for (const n of s.feasibleNodes) {
        const ni = snapshot.getNodeInfo(n);
        if (!ni) return { ...out, error: `feasibleNodes: ${n} is not among the scenario's nodes` };
        candidates.push(ni);
      }
    }
    let preScoreStatus: Status | null = null;
    let preScorePlugin = '';
    let allSkipped = true;
    let anyPreScore = false;
    const skipped = new Set<string>();
    for (const { name } of s.plugins.score) {
      const p = plugins.get(name) as Partial<PreScorePlugin>;
      if (typeof p.preScore !== 'function') {
        allSkipped = false;
        continue;
      }
      anyPreScore = true;
      const st = p.preScore.call(p, state, pod, candidates);
      if (st != null && st.isSkip()) {
        skipped.add(name);
        continue;
      }
      allSkipped = false;
      if (st != null && !st.isSuccess() && preScoreStatus == null) {
        preScoreStatus = st;
        preScorePlugin = name;
      }
    }
    out.preScore = anyPreScore && allSkipped ? 'Skip' : statusAnswer(preScoreStatus, preScorePlugin);
    if (preScoreStatus == null) {
      const scores: Record<string, Record<string, ScoreAnswer>> = {};
      const totals: Record<string, number> = {};
      for (const ni of candidates) {
        scores[ni.name] = {};
        totals[ni.name] = 0;
      }
      for (const { name, weight } of s.plugins.score) {
        if (skipped.has(name)) continue;
        const p = plugins.get(name) as ScorePlugin;
        const list: NodeScore[] = [];
        for (const ni of candidates) {
          const r = p.score(state, pod, ni);
          if (r.status != null && !r.status.isSuccess())
            return { ...out, error: `Score ${name} on ${ni.name}: ${JSON.stringify(statusAnswer(r.status))}` };
          list.push({ name: ni.name, score: r.score });
        }
        const raw = list.map((x) => x.score);
        if (typeof p.normalizeScore === 'function') {
          const st = p.normalizeScore(state, pod, list);
          if (st != null && !st.isSuccess())
            return { ...out, error: `NormalizeScore ${name}: ${JSON.stringify(statusAnswer(st))}` };
        }
        list.forEach((ns, i) => {
          scores[ns.name]![name] = { raw: raw[i]!, normalized: ns.score, weighted: ns.score * weight };
          totals[ns.name] = totals[ns.name]! + ns.score * weight;
        });
      }
      out.scores = scores;
      out.totals = totals;
    }
  }
  return out;
}

/** The resolved profile of a profile scenario, or the configuration errors. */
function scenarioProfile(s: Scenario): NonNullable<ReturnType<typeof resolveV1Profile>['profile']> | string {
  if (s.config !== undefined) {
    const r = loadConfiguration(s.config);
    if (!r.ok) return r.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
    const p = profileForSchedulerName(r.config.profiles, s.pod.spec?.schedulerName);
    return p ?? `no profile named ${s.pod.spec?.schedulerName ?? 'default-scheduler'}`;
  }
  const pluginConfig = Object.entries(s.plugins.args ?? {}).map(([name, args]) => ({ name, args }));
  const v1: V1Profile = { ...(s.profile ?? {}) };
  if (pluginConfig.length > 0) v1.pluginConfig = [...(v1.pluginConfig ?? []), ...pluginConfig];
  const resolved = resolveV1Profile(v1);
  return resolved.profile ?? resolved.errors.map((e) => `profile: ${e}`).join('; ');
}

/** The scenario with every pod admitted as kube-apiserver would have admitted it; or the rejection. */
function admitted(s: Scenario): Scenario | string {
  const lookup = lookupFromObjects(s.objects ?? []);
  const admit = (p: Pod, what: string): Pod | string => {
    const copy = structuredClone(p);
    const err = admitPod(copy as unknown as KubeObject, lookup);
    return err === undefined ? copy : `${what}: ${err}`;
  };
  const pod = admit(s.pod, 'pod');
  if (typeof pod === 'string') return pod;
  const existingPods: Pod[] = [];
  for (const [i, p] of (s.existingPods ?? []).entries()) {
    const a = admit(p, `existingPods[${i}]`);
    if (typeof a === 'string') return a;
    existingPods.push(a);
  }
  return { ...s, pod, existingPods };
}

function profileAnswer(raw: Scenario, opts: AnswerOptions): Answer {
  const out: Answer = { id: raw.id, mode: 'profile' };
  const s = admitted(raw);
  if (typeof s === 'string') return { ...out, error: s };
  const features: FeatureGates = { ...DEFAULT_FEATURE_GATES, ...(s.plugins.features ?? {}) };
  const snapshot = scenarioSnapshot(s, features);
  const profile = scenarioProfile(s);
  if (typeof profile === 'string') return { ...out, error: profile };
  const { framework, errors } = frameworkFor(snapshot, profile, true, features, opts.kubernetesVersion);
  if (errors.length > 0) return { ...out, error: errors.join('; ') };
  if (framework.missing.length > 0)
    return { ...out, error: `not modelled: ${[...new Set(framework.missing)].join(', ')}` };
  const preemptor = framework.postFilterPlugins.find((p): p is DefaultPreemption => p instanceof DefaultPreemption);
  const pod = s.pod;
  const saved = framework.percentageOfNodesToScore;
  framework.percentageOfNodesToScore = 100;
  let res;
  // When the nominated node fits, kube-scheduler takes it without looking at the others; the answer
  // still gives every node's Filter verdict (as the oracle does), from the same cycle without the
  // nomination, and no scores.
  let others: Map<string, NodeResult> | undefined;
  try {
    res = new Scheduler(framework, snapshot).schedulePod(pod, new CycleState());
    const nominated = pod.status?.nominatedNodeName;
    if (nominated && res.selectedNode === nominated && !res.scored) {
      const rest = new Scheduler(framework, snapshot).schedulePod(
        { ...pod, status: { ...pod.status, nominatedNodeName: '' } },
        new CycleState(),
      );
      others = new Map(rest.nodes.map((n) => [n.name, n]));
      if (rest.scoreTable !== undefined) framework.releaseScoreTable(rest.scoreTable);
    }
  } finally {
    framework.percentageOfNodesToScore = saved;
  }
  if (res.error !== undefined) return { ...out, error: res.error };
  out.preFilter = res.preFilterStatus
    ? { code: res.preFilterStatus.code, plugin: res.preFilterStatus.plugin, reasons: [...res.preFilterStatus.reasons] }
    : 'Success';
  out.preFilterResult = res.candidates === undefined ? null : [...res.candidates].sort();
  out.nodes = {};
  for (const evaluated of res.nodes) {
    const n = evaluated.filter === undefined && others?.get(evaluated.name) ? others.get(evaluated.name)! : evaluated;
    const node: NonNullable<Answer['nodes']>[string] = {
      filter:
        n.feasible || n.filter === undefined || n.filter.code === 'Success'
          ? 'Success'
          : {
              code: n.filter.code,
              ...(n.filter.plugin ? { plugin: n.filter.plugin } : {}),
              reasons: [...n.filter.reasons],
            },
    };
    if (n === evaluated && n.scores !== undefined && n.total !== undefined) {
      const t = res.scoreTable!;
      const col = res.feasible.findIndex((f) => f.name === n.name);
      node.scores = {};
      for (let p = 0; p < t.plugins.length; p++) {
        const normalized = t.normalized[p]![col]!;
        node.scores[t.plugins[p]!] = { raw: t.raw[p]![col]!, normalized, weighted: normalized * t.weights[p]! };
      }
      node.total = n.total;
    }
    out.nodes[n.name] = node;
  }
  out.selected = res.selectedNode === undefined ? [] : [...res.tiedNodes].sort();
  if (res.fitError !== undefined) {
    out.failure = res.fitError;
    const o = preemptor?.lastOutcome;
    if (o?.nominatedNodeName) {
      // The victims kube-scheduler evicts: one already terminating gets no API call (preemption
      // executor.go), so the oracle, which sees evictions, cannot list it; both count it in the
      // FitError's "preempting N victims".
      const victims = o.victims
        .filter((v) => v.metadata?.deletionTimestamp == null)
        .map((v) => `${v.metadata?.namespace ?? ''}/${v.metadata?.name ?? ''}`)
        .sort();
      out.preemption = { nominatedNode: o.nominatedNodeName, ...(victims.length > 0 ? { victims } : {}) };
    } else if (res.postFilterMessage) {
      out.preemption = { message: res.postFilterMessage };
    }
  }
  if (res.scoreTable !== undefined) framework.releaseScoreTable(res.scoreTable);
  return out;
}
