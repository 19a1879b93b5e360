/**
 * The API server's matchLabelKeys / mismatchLabelKeys merge for pod affinity terms
 * (pkg/registry/core/pod/strategy.go), which the scheduler relies on having happened.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mutatePodAffinity } from '@src/kube-api/pod-affinity-label-keys';
import type { Pod } from '@src/kube-api/types';

const incoming = (term: Record<string, unknown>): Pod => ({
  metadata: { name: 'incoming', namespace: 'ns1', labels: { foo: '', bar: 'a' } },
  spec: {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            podAffinityTerm: {
              topologyKey: 'k',
              labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
              ...term,
            },
          },
        ],
      },
    },
  },
});

describe('mutatePodAffinity', () => {
  it('merges matchLabelKeys as In and mismatchLabelKeys as NotIn requirements', () => {
    const m = mutatePodAffinity(incoming({ matchLabelKeys: ['bar', 'absent'], mismatchLabelKeys: ['bar'] }));
    const sel =
      m.spec!.affinity!.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution![0]!.podAffinityTerm
        .labelSelector!;
    assert.deepEqual(sel.matchExpressions, [
      { key: 'foo', operator: 'Exists' },
      { key: 'bar', operator: 'In', values: ['a'] },
      { key: 'bar', operator: 'NotIn', values: ['a'] },
    ]);
  });

  it('leaves a nil labelSelector alone and never mutates its input', () => {
    const pod = incoming({ matchLabelKeys: ['bar'], labelSelector: null });
    const before = JSON.stringify(pod);
    const m = mutatePodAffinity(pod);
    assert.equal(
      m.spec!.affinity!.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution![0]!.podAffinityTerm
        .labelSelector,
      null,
    );
    assert.equal(JSON.stringify(pod), before);
    const withKeys = incoming({ matchLabelKeys: ['bar'] });
    const copy = JSON.stringify(withKeys);
    mutatePodAffinity(withKeys);
    assert.equal(JSON.stringify(withKeys), copy);
  });
});
