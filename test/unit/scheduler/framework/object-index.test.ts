import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@src/kube-api/types';
import { NamespacedMap, ObjectIndex } from '@src/scheduler/framework/object-index';
import { ClusterSnapshot } from '@src/scheduler/framework/snapshot';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

const obj = (namespace: string | undefined, name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
  ...extra,
});
const names = (list: readonly KubeObject[]) => list.map((o) => `${o.metadata?.namespace ?? ''}|${o.metadata?.name}`);

describe('ObjectIndex (kind → namespace → name)', () => {
  it('lists one namespace in insertion order and all namespaces grouped in first-arrival order', () => {
    const x = new ObjectIndex();
    x.put('Service', obj('b', 's1'));
    x.put('Service', obj('a', 's2'));
    x.put('Service', obj('b', 's0'));
    x.put('Service', obj('a', 's1'));
    assert.deepEqual(names(x.list('Service', 'b')), ['b|s1', 'b|s0']);
    assert.deepEqual(names(x.list('Service')), ['b|s1', 'b|s0', 'a|s2', 'a|s1']);
    assert.deepEqual(x.list('Service', 'c'), []);
    assert.deepEqual(x.list('ReplicaSet'), []);
  });

  it('replaces an object in place and forgets emptied namespaces', () => {
    const x = new ObjectIndex();
    x.put('Service', obj('a', 's1'));
    x.put('Service', obj('b', 's1'));
    x.put('Service', obj('a', 's1', { spec: { v: 2 } }));
    assert.deepEqual(names(x.list('Service')), ['a|s1', 'b|s1']);
    assert.deepEqual(x.get('Service', 'a', 's1')?.spec, { v: 2 });
    x.delete('Service', 'a', 's1');
    x.put('Service', obj('a', 's3'));
    // Namespace a was emptied, so it now arrives after b.
    assert.deepEqual(names(x.list('Service')), ['b|s1', 'a|s3']);
    assert.equal(x.get('Service', 'a', 's1'), undefined);
  });

  it('keys by namespace and name separately (no concatenated key to collide) and ignores the object kind', () => {
    const x = new ObjectIndex();
    x.put('Service', obj('a/b', 'c', { kind: 'Other' }));
    x.put('Service', obj('a', 'b/c'));
    assert.equal(x.list('Service').length, 2);
    assert.equal(x.get('Service', 'a/b', 'c')?.kind, 'Other');
    assert.equal(x.get('Other', 'a/b', 'c'), undefined);
  });

  it('treats an absent namespace as the cluster scope ""', () => {
    const x = new ObjectIndex();
    x.put('StorageClass', obj(undefined, 'fast'));
    assert.ok(x.get('StorageClass', undefined, 'fast'));
    assert.ok(x.get('StorageClass', '', 'fast'));
    assert.deepEqual(names(x.list('StorageClass', '')), ['|fast']);
  });

  it('refreshes cached lists after a change and copies independently', () => {
    const x = new ObjectIndex();
    x.put('Service', obj('a', 's1'));
    const before = x.list('Service', 'a');
    x.put('Service', obj('a', 's2'));
    assert.equal(before.length, 1);
    assert.equal(x.list('Service', 'a').length, 2);
    const c = new ObjectIndex();
    c.copyFrom(x);
    c.delete('Service', 'a', 's1');
    assert.equal(x.list('Service').length, 2);
    assert.equal(c.list('Service').length, 1);
  });
});

describe('NamespacedMap', () => {
  it('gets, deletes and clones by namespace and name', () => {
    const m = new NamespacedMap<number>();
    m.set('a', 'x', 1);
    m.set(undefined, 'x', 2);
    assert.equal(m.get('a', 'x'), 1);
    assert.equal(m.get('', 'x'), 2);
    const c = m.clone();
    assert.equal(m.delete('a', 'x'), true);
    assert.equal(m.delete('a', 'x'), false);
    assert.deepEqual([...m.values()], [2]);
    assert.deepEqual([...c.values()].sort(), [1, 2]);
    assert.deepEqual([...c.valuesIn('a')], [1]);
  });
});

describe('ClusterSnapshot pods by namespace and name', () => {
  it('removes the pod of the named namespace only, also in a clone', () => {
    const t = new ClusterSnapshot();
    t.addNode(makeNode('n1'));
    const pa = makePod('p', { node: 'n1', namespace: 'a', requests: [{ cpu: '1' }] });
    const pb = makePod('p', { node: 'n1', namespace: 'b', requests: [{ cpu: '2' }] });
    pb.metadata!.uid = 'uid-p-b'; // makePod's uid is per name
    t.addPod(pa);
    t.addPod(pb);
    const c = t.clone();
    t.remove('Pod', 'a', 'p');
    assert.equal(t.getNodeInfo('n1')!.requested.milliCPU, 2000);
    assert.equal(c.getNodeInfo('n1')!.requested.milliCPU, 3000);
    c.remove('Pod', 'b', 'p');
    assert.equal(c.getNodeInfo('n1')!.requested.milliCPU, 1000);
    t.remove('Pod', 'b', 'p');
    assert.equal(t.getNodeInfo('n1')!.pods.length, 0);
  });
});
