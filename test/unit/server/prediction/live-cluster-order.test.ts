/**
 * The model's node order (which breaks ties between equally good nodes) depends only on the nodes
 * there are: a server that watched a node being added predicts what a freshly connected one does.
 * Found by `npm run chaos` (a lens read "First replica → node-a (tie of 3)" on the server that had
 * watched chaos-node-2 appear, and "→ chaos-node-2" on a fresh one, for the same cluster).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { FakeCaches, node } from './helpers';

const order = (live: LiveCluster): string[] => live.snapshot.nodeInfos().map((n) => n.node.metadata?.name ?? '');

describe('LiveCluster node order', () => {
  test('a node added by a watch event takes the place a fresh list gives it', () => {
    const watched = new FakeCaches({ nodes: [node('node-a'), node('node-b', { zone: 'zone-b' })] });
    const live = new LiveCluster(watched);
    watched.add('nodes', node('chaos-node-2'));
    const fresh = new LiveCluster(
      new FakeCaches({ nodes: [node('chaos-node-2'), node('node-a'), node('node-b', { zone: 'zone-b' })] }),
    );
    assert.deepEqual(order(live), order(fresh));
    assert.deepEqual(order(fresh), ['chaos-node-2', 'node-b', 'node-a']);
  });

  test('the order does not follow the order of the cache list', () => {
    const a = new LiveCluster(new FakeCaches({ nodes: [node('n-3'), node('n-1'), node('n-2')] }));
    const b = new LiveCluster(new FakeCaches({ nodes: [node('n-1'), node('n-2'), node('n-3')] }));
    assert.deepEqual(order(a), ['n-1', 'n-2', 'n-3']);
    assert.deepEqual(order(a), order(b));
  });
});
