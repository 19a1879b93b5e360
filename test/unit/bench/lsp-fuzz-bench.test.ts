/** bench/lsp-fuzz.ts reads exactly the closing line the fuzz CLI prints (test/lsp-fuzz/cli.ts summaryLine). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSummary } from '../../../bench/lsp-fuzz';
import { summaryLine } from '@test/lsp-fuzz/cli';

test('the bench parses the fuzz CLI closing line, with and without an RSS figure', () => {
  const line = summaryLine({ inputs: 100000, crashes: 0, errors: 2, slow: 3, rssGrowthMb: 27.6 });
  assert.deepEqual(parseSummary(`progress\n${line}\n`), {
    inputs: 100000,
    crashes: 0,
    errors: 2,
    over1s: 3,
    rssGrowthMb: 28,
  });
  const short = summaryLine({ inputs: 1000, crashes: 1, errors: 0, slow: 0, rssGrowthMb: undefined });
  assert.equal(parseSummary(short)?.rssGrowthMb, null);
  assert.equal(parseSummary('no closing line'), undefined);
});
