import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { int64Div, mulDiv } from '@src/scheduler/resource/int64';
import { buildBrokenLinearFunction } from '@src/scheduler/plugins/helper/shape-score';

describe('int64Div / mulDiv (Go int64 semantics)', () => {
  const cases: { name: string; got: () => number; want: number }[] = [
    { name: '7 / 2 truncates', got: () => int64Div(7, 2), want: 3 },
    { name: '-7 / 2 truncates toward zero', got: () => int64Div(-7, 2), want: -3 },
    { name: '7 / -2 truncates toward zero', got: () => int64Div(7, -2), want: -3 },
    { name: 'exact quotient near 2^47', got: () => int64Div(2 ** 47 - 1, 2 ** 47 - 1), want: 1 },
    { name: 'large operands use BigInt', got: () => int64Div(2 ** 53 - 1, 3), want: 3002399751580330 },
    {
      name: 'a*b beyond 2^53 stays exact',
      got: () => mulDiv(8537412623475202 - 3756461554329089, 100, 8537412623475202),
      want: 55,
    },
    { name: 'small mulDiv', got: () => mulDiv(1000, 100, 3000), want: 33 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(c.got(), c.want));
});

describe('buildBrokenLinearFunction (helper/shape_score.go)', () => {
  const f = buildBrokenLinearFunction([
    { utilization: 10, score: 100 },
    { utilization: 60, score: 0 },
    { utilization: 90, score: 30 },
  ]);
  const cases: [number, number][] = [
    [0, 100], // At or below the first point: its score.
    [10, 100],
    [11, 98], // 100 + (-100*1)/50 = 100 - 2.
    [13, 94], // 100 + (-300)/50 = 94.
    [14, 92], // 100 + (-400)/50 = 92.
    [59, 2], // 100 + (-4900)/50 = 2.
    [61, 1], // 0 + (30*1)/30 = 1.
    [62, 2],
    [100, 30], // Beyond the last point: its score.
  ];
  for (const [p, want] of cases) it(`f(${p}) = ${want}`, () => assert.equal(f(p), want));
  it('truncates a negative slope toward zero, not down', () => {
    const g = buildBrokenLinearFunction([
      { utilization: 0, score: 100 },
      { utilization: 3, score: 0 },
    ]);
    assert.equal(g(1), 67); // 100 + trunc(-100/3) = 100 - 33.
  });
});
