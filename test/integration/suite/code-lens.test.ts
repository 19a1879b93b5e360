import * as assert from 'node:assert/strict';
import { Commands } from '@src/shared/ids';
import { openFixture, ourLenses, waitFor } from './helpers';

suite('CodeLens', () => {
  test('a pod manifest gets one "no cluster connected" lens on its spec line', async () => {
    const doc = await openFixture('pod.yaml');
    const lenses = await waitFor(
      () => ourLenses(doc.uri),
      (l) => l.length > 0,
    );
    assert.equal(lenses.length, 1);
    const [lens] = lenses;
    assert.equal(lens?.range.start.line, 6);
    assert.match(lens?.command?.title ?? '', /no cluster connected — Open Simulated Cluster/);
    assert.equal(lens?.command?.command, Commands.openSimulatedCluster);
  });

  test('a multi-document file gets a lens per pod template, none for other kinds', async () => {
    const doc = await openFixture('workloads.yaml');
    const lenses = await waitFor(
      () => ourLenses(doc.uri),
      (l) => l.length >= 5,
    );
    assert.deepEqual(
      lenses.map((l) => doc.lineAt(l.range.start.line).text.trim()),
      ['template:', 'template:', 'template:', 'template:', 'template:'],
    );
  });

  test('YAML that is not Kubernetes gets no lens', async () => {
    const doc = await openFixture('not-kubernetes.yaml');
    // Wait until the server answers for a manifest, so an empty answer here is a real answer.
    const pod = await openFixture('pod.yaml');
    await waitFor(
      () => ourLenses(pod.uri),
      (l) => l.length > 0,
    );
    assert.deepEqual(await ourLenses(doc.uri), []);
  });
});
