/**
 * Runs scheduler conformance scenarios (/work/shared/conformance/FORMAT.md) against the model.
 *
 * Contract, per FORMAT.md "How to run a scenario":
 * - plugin-level cases are the model's answer (answer.ts: PreFilter of each listed plugin, then
 *   Filter of the listed plugins for every node, even nodes a PreFilter result excludes) compared
 *   with `expect`;
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
import {
  isProfileScenario,
  modelAnswer,
  type Answer,
  type AnswerOptions,
  type ExpectedStatus,
  type Scenario,
  type StatusAnswer,
} from './answer';
import type { FeatureGates, PluginFactory } from '../framework/interface';
import { DEFAULT_FEATURE_GATES } from '../framework/feature-gates';
import { Framework } from '../runtime/framework';
import { resolveV1Profile } from '../runtime/profile';
import { Scheduler } from '../runtime/schedule-one';
import { scenarioSnapshot } from './answer';
import { mutatePodAffinity } from '../../kube-api/pod-affinity-label-keys';
import type { V1Profile } from '../config/types';

export type { ExpectedStatus, Scenario };

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
    const answerOpts: AnswerOptions = {
      ...(opts.registry ? { registry: opts.registry } : {}),
      kubernetesVersion: releaseForRef(s?.source?.ref),
    };
    if (s != null && typeof s === 'object' && isProfileScenario(s) && s.config === undefined) {
      const failures = runFullProfile(s, opts);
      return { id, passed: failures.length === 0, failures };
    }
    const a = modelAnswer(s, answerOpts);
    const failures = a.error !== undefined ? [a.error] : checkPluginLevel(s, a);
    return { id, passed: failures.length === 0, failures };
  } catch (e) {
    return { id, passed: false, failures: [`model threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`] };
  }
}

function describe(a: StatusAnswer | undefined): string {
  if (a === undefined || a === 'Success') return 'Success';
  if (a === 'Skip') return 'Skip';
  return JSON.stringify({ code: a.code, reasons: a.reasons });
}

function describeExpected(e: ExpectedStatus): string {
  return typeof e === 'string' ? e : JSON.stringify(e);
}

/** Whether an answered status matches an expected one (reasons compared exactly when given). */
function statusMatches(actual: StatusAnswer | undefined, expected: ExpectedStatus): boolean {
  const code = actual === undefined ? 'Success' : typeof actual === 'string' ? actual : actual.code;
  if (typeof expected === 'string') return code === expected;
  if (code !== expected.code) return false;
  const reasons = typeof actual === 'object' ? actual.reasons : [];
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

/** Compares a plugin-level answer with the scenario's upstream assertions. */
function checkPluginLevel(s: Scenario, a: Answer): string[] {
  const out: string[] = [];
  if (s.plugins.filter.length > 0) {
    const expectedPre = s.expect.preFilter;
    if (expectedPre !== undefined && !statusMatches(a.preFilter, expectedPre))
      out.push(mismatch('PreFilter status', describeExpected(expectedPre), describe(a.preFilter)));
    for (const [nodeName, expected] of Object.entries(s.expect.filter ?? {})) {
      if (a.filter?.[nodeName] === undefined) {
        out.push(`filter ${nodeName}: node not in the scenario's nodes`);
        continue;
      }
      if (!statusMatches(a.filter[nodeName], expected))
        out.push(mismatch(`Filter ${nodeName}`, describeExpected(expected), describe(a.filter[nodeName])));
    }
  }
  if (s.plugins.score.length > 0) {
    // The PreScore result: a score-only case may carry it as expect.preFilter (SKIPPED.md).
    const expectedPreScore = s.expect.preScore ?? (s.plugins.filter.length === 0 ? s.expect.preFilter : undefined);
    if (expectedPreScore !== undefined && !statusMatches(a.preScore, expectedPreScore))
      out.push(mismatch('PreScore status', describeExpected(expectedPreScore), describe(a.preScore)));
    if (s.expect.scores !== undefined) {
      if (a.preScore !== undefined && a.preScore !== 'Success' && a.preScore !== 'Skip') {
        out.push(mismatch('PreScore status', 'Success', describe(a.preScore)));
      } else {
        const expectedScores = s.expect.scores;
        const totals = a.totals ?? {};
        const wrong = Object.keys(expectedScores).filter((n) => totals[n] !== expectedScores[n]);
        if (wrong.length > 0) {
          const exp = Object.fromEntries(Object.keys(expectedScores).map((n) => [n, expectedScores[n]]));
          const act = Object.fromEntries(Object.keys(expectedScores).map((n) => [n, totals[n] ?? '(not scored)']));
          out.push(mismatch(`scores (differ on ${wrong.join(', ')})`, JSON.stringify(exp), JSON.stringify(act)));
        }
      }
    }
  }
  return out;
}

function runFullProfile(s: Scenario, opts: RunOptions): string[] {
  const features: FeatureGates = { ...DEFAULT_FEATURE_GATES, ...(s.plugins.features ?? {}) };
  const snapshot = scenarioSnapshot(s, features);
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
