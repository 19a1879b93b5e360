/**
 * A re-list of a kind the model holds few of (PriorityClasses here) replaces that kind's objects in
 * the snapshot and leaves the rest as it was; pods stay indexed by namespace through their changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveCluster, type CachedObject } from '@src/server/prediction/live-cluster';
import { boundPod, FakeCaches, node } from './helpers';

const pc = (name: string, value: number): CachedObject =>
  ({ kind: 'PriorityClass', metadata: { name }, value }) as CachedObject;

test('a re-list of PriorityClasses replaces them and keeps nodes and pods', () => {
  const caches = new FakeCaches({
    nodes: [node('n1'), node('n2')],
    pods: [boundPod('a', 'n1', '1'), boundPod('b', 'n2', '1', 0, 'other')],
    other: { priorityclasses: [pc('old', 10), pc('kept', 20)] },
  });
  const live = new LiveCluster(caches);
  const nodeInfos = live.snapshot.nodeInfos();
  const gen = live.generation;
  caches.lists.set('priorityclasses', [pc('kept', 30), pc('new', 40)]);
  live.apply('priorityclasses', {
    added: caches.lists.get('priorityclasses')!,
    modified: [],
    deleted: [],
    resync: true,
  });
  const names = live.snapshot
    .objects('PriorityClass')
    .map((o) => `${o.metadata?.name}=${String((o as { value?: number }).value)}`)
    .sort();
  assert.deepEqual(names, ['kept=30', 'new=40']);
  assert.ok(live.generation > gen);
  // Not rebuilt: the same NodeInfo objects with their pods.
  assert.equal(live.snapshot.nodeInfos()[0], nodeInfos[0]);
  assert.deepEqual(
    live.snapshot.nodeInfos().map((n) => n.pods.length),
    [1, 1],
  );
});

test('pods are found by namespace and name through adds, updates and deletes', () => {
  const caches = new FakeCaches({ nodes: [node('n1')], pods: [boundPod('a', 'n1', '1')] });
  const live = new LiveCluster(caches);
  assert.equal(live.pod('default', 'a')?.metadata?.name, 'a');
  caches.add('pods', boundPod('a', 'n1', '1', 0, 'other'));
  assert.equal(live.pod('other', 'a')?.metadata?.namespace, 'other');
  caches.remove('pods', 'a');
  assert.equal(live.pod('default', 'a'), undefined);
  assert.equal(live.pod('other', 'a'), undefined);
});
