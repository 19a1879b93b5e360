import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Emitter } from '@src/shared/emitter';

describe('Emitter', () => {
  test('fire calls every listener in registration order with the value', () => {
    const e = new Emitter<number>();
    const seen: string[] = [];
    e.event((n) => seen.push(`a${n}`));
    e.event((n) => seen.push(`b${n}`));
    e.fire(1);
    e.fire(2);
    assert.deepEqual(seen, ['a1', 'b1', 'a2', 'b2']);
  });

  test('the remover stops one registration; the same function registered twice is called twice', () => {
    const e = new Emitter<void>();
    let calls = 0;
    const l = (): void => void calls++;
    const off = e.event(l);
    e.event(l);
    e.fire();
    assert.equal(calls, 2);
    off();
    off();
    e.fire();
    assert.equal(calls, 3);
    assert.equal(e.size, 1);
  });

  test('a listener removed during a fire and not yet called is skipped', () => {
    const e = new Emitter<void>();
    const seen: string[] = [];
    let offB: () => void = () => undefined;
    e.event(() => {
      seen.push('a');
      offB();
    });
    offB = e.event(() => seen.push('b'));
    e.fire();
    assert.deepEqual(seen, ['a']);
  });

  test('an error in a listener reaches the caller of fire', () => {
    const e = new Emitter<void>();
    e.event(() => {
      throw new Error('boom');
    });
    assert.throws(() => e.fire(), /boom/);
  });

  test('after dispose nothing is called and nothing registers', () => {
    const e = new Emitter<string>();
    const seen: string[] = [];
    e.event((s) => seen.push(s));
    e.dispose();
    e.fire('x');
    const off = e.event((s) => seen.push(s));
    e.fire('y');
    off();
    assert.deepEqual(seen, []);
    assert.equal(e.size, 0);
  });
});
