/**
 * The store's deletion as kube-apiserver records it and its garbage collector pass acts on it later:
 * propagation policies as finalizers, kinds' default policies, blocking dependents, volume protection
 * and the Job strategy's generated selector.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are wire JSON, asserted by field path. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { R, Store } from '@src/simulator/store';

const GC_MS = 5;

/**
 * The store's garbage collector runs `gcDelayMs` after a write, on setTimeout: the tests put setTimeout
 * under node:test's mocked clock (before creating the store) and give the collector its turn by
 * advancing the clock, instead of sleeping.
 */
const mockClock = (t: TestContext): void => t.mock.timers.enable({ apis: ['setTimeout'] });
const settle = (t: TestContext): void => t.mock.timers.tick(GC_MS);
const CM = { group: '', resource: 'configmaps' };
const RC = { group: '', resource: 'replicationcontrollers' };
const PVC = { group: '', resource: 'persistentvolumeclaims' };

function cm(name: string, owner?: any, block = false): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'default',
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: owner.apiVersion,
                kind: owner.kind,
                name: owner.metadata.name,
                uid: owner.metadata.uid,
                ...(block ? { blockOwnerDeletion: true } : {}),
              },
            ],
          }
        : {}),
    },
  };
}

test('a ReplicationController orphans by default: the DELETE leaves the orphan finalizer, the pass strips and removes', async (t) => {
  mockClock(t);
  const store = new Store({ gcDelayMs: GC_MS });
  const rc = store.create(RC, {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'rc', namespace: 'default' },
    spec: {
      replicas: 0,
      selector: { app: 'x' },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  });
  store.create(CM, cm('child', rc));
  const r = store.delete(RC, 'default', 'rc');
  assert.equal(r.deleted, false);
  assert.deepEqual(r.object.metadata.finalizers, ['orphan']);
  assert.equal(r.object.metadata.deletionGracePeriodSeconds, 0);
  assert.ok(store.get(CM, 'default', 'child')!.metadata.ownerReferences, 'nothing happens inside the DELETE');
  settle(t);
  assert.equal(store.get(RC, 'default', 'rc'), undefined);
  assert.equal(store.get(CM, 'default', 'child')!.metadata.ownerReferences, undefined);
  store.dispose();
});

test('Foreground waits only for dependents that block owner deletion; Background removes at once', async (t) => {
  mockClock(t);
  const store = new Store({ gcDelayMs: GC_MS });
  const owner = store.create(CM, cm('owner'));
  store.create(CM, cm('blocking', owner, true));
  store.create(CM, { ...cm('loose', owner), metadata: { ...cm('loose', owner).metadata, finalizers: ['x/hold'] } });
  const r = store.delete(CM, 'default', 'owner', { propagationPolicy: 'Foreground' });
  assert.deepEqual(r.object.metadata.finalizers, ['foregroundDeletion']);
  settle(t);
  assert.equal(store.get(CM, 'default', 'blocking'), undefined);
  assert.ok(store.get(CM, 'default', 'loose')!.metadata.deletionTimestamp, 'a held dependent is being deleted');
  assert.equal(store.get(CM, 'default', 'owner'), undefined, 'a non-blocking dependent does not hold the owner');
  const bg = store.create(CM, cm('bg'));
  store.create(CM, cm('bg-child', bg));
  assert.equal(store.delete(CM, 'default', 'bg').deleted, true);
  assert.equal(store.get(CM, 'default', 'bg-child'), undefined);
  store.dispose();
});

test('a claim keeps pvc-protection while a running pod mounts it; a Job gets its generated selector', async (t) => {
  mockClock(t);
  const store = new Store({ gcDelayMs: GC_MS, gracefulPodDeletion: 'external' });
  const claim = store.create(PVC, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  assert.deepEqual(claim.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  store.create(R.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'i' }],
      volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }],
    },
  });
  store.delete(PVC, 'default', 'data');
  settle(t);
  assert.ok(store.get(PVC, 'default', 'data'), 'in use: kept');
  store.delete(R.pods, 'default', 'p', { gracePeriodSeconds: 0 });
  settle(t);
  assert.equal(store.get(PVC, 'default', 'data'), undefined);
  const job = store.create(R.jobs, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'default', labels: { a: 'b' } },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } },
  });
  const uid = job.metadata.uid!;
  assert.deepEqual(job['spec'].selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  assert.deepEqual(job['spec'].template.metadata.labels, {
    'job-name': 'j',
    'batch.kubernetes.io/job-name': 'j',
    'controller-uid': uid,
    'batch.kubernetes.io/controller-uid': uid,
  });
  assert.deepEqual(job.metadata.labels, { a: 'b' });
  store.dispose();
});
