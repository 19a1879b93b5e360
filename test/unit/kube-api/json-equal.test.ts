import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonEqual } from '@src/kube-api/json-equal';

describe('jsonEqual', () => {
  it('ignores the order of keys at every depth', () => {
    assert.equal(
      jsonEqual({ a: 1, b: { x: [1, { p: 1, q: 2 }], y: 2 } }, { b: { y: 2, x: [1, { q: 2, p: 1 }] }, a: 1 }),
      true,
    );
  });
  it('keeps the order of array items', () => {
    assert.equal(jsonEqual([1, 2], [2, 1]), false);
    assert.equal(jsonEqual({ l: ['a', 'b'] }, { l: ['a', 'b', 'c'] }), false);
  });
  it('counts a key whose value is undefined as absent, and null as a value', () => {
    assert.equal(jsonEqual({ a: 1, b: undefined }, { a: 1 }), true);
    assert.equal(jsonEqual({ a: 1 }, { a: 1, b: undefined }), true);
    assert.equal(jsonEqual({ a: 1, b: null }, { a: 1 }), false);
    assert.equal(jsonEqual({ a: undefined }, { b: undefined }), true);
  });
  it('tells apart different values, types, and arrays from objects', () => {
    assert.equal(jsonEqual({ a: 1 }, { a: 2 }), false);
    assert.equal(jsonEqual({ a: 1 }, { b: 1 }), false);
    assert.equal(jsonEqual({ a: 1 }, { a: 1, b: 2 }), false);
    assert.equal(jsonEqual('1', 1), false);
    assert.equal(jsonEqual([], {}), false);
    assert.equal(jsonEqual({}, []), false);
    assert.equal(jsonEqual(null, {}), false);
    assert.equal(jsonEqual({ 0: 'a' }, ['a']), false);
  });
});
