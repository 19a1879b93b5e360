/**
 * The store's object tables on their own: sorted, paged lists; the spec.nodeName index of pods; the
 * ownerReference index of dependents; the JSON cache's type-meta-less form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectTables } from '@src/simulator/store/object-table';
import { KindRegistry } from '@src/simulator/store/registry';
import type { KubeObject } from '@src/simulator/store/types';

const reg = new KindRegistry();
const PODS = reg.get('', 'pods')!;
const RS = reg.get('apps', 'replicasets')!;

function pod(ns: string, name: string, nodeName?: string, ownerUid?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${ns}-${name}`,
      ...(ownerUid !== undefined
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: ownerUid }] }
        : {}),
    },
    spec: nodeName !== undefined ? { nodeName } : {},
  };
}

test('lists are sorted by namespace then name and page with after/limit', () => {
  const t = new ObjectTables();
  for (const [ns, name] of [
    ['b', 'x'],
    ['a', 'z'],
    ['a', 'y'],
    ['b', 'w'],
  ] as const)
    t.put(PODS, PODS, ns, name, pod(ns, name), undefined);
  const all = t.list(PODS, PODS, {}, 9);
  assert.deepEqual(
    all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    ['a/y', 'a/z', 'b/w', 'b/x'],
  );
  assert.equal(all.resourceVersion, 9);
  const page = t.list(PODS, PODS, { limit: 2, after: 'a/y' }, 9);
  assert.deepEqual(
    page.items.map((o) => o.metadata.name),
    ['z', 'w'],
  );
  assert.deepEqual(page.next, { after: 'b/w', remaining: 1 });
  assert.deepEqual(
    t.list(PODS, PODS, { namespace: 'b' }, 9).items.map((o) => o.metadata.name),
    ['w', 'x'],
  );
});

test('the nodeName index follows a pod through binding, moving and removal', () => {
  const t = new ObjectTables();
  const unbound = pod('default', 'p');
  t.put(PODS, PODS, 'default', 'p', unbound, undefined);
  const onN1 = pod('default', 'p', 'n1');
  t.put(PODS, PODS, 'default', 'p', onN1, unbound);
  const names = (node: string): string[] =>
    t.list(PODS, PODS, { nodeName: node }, 1).items.map((o) => o.metadata.name!);
  assert.deepEqual(names('n1'), ['p']);
  const onN2 = pod('default', 'p', 'n2');
  t.put(PODS, PODS, 'default', 'p', onN2, onN1);
  assert.deepEqual(names('n1'), []);
  assert.deepEqual(names('n2'), ['p']);
  t.take(PODS, PODS, 'default', 'p', onN2);
  assert.deepEqual(names('n2'), []);
  assert.equal(t.get(PODS, 'default', 'p'), undefined);
});

test('the dependents index follows ownerReferences', () => {
  const t = new ObjectTables();
  const owned = pod('default', 'p', undefined, 'rs-uid');
  t.put(PODS, PODS, 'default', 'p', owned, undefined);
  assert.ok(t.hasDependents('rs-uid'));
  assert.deepEqual(t.dependentsOf('rs-uid'), [{ ref: { group: '', resource: 'pods' }, ns: 'default', name: 'p' }]);
  const orphan = pod('default', 'p');
  t.put(PODS, PODS, 'default', 'p', orphan, owned);
  assert.ok(!t.hasDependents('rs-uid'));
  assert.ok(t.hasUid('uid-default-p'));
  assert.ok(!t.hasUid('rs-uid'));
  assert.equal(t.peek(RS), undefined, 'no table for a kind never written');
});

test('toJSON can leave out the leading type meta (list items of built-in kinds)', () => {
  const t = new ObjectTables();
  const o = Object.freeze(pod('default', 'p'));
  const full = t.toJSON(o);
  assert.deepEqual(JSON.parse(full), o);
  const bare = JSON.parse(t.toJSON(o, true)) as Record<string, unknown>;
  assert.equal(bare['apiVersion'], undefined);
  assert.equal(bare['kind'], undefined);
  assert.deepEqual(bare['metadata'], o.metadata);
});
