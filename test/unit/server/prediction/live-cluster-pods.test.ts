/**
 * LiveCluster keeps no pod index of its own: `pod()` and `workloadPods()` read the caches' index
 * (`ClusterCaches.get` / `list(kind, namespace)`), so the pods are held once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveCluster, type CachedObject } from '@src/server/prediction/live-cluster';
import { boundPod, FakeCaches, node } from './helpers';

const owned = (name: string, ns: string, labels: Record<string, string>, controller = true): CachedObject => {
  const p = boundPod(name, 'n1', '100m', 0, ns);
  Object.assign(p.metadata!, {
    labels,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller }],
  });
  return p;
};

test('pod() answers from the caches, also for a pod the caches hold before any change event', () => {
  const caches = new FakeCaches({ nodes: [node('n1')], pods: [boundPod('a', 'n1', '1')] });
  const live = new LiveCluster(caches);
  assert.equal(live.pod('default', 'a'), caches.list('pods')[0]);
  // Put straight into the cache's list (no event): there is no other index to be out of step with.
  const b = boundPod('b', 'n1', '1', 0, 'team');
  caches.lists.set('pods', [...caches.list('pods'), b]);
  assert.equal(live.pod('team', 'b'), b);
  assert.equal(live.pod('default', 'b'), undefined);
});

test('workloadPods() lists the namespace through the caches: controller-owned pods whose labels match', () => {
  const caches = new FakeCaches({
    nodes: [node('n1')],
    pods: [
      owned('web-1', 'shop', { app: 'web', tier: 'front' }),
      owned('web-2', 'shop', { app: 'web' }),
      owned('web-3', 'other', { app: 'web', tier: 'front' }),
      owned('loose', 'shop', { app: 'web', tier: 'front' }, false),
    ],
  });
  const live = new LiveCluster(caches);
  const names = (ns: string, labels: Record<string, string>) =>
    live.workloadPods(ns, labels).map((p) => p.metadata?.name);
  assert.deepEqual(names('shop', { app: 'web', tier: 'front' }), ['web-1']);
  assert.deepEqual(names('shop', { app: 'web' }), ['web-1', 'web-2']);
  assert.deepEqual(names('other', { app: 'web' }), ['web-3']);
  assert.deepEqual(names('none', { app: 'web' }), []);
  // A pod added (with its change event) is seen in the next generation.
  caches.add('pods', owned('web-4', 'shop', { app: 'web' }));
  assert.deepEqual(names('shop', { app: 'web' }), ['web-1', 'web-2', 'web-4']);
  caches.remove('pods', 'web-1');
  assert.deepEqual(names('shop', { app: 'web' }), ['web-2', 'web-4']);
});

test('caches that throw leave pod() undefined and workloadPods() empty', () => {
  const caches = new FakeCaches({ nodes: [node('n1')], pods: [owned('web-1', 'shop', { app: 'web' })] });
  const live = new LiveCluster(caches);
  caches.get = () => {
    throw new Error('forbidden');
  };
  caches.list = () => {
    throw new Error('forbidden');
  };
  assert.equal(live.pod('shop', 'web-1'), undefined);
  assert.deepEqual(live.workloadPods('shop', { app: 'web' }), []);
});
