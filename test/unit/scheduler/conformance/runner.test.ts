/**
 * The conformance runner's own rules (FORMAT.md "How to run a scenario"), on inline scenarios.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runScenario, type Scenario } from '@src/scheduler/conformance/runner';
import { makeNode } from '@test/builders/node';

const base = (over: Partial<Scenario>): Scenario => ({
  id: 'test/case',
  plugins: { filter: [], score: [] },
  pod: { metadata: {}, spec: {} },
  nodes: [makeNode('node1', { labels: { foo: 'bar' } }), makeNode('node2')],
  existingPods: [],
  expect: {},
  ...over,
});

describe('conformance runner', () => {
  it('calls Filter for every expected node even after PreFilter Skip', () => {
    const r = runScenario(
      base({
        plugins: { filter: ['NodeAffinity'], score: [] },
        expect: { preFilter: 'Skip', filter: { node1: 'Success', node2: 'Success' } },
      }),
    );
    assert.deepEqual(r.failures, []);
  });

  it('fails with a readable diff when the model disagrees', () => {
    const r = runScenario(
      base({
        plugins: { filter: ['NodeAffinity'], score: [] },
        pod: { spec: { nodeSelector: { foo: 'bar' } } },
        expect: { filter: { node2: 'Success' } },
      }),
    );
    assert.equal(r.passed, false);
    assert.match(
      r.failures[0]!,
      /Filter node2\n\s+expected: Success\n\s+actual:\s+\{"code":"UnschedulableAndUnresolvable","reasons":\["node\(s\) didn't match Pod's node affinity\/selector"\]\}/,
    );
  });

  it('sums weighted normalised scores over the candidates', () => {
    const r = runScenario(
      base({
        plugins: { filter: [], score: [{ name: 'NodeAffinity', weight: 2 }] },
        pod: {
          spec: {
            affinity: {
              nodeAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 5, preference: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } },
                ],
              },
            },
          },
        },
        expect: { scores: { node1: 200, node2: 0 } },
      }),
    );
    assert.deepEqual(r.failures, []);
  });

  it('counts an unregistered plugin as a failure, never a skip', () => {
    const r = runScenario(
      base({ plugins: { filter: ['NoSuchPlugin'], score: [] }, expect: { filter: { node1: 'Success' } } }),
    );
    assert.deepEqual(r.failures, ['plugin NoSuchPlugin not implemented']);
  });

  it('reports malformed scenarios instead of throwing', () => {
    assert.equal(runScenario({ id: 'x' } as Scenario).passed, false);
    assert.equal(runScenario(null as unknown as Scenario).passed, false);
  });

  it('the CLI prints failures and ends with "N passed, M failed", exiting non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-conf-'));
    try {
      const ok = base({
        id: 'ok',
        plugins: { filter: ['NodeName'], score: [] },
        expect: { filter: { node1: 'Success' } },
      });
      const bad = base({
        id: 'bad',
        plugins: { filter: ['NodeName'], score: [] },
        pod: { spec: { nodeName: 'node2' } },
        expect: { filter: { node1: 'Success' } },
      });
      writeFileSync(join(dir, 'cases.json'), JSON.stringify([ok, bad]));
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/conformance.ts', dir], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /FAIL bad/);
      assert.equal(r.stdout.trimEnd().split('\n').pop(), '1 passed, 1 failed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the CLI fails, saying so, when the corpus is missing or holds no scenario (zero cases never pass)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-conf-'));
    try {
      for (const corpus of [join(dir, 'missing'), dir]) {
        const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/conformance.ts', corpus], {
          encoding: 'utf8',
        });
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /a run with zero cases does not pass/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
