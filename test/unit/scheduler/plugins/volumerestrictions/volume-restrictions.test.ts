import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, Pod, Volume } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import {
  ERR_REASON_DISK_CONFLICT,
  ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT,
  VolumeRestrictions,
} from '@src/scheduler/plugins/volumerestrictions/volume-restrictions';

const node = { metadata: { name: 'node-1' }, status: { allocatable: { pods: '10' } } };

function pod(name: string, volumes: Volume[], nodeName?: string): Pod {
  return {
    metadata: { name, namespace: 'default', uid: name },
    spec: { ...(nodeName ? { nodeName } : {}), volumes, containers: [{ name: 'c' }] },
  };
}

function pvc(name: string, accessModes: string[]): KubeObject {
  return { kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes } };
}

/** Runs PreFilter and, unless skipped or rejected, Filter on node-1; returns "Skip", "Success" or code+reasons. */
function run(incoming: Pod, existing: Pod[], objects: KubeObject[] = []): string {
  const snap = snapshotFrom({ nodes: [node], pods: existing, objects });
  const pl = new VolumeRestrictions(snap);
  const state = new CycleState();
  const pre = pl.preFilter(state, incoming, snap.nodeInfos());
  if (pre.status?.isSkip()) {
    // Upstream's tests still call Filter; with no state the classic conflict check alone decides.
    return 'Skip';
  }
  if (pre.status && !pre.status.isSuccess()) return `${pre.status.code}: ${pre.status.message()}`;
  const s = pl.filter(state, incoming, snap.getNodeInfo('node-1')!);
  return s == null ? 'Success' : `${s.code}: ${s.message()}`;
}

const U = (r: string) => `Unschedulable: ${r}`;

describe('VolumeRestrictions classic disk conflicts (TestGCEDiskConflicts, TestAWSDiskConflicts, TestRBDDiskConflicts, TestISCSIDiskConflicts)', () => {
  const kinds: { name: string; vol: (id: string, ro?: boolean) => Volume }[] = [
    { name: 'GCE PD', vol: (id, ro) => ({ name: 'v', gcePersistentDisk: { pdName: id, readOnly: ro ?? false } }) },
    { name: 'AWS EBS', vol: (id) => ({ name: 'v', awsElasticBlockStore: { volumeID: id } }) },
    {
      name: 'RBD',
      vol: (id, ro) => ({ name: 'v', rbd: { monitors: ['a', 'b'], pool: 'foo', image: id, readOnly: ro ?? false } }),
    },
    {
      name: 'iSCSI',
      vol: (id, ro) => ({
        name: 'v',
        iscsi: { targetPortal: '127.0.0.1:3260', iqn: id, lun: 0, readOnly: ro ?? false },
      }),
    },
  ];
  for (const k of kinds) {
    const cases = [
      { name: 'nothing', existing: [] as Pod[], want: 'Success' },
      { name: 'one state', existing: [pod('e', [k.vol('foo')], 'node-1')], want: U(ERR_REASON_DISK_CONFLICT) },
      { name: 'same state', existing: [pod('e', [k.vol('foo')], 'node-1')], want: U(ERR_REASON_DISK_CONFLICT) },
      { name: 'different state', existing: [pod('e', [k.vol('bar')], 'node-1')], want: 'Success' },
    ];
    for (const c of cases) {
      it(`${k.name}: ${c.name}`, () => assert.equal(run(pod('p', [k.vol('foo')]), c.existing), c.want));
    }
  }

  it('GCE PD: read-only on both sides does not conflict', () => {
    const v = { name: 'v', gcePersistentDisk: { pdName: 'foo', readOnly: true } };
    assert.equal(run(pod('p', [v]), [pod('e', [v], 'node-1')]), 'Success');
  });

  it('AWS EBS: read-only does not help', () => {
    const v = { name: 'v', awsElasticBlockStore: { volumeID: 'foo', readOnly: true } };
    assert.equal(run(pod('p', [v]), [pod('e', [v], 'node-1')]), U(ERR_REASON_DISK_CONFLICT));
  });
});

describe('VolumeRestrictions ReadWriteOncePod (TestAccessModeConflicts)', () => {
  const claims = [
    pvc('claim-with-rwop-1', ['ReadWriteOncePod']),
    pvc('claim-with-rwop-2', ['ReadWriteOncePod']),
    pvc('claim-with-rwx', ['ReadWriteMany']),
  ];
  const vol = (c: string): Volume => ({ name: c, persistentVolumeClaim: { claimName: c } });
  const cases = [
    { name: 'nothing', incoming: pod('p', []), existing: [] as Pod[], want: 'Skip' },
    {
      name: 'failed to get PVC',
      incoming: pod('p', [vol('claim-missing')]),
      existing: [],
      want: 'UnschedulableAndUnresolvable: persistentvolumeclaim "claim-missing" not found',
    },
    {
      name: 'no access mode conflict',
      incoming: pod('p', [vol('claim-with-rwop-1')]),
      existing: [pod('e', [vol('claim-with-rwx')], 'node-1')],
      want: 'Skip',
    },
    {
      name: 'access mode conflict, unschedulable',
      incoming: pod('p', [vol('claim-with-rwop-1')]),
      existing: [pod('e', [vol('claim-with-rwop-1')], 'node-1')],
      want: U(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT),
    },
    {
      name: 'two conflicts, unschedulable',
      incoming: pod('p', [vol('claim-with-rwop-1'), vol('claim-with-rwop-2')]),
      existing: [pod('e', [vol('claim-with-rwop-1'), vol('claim-with-rwop-2')], 'node-1')],
      want: U(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT),
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(run(c.incoming, c.existing, claims), c.want));

  it('RemovePod of the conflicting pod clears the conflict (what preemption relies on)', () => {
    const existing = pod('e', [vol('claim-with-rwop-1')], 'node-1');
    const snap = snapshotFrom({ nodes: [node], pods: [existing], objects: claims });
    const pl = new VolumeRestrictions(snap);
    const state = new CycleState();
    const incoming = pod('p', [vol('claim-with-rwop-1')]);
    pl.preFilter(state, incoming, snap.nodeInfos());
    const ni = snap.getNodeInfo('node-1')!;
    assert.equal(pl.filter(state, incoming, ni)?.code, 'Unschedulable');
    const copy = state.clone();
    pl.removePod(copy, incoming, ni.pods[0]!);
    assert.equal(pl.filter(copy, incoming, ni), null);
    assert.equal(pl.filter(state, incoming, ni)?.code, 'Unschedulable', 'the original state is untouched');
  });
});
