/** ObjectIndex: a cache's objects by namespace and name. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectIndex } from '@src/cluster/object-index';

const obj = (name: string, namespace?: string, rv = '1') => ({
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}), resourceVersion: rv },
});

test('one object per namespace and name: set replaces, delete removes, size counts', () => {
  const idx = new ObjectIndex<ReturnType<typeof obj>>();
  assert.equal(idx.set(obj('web', 'a')), false);
  assert.equal(idx.set(obj('web', 'b')), false);
  assert.equal(idx.set(obj('node-1')), false);
  assert.equal(idx.set(obj('web', 'a', '2')), true, 'same namespace and name replaces');
  assert.equal(idx.size, 3);
  assert.equal(idx.get('web', 'a')?.metadata.resourceVersion, '2');
  assert.equal(idx.get('node-1')?.metadata.name, 'node-1');
  assert.equal(idx.get('web'), undefined, 'a namespaced object is not found cluster-scoped');
  assert.equal(idx.sameAs(obj('web', 'b', '9'))?.metadata.resourceVersion, '1');
  assert.equal(idx.delete(obj('web', 'a')), true);
  assert.equal(idx.delete(obj('web', 'a')), false);
  assert.equal(idx.size, 2);
});

test("values lists every object, or one namespace's without the others", () => {
  const idx = new ObjectIndex<ReturnType<typeof obj>>();
  for (const [n, ns] of [
    ['x', 'a'],
    ['y', 'a'],
    ['z', 'b'],
    ['n1', undefined],
  ] as const)
    idx.set(obj(n, ns));
  assert.deepEqual([...idx.values('a')].map((o) => o.metadata.name).sort(), ['x', 'y']);
  assert.deepEqual([...idx.values('missing')], []);
  assert.deepEqual([...idx.values()].map((o) => o.metadata.name).sort(), ['n1', 'x', 'y', 'z']);
  idx.delete(obj('z', 'b'));
  assert.deepEqual([...idx.values('b')], []);
});
