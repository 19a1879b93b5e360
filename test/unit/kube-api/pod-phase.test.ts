import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTerminalPod } from '@src/kube-api/pod-phase';

describe('isTerminalPod', () => {
  it('is true for phase Succeeded and Failed only', () => {
    assert.equal(isTerminalPod({ status: { phase: 'Succeeded' } }), true);
    assert.equal(isTerminalPod({ status: { phase: 'Failed' } }), true);
    for (const phase of ['Pending', 'Running', 'Unknown', 'failed', '', undefined, null, 3]) {
      assert.equal(isTerminalPod({ status: { phase } }), false, String(phase));
    }
  });
  it('is false for a pod without a status', () => {
    assert.equal(isTerminalPod({}), false);
    assert.equal(isTerminalPod({ status: null }), false);
  });
});
