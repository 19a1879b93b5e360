/**
 * npm test's counting (scripts/test-all.mjs): the counts each command prints, and their sum over a
 * step's commands (the host step runs two test passes; the closing total must hold both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- a plain .mjs script without type declarations
import { parseCounts, sumCounts } from '../../../scripts/test-all.mjs';

test("node --test's closing counts win over plain lines a test printed; a plain line alone is read", () => {
  assert.deepEqual(parseCounts('3 passed, 1 failed\nℹ pass 10\nℹ fail 2\nℹ skipped 1\n'), {
    passed: 10,
    failed: 2,
    skipped: 1,
  });
  assert.deepEqual(parseCounts('x\n  58 passed, 0 failed, 2 skipped\n'), { passed: 58, failed: 0, skipped: 2 });
  assert.equal(parseCounts('1000 inputs: 0 crashes, 0 errors\n'), null);
});

test("a step's commands are summed: the untrusted pass adds to the main in-host pass instead of replacing it", () => {
  const main = parseCounts('  60 passed, 0 failed, 2 skipped\n');
  const untrusted = parseCounts('  2 passed, 0 failed\n');
  assert.deepEqual(sumCounts([null, main, untrusted]), { passed: 62, failed: 0, skipped: 2 });
  assert.equal(sumCounts([null, null]), null);
});
