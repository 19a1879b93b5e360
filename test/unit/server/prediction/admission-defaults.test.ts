/**
 * Manifests are predicted as kube-apiserver would admit them: requests default from limits, so a
 * pod that sets only `limits: nvidia.com/gpu: 8` asks for 8 GPUs and fits no general node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admitPriority, type PodObject } from '@src/server/prediction/pod-from-spec';
import { snapshotFrom, predict } from '@src/scheduler';

function gpuPod(): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'train', namespace: 'ml' },
    spec: {
      containers: [{ name: 'c', image: 'trainer:1', resources: { limits: { 'nvidia.com/gpu': '8', cpu: '2' } } }],
    },
  };
}

test('requests default from limits, default tolerations are added, the manifest is not touched', () => {
  const pod = gpuPod();
  const before = JSON.stringify(pod);
  const { pod: admitted, error } = admitPriority(pod, snapshotFrom({}));
  assert.equal(error, undefined);
  const c = (admitted.spec['containers'] as { resources: { requests: Record<string, string> } }[])[0]!;
  assert.deepEqual(c.resources.requests, { 'nvidia.com/gpu': '8', cpu: '2' });
  const keys = (admitted.spec['tolerations'] as { key: string }[]).map((t) => t.key);
  assert.deepEqual(keys, ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
  assert.equal(admitted.spec['priority'], 0);
  assert.equal(JSON.stringify(pod), before, 'the parsed manifest must not be mutated');
});

test('a limits-only GPU pod fits no node without GPUs', () => {
  const node = {
    metadata: { name: 'general-1', labels: {} },
    status: { allocatable: { cpu: '8', memory: '32Gi', pods: '110' } },
  };
  const snap = snapshotFrom({ nodes: [node] });
  const { pod } = admitPriority(gpuPod(), snap);
  const r = predict(pod, snap);
  assert.ok(r.ok);
  assert.equal(r.result.selectedNode, undefined);
  assert.match(r.result.failure ?? '', /^0\/1 nodes are available: 1 Insufficient nvidia\.com\/gpu\./);
});
