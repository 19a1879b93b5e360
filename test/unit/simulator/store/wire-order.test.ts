/** inWireOrder: metadata in metav1.ObjectMeta's field order, as kube-apiserver writes it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inWireOrder, OBJECT_META_ORDER } from '@src/simulator/store/wire-order';
import type { KubeObject } from '@src/simulator/store/types';

test("metadata's keys follow ObjectMeta's order (managedFields last, unknown keys after); the rest stays; the input is untouched", () => {
  const obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      managedFields: [{ manager: 'm' }],
      name: 'web',
      'x-unknown': 1,
      resourceVersion: '7',
      namespace: 'shop',
      uid: 'u',
      creationTimestamp: 't',
      labels: { app: 'web' },
    },
    spec: { containers: [] },
    status: { phase: 'Pending' },
  } as unknown as KubeObject;
  const before = JSON.stringify(obj);
  const out = inWireOrder(obj);
  assert.deepEqual(Object.keys(out), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.deepEqual(Object.keys(out.metadata), [
    'name',
    'namespace',
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'labels',
    'managedFields',
    'x-unknown',
  ]);
  assert.deepEqual(out, JSON.parse(before), 'the same content');
  assert.equal(JSON.stringify(obj), before, 'the input is not changed');
  assert.equal(out.spec, obj.spec, 'other parts are shared, not copied');
});

test('an object already in order is returned as it is', () => {
  const obj = { kind: 'Pod', metadata: { name: 'a', namespace: 'b', managedFields: [] } } as unknown as KubeObject;
  assert.equal(inWireOrder(obj), obj);
  assert.equal(OBJECT_META_ORDER[OBJECT_META_ORDER.length - 1], 'managedFields');
});
