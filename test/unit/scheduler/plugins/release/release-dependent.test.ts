/**
 * Plugins whose behaviour depends on the modelled release, and the two default-profile plugins
 * that are no-ops for ordinary pods (DynamicResources, NodeDeclaredFeatures).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { releaseFeatureGates } from '@src/scheduler/framework/feature-gates';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { atLeast, parseMinorVersion } from '@src/scheduler/framework/version';
import { create as createBalanced } from '@src/scheduler/plugins/noderesources/balanced-allocation';
import {
  create as createDra,
  ERR_CLAIMS_NOT_MODELLED,
  NO_CLAIMS_TO_DEALLOCATE,
} from '@src/scheduler/plugins/dynamicresources/dynamic-resources';
import {
  create as createNdf,
  ERR_REASON_UNSATISFIED_REQUIREMENTS,
  inferForPodScheduling,
} from '@src/scheduler/plugins/nodedeclaredfeatures/node-declared-features';
import { releaseForRef } from '@src/scheduler/conformance/upstream-refs';
import type { Pod } from '@src/kube-api/types';
import { defaultSchedulerProfile } from '@src/scheduler/config/load';
import { predictOn } from '@src/scheduler/predict/predict';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

test('version parsing accepts kubectl and cloud version strings', () => {
  assert.deepEqual(parseMinorVersion('v1.33.2-eks-1234'), { major: 1, minor: 33 });
  assert.deepEqual(parseMinorVersion('1.36'), { major: 1, minor: 36 });
  assert.equal(parseMinorVersion('latest'), undefined);
  assert.equal(atLeast('v1.35.9', '1.36'), false);
  assert.equal(atLeast('v1.36.0', '1.36'), true);
  assert.equal(atLeast(undefined, '1.36'), true, 'no version means the newest modelled release');
  assert.equal(atLeast('garbage', '1.36'), true);
});

test('BalancedAllocation scores the balance change from v1.36 and the balance with the pod before it', () => {
  // Spec §8 setup A, node n1: with pod (0.875, 0.375) → 75, without (0.75, 0.125) → 68.
  const node = makeNode('n1', { cpu: '4', memory: '8Gi' });
  const existing = makePod('e', { node: 'n1', requests: [{ cpu: '3', memory: '1Gi' }] });
  const snap = snapshotFrom({ nodes: [node], pods: [existing] });
  const pod = makePod('p', { requests: [{ cpu: '500m', memory: '2Gi' }] });
  const score = (kubernetesVersion: string) => {
    const pl = createBalanced({ args: undefined, handle: snap, features: releaseFeatureGates(), kubernetesVersion });
    const st = new CycleState();
    assert.equal(pl.preScore(st, pod, snap.nodeInfos()), null);
    return pl.score(st, pod, snap.getNodeInfo('n1')!).score;
  };
  assert.equal(score('1.37'), 78, '50 + (50 + 75 - 68) / 2');
  assert.equal(score('v1.33.4'), 75, 'int64((1 - 0.25) * 100)');
});

test('the conformance corpus ref that predates v1.36 is modelled as 1.35, others as the newest', () => {
  assert.equal(releaseForRef('kubernetes/kubernetes@00fdb4ffc64976886691c99434ab5b01fa54f8fe'), '1.35');
  assert.equal(releaseForRef('kubernetes/kubernetes@0123'), undefined);
  assert.equal(releaseForRef(undefined), undefined);
});

test('DynamicResources: Skip and score 0 without claims; PostFilter has nothing to deallocate (said aloud before v1.37)', () => {
  const snap = snapshotFrom({ nodes: [makeNode('n1')] });
  const pl = createDra({ args: undefined, handle: snap, features: releaseFeatureGates() });
  const st = new CycleState();
  assert.equal(pl.preFilter(st, makePod('p')).status?.code, 'Skip');
  assert.equal(pl.score(st, makePod('p'), snap.getNodeInfo('n1')!).score, 0);
  // v1.37.2 answers Unschedulable without a reason (its FailedScheduling events have no such part).
  assert.equal(pl.postFilter(st).status?.code, 'Unschedulable');
  assert.deepEqual(pl.postFilter(st).status?.reasons, []);
  const v136 = createDra({
    args: undefined,
    handle: snap,
    features: releaseFeatureGates(),
    kubernetesVersion: 'v1.36.3',
  });
  assert.deepEqual(v136.postFilter(st).status?.reasons, [NO_CLAIMS_TO_DEALLOCATE]);
});

test('DynamicResources: a pod with ResourceClaims is an error naming the field, never a silent fit', () => {
  const snap = snapshotFrom({ nodes: [makeNode('n1')] });
  const pl = createDra({ args: undefined, handle: snap, features: releaseFeatureGates() });
  const pod: Pod = {
    ...makePod('p'),
    spec: { ...makePod('p').spec, resourceClaims: [{ name: 'gpu', resourceClaimName: 'c' }] } as Pod['spec'],
  };
  const r = pl.preFilter(new CycleState(), pod);
  assert.equal(r.status?.code, 'Error');
  assert.deepEqual(r.status?.reasons, [ERR_CLAIMS_NOT_MODELLED]);
  assert.match(ERR_CLAIMS_NOT_MODELLED, /^spec\.resourceClaims: /);
});

test('NodeDeclaredFeatures: ordinary pods Skip; required features filter nodes UnschedulableAndUnresolvable', () => {
  const plain = makePod('plain');
  assert.deepEqual(inferForPodScheduling(plain), []);
  const hostNetUserNs = { ...plain, spec: { ...plain.spec, hostNetwork: true, hostUsers: false } } as Pod;
  const restartAll = {
    ...plain,
    spec: { ...plain.spec, containers: [{ name: 'c', restartPolicyRules: [{ action: 'RestartAllContainers' }] }] },
  } as unknown as Pod;
  assert.deepEqual(inferForPodScheduling(hostNetUserNs), ['UserNamespacesHostNetworkSupport']);
  assert.deepEqual(inferForPodScheduling(restartAll), ['RestartAllContainersOnContainerExits']);

  const declaring = makeNode('new');
  (declaring.status as Record<string, unknown>)['declaredFeatures'] = ['UserNamespacesHostNetworkSupport'];
  const snap = snapshotFrom({ nodes: [declaring, makeNode('old')] });
  const pl = createNdf({ args: undefined, handle: snap, features: { NodeDeclaredFeatures: true } });
  assert.equal(pl.preFilter(new CycleState(), plain).status?.code, 'Skip');
  const st = new CycleState();
  assert.equal(pl.preFilter(st, hostNetUserNs).status, null);
  assert.equal(pl.filter(st, hostNetUserNs, snap.getNodeInfo('new')!), null);
  const rejected = pl.filter(st, hostNetUserNs, snap.getNodeInfo('old')!);
  assert.equal(rejected?.code, 'UnschedulableAndUnresolvable');
  assert.deepEqual(rejected?.reasons, [ERR_REASON_UNSATISFIED_REQUIREMENTS]);
  // With the gate off the plugin never constrains anything.
  const off = createNdf({ args: undefined, handle: snap, features: {} });
  assert.equal(off.preFilter(new CycleState(), hostNetUserNs).status?.code, 'Skip');
});

test("predictions over a snapshot model the snapshot's cluster version unless the caller names one", () => {
  const nodes = [makeNode('n1', { cpu: '4', memory: '8Gi' }), makeNode('n2', { cpu: '4', memory: '8Gi' })];
  const pods = [
    makePod('e1', { node: 'n1', requests: [{ cpu: '3', memory: '1Gi' }] }),
    makePod('e2', { node: 'n2', requests: [{ cpu: '1', memory: '2Gi' }] }),
  ];
  const snap = snapshotFrom({ nodes, pods });
  const pod = makePod('p', { requests: [{ cpu: '500m', memory: '2Gi' }] });
  const balanced = (r: ReturnType<typeof predictOn>, node: string) =>
    r.nodes!.find((n) => n.name === node)!.scores!.find((s) => s.plugin === 'NodeResourcesBalancedAllocation')!.raw;
  const profile = defaultSchedulerProfile();
  assert.equal(balanced(predictOn(pod, snap, profile, { mode: 'all-nodes' }), 'n1'), 78, 'v1.36+ formula (spec §8 A)');
  snap.kubernetesVersion = 'v1.33.1';
  assert.equal(balanced(predictOn(pod, snap, profile, { mode: 'all-nodes' }), 'n1'), 75, 'pre-v1.36 formula');
  assert.equal(balanced(predictOn(pod, snap, profile, { mode: 'all-nodes', kubernetesVersion: '1.37' }), 'n1'), 78);
});
