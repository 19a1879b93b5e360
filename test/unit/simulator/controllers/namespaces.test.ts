import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControllerManager } from '@src/simulator/controllers';
import { Store } from '@src/simulator/store/store';

test('every namespace gets the default ServiceAccount and the kube-root-ca.crt ConfigMap', async () => {
  const store = new Store();
  const cm = new ControllerManager(store, { rootCA: 'PEM' });
  cm.start();
  store.create(
    { group: '', resource: 'namespaces' },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
  );
  await cm.whenIdle();
  for (const ns of ['default', 'kube-system', 'team-a']) {
    assert.ok(store.get({ group: '', resource: 'serviceaccounts' }, ns, 'default'), `${ns}/default`);
    assert.equal(store.get({ group: '', resource: 'configmaps' }, ns, 'kube-root-ca.crt')!['data']['ca.crt'], 'PEM');
  }
  // Deleting the namespace removes them with it; nothing is recreated in a terminating namespace.
  store.delete({ group: '', resource: 'namespaces' }, undefined, 'team-a');
  await cm.whenIdle();
  assert.equal(store.get({ group: '', resource: 'namespaces' }, undefined, 'team-a'), undefined);
  assert.equal(store.count({ group: '', resource: 'configmaps' }, 'team-a'), 0);
  cm.stop();
  store.dispose();
});
