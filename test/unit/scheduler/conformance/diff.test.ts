/** The model-vs-oracle diff: one line per differing leaf, absent fields named, ids and warnings ignored. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from '@src/scheduler/conformance/answer';
import { diffAnswers } from '@src/scheduler/conformance/diff';

const base: Answer = {
  id: 'a',
  mode: 'profile',
  preFilter: 'Success',
  preFilterResult: null,
  nodes: {
    n1: { filter: 'Success', scores: { TaintToleration: { raw: 0, normalized: 100, weighted: 300 } }, total: 300 },
    n2: { filter: { code: 'Unschedulable', plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'] } },
  },
  selected: ['n1'],
};

test('equal answers agree, whatever their ids and the oracle warnings', () => {
  assert.deepEqual(diffAnswers(base, { ...base, id: 'b', warnings: ['x'] } as Answer), []);
});

test('each differing leaf is one line with its path and both values', () => {
  const real: Answer = structuredClone(base);
  real.nodes!['n1']!.scores!['TaintToleration']!.raw = 1;
  real.nodes!['n2']!.filter = {
    code: 'UnschedulableAndUnresolvable',
    plugin: 'NodeResourcesFit',
    reasons: ['Insufficient cpu'],
  };
  real.selected = ['n1', 'n2'];
  assert.deepEqual(diffAnswers(base, real), [
    'nodes.n1.scores.TaintToleration.raw: model 0, real 1',
    'nodes.n2.filter.code: model "Unschedulable", real "UnschedulableAndUnresolvable"',
    'selected: model ["n1"], real ["n1","n2"]',
  ]);
});

test('a field on one side only is reported as absent', () => {
  const real: Answer = { ...base, failure: '0/2 nodes are available' };
  assert.deepEqual(diffAnswers(base, real), ['failure: model (absent), real "0/2 nodes are available"']);
  assert.deepEqual(diffAnswers({ ...base, preFilterResult: ['n1'] }, base), [
    'preFilterResult: model ["n1"], real null',
  ]);
});

test("NodeResourcesFit's scalar reasons compare without order (upstream walks a Go map), the fixed ones in order", () => {
  const fit = (reasons: string[]): Answer => ({
    ...base,
    nodes: { n1: { filter: { code: 'Unschedulable', plugin: 'NodeResourcesFit', reasons } } },
  });
  assert.deepEqual(
    diffAnswers(
      fit(['Insufficient cpu', 'Insufficient hugepages-2Mi', 'Insufficient nvidia.com/gpu']),
      fit(['Insufficient cpu', 'Insufficient nvidia.com/gpu', 'Insufficient hugepages-2Mi']),
    ),
    [],
  );
  assert.equal(
    diffAnswers(fit(['Insufficient cpu', 'Insufficient memory']), fit(['Insufficient memory', 'Insufficient cpu']))
      .length,
    1,
  );
});
