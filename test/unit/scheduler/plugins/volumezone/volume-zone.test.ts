import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, Node, Pod } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { ERR_REASON_CONFLICT, VolumeZone } from '@src/scheduler/plugins/volumezone/volume-zone';

function pod(claim?: string): Pod {
  return {
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      volumes: claim ? [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] : [],
      containers: [{ name: 'c' }],
    },
  };
}

function node(labels: Record<string, string>): Node {
  return { metadata: { name: 'host1', labels }, status: { allocatable: { pods: '10' } } };
}

// The PV/PVC fixtures of volume_zone_test.go (TestSingleZone).
const objects: KubeObject[] = [
  {
    kind: 'PersistentVolume',
    metadata: { name: 'Vol_1', labels: { 'failure-domain.beta.kubernetes.io/zone': 'us-west1-a' } },
  },
  {
    kind: 'PersistentVolume',
    metadata: {
      name: 'Vol_2',
      labels: { 'failure-domain.beta.kubernetes.io/region': 'us-west1', uselessLabel: 'none' },
    },
  },
  { kind: 'PersistentVolume', metadata: { name: 'Vol_3', labels: { 'topology.kubernetes.io/region': 'us-west1' } } },
  {
    kind: 'PersistentVolume',
    metadata: { name: 'Vol_Multi', labels: { 'topology.kubernetes.io/zone': 'us-west1-a__us-west1-b' } },
  },
  { kind: 'PersistentVolumeClaim', metadata: { name: 'PVC_1', namespace: 'default' }, spec: { volumeName: 'Vol_1' } },
  { kind: 'PersistentVolumeClaim', metadata: { name: 'PVC_2', namespace: 'default' }, spec: { volumeName: 'Vol_2' } },
  { kind: 'PersistentVolumeClaim', metadata: { name: 'PVC_3', namespace: 'default' }, spec: { volumeName: 'Vol_3' } },
  {
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'PVC_Multi', namespace: 'default' },
    spec: { volumeName: 'Vol_Multi' },
  },
  {
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'PVC_4', namespace: 'default' },
    spec: { volumeName: 'Vol_not_exist' },
  },
  {
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'PVC_WFFC', namespace: 'default' },
    spec: { storageClassName: 'wffc' },
  },
  { kind: 'StorageClass', metadata: { name: 'wffc' }, volumeBindingMode: 'WaitForFirstConsumer' },
];

function run(p: Pod, n: Node): string {
  const snap = snapshotFrom({ nodes: [n], objects });
  const pl = new VolumeZone(snap);
  const state = new CycleState();
  const pre = pl.preFilter(state, p);
  if (pre.status?.isSkip()) return 'Skip';
  if (pre.status && !pre.status.isSuccess()) return `${pre.status.code}: ${pre.status.message()}`;
  const s = pl.filter(state, p, snap.getNodeInfo('host1')!);
  return s == null ? 'Success' : `${s.code}: ${s.message()}`;
}

const UU = `UnschedulableAndUnresolvable: ${ERR_REASON_CONFLICT}`;

describe('VolumeZone (TestSingleZone, TestWithBinding)', () => {
  const cases = [
    {
      name: 'pod without volume',
      pod: pod(),
      node: node({ 'failure-domain.beta.kubernetes.io/zone': 'us-west1-a' }),
      want: 'Skip',
    },
    { name: 'node without labels', pod: pod('PVC_1'), node: node({}), want: 'Success' },
    {
      name: 'beta zone label matched',
      pod: pod('PVC_1'),
      node: node({ 'failure-domain.beta.kubernetes.io/zone': 'us-west1-a', uselessLabel: 'none' }),
      want: 'Success',
    },
    {
      name: 'beta region label matched',
      pod: pod('PVC_2'),
      node: node({ 'failure-domain.beta.kubernetes.io/region': 'us-west1' }),
      want: 'Success',
    },
    {
      name: "beta region label doesn't match",
      pod: pod('PVC_2'),
      node: node({ 'failure-domain.beta.kubernetes.io/region': 'no_us-west1' }),
      want: UU,
    },
    {
      name: "beta zone label doesn't match",
      pod: pod('PVC_1'),
      node: node({ 'failure-domain.beta.kubernetes.io/zone': 'no_us-west1-a' }),
      want: UU,
    },
    {
      name: 'zone label matched',
      pod: pod('PVC_3'),
      node: node({ 'topology.kubernetes.io/region': 'us-west1' }),
      want: 'Success',
    },
    {
      name: 'PV beta label matches the node GA label',
      pod: pod('PVC_1'),
      node: node({ 'topology.kubernetes.io/zone': 'us-west1-a' }),
      want: 'Success',
    },
    {
      name: 'multi-zone PV matches either zone',
      pod: pod('PVC_Multi'),
      node: node({ 'topology.kubernetes.io/zone': 'us-west1-b' }),
      want: 'Success',
    },
    {
      name: 'PV not found',
      pod: pod('PVC_4'),
      node: node({ 'topology.kubernetes.io/zone': 'us-west1-a' }),
      want: 'UnschedulableAndUnresolvable: persistentvolume "Vol_not_exist" not found',
    },
    {
      name: 'PVC not found',
      pod: pod('PVC_nope'),
      node: node({}),
      want: 'UnschedulableAndUnresolvable: persistentvolumeclaim "PVC_nope" not found',
    },
    {
      name: 'unbound WaitForFirstConsumer claim is skipped',
      pod: pod('PVC_WFFC'),
      node: node({ 'topology.kubernetes.io/zone': 'x' }),
      want: 'Skip',
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(run(c.pod, c.node), c.want));
});
