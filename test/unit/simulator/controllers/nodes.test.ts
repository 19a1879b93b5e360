import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControllerManager } from '@src/simulator/controllers';
import { DEFAULT_NODE_CAPACITY } from '@src/simulator/controllers/node-lifecycle';
import { Store } from '@src/simulator/store/store';
import type { LooseObject } from '@src/simulator/controllers/common';

test('a bare Node is initialised like kwok node-initialize and gets a Lease', async () => {
  const store = new Store({ gracefulPodDeletion: 'external' });
  const cm = new ControllerManager(store, { seed: 2 });
  cm.start();
  store.create({ group: '', resource: 'nodes' }, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' } });
  await cm.whenIdle();
  const node = store.get({ group: '', resource: 'nodes' }, undefined, 'bare')!;
  assert.ok(node['status'].conditions.some((c: LooseObject) => c['type'] === 'Ready' && c['status'] === 'True'));
  assert.deepEqual(node['status'].allocatable, DEFAULT_NODE_CAPACITY);
  assert.match(node['spec'].podCIDR, /^10\.\d+\.\d+\.0\/24$/);
  assert.equal(node['status'].addresses[0].type, 'InternalIP');
  const lease = store.get({ group: 'coordination.k8s.io', resource: 'leases' }, 'kube-node-lease', 'bare')!;
  assert.equal(lease['spec'].holderIdentity, 'bare');
  // A pod lands there and gets an IP from the allocated podCIDR and the kubelet's events.
  store.create(
    { group: '', resource: 'pods' },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
    },
  );
  await cm.whenIdle();
  const pod = store.get({ group: '', resource: 'pods' }, 'default', 'p')!;
  assert.equal(pod['spec'].nodeName, 'bare');
  assert.equal(pod['status'].phase, 'Running');
  assert.equal(
    pod['status'].podIP.split('.').slice(0, 3).join('.'),
    node['spec'].podCIDR.split('.').slice(0, 3).join('.'),
  );
  const reasons = store
    .list({ group: '', resource: 'events' }, { namespace: 'default' })
    .items.filter((e) => e['involvedObject'].name === 'p')
    .map((e) => e['reason']);
  assert.deepEqual(reasons.sort(), ['Created', 'Pulled', 'Scheduled', 'Started']);
  // Deleting the pod: the kubelet finishes the graceful deletion.
  store.delete({ group: '', resource: 'pods' }, 'default', 'p');
  await cm.whenIdle();
  assert.equal(store.get({ group: '', resource: 'pods' }, 'default', 'p'), undefined);
  cm.stop();
  store.dispose();
});

test('kubelet delays keep a bound pod Pending until its start stage fires', async () => {
  const store = new Store({ gracefulPodDeletion: 'external' });
  store.create({ group: '', resource: 'nodes' }, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } });
  const cm = new ControllerManager(store, { seed: 2, kubelet: { podStartMs: 30 } });
  cm.start();
  store.create(
    { group: '', resource: 'pods' },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    },
  );
  // Let the scheduler bind it without waiting for the kubelet's timer.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const bound = store.get({ group: '', resource: 'pods' }, 'default', 'p')!;
  assert.equal(bound['spec'].nodeName, 'n');
  assert.equal(bound['status'].phase, 'Pending');
  await cm.whenIdle();
  assert.equal(store.get({ group: '', resource: 'pods' }, 'default', 'p')!['status'].phase, 'Running');
  cm.stop();
  store.dispose();
});
