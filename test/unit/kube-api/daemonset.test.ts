import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daemonPodAffinity, daemonSetTolerations } from '@src/kube-api/daemonset';
import { tolerationsTolerateTaint } from '@src/kube-api/tolerations';
import type { Toleration } from '@src/kube-api/types';

const keys = (ts: Toleration[]): string[] => ts.map((t) => `${t.key ?? ''}:${t.effect ?? ''}`);

describe('daemonSetTolerations (AddOrUpdateDaemonPodTolerations)', () => {
  it('adds the six node-condition tolerations after the template’s, in upstream order', () => {
    const own: Toleration = { key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' };
    assert.deepEqual(keys(daemonSetTolerations([own], false)), [
      'dedicated:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
  });

  it('adds network-unavailable only for host-network pods', () => {
    const net = 'node.kubernetes.io/network-unavailable:NoSchedule';
    assert.ok(keys(daemonSetTolerations(undefined, true)).includes(net));
    assert.ok(!keys(daemonSetTolerations(undefined, false)).includes(net));
  });

  it('replaces a matching toleration in place (its tolerationSeconds dropped) and never duplicates', () => {
    const own: Toleration[] = [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ];
    const out = daemonSetTolerations(own, false);
    assert.equal(out.length, 6);
    assert.deepEqual(out[0], { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' });
    assert.deepEqual(daemonSetTolerations(out, false), out, 'idempotent');
    assert.equal(own[0]!.tolerationSeconds, 60, 'the input is not mutated');
  });

  it('makes a daemon pod tolerate a cordoned node', () => {
    const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
    assert.equal(tolerationsTolerateTaint([], taint, false).tolerated, false);
    assert.equal(tolerationsTolerateTaint(daemonSetTolerations([], false), taint, false).tolerated, true);
  });

  it('pins a daemon pod to its node by metadata.name', () => {
    const terms =
      daemonPodAffinity('n1').nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    assert.deepEqual(terms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]);
  });
});
