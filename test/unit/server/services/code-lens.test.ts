import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Commands } from '@src/shared/ids';
import type { ClusterStatus } from '@src/shared/protocol';
import {
  CLUSTER_ERROR_TITLE,
  CONNECTED_TITLE,
  NO_CLUSTER_TITLE,
  computeCodeLenses,
} from '@src/server/services/code-lens';
import { parseManifest } from '@src/server/services/manifest';

const TWO_PODS =
  'apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n---\napiVersion: v1\nkind: ConfigMap\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: []\n';

describe('computeCodeLenses', () => {
  const cases: { name: string; status: ClusterStatus; want: { title: string; command: string } }[] = [
    {
      name: 'no cluster',
      status: { state: 'none', source: 'none' },
      want: { title: NO_CLUSTER_TITLE, command: Commands.openSimulatedCluster },
    },
    {
      name: 'connecting: names the target, never the no-cluster link (it would start another cluster)',
      status: { state: 'connecting', source: 'kubeconfig', context: 'kind-dev', message: 'Connecting to kind-dev…' },
      want: { title: 'Kube Forecast: Connecting to kind-dev…', command: Commands.showOutput },
    },
    {
      name: 'broken cluster',
      status: { state: 'error', source: 'kubeconfig', message: 'x' },
      want: { title: CLUSTER_ERROR_TITLE, command: Commands.showOutput },
    },
    {
      name: 'connected',
      status: { state: 'connected', source: 'simulator' },
      want: { title: CONNECTED_TITLE, command: Commands.showPredictionDetails },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const lenses = computeCodeLenses({ uri: 'file:///m.yaml', version: 1 }, parseManifest(TWO_PODS), c.status, {
        enabled: true,
      });
      // The first lens on each pod-spec line is the prediction lens (a connected cluster adds Create/Apply after it).
      const firstPerLine = [...new Map(lenses.reverse().map((l) => [l.range.start.line, l])).values()].reverse();
      assert.deepEqual(
        firstPerLine.map((l) => ({ line: l.range.start.line, title: l.command?.title, command: l.command?.command })),
        [
          { line: 2, ...c.want },
          { line: 11, ...c.want },
        ],
      );
    });
  }

  test('the no-cluster lens says so and links to Open Simulated Cluster', () => {
    assert.match(NO_CLUSTER_TITLE, /no cluster connected/);
    assert.match(NO_CLUSTER_TITLE, /Open Simulated Cluster/);
  });

  test('connected lenses carry the pod spec reference', () => {
    const lenses = computeCodeLenses(
      { uri: 'file:///m.yaml', version: 1 },
      parseManifest(TWO_PODS),
      { state: 'connected', source: 'simulator' },
      { enabled: true },
    );
    const second = lenses.find(
      (l) => l.range.start.line === 11 && l.command?.command === Commands.showPredictionDetails,
    );
    assert.deepEqual(second?.command?.arguments, [
      { uri: 'file:///m.yaml', documentIndex: 2, path: ['spec', 'template'] },
    ]);
  });

  test('disabled by setting', () => {
    assert.deepEqual(
      computeCodeLenses(
        { uri: 'file:///m.yaml', version: 1 },
        parseManifest(TWO_PODS),
        { state: 'none', source: 'none' },
        { enabled: false },
      ),
      [],
    );
  });
});
