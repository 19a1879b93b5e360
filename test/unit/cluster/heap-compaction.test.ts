/** HeapCompaction: one collection after a burst of large lists, none after small ones or once disposed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapCompaction, LARGE_LIST_OBJECTS } from '@src/cluster/heap-compaction';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('a burst of large lists is followed by one collection, after the last of them', async () => {
  let calls = 0;
  const c = new HeapCompaction(() => calls++, 30);
  c.noteList(LARGE_LIST_OBJECTS);
  await tick(10);
  c.noteList(LARGE_LIST_OBJECTS * 3);
  assert.equal(calls, 0, 'not while lists keep arriving');
  await tick(80);
  assert.equal(calls, 1);
  c.dispose();
});

test('small lists, a missing gc function and dispose schedule nothing', async () => {
  let calls = 0;
  const small = new HeapCompaction(() => calls++, 5);
  small.noteList(LARGE_LIST_OBJECTS - 1);
  const disposed = new HeapCompaction(() => calls++, 5);
  disposed.noteList(LARGE_LIST_OBJECTS);
  disposed.dispose();
  new HeapCompaction(undefined, 5).noteList(LARGE_LIST_OBJECTS);
  await tick(40);
  assert.equal(calls, 0);
});
