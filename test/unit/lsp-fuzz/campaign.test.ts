/**
 * The fuzz:lsp campaign's own contracts: inputs are a pure function of (seed, index), invalid UTF-8
 * inputs carry their bytes and the decoded text, arguments parse, and the closing line has the
 * promised shape.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLspFuzzArgs, RSS_WARMUP_INPUTS, RSS_WINDOW_INPUTS, rssGrowthMb, summaryLine } from '@test/lsp-fuzz/cli';
import { makeInput } from '@test/lsp-fuzz/mutate';

describe('fuzz:lsp campaign', () => {
  test('input i of seed S is always the same', () => {
    for (const i of [0, 1, 70, 999]) assert.deepEqual(makeInput(7, i), makeInput(7, i));
    assert.notEqual(makeInput(7, 1).text, makeInput(8, 1).text);
  });

  test('a raw input is its bytes, and its text is their UTF-8 decoding', () => {
    let found = 0;
    for (let i = 0; i < 400 && found < 3; i++) {
      const input = makeInput(1, i);
      if (input.raw === undefined) continue;
      found++;
      assert.equal(input.text, input.raw.toString('utf8'));
      assert.ok(input.recipe.includes('invalidUtf8'));
    }
    assert.ok(found > 0, 'the first 400 inputs hold invalid UTF-8');
  });

  test('arguments', () => {
    const a = parseLspFuzzArgs(['--seed', '3', '--count=20', '--cluster', '--first', '5', '--no-save']);
    assert.equal(a.seed, 3);
    assert.equal(a.count, 20);
    assert.equal(a.first, 5);
    assert.equal(a.cluster, true);
    assert.equal(a.save, false);
    assert.throws(() => parseLspFuzzArgs(['--count', '-1']), /--count/);
    assert.throws(() => parseLspFuzzArgs(['--bogus']), /unknown argument/);
  });

  test('the closing line', () => {
    assert.equal(
      summaryLine({ inputs: 2000, crashes: 0, errors: 1, slow: 2, rssGrowthMb: 12.4 }),
      '2000 inputs: 0 crashes, 1 errors, 2 over 1 s, RSS +12 MB',
    );
    assert.equal(
      summaryLine({ inputs: 1, crashes: 0, errors: 0, slow: 0, rssGrowthMb: -3 }),
      '1 inputs: 0 crashes, 0 errors, 0 over 1 s, RSS -3 MB',
    );
  });

  test('RSS growth: median of the last window minus median of the window after the warm-up', () => {
    const n = RSS_WARMUP_INPUTS + RSS_WINDOW_INPUTS;
    assert.equal(rssGrowthMb(new Array<number>(n - 1).fill(100)), undefined);
    // A sawtooth (the young generation filling and emptying) grows nothing; the warm-up is not counted.
    const saw = (i: number): number => 100 + (i % 10) * 6;
    const flat = Array.from({ length: RSS_WARMUP_INPUTS + 3 * RSS_WINDOW_INPUTS }, (_, i) =>
      i < RSS_WARMUP_INPUTS ? 50 + i / 20 : saw(i),
    );
    assert.ok(Math.abs(rssGrowthMb(flat)!) <= 10, `${rssGrowthMb(flat)}`);
    // Memory kept since before the last window is counted whole, however late in the run it came.
    const leak = flat.map((x, i) => (i >= flat.length - RSS_WINDOW_INPUTS - 10 ? x + 40 : x));
    assert.ok(Math.abs(rssGrowthMb(leak)! - 40) <= 10, `${rssGrowthMb(leak)}`);
  });
});
