/**
 * CacheInterner: equal JSON subtrees are shared (one frozen object), different ones are not, and a hash
 * collision never makes one object stand for another (the table is keyed by a hash of the JSON text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CacheInterner, hashText } from '@src/cluster/cache-interner';

test('equal subtrees are one frozen object; different ones, or the same keys in another order, are not', () => {
  const interner = new CacheInterner();
  const a = interner.shared({ app: 'web', tier: 'front' });
  const b = interner.shared({ app: 'web', tier: 'front' });
  const c = interner.shared({ app: 'web', tier: 'back' });
  const d = interner.shared({ tier: 'front', app: 'web' });
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.notEqual(a, d, 'key order is part of the JSON text');
  assert.deepEqual(c, { app: 'web', tier: 'back' });
  assert.ok(Object.isFrozen(a));
  assert.throws(() => {
    (a as Record<string, string>)['app'] = 'x';
  }, TypeError);
});

test('two different subtrees whose JSON texts hash alike each stay themselves', () => {
  // A real FNV-1a collision (found by a birthday search over random short strings).
  const i = 'wbr9yf';
  const j = '1gjwjsu';
  assert.equal(hashText(JSON.stringify({ v: i })), hashText(JSON.stringify({ v: j })), 'the texts collide');
  const interner = new CacheInterner();
  const first = interner.shared({ v: i });
  const second = interner.shared({ v: j });
  assert.deepEqual(second, { v: j }, 'the newcomer keeps its own value');
  assert.notEqual(first, second);
  assert.equal(interner.shared({ v: i }), first, 'the first one is still shared');
});

test('short strings are interned; long ones pass through', () => {
  const interner = new CacheInterner();
  const s1 = ['node', '0001'].join('-');
  const s2 = ['node', '0001'].join('-');
  assert.equal(interner.intern(s1), interner.intern(s2));
  const long = 'x'.repeat(200);
  assert.equal(interner.intern(long), long);
});
