import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getZoneKey, NodeTree } from '@src/scheduler/framework/node-tree';
import { makeNode } from '@test/builders/node';

const zone = (name: string, z: string, extra: Record<string, string> = {}) =>
  makeNode(name, { labels: { 'topology.kubernetes.io/zone': z, ...extra } });

describe('nodeTree', () => {
  it('interleaves zones round-robin in first-seen order', () => {
    const t = new NodeTree();
    for (const n of [zone('a1', 'A'), zone('a2', 'A'), zone('a3', 'A'), zone('b1', 'B')]) t.addNode(n);
    assert.deepEqual(t.list(), ['a1', 'b1', 'a2', 'a3']);
  });

  it('ignores a duplicate add and drops an emptied zone on remove', () => {
    const t = new NodeTree();
    t.addNode(zone('a1', 'A'));
    t.addNode(zone('a1', 'A'));
    t.addNode(zone('b1', 'B'));
    t.addNode(zone('c1', 'C'));
    t.removeNode('b1');
    t.addNode(zone('b2', 'B'));
    assert.deepEqual(t.list(), ['a1', 'c1', 'b2']);
    assert.equal(t.numNodes, 3);
  });

  it('moves a node whose zone changes to the end of its new zone', () => {
    const t = new NodeTree();
    const a1 = zone('a1', 'A');
    t.addNode(a1);
    t.addNode(zone('a2', 'A'));
    t.addNode(zone('b1', 'B'));
    t.updateNode(a1, zone('a1', 'B'));
    assert.deepEqual(t.list(), ['a2', 'b1', 'a1']);
  });

  it('prefers the beta zone and region labels', () => {
    const n = makeNode('n', {
      labels: {
        'failure-domain.beta.kubernetes.io/zone': 'beta-z',
        'topology.kubernetes.io/zone': 'ga-z',
        'topology.kubernetes.io/region': 'ga-r',
      },
    });
    assert.equal(getZoneKey(n), 'ga-r:\x00:beta-z');
    assert.equal(getZoneKey(makeNode('m')), '');
  });
});
