/**
 * The snapshot's node change feed and a reader's cursor: changed positions since the last read,
 * and a full pass asked for on a first read, another list, another feed, or an overflow.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from '@src/kube-api/types';
import { FeedCursor, NodeChangeFeed } from '@src/scheduler/framework/node-change-feed';
import type { NodeInfo } from '@src/scheduler/framework/interface';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';

const node = (name: string, zone = 'z1'): Node => ({
  metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
});
const pod = (name: string): Pod => ({ metadata: { name, namespace: 'ns', uid: name }, spec: { containers: [] } });

describe('NodeChangeFeed and FeedCursor', () => {
  it('names the positions of the nodes changed since the last read, once each, ascending', () => {
    const snap = snapshotFrom({ nodes: [node('a'), node('b'), node('c')] });
    const list = snap.nodeInfos();
    const cursor = new FeedCursor();
    assert.equal(cursor.changedSince(snap.nodeChanges(), list), undefined, 'first read: full pass');
    assert.deepEqual(cursor.changedSince(snap.nodeChanges(), list), []);
    const c = list.findIndex((n) => n.name === 'c');
    const a = list.findIndex((n) => n.name === 'a');
    const info = snap.assumePod(pod('p1'), 'c');
    snap.assumePod(pod('p2'), 'a');
    snap.forgetPod(info);
    assert.deepEqual(cursor.changedSince(snap.nodeChanges(), list), [a, c].sort());
    snap.updateNode({ ...node('b'), spec: { unschedulable: true } });
    assert.deepEqual(cursor.changedSince(snap.nodeChanges(), list), [list.findIndex((n) => n.name === 'b')]);
  });

  it('asks for a full pass when the node list is rebuilt or another list is read', () => {
    const snap = snapshotFrom({ nodes: [node('a'), node('b')] });
    const cursor = new FeedCursor();
    cursor.changedSince(snap.nodeChanges(), snap.nodeInfos());
    snap.addNode(node('c', 'z2'));
    assert.equal(cursor.changedSince(snap.nodeChanges(), snap.nodeInfos()), undefined);
    assert.deepEqual(cursor.changedSince(snap.nodeChanges(), snap.nodeInfos()), []);
    assert.equal(cursor.changedSince(snap.nodeChanges(), snap.nodeInfos().slice()), undefined);
    assert.equal(cursor.changedSince(snap.nodeChanges(), snap.nodeInfos()), undefined, 'after a foreign list');
    assert.equal(cursor.changedSince(undefined, snap.nodeInfos()), undefined);
  });

  it('overflows past its cap, and the snapshot then hands out a fresh feed', () => {
    const fake = [{ generation: 1 }] as unknown as NodeInfo[];
    const feed = new NodeChangeFeed(fake, new Map([[fake[0]!, 0]]), 2);
    const cursor = new FeedCursor();
    cursor.changedSince(feed, fake);
    feed.note(fake[0]!);
    feed.note(fake[0]!);
    assert.deepEqual(cursor.changedSince(feed, fake), [0]);
    feed.note(fake[0]!);
    feed.note(fake[0]!);
    feed.note(fake[0]!);
    assert.equal(feed.overflowed, true);
    assert.equal(cursor.changedSince(feed, fake), undefined);

    const snap = snapshotFrom({ nodes: [node('a')] });
    const first = snap.nodeChanges();
    for (let i = 0; i <= first.cap; i++) snap.forgetPod(snap.assumePod(pod(`p${i}`), 'a'));
    assert.equal(first.overflowed, true);
    const second = snap.nodeChanges();
    assert.notEqual(second, first);
    assert.equal(second.overflowed, false);
    snap.assumePod(pod('q'), 'a');
    assert.equal(second.length, 1);
  });
});
