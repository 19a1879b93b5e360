import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, Pod } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { CSILimits, ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED } from '@src/scheduler/plugins/nodevolumelimits/csi';

const DRIVER = 'ebs.csi.aws.com';

function pod(name: string, claims: string[], nodeName?: string): Pod {
  return {
    metadata: { name, namespace: 'default', uid: name },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })),
      containers: [{ name: 'c' }],
    },
  };
}

function boundClaim(name: string): KubeObject[] {
  return [
    { kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { volumeName: `pv-${name}` } },
    {
      kind: 'PersistentVolume',
      metadata: { name: `pv-${name}` },
      spec: { csi: { driver: DRIVER, volumeHandle: `handle-${name}` } },
    },
  ];
}

const csiNode = (count?: number): KubeObject => ({
  kind: 'CSINode',
  metadata: { name: 'node-1' },
  spec: { drivers: [{ name: DRIVER, nodeID: 'n1', ...(count !== undefined ? { allocatable: { count } } : {}) }] },
});

function run(incoming: Pod, existing: Pod[], objects: KubeObject[]): string {
  const snap = snapshotFrom({
    nodes: [{ metadata: { name: 'node-1' }, status: { allocatable: { pods: '10' } } }],
    pods: existing,
    objects,
  });
  const pl = new CSILimits(snap);
  const state = new CycleState();
  const pre = pl.preFilter(state, incoming);
  if (pre.status?.isSkip()) return 'Skip';
  const s = pl.filter(state, incoming, snap.getNodeInfo('node-1')!);
  return s == null ? 'Success' : `${s.code}: ${s.message()}`;
}

describe('NodeVolumeLimits (CSILimits)', () => {
  const claims = ['a', 'b', 'c'].flatMap(boundClaim);
  const cases = [
    {
      name: 'pod without volumes skips',
      incoming: pod('p', []),
      existing: [] as Pod[],
      objects: [csiNode(1)],
      want: 'Skip',
    },
    {
      name: 'fits under the limit',
      incoming: pod('p', ['a']),
      existing: [pod('e', ['b'], 'node-1')],
      objects: [...claims, csiNode(2)],
      want: 'Success',
    },
    {
      name: 'exceeds the CSINode allocatable count',
      incoming: pod('p', ['a']),
      existing: [pod('e', ['b', 'c'], 'node-1')],
      objects: [...claims, csiNode(2)],
      want: `Unschedulable: ${ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED}`,
    },
    {
      name: 'a volume already attached on the node is not counted twice',
      incoming: pod('p', ['b']),
      existing: [pod('e', ['b', 'c'], 'node-1')],
      objects: [...claims, csiNode(2)],
      want: 'Success',
    },
    {
      name: 'no limit when the driver has no allocatable count',
      incoming: pod('p', ['a']),
      existing: [pod('e', ['b', 'c'], 'node-1')],
      objects: [...claims, csiNode()],
      want: 'Success',
    },
    {
      name: 'missing claim of the incoming pod',
      incoming: pod('p', ['missing']),
      existing: [],
      objects: [csiNode(1)],
      want: 'UnschedulableAndUnresolvable: looking up PVC default/missing: persistentvolumeclaim "missing" not found',
    },
    {
      name: 'unbound claims count against their class provisioner',
      incoming: pod('p', ['u']),
      existing: [pod('e', ['b'], 'node-1')],
      objects: [
        ...claims,
        csiNode(1),
        {
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'u', namespace: 'default' },
          spec: { storageClassName: 'sc' },
        },
        { kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: DRIVER },
      ],
      want: `Unschedulable: ${ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED}`,
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(run(c.incoming, c.existing, c.objects), c.want));
});
