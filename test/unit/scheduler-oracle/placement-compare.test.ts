/** oracle:placement's judge and its reading of kube-scheduler's log (pure parts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparePlacement, truncateMessage, type ModelProbe } from '@test/scheduler-oracle/placement/compare';
import { parseScores } from '@test/scheduler-oracle/placement/scheduler-log';
import { parsePlacementArgs } from '@test/scheduler-oracle/placement/cli';
import type { PredictionDetails } from '@src/shared/protocol';

const LOG = [
  'I1205 17:00:00.000001 1 schedule_one.go:984] "Plugin scored node for pod" pod="team-a/w-1" plugin="NodeResourcesFit" node="node-1" score=57',
  'I1205 17:00:00.000002 1 schedule_one.go:984] "Plugin scored node for pod" pod="team-a/w-1" plugin="TaintToleration" node="node-1" score=300',
  'I1205 17:00:00.000003 1 schedule_one.go:984] "Plugin scored node for pod" pod="team-a/w-1" plugin="NodeResourcesFit" node="node-2" score=80',
  'I1205 17:00:00.000004 1 schedule_one.go:984] "Plugin scored node for pod" pod="team-a/w-1" plugin="TaintToleration" node="node-2" score=300',
  'I1205 17:00:00.000005 1 eventhandlers.go:1] "Add event for unscheduled pod" pod="team-a/w-1"',
  'I1205 17:00:00.000006 1 schedule_one.go:1052] "Calculated node\'s final score for pod" pod="team-a/w-1" node="node-1" score=357',
  'I1205 17:00:00.000007 1 schedule_one.go:1052] "Calculated node\'s final score for pod" pod="team-a/w-1" node="node-2" score=380',
].join('\n');

test("the log gives each scored node its plugins' weighted scores and total; a retry starts a new cycle", () => {
  const s = parseScores(LOG).get('team-a/w-1')!;
  assert.deepEqual(
    [...s.totals],
    [
      ['node-1', 357],
      ['node-2', 380],
    ],
  );
  assert.equal(s.plugins.get('node-2')?.get('NodeResourcesFit'), 80);
  const retried = parseScores(
    `${LOG}\nI1 schedule_one.go:984] "Plugin scored node for pod" pod="team-a/w-1" plugin="NodeResourcesFit" node="node-3" score=1`,
  ).get('team-a/w-1')!;
  assert.deepEqual([...retried.plugins.keys()], ['node-3'], 'the later attempt replaces the earlier one');
  assert.equal(parseScores(LOG).get('team-a/w-2'), undefined);
});

const row = (
  name: string,
  scores?: [number, number],
  filter?: string,
): NonNullable<PredictionDetails['nodes']>[number] => ({
  name,
  evaluated: true,
  feasible: filter === undefined,
  ...(filter !== undefined ? { filter: { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: [filter] } } : {}),
  ...(scores !== undefined
    ? {
        scores: [
          { plugin: 'NodeResourcesFit', normalized: scores[0], weighted: scores[0] },
          { plugin: 'TaintToleration', normalized: 100, weighted: scores[1] },
        ],
        total: scores[0] + scores[1],
      }
    : {}),
});

const NO_PROBE: ModelProbe = {
  rescore: () => assert.fail('not a sample'),
  victimsOn: () => undefined,
};

test('a binding agrees when the scored nodes, every plugin score and the winner match the model', () => {
  const details: PredictionDetails = {
    summary: '',
    markdown: '',
    selectedNode: 'node-2',
    nodes: [row('node-2', [80, 300]), row('node-1', [57, 300]), row('node-3', undefined, 'Insufficient cpu')],
  };
  const outcome = {
    boundNode: 'node-2',
    evaluatedNodes: 3,
    feasibleNodes: 2,
    scores: parseScores(LOG).get('team-a/w-1')!,
  };
  assert.deepEqual(comparePlacement(details, outcome, 3, NO_PROBE), []);
  // One point off on one plugin is a disagreement, and so is a winner the model ranks lower.
  const off = { ...details, nodes: [row('node-2', [79, 300]), row('node-1', [57, 300]), details.nodes![2]!] };
  assert.deepEqual(comparePlacement(off, outcome, 3, NO_PROBE), [
    'node-2 NodeResourcesFit: model 79, real 80',
    'node-2 total: model 379, real 380',
  ]);
  assert.match(
    comparePlacement(details, { ...outcome, boundNode: 'node-1' }, 3, NO_PROBE)[0]!,
    /bound to node-1 .*best is 380 on node-2/,
  );
  // A node the model filters out but the real scheduler scored.
  const filtered = { ...details, nodes: [row('node-2', [80, 300]), row('node-1', undefined, 'Insufficient cpu')] };
  assert.match(comparePlacement(filtered, outcome, 3, NO_PROBE)[0]!, /scored nodes the model filters out: node-1/);
});

test('a sampled search is rescored by the model over exactly the nodes kube-scheduler scored', () => {
  const details: PredictionDetails = {
    summary: '',
    markdown: '',
    nodes: [row('node-1', [1, 1]), row('node-2', [1, 1]), row('node-9', [100, 300])],
  };
  const asked: string[][] = [];
  const probe: ModelProbe = {
    rescore: (nodes) => {
      asked.push([...nodes]);
      return {
        plugins: new Map([
          [
            'node-1',
            new Map([
              ['NodeResourcesFit', 57],
              ['TaintToleration', 300],
            ]),
          ],
          [
            'node-2',
            new Map([
              ['NodeResourcesFit', 80],
              ['TaintToleration', 300],
            ]),
          ],
        ]),
        totals: new Map([
          ['node-1', 357],
          ['node-2', 380],
        ]),
      };
    },
    victimsOn: () => undefined,
  };
  const outcome = {
    boundNode: 'node-2',
    evaluatedNodes: 2,
    feasibleNodes: 2,
    scores: parseScores(LOG).get('team-a/w-1')!,
  };
  assert.deepEqual(comparePlacement(details, outcome, 300, probe), []);
  assert.deepEqual(asked, [['node-1', 'node-2']]);
});

test('an unschedulable pod agrees on the exact FitError text, cut as events cut it', () => {
  const failure =
    '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  const details: PredictionDetails = { summary: '', markdown: '', failure, nodes: [] };
  assert.deepEqual(comparePlacement(details, { failure }, 3, NO_PROBE), []);
  assert.equal(
    comparePlacement(details, { failure: failure.replace('3 Insufficient', '2 Insufficient') }, 3, NO_PROBE).length,
    1,
  );
  const long = `0/500 nodes are available: ${'x'.repeat(2000)}`;
  assert.equal(truncateMessage(long).length, 1024);
  assert.ok(truncateMessage(long).endsWith(' ...'));
  assert.deepEqual(
    comparePlacement({ ...details, failure: long }, { failure: truncateMessage(long) }, 500, NO_PROBE),
    [],
  );
  assert.match(
    comparePlacement({ summary: '', markdown: '', selectedNode: 'node-1' }, { failure }, 3, NO_PROBE)[0]!,
    /model binds to node-1/,
  );
});

test('preemption agrees on a node the model finds equally good and on the victims there', () => {
  const failure = (n: string): string =>
    `0/3 nodes are available: 3 Insufficient cpu. preemption: found a potential placement for pod on node ${n}, preempting 1 victims`;
  const details: PredictionDetails = {
    summary: '',
    markdown: '',
    failure: failure('node-1'),
    preemption: {
      nominatedNode: 'node-1',
      tiedNodes: ['node-1', 'node-2'],
      victims: [{ namespace: 'a', name: 'x', priority: 0 }],
    },
  };
  const probe: ModelProbe = { rescore: () => assert.fail(), victimsOn: (n) => (n === 'node-2' ? ['b/y'] : undefined) };
  assert.deepEqual(
    comparePlacement(details, { failure: failure('node-1'), nominatedNode: 'node-1', victims: ['a/x'] }, 3, probe),
    [],
  );
  assert.deepEqual(
    comparePlacement(details, { failure: failure('node-2'), nominatedNode: 'node-2', victims: ['b/y'] }, 3, probe),
    [],
  );
  assert.deepEqual(
    comparePlacement(
      details,
      { failure: failure('node-1'), nominatedNode: 'node-1', victims: ['a/x', 'a/z'] },
      3,
      probe,
    ),
    ['victims on node-1: model [a/x], real [a/x, a/z]'],
  );
  // Equally important pods: the real choice stands when the model makes it with the ties its way.
  const ties: ModelProbe = {
    rescore: () => assert.fail(),
    victimsOn: (_n, prefer = []) => (prefer.includes('a/w') ? ['a/w'] : ['a/x']),
  };
  assert.deepEqual(
    comparePlacement(details, { failure: failure('node-1'), nominatedNode: 'node-1', victims: ['a/w'] }, 3, ties),
    [],
  );
  assert.match(
    comparePlacement(details, { failure: failure('node-3'), nominatedNode: 'node-3', victims: [] }, 3, probe).join(' '),
    /nominated node-3; the model node-1 or node-2/,
  );
});

test('arguments: nodes from 50 to 500', () => {
  assert.deepEqual(parsePlacementArgs(['--seed', '3', '--pods=20', '--nodes', '60']), { seed: 3, pods: 20, nodes: 60 });
  assert.throws(() => parsePlacementArgs(['--nodes', '10']), /50 to 500/);
  assert.throws(() => parsePlacementArgs(['--pods', 'x']), /non-negative integer/);
  assert.throws(() => parsePlacementArgs(['--bogus', '1']), /unknown argument/);
});
