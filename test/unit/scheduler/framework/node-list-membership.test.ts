/** withMembership: a node joins or leaves a node-ordered list as a new array; the old one is never changed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withMembership } from '@src/scheduler/framework/node-list-membership';

const positions = new Map([
  ['a', 0],
  ['b', 1],
  ['c', 2],
  ['d', 3],
]);

test('a node joins at its node-list position, in a new array', () => {
  const list = ['a', 'd'];
  const joined = withMembership(list, positions, 'c', true);
  assert.deepEqual(joined, ['a', 'c', 'd']);
  assert.deepEqual(list, ['a', 'd'], 'the list handed out before is unchanged');
  assert.deepEqual(withMembership(joined, positions, 'b', true), ['a', 'b', 'c', 'd']);
});

test('a node leaves; asking for the membership it already has returns the same array', () => {
  const list = ['a', 'b', 'd'];
  assert.deepEqual(withMembership(list, positions, 'b', false), ['a', 'd']);
  assert.equal(withMembership(list, positions, 'b', true), list);
  assert.equal(withMembership(list, positions, 'c', false), list);
  assert.equal(withMembership(list, positions, 'x', true), list, 'a node without a position is in no list');
});
