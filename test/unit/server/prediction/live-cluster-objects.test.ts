/**
 * The live snapshot holds the caches' objects themselves, of every kind: list items (which lack
 * `kind`) are stored under their cache's kind without a copy, and readers that need `kind` still
 * find them (admission looks PriorityClasses and RuntimeClasses up by kind).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveCluster, type CachedObject } from '@src/server/prediction/live-cluster';
import { admitPriority, type PodObject } from '@src/server/prediction/pod-from-spec';
import { boundPod, FakeCaches, node } from './helpers';

const rs = (name: string, ns = 'default'): CachedObject => ({
  metadata: { name, namespace: ns },
  spec: { replicas: 1 },
});

test('objects of other kinds are the cached objects themselves, through builds and changes', () => {
  const first = rs('web-1');
  const svc: CachedObject = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } };
  const caches = new FakeCaches({ nodes: [node('n1')], other: { replicasets: [first], services: [svc] } });
  const live = new LiveCluster(caches);
  assert.equal(live.snapshot.getObject('ReplicaSet', 'default', 'web-1'), first);
  assert.equal(live.snapshot.objects('Service', 'default')[0], svc);
  assert.equal('kind' in first, false, 'the cached object is not given a kind');
  const second = rs('web-2', 'other');
  caches.add('replicasets', second);
  assert.equal(live.snapshot.getObject('ReplicaSet', 'other', 'web-2'), second);
  caches.remove('replicasets', 'web-1');
  assert.equal(live.snapshot.getObject('ReplicaSet', 'default', 'web-1'), undefined);
  // A node added rebuilds the snapshot: still the same objects.
  caches.add('nodes', node('n2'));
  assert.equal(live.snapshot.getObject('ReplicaSet', 'other', 'web-2'), second);
});

test('a PriorityClass listed without its kind still sets the priority of pods that name it', () => {
  const pc: CachedObject = { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' };
  const dflt: CachedObject = { metadata: { name: 'base' }, value: 7, globalDefault: true };
  const caches = new FakeCaches({
    nodes: [node('n1')],
    pods: [boundPod('a', 'n1', '1')],
    other: { priorityclasses: [pc, dflt] },
  });
  const live = new LiveCluster(caches);
  const pod = (priorityClassName?: string): PodObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { ...(priorityClassName ? { priorityClassName } : {}), containers: [{ name: 'c', image: 'i' }] },
  });
  const named = admitPriority(pod('high'), live.snapshot);
  assert.equal(named.error, undefined);
  assert.equal(named.pod.spec['priority'], 1000);
  assert.equal(named.pod.spec['preemptionPolicy'], 'Never');
  const byDefault = admitPriority(pod(), live.snapshot);
  assert.equal(byDefault.pod.spec['priority'], 7);
  assert.equal(byDefault.pod.spec['priorityClassName'], 'base');
  assert.equal('kind' in pc, false);
});
