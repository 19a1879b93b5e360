import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newPodInfo, sharedPodResource, SHARED_POD_RESOURCE_LIMIT } from '@src/scheduler/framework/node-info';
import { ClusterSnapshot } from '@src/scheduler/framework/snapshot';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

describe('PodInfo.calculateResource sharing', () => {
  it('gives pods with equal requests one object and pods with different requests different ones', () => {
    const a = newPodInfo(makePod('a', { requests: [{ cpu: '500m', memory: '1Gi' }] })).calculateResource();
    const b = newPodInfo(makePod('b', { requests: [{ cpu: '500m', memory: '1Gi' }] })).calculateResource();
    const c = newPodInfo(makePod('c', { requests: [{ cpu: '250m', memory: '1Gi' }] })).calculateResource();
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(a.resource.milliCPU, 500);
    assert.equal(c.resource.milliCPU, 250);
  });

  it('tells apart pods whose requests are equal but whose non-zero values differ', () => {
    // No requests: non-zero defaults apply; explicit zeros: they do not.
    const none = newPodInfo(makePod('none', { requests: [{}] })).calculateResource();
    const zero = newPodInfo(makePod('zero', { requests: [{ cpu: '0', memory: '0' }] })).calculateResource();
    assert.equal(none.resource.milliCPU, zero.resource.milliCPU);
    assert.notEqual(none, zero);
    assert.equal(none.non0CPU, 100);
    assert.equal(zero.non0CPU, 0);
  });

  it('freezes the result: a write to it or to its resource throws', () => {
    const r = newPodInfo(makePod('a', { requests: [{ cpu: '1' }] })).calculateResource();
    assert.throws(() => {
      (r as { non0CPU: number }).non0CPU = 7;
    }, TypeError);
    assert.throws(() => {
      (r.resource as { milliCPU: number }).milliCPU = 7;
    }, TypeError);
    assert.throws(() => r.resource.scalarResources.set('x', 1), TypeError);
    assert.equal(r.resource.milliCPU, 1000);
  });

  it('does not share results with scalar resources (still frozen)', () => {
    const a = newPodInfo(makePod('a', { requests: [{ 'example.com/gpu': '1' }] })).calculateResource();
    const b = newPodInfo(makePod('b', { requests: [{ 'example.com/gpu': '1' }] })).calculateResource();
    assert.notEqual(a, b);
    assert.deepEqual(a, b);
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.resource));
  });

  it('keeps the table bounded: after it fills, equal values still compare equal', () => {
    const mk = (cpu: number) => ({
      resource: { milliCPU: cpu, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalarResources: new Map() },
      non0CPU: cpu,
      non0Mem: 0,
    });
    const first = sharedPodResource(mk(-1));
    for (let i = 0; i < SHARED_POD_RESOURCE_LIMIT + 5; i++) sharedPodResource(mk(i));
    const again = sharedPodResource(mk(-1));
    assert.deepEqual(again, first);
    assert.equal(sharedPodResource(mk(-1)), again);
  });

  it('keeps node aggregates right when shared resources are added and removed', () => {
    const s = new ClusterSnapshot();
    s.addNode(makeNode('n1'));
    const p1 = makePod('p1', { node: 'n1', requests: [{ cpu: '500m', memory: '1Gi' }] });
    const p2 = makePod('p2', { node: 'n1', requests: [{ cpu: '500m', memory: '1Gi' }] });
    s.addPod(p1);
    s.addPod(p2);
    assert.equal(s.getNodeInfo('n1')!.requested.milliCPU, 1000);
    s.removePod(p1);
    assert.equal(s.getNodeInfo('n1')!.requested.milliCPU, 500);
    assert.equal(s.getNodeInfo('n1')!.nonZeroRequested.memory, 1024 ** 3);
  });
});
