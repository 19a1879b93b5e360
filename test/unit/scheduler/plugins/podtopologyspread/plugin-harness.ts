/**
 * A small plugin-level scenario driver for PodTopologySpread / InterPodAffinity tests: builds a
 * snapshot from plain objects and runs PreFilter+Filter or PreScore+Score+NormalizeScore the way
 * upstream's plugin unit tests do (and the way /work/shared/conformance/FORMAT.md describes).
 */
import { readFileSync } from 'node:fs';
import type { KubeObject, Namespace, Node, Pod } from '../../../../../src/scheduler/api/types';
import { CycleState } from '../../../../../src/scheduler/framework/cycle-state';
import { unitTestFeatureGates } from '../../../../../src/scheduler/framework/feature-gates';
import type {
  FeatureGates,
  FilterPlugin,
  Handle,
  NodeScore,
  PluginFactory,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../../../../../src/scheduler/framework/interface';
import { snapshotFrom, type ClusterSnapshot } from '../../../../../src/scheduler/framework/snapshot';
import type { Status } from '../../../../../src/scheduler/framework/status';
import { create as createInterPodAffinity } from '../../../../../src/scheduler/plugins/interpodaffinity/plugin';
import { create as createPodTopologySpread } from '../../../../../src/scheduler/plugins/podtopologyspread/plugin';

/** Conformance directory shared by the team. */
export const CONFORMANCE_DIR = '/work/shared/conformance';

type StatusExpect = 'Success' | 'Skip' | { code: string; reasons?: string[]; messageContains?: string };

/** One scenario, as FORMAT.md describes it (only the fields these tests read). */
export interface Scenario {
  id: string;
  source?: { case: string };
  plugins: {
    filter: string[];
    score: { name: string; weight: number }[];
    args?: Record<string, Record<string, unknown>>;
    features?: FeatureGates;
  };
  pod: Pod;
  nodes: Node[];
  existingPods?: Pod[];
  namespaces?: Namespace[];
  objects?: KubeObject[];
  feasibleNodes?: string[];
  profile?: unknown;
  expect: {
    filter?: Record<string, StatusExpect>;
    scores?: Record<string, number>;
    preFilter?: StatusExpect;
    preScore?: StatusExpect;
    scheduledOn?: string[];
  };
}

const FACTORIES: Record<string, PluginFactory> = {
  PodTopologySpread: createPodTopologySpread,
  InterPodAffinity: createInterPodAffinity,
};

/** Loads a conformance JSON file. */
export function loadScenarios(file: string): Scenario[] {
  return JSON.parse(readFileSync(file, 'utf8')) as Scenario[];
}

/** Builds the snapshot (the Handle) of a scenario. */
export function buildSnapshot(s: Scenario): ClusterSnapshot {
  return snapshotFrom({
    nodes: s.nodes,
    pods: s.existingPods ?? [],
    namespaces: s.namespaces ?? [],
    objects: s.objects ?? [],
  });
}

function statusMatches(got: Status | null, want: StatusExpect): string | undefined {
  const code = got?.code ?? 'Success';
  if (want === 'Success' || want === 'Skip') return code === want ? undefined : `want ${want}, got ${code} ${got?.message() ?? ''}`;
  if (code !== want.code) return `want code ${want.code}, got ${code} (${got?.message() ?? ''})`;
  if (want.reasons && JSON.stringify(got?.reasons ?? []) !== JSON.stringify(want.reasons)) {
    return `want reasons ${JSON.stringify(want.reasons)}, got ${JSON.stringify(got?.reasons ?? [])}`;
  }
  if (want.messageContains !== undefined && !(got?.message() ?? '').includes(want.messageContains)) {
    return `want message containing ${JSON.stringify(want.messageContains)}, got ${JSON.stringify(got?.message() ?? '')}`;
  }
  return undefined;
}

function makePlugin(s: Scenario, name: string, handle: Handle): unknown {
  const f = FACTORIES[name];
  if (!f) throw new Error(`plugin ${name} is not part of this harness`);
  return f({ args: s.plugins.args?.[name], handle, features: unitTestFeatureGates(s.plugins.features ?? {}) });
}

/**
 * Runs a plugin-level scenario and returns the list of mismatches (empty when it passes), or
 * undefined when the scenario is a full-profile one this harness does not run.
 */
export function runPluginScenario(s: Scenario): string[] | undefined {
  if (s.profile !== undefined || s.expect.scheduledOn !== undefined) return undefined;
  const snap = buildSnapshot(s);
  const problems: string[] = [];
  const state = new CycleState();
  const allNodes = snap.nodeInfos();

  if (s.plugins.filter.length > 0) {
    const plugins = s.plugins.filter.map((n) => makePlugin(s, n, snap) as PreFilterPlugin & FilterPlugin);
    for (const pl of plugins) {
      const { status } = pl.preFilter(state, s.pod, allNodes);
      if (s.expect.preFilter !== undefined) {
        const d = statusMatches(status, s.expect.preFilter);
        if (d) problems.push(`preFilter: ${d}`);
        return problems;
      }
      if (status && !status.isSuccess()) problems.push(`unexpected preFilter status ${status.code}: ${status.message()}`);
      if (status?.isSkip()) state.skipFilterPlugins.add(pl.name);
    }
    for (const [nodeName, want] of Object.entries(s.expect.filter ?? {})) {
      const ni = snap.getNodeInfo(nodeName);
      if (!ni) {
        problems.push(`node ${nodeName} not in snapshot`);
        continue;
      }
      let got: Status | null = null;
      for (const pl of plugins) {
        if (state.skipFilterPlugins.has(pl.name)) continue;
        got = pl.filter(state, s.pod, ni);
        if (got && !got.isSuccess()) break;
      }
      const d = statusMatches(got, want);
      if (d) problems.push(`filter ${nodeName}: ${d}`);
    }
  }

  if (s.plugins.score.length > 0) {
    const candidates = s.feasibleNodes ? s.feasibleNodes.map((n) => snap.getNodeInfo(n)!) : [...allNodes];
    const total = new Map<string, number>();
    for (const { name, weight } of s.plugins.score) {
      const pl = makePlugin(s, name, snap) as PreScorePlugin & ScorePlugin;
      const st = pl.preScore(state, s.pod, candidates);
      const want = s.expect.preScore ?? s.expect.preFilter;
      if (want !== undefined) {
        const d = statusMatches(st, want);
        if (d) problems.push(`preScore: ${d}`);
        return problems;
      }
      if (st && !st.isSuccess()) {
        problems.push(`unexpected preScore status ${st.code}: ${st.message()}`);
        return problems;
      }
      const scores: NodeScore[] = candidates.map((ni) => {
        const r = pl.score(state, s.pod, ni);
        if (r.status && !r.status.isSuccess()) problems.push(`score ${ni.name}: ${r.status.message()}`);
        return { name: ni.name, score: r.score };
      });
      pl.normalizeScore?.(state, s.pod, scores);
      for (const sc of scores) total.set(sc.name, (total.get(sc.name) ?? 0) + sc.score * weight);
    }
    for (const [nodeName, want] of Object.entries(s.expect.scores ?? {})) {
      const got = total.get(nodeName);
      if (got !== want) problems.push(`score ${nodeName}: want ${want}, got ${got}`);
    }
  }
  return problems;
}
