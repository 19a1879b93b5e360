/**
 * A replica placement cut into steps (each stopping as soon as it may, as a background slice past its
 * deadline does) places exactly what one uninterrupted placement does, and leaves the
 * snapshot as it was after every step. (test/unit/server/code-lens-budget.test.ts drives the engine's
 * resumption through the server.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSchedulerProfile, predictOn } from '@src/scheduler';
import { placeAfterFirst, placeReplicasUntil, type PlacementStep } from '@src/server/prediction/engine';
import { podFromSpec } from '@src/server/prediction/pod-from-spec';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { parseManifest } from '@src/server/services/manifest';
import { boundPod, FakeCaches, node } from './helpers';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 12
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: web } } }
      containers:
        - { name: c, image: busybox, resources: { requests: { cpu: "1" } } }
`;

function cluster(): LiveCluster {
  const nodes = [
    node('n1', { cpu: '4', zone: 'a' }),
    node('n2', { cpu: '4', zone: 'b' }),
    node('n3', { cpu: '2', zone: 'c' }),
    node('n4', { cpu: '2', zone: 'a' }),
  ];
  return new LiveCluster(new FakeCaches({ nodes, pods: [boundPod('x', 'n1', '1')] }));
}

test('placing replicas one step at a time places what one placement does (a replica does not fit at the end)', () => {
  const live = cluster();
  const [doc] = parseManifest(DEPLOYMENT);
  const pod = podFromSpec(doc!, doc!.podSpecs[0]!, 'default');
  const profile = defaultSchedulerProfile();
  const first = predictOn(pod as never, live.snapshot, profile, { mode: 'kube-scheduler', detail: 'summary' });
  const whole = placeAfterFirst(pod, 12, first, live.snapshot, profile);
  assert.equal(whole.placed, 11, 'the cluster has room for 11 of 12');

  let step: PlacementStep | undefined;
  let steps = 0;
  do {
    step = placeReplicasUntil(pod, 12, first, live.snapshot, profile, -Infinity, step);
    steps++;
    // Every step undoes its assumptions: the first replica is predicted as before.
    const again = predictOn(pod as never, live.snapshot, profile, { mode: 'kube-scheduler', detail: 'summary' });
    assert.equal(again.selectedNode, first.selectedNode);
    assert.equal(again.selectedTotal, first.selectedTotal);
  } while (!step.done);
  // A step places for at least as long as it re-assumed the earlier replicas, so it may place a few.
  assert.ok(steps >= 2, `the placement was cut into steps (${steps})`);
  assert.deepEqual(step.out, whole);
});
