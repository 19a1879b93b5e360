/**
 * Runs scheduler conformance scenarios (/work/shared/conformance/FORMAT.md) against the model.
 *
 * Contract, per FORMAT.md "How to run a scenario":
 * - plugin-level filter cases run PreFilter of each listed plugin, then Filter of the listed
 *   plugins for every node named in `expect.filter` (even nodes a PreFilter result excludes);
 * - plugin-level score cases run PreScore over the candidates (`feasibleNodes`, else all nodes),
 *   Score per candidate, NormalizeScore, then the weight, and compare the summed totals;
 * - full-profile cases (`profile` + `scheduledOn`) run the whole cycle.
 * Plugin-level cases see only the feature gates the scenario lists (plugins read others as off,
 * as upstream's zero `Features{}`); full-profile cases see the release defaults with the
 * scenario's overrides.
 * A plugin that is not registered fails the scenario ("plugin X not implemented"). No scenario id
 * is ever special-cased. Nothing throws: a crash inside the model is a failure of that scenario.
 */
import { releaseForRef } from './upstream-refs';
import { mutatePodAffinity } from '../api/pod-affinity-label-keys';
import type { KubeObject, Namespace, Node, Pod } from '../api/types';
import type { V1Profile } from '../config/types';
import { CycleState } from '../framework/cycle-state';
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
import { DEFAULT_FEATURE_GATES } from '../framework/feature-gates';
import { snapshotFrom, type ClusterSnapshot } from '../framework/snapshot';
import type { Status } from '../framework/status';
import { lookupPlugin } from '../plugins/registry';
import { Framework } from '../runtime/framework';
import { resolveV1Profile } from '../runtime/profile';
import { Scheduler } from '../runtime/schedule-one';

/** An expected status: "Success"/"Skip", or a code with reasons or a message fragment. */
export type ExpectedStatus = string | { code: string; reasons?: string[]; messageContains?: string };

/** One scenario as FORMAT.md describes it. */
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
  objects?: KubeObject[];
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

/** The result of one scenario. */
export interface ScenarioResult {
  id: string;
  passed: boolean;
  /** Human-readable mismatches (expected vs actual). */
  failures: string[];
}

/** Release defaults of the gates the model consults (re-exported from framework/feature-gates). */
export { DEFAULT_FEATURE_GATES };

/** Options for running scenarios. */
export interface RunOptions {
  registry?: (name: string) => PluginFactory | undefined;
}

/** Runs one scenario; never throws. */
export function runScenario(s: Scenario, opts: RunOptions = {}): ScenarioResult {
  const id = typeof s?.id === 'string' ? s.id : '(scenario without id)';
  try {
    const failures =
      validateScenario(s) ??
      (s.profile !== undefined || s.expect.scheduledOn !== undefined
        ? runFullProfile(s, opts)
        : runPluginLevel(s, opts));
    return { id, passed: failures.length === 0, failures };
  } catch (e) {
    return { id, passed: false, failures: [`model threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`] };
  }
}

function validateScenario(s: Scenario): string[] | undefined {
  if (s == null || typeof s !== 'object') return ['scenario: must be an object'];
  if (s.plugins == null || typeof s.plugins !== 'object') return ['plugins: Required value'];
  if (!Array.isArray(s.plugins.filter)) return ['plugins.filter: must be a list'];
  if (!Array.isArray(s.plugins.score)) return ['plugins.score: must be a list'];
  if (s.expect == null || typeof s.expect !== 'object') return ['expect: Required value'];
  if (s.pod == null || typeof s.pod !== 'object') return ['pod: Required value'];
  return undefined;
}

/** Builds the snapshot: nodes in order, every existing pod counted (never de-duplicated). */
function buildSnapshot(s: Scenario, features?: FeatureGates): ClusterSnapshot {
  const pods = (s.existingPods ?? []).map((p, i) =>
    p?.metadata?.uid ? p : { ...p, metadata: { ...(p?.metadata ?? {}), uid: `conformance-existing-${i}` } },
  );
  return snapshotFrom(
    { nodes: s.nodes ?? [], pods, namespaces: s.namespaces ?? [], objects: s.objects ?? [] },
    features,
  );
}

function instantiate(
  names: readonly string[],
  s: Scenario,
  snapshot: ClusterSnapshot,
  features: FeatureGates,
  opts: RunOptions,
): { plugins: Map<string, Plugin>; failures: string[] } {
  const lookup = opts.registry ?? lookupPlugin;
  const plugins = new Map<string, Plugin>();
  const failures: string[] = [];
  for (const name of names) {
    if (plugins.has(name)) continue;
    const f = lookup(name);
    if (!f) {
      failures.push(`plugin ${name} not implemented`);
      continue;
    }
    plugins.set(
      name,
      f({ args: s.plugins.args?.[name], handle: snapshot, features, kubernetesVersion: releaseForRef(s.source?.ref) }),
    );
  }
  return { plugins, failures };
}

function describe(st: Status | null | undefined): string {
  if (st == null || st.code === 'Success') return 'Success';
  if (st.code === 'Skip') return 'Skip';
  return JSON.stringify({ code: st.code, reasons: st.reasons });
}

function describeExpected(e: ExpectedStatus): string {
  return typeof e === 'string' ? e : JSON.stringify(e);
}

/** Whether an actual status matches an expected one (reasons compared exactly when given). */
export function statusMatches(actual: Status | null | undefined, expected: ExpectedStatus): boolean {
  const code = actual == null ? 'Success' : actual.code;
  if (typeof expected === 'string') return code === expected;
  if (code !== expected.code) return false;
  const reasons = actual?.reasons ?? [];
  if (expected.reasons !== undefined) {
    if (reasons.length !== expected.reasons.length) return false;
    for (let i = 0; i < reasons.length; i++) if (reasons[i] !== expected.reasons[i]) return false;
  }
  if (expected.messageContains !== undefined && !reasons.join(', ').includes(expected.messageContains)) return false;
  return true;
}

function mismatch(what: string, expected: string, actual: string): string {
  return `${what}\n      expected: ${expected}\n      actual:   ${actual}`;
}

/**
 * Plugin-level cases get exactly the gates the scenario lists: plugins read an absent gate as off
 * (upstream's zero `plfeature.Features`), while framework code outside plugins reads it as its
 * release default (upstream's process-wide gates), per framework/feature-gates.ts.
 */
function pluginFeatures(s: Scenario): FeatureGates {
  return { ...(s.plugins.features ?? {}) };
}

function runPluginLevel(s: Scenario, opts: RunOptions): string[] {
  const snapshot = buildSnapshot(s);
  const features = pluginFeatures(s);
  const names = [...s.plugins.filter, ...s.plugins.score.map((p) => p.name)];
  const { plugins, failures } = instantiate(names, s, snapshot, features, opts);
  if (failures.length > 0) return failures;
  const pod = s.pod;
  const state = new CycleState();
  const out: string[] = [];

  if (s.plugins.filter.length > 0) {
    // PreFilter of every listed plugin; the first non-success, non-skip status is the result.
    let preStatus: Status | null = null;
    let allSkipped = true;
    let anyPreFilter = false;
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
      if (st != null && !st.isSuccess() && preStatus == null) preStatus = st;
    }
    const expectedPre = s.expect.preFilter;
    if (expectedPre !== undefined) {
      const actualDesc = anyPreFilter && allSkipped ? 'Skip' : describe(preStatus);
      const ok =
        expectedPre === 'Skip'
          ? anyPreFilter && allSkipped
          : !(anyPreFilter && allSkipped) && statusMatches(preStatus, expectedPre);
      if (!ok) out.push(mismatch('PreFilter status', describeExpected(expectedPre), actualDesc));
    }
    for (const [nodeName, expected] of Object.entries(s.expect.filter ?? {})) {
      const ni = snapshot.getNodeInfo(nodeName);
      if (!ni) {
        out.push(`filter ${nodeName}: node not in the scenario's nodes`);
        continue;
      }
      let st: Status | null = null;
      for (const name of s.plugins.filter) {
        const p = plugins.get(name) as Partial<FilterPlugin>;
        if (typeof p.filter !== 'function') continue;
        const r = p.filter.call(p, state, pod, ni);
        if (r != null && !r.isSuccess()) {
          st = r;
          break;
        }
      }
      if (!statusMatches(st, expected))
        out.push(mismatch(`Filter ${nodeName}`, describeExpected(expected), describe(st)));
    }
  }

  if (s.plugins.score.length > 0) {
    const all = snapshot.nodeInfos();
    let candidates: NodeInfo[] = [...all];
    if (Array.isArray(s.feasibleNodes)) {
      candidates = [];
      for (const n of s.feasibleNodes) {
        const ni = snapshot.getNodeInfo(n);
        if (ni) candidates.push(ni);
        else out.push(`feasibleNodes: ${n} is not among the scenario's nodes`);
      }
    }
    // The PreScore result: a score-only case may carry it as expect.preFilter (SKIPPED.md).
    const expectedPreScore = s.expect.preScore ?? (s.plugins.filter.length === 0 ? s.expect.preFilter : undefined);
    let preScoreStatus: Status | null = null;
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
      if (st != null && !st.isSuccess() && preScoreStatus == null) preScoreStatus = st;
    }
    if (expectedPreScore !== undefined) {
      const isSkip = anyPreScore && allSkipped;
      const ok = expectedPreScore === 'Skip' ? isSkip : !isSkip && statusMatches(preScoreStatus, expectedPreScore);
      if (!ok)
        out.push(
          mismatch('PreScore status', describeExpected(expectedPreScore), isSkip ? 'Skip' : describe(preScoreStatus)),
        );
    }
    if (s.expect.scores !== undefined) {
      if (preScoreStatus != null) {
        out.push(mismatch('PreScore status', 'Success', describe(preScoreStatus)));
      } else {
        const totals = new Map<string, number>();
        for (const ni of candidates) totals.set(ni.name, 0);
        for (const { name, weight } of s.plugins.score) {
          if (skipped.has(name)) continue;
          const p = plugins.get(name) as ScorePlugin;
          const list: NodeScore[] = [];
          let failed = false;
          for (const ni of candidates) {
            const r = p.score(state, pod, ni);
            if (r.status != null && !r.status.isSuccess()) {
              out.push(`Score ${name} on ${ni.name} failed: ${describe(r.status)}`);
              failed = true;
              break;
            }
            list.push({ name: ni.name, score: r.score });
          }
          if (failed) continue;
          if (typeof p.normalizeScore === 'function') {
            const st = p.normalizeScore(state, pod, list);
            if (st != null && !st.isSuccess()) {
              out.push(`NormalizeScore ${name} failed: ${describe(st)}`);
              continue;
            }
          }
          for (const ns of list) totals.set(ns.name, (totals.get(ns.name) ?? 0) + ns.score * weight);
        }
        const expectedScores = s.expect.scores;
        const wrong = Object.keys(expectedScores).filter((n) => totals.get(n) !== expectedScores[n]);
        if (wrong.length > 0) {
          const exp = Object.fromEntries(Object.keys(expectedScores).map((n) => [n, expectedScores[n]]));
          const act = Object.fromEntries(Object.keys(expectedScores).map((n) => [n, totals.get(n) ?? '(not scored)']));
          out.push(mismatch(`scores (differ on ${wrong.join(', ')})`, JSON.stringify(exp), JSON.stringify(act)));
        }
      }
    }
  }
  return out;
}

function runFullProfile(s: Scenario, opts: RunOptions): string[] {
  const features: FeatureGates = { ...DEFAULT_FEATURE_GATES, ...(s.plugins.features ?? {}) };
  const snapshot = buildSnapshot(s, features);
  const pluginConfig = Object.entries(s.plugins.args ?? {}).map(([name, args]) => ({ name, args }));
  const v1: V1Profile = { ...(s.profile ?? {}) };
  if (pluginConfig.length > 0) v1.pluginConfig = [...(v1.pluginConfig ?? []), ...pluginConfig];
  const resolved = resolveV1Profile(v1);
  if (!resolved.profile) return resolved.errors.map((e) => `profile: ${e}`);
  const { framework, errors } = Framework.fromProfile(resolved.profile, snapshot, {
    features,
    kubernetesVersion: releaseForRef(s.source?.ref),
    ...(opts.registry ? { registry: opts.registry } : {}),
  });
  if (errors.length > 0) return errors;
  // The pod went through kube-apiserver upstream, which merges (mis)matchLabelKeys into affinity selectors.
  const pod = features['MatchLabelKeysInPodAffinity'] ? mutatePodAffinity(s.pod) : s.pod;
  const result = new Scheduler(framework, snapshot).schedulePod(pod);
  const want = s.expect.scheduledOn ?? [];
  if (result.selectedNode !== undefined && want.includes(result.selectedNode)) return [];
  const detail: string[] = [];
  if (result.error) detail.push(`error: ${result.error}`);
  if (result.fitError) detail.push(`fit error: ${result.fitError}`);
  for (const n of result.nodes) {
    if (n.total !== undefined) {
      detail.push(
        `${n.name}: total ${n.total} (${(n.scores ?? []).map((p) => `${p.plugin} ${p.weighted}`).join(', ')})`,
      );
    } else if (n.filter && n.filter.code !== 'Success') {
      detail.push(`${n.name}: ${n.filter.code} ${n.filter.plugin} ${JSON.stringify(n.filter.reasons)}`);
    }
  }
  return [
    mismatch(
      'scheduled node',
      `one of ${JSON.stringify(want)}`,
      `${result.selectedNode ?? '(none)'}\n      ${detail.join('\n      ')}`,
    ),
  ];
}
