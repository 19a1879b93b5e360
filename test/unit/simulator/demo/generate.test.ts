import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControllerManager } from '@src/simulator/controllers/controller-manager';
import { applySnapshot, generateDemoCluster } from '@src/simulator/demo';
import { Store } from '@src/simulator/store/store';
import type { LooseObject } from '@src/simulator/controllers/common';

test('demo generation is deterministic for a seed and differs across seeds', () => {
  const a = JSON.stringify(generateDemoCluster({ nodes: 12, zones: 3, seed: 5 }).objects);
  const b = JSON.stringify(generateDemoCluster({ nodes: 12, zones: 3, seed: 5 }).objects);
  const c = JSON.stringify(generateDemoCluster({ nodes: 12, zones: 3, seed: 6 }).objects);
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('the demo cluster has the expected shape', () => {
  const { objects, summary } = generateDemoCluster({ nodes: 10, zones: 2, seed: 1 });
  const nodes = objects.filter((o) => o.kind === 'Node');
  assert.equal(nodes.length, 10);
  assert.equal(summary.nodes, 10);
  const cp = nodes.find((n) => n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] === '')!;
  assert.deepEqual(cp.spec.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  const gpu = nodes.filter((n) => n.metadata?.labels?.['pool'] === 'gpu');
  assert.ok(gpu.length >= 1);
  assert.ok(
    gpu.every((n) => n.status.allocatable['nvidia.com/gpu'] === '4' && n.spec.taints[0].key === 'nvidia.com/gpu'),
  );
  assert.deepEqual(
    new Set(nodes.map((n) => n.metadata?.labels?.['topology.kubernetes.io/zone'])),
    new Set(['eu-west-1a', 'eu-west-1b']),
  );
  assert.ok(
    nodes.every(
      (n) =>
        n.status.allocatable.pods === '110' &&
        n.status.conditions.some((c: LooseObject) => c.type === 'Ready' && c.status === 'True') &&
        n.status.images.length > 0,
    ),
  );
  const pods = objects.filter((o) => o.kind === 'Pod');
  for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    assert.ok(
      pods.some((p) => p.metadata?.name === `${c}-${cp.metadata?.name}` && p.spec.nodeName === cp.metadata?.name),
      c,
    );
  }
  const pending = pods.filter((p) => !p.spec.nodeName);
  assert.deepEqual(
    pending.map((p) => p.metadata?.name),
    ['train-llm-0'],
  );
  assert.ok(pods.every((p) => p.spec.schedulerName === 'default-scheduler' && typeof p.spec.priority === 'number'));
  assert.ok(objects.some((o) => o.kind === 'Secret' && o['type'] === 'helm.sh/release.v1'));
  assert.ok(objects.some((o) => o.kind === 'Deployment' && o.metadata?.name === 'coredns'));
  assert.ok(objects.some((o) => o.kind === 'PriorityClass' && o.metadata?.name === 'system-node-critical'));
  assert.ok(
    objects
      .filter((o) => o.kind === 'Namespace')
      .every((n) => n.metadata?.labels?.['kubernetes.io/metadata.name'] === n.metadata?.name),
  );
});

test('controllers adopt a loaded demo cluster without churn and report the pod that fits nowhere', async () => {
  const { objects, summary } = generateDemoCluster({ nodes: 8, seed: 3 });
  const store = new Store({ gracefulPodDeletion: 'external' });
  const res = applySnapshot(store, objects as never);
  assert.deepEqual(res.errors, []);
  const podCount = store.count({ group: '', resource: 'pods' });
  assert.equal(podCount, summary.pods);
  const cm = new ControllerManager(store, { seed: 1, now: () => new Date('2026-01-01T00:00:00Z') });
  cm.start();
  await cm.whenIdle();
  assert.equal(store.count({ group: '', resource: 'pods' }), podCount, 'no pods created or deleted');
  assert.equal(
    store.count({ group: 'apps', resource: 'replicasets' }),
    objects.filter((o) => o.kind === 'ReplicaSet').length,
    'demo ReplicaSets are recognised',
  );
  const giant = store.get({ group: '', resource: 'pods' }, 'ml', 'train-llm-0')!;
  const cond = giant['status'].conditions.find((c: LooseObject) => c.type === 'PodScheduled');
  assert.equal(cond.reason, 'Unschedulable');
  assert.match(cond.message, /^0\/8 nodes are available: .*Insufficient nvidia\.com\/gpu/);
  cm.stop();
  store.dispose();
});
