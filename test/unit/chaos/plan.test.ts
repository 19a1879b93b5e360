/**
 * The chaos campaign's plan (test/chaos/plan.ts) is seeded and complete: the same seed gives the same
 * actions and faults, every round holds each fault type of the cluster once, and every action is
 * valid when it runs (it names only what exists by then). The closing lines (report.ts) are the
 * format `npm test` and the README read.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BASE_NODES, faultTypesOf, planCampaign, type Action } from '@test/chaos/plan';
import { campaignLine, countsLine, figuresByType, type FaultRecord } from '@test/chaos/report';

describe('chaos plan', () => {
  test('the same seed gives the same plan; another seed another', () => {
    assert.deepEqual(planCampaign(5, 'real', 3), planCampaign(5, 'real', 3));
    assert.notDeepEqual(planCampaign(5, 'real', 3), planCampaign(6, 'real', 3));
  });

  test('each round holds every fault type of the cluster exactly once', () => {
    for (const cluster of ['simulated', 'real'] as const) {
      const steps = planCampaign(9, cluster, 4);
      const types = faultTypesOf(cluster);
      assert.equal(types.includes('apiserver-restart'), cluster === 'real');
      for (let round = 1; round <= 4; round++) {
        const got = steps.filter((s) => s.round === round).map((s) => s.fault.type);
        assert.deepEqual([...got].sort(), [...types].sort(), `${cluster} round ${round}`);
      }
    }
  });

  test('--only keeps the named fault types', () => {
    const steps = planCampaign(2, 'real', 3, ['apiserver-restart']);
    assert.equal(steps.length, 3);
    assert.ok(steps.every((s) => s.fault.type === 'apiserver-restart' && s.during.length === 0));
  });

  test('every action names only what exists when it runs', () => {
    for (let seed = 0; seed < 30; seed++) {
      const deployments = new Set<string>();
      const nodes = new Set<string>(BASE_NODES);
      const cordoned = new Set<string>();
      const tainted = new Set<string>();
      const check = (a: Action): void => {
        const where = `seed ${seed}: ${JSON.stringify(a)}`;
        switch (a.kind) {
          case 'create':
            assert.ok(!deployments.has(a.name), where);
            deployments.add(a.name);
            break;
          case 'scale':
            assert.ok(deployments.has(a.name), where);
            break;
          case 'delete':
            assert.ok(deployments.delete(a.name), where);
            break;
          case 'add-node':
            assert.ok(!nodes.has(a.node), where);
            nodes.add(a.node);
            break;
          case 'delete-node':
            assert.ok(nodes.has(a.node) && !(BASE_NODES as readonly string[]).includes(a.node), where);
            nodes.delete(a.node);
            cordoned.delete(a.node);
            tainted.delete(a.node);
            break;
          case 'cordon':
          case 'uncordon':
            assert.ok(nodes.has(a.node) && cordoned.has(a.node) === (a.kind === 'uncordon'), where);
            if (a.kind === 'cordon') cordoned.add(a.node);
            else cordoned.delete(a.node);
            break;
          case 'taint':
          case 'untaint':
            assert.ok(nodes.has(a.node) && tainted.has(a.node) === (a.kind === 'untaint'), where);
            if (a.kind === 'taint') tainted.add(a.node);
            else tainted.delete(a.node);
            break;
        }
      };
      for (const s of planCampaign(seed, 'real', 3)) for (const a of [...s.before, ...s.during]) check(a);
    }
  });
});

describe('chaos report', () => {
  const rec = (type: FaultRecord['type'], seconds: number | null): FaultRecord => ({
    cluster: 'simulated',
    round: 1,
    type,
    fault: type,
    actions: [],
    onSeconds: 1,
    seconds,
    converged: seconds !== null && seconds <= 10,
    bit: true,
    states: [],
  });

  test('one line per campaign and the counts npm test sums; late and never both fail', () => {
    const records = [rec('latency', 0.5), rec('latency', 1.5), rec('gone-410', 12), rec('gone-410', null)];
    assert.equal(
      campaignLine(4, 'simulated', records),
      'chaos seed 4 on simulated: 4 faults, 2 converged, 2 never, max 12.0 s, p50 per type latency 1.5 s, gone-410 12.0 s',
    );
    assert.equal(countsLine(records), '2 passed, 2 failed');
    assert.deepEqual(figuresByType(records).get('gone-410'), {
      count: 2,
      converged: 0,
      never: 2,
      p50: 12,
      max: 12,
      bit: 2,
    });
  });
});
