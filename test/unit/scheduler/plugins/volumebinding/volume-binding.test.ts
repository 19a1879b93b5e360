import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, Node, Pod } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import {
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_NOT_ENOUGH_SPACE,
  ERR_REASON_PV_NOT_EXIST,
  ERR_REASON_UNBOUND_IMMEDIATE,
  VolumeBinding,
} from '@src/scheduler/plugins/volumebinding/volume-binding';

const nodes: Node[] = [
  {
    metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a', 'topology.kubernetes.io/zone': 'z1' } },
    status: { allocatable: { pods: '10' } },
  },
  {
    metadata: { name: 'node-b', labels: { 'kubernetes.io/hostname': 'node-b', 'topology.kubernetes.io/zone': 'z2' } },
    status: { allocatable: { pods: '10' } },
  },
];

function pod(...claims: string[]): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'p' },
    spec: {
      volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })),
      containers: [{ name: 'c' }],
    },
  };
}

const claim = (name: string, spec: Record<string, unknown>): KubeObject => ({
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const zonePV = (name: string, zone: string, extra: Record<string, unknown> = {}): KubeObject => ({
  kind: 'PersistentVolume',
  metadata: { name },
  spec: {
    capacity: { storage: '5Gi' },
    accessModes: ['ReadWriteOnce'],
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] },
        ],
      },
    },
    ...extra,
  },
});

const objects: KubeObject[] = [
  {
    kind: 'StorageClass',
    metadata: { name: 'wait' },
    provisioner: 'csi.example.com',
    volumeBindingMode: 'WaitForFirstConsumer',
  },
  {
    kind: 'StorageClass',
    metadata: { name: 'immediate' },
    provisioner: 'csi.example.com',
    volumeBindingMode: 'Immediate',
  },
  {
    kind: 'StorageClass',
    metadata: { name: 'wait-no-provisioner' },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'WaitForFirstConsumer',
  },
  {
    kind: 'StorageClass',
    metadata: { name: 'wait-zone-z2' },
    provisioner: 'csi.example.com',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['z2'] }] }],
  },
  {
    kind: 'StorageClass',
    metadata: { name: 'wait-capacity' },
    provisioner: 'capacity.example.com',
    volumeBindingMode: 'WaitForFirstConsumer',
  },
  { kind: 'CSIDriver', metadata: { name: 'capacity.example.com' }, spec: { storageCapacity: true } },
  {
    kind: 'CSIStorageCapacity',
    metadata: { name: 'cap-z1', namespace: 'kube-system' },
    storageClassName: 'wait-capacity',
    capacity: '10Gi',
    nodeTopology: { matchLabels: { 'topology.kubernetes.io/zone': 'z1' } },
  },
  {
    kind: 'CSIStorageCapacity',
    metadata: { name: 'cap-z2', namespace: 'kube-system' },
    storageClassName: 'wait-capacity',
    capacity: '500Mi',
    nodeTopology: { matchLabels: { 'topology.kubernetes.io/zone': 'z2' } },
  },
  zonePV('pv-z1', 'z1'),
  {
    kind: 'PersistentVolume',
    metadata: { name: 'pv-local-b' },
    spec: {
      capacity: { storage: '5Gi' },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-b'] }] },
          ],
        },
      },
    },
  },
  zonePV('pv-static-z2', 'z2', { storageClassName: 'wait-static' }),
  {
    kind: 'StorageClass',
    metadata: { name: 'wait-static' },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'WaitForFirstConsumer',
  },
  claim('bound-z1', { volumeName: 'pv-z1' }),
  claim('bound-local-b', { volumeName: 'pv-local-b' }),
  claim('bound-missing-pv', { volumeName: 'pv-gone' }),
  claim('unbound-wait', { storageClassName: 'wait' }),
  claim('unbound-immediate', { storageClassName: 'immediate' }),
  claim('unbound-no-provisioner', { storageClassName: 'wait-no-provisioner' }),
  claim('unbound-zone-z2', { storageClassName: 'wait-zone-z2' }),
  claim('unbound-capacity', { storageClassName: 'wait-capacity', resources: { requests: { storage: '1Gi' } } }),
  claim('unbound-static', { storageClassName: 'wait-static' }),
];

/** PreFilter then Filter on both nodes: "Skip", the PreFilter rejection, or per-node verdicts. */
function run(p: Pod): {
  pre: string;
  nodes?: Record<string, string>;
  eligible?: string[];
  scores?: Record<string, number>;
} {
  const snap = snapshotFrom({ nodes, objects });
  const pl = new VolumeBinding(snap, undefined);
  const state = new CycleState();
  const pre = pl.preFilter(state, p);
  if (pre.status?.isSkip()) return { pre: 'Skip' };
  if (pre.status && !pre.status.isSuccess()) return { pre: `${pre.status.code}: ${pre.status.message()}` };
  const out: Record<string, string> = {};
  const scores: Record<string, number> = {};
  for (const ni of snap.nodeInfos()) {
    const s = pl.filter(state, p, ni);
    out[ni.name] = s == null ? 'Success' : `${s.code}: ${s.message()}`;
  }
  assert.equal(pl.preScore(state), null);
  for (const ni of snap.nodeInfos()) scores[ni.name] = pl.score(state, p, ni).score;
  const r: { pre: string; nodes?: Record<string, string>; eligible?: string[]; scores?: Record<string, number> } = {
    pre: 'Success',
    nodes: out,
    scores,
  };
  if (pre.result) r.eligible = [...pre.result.nodeNames].sort();
  return r;
}

const UU = (...r: string[]) => `UnschedulableAndUnresolvable: ${r.join(', ')}`;

describe('VolumeBinding', () => {
  it('pod without claims: PreFilter skips, and Score is 0', () => {
    assert.deepEqual(run(pod()), { pre: 'Skip' });
    const snap = snapshotFrom({ nodes });
    const pl = new VolumeBinding(snap, undefined);
    const state = new CycleState();
    pl.preFilter(state, pod());
    assert.equal(pl.preScore(state), null, 'PreScore does not skip with StorageCapacityScoring on');
    assert.equal(pl.score(state, pod(), snap.nodeInfos()[0]!).score, 0);
  });

  it('missing claim is UU with the NotFound text', () => {
    assert.deepEqual(run(pod('nope')), { pre: 'UnschedulableAndUnresolvable: persistentvolumeclaim "nope" not found' });
  });

  it('unbound Immediate claim rejects the pod at PreFilter', () => {
    assert.deepEqual(run(pod('unbound-immediate')), {
      pre: `UnschedulableAndUnresolvable: ${ERR_REASON_UNBOUND_IMMEDIATE}`,
    });
  });

  it('bound claim: PV node affinity decides', () => {
    const r = run(pod('bound-z1'));
    assert.deepEqual(r.nodes, { 'node-a': 'Success', 'node-b': UU(ERR_REASON_NODE_CONFLICT) });
  });

  it('bound local PV restricts the nodes at PreFilter (GetEligibleNodes)', () => {
    assert.deepEqual(run(pod('bound-local-b')).eligible, ['node-b']);
  });

  it('bound claim whose PV does not exist', () => {
    const r = run(pod('bound-missing-pv'));
    assert.equal(r.nodes!['node-a'], UU(ERR_REASON_PV_NOT_EXIST));
  });

  it('WaitForFirstConsumer claim with a provisioner is feasible everywhere', () => {
    assert.deepEqual(run(pod('unbound-wait')).nodes, { 'node-a': 'Success', 'node-b': 'Success' });
  });

  it('WaitForFirstConsumer without provisioner and without a matching PV', () => {
    assert.deepEqual(run(pod('unbound-no-provisioner')).nodes, {
      'node-a': UU(ERR_REASON_BIND_CONFLICT),
      'node-b': UU(ERR_REASON_BIND_CONFLICT),
    });
  });

  it('WaitForFirstConsumer binds a matching static PV only where its affinity fits', () => {
    const r = run(pod('unbound-static'));
    assert.deepEqual(r.nodes, { 'node-a': UU(ERR_REASON_BIND_CONFLICT), 'node-b': 'Success' });
    // 1Gi of 5Gi: utilisation 20% on the default shape {0:10, 100:0} scaled ×10 gives 80.
    assert.equal(r.scores!['node-b'], 80);
  });

  it('class allowedTopologies restrict provisioning', () => {
    assert.deepEqual(run(pod('unbound-zone-z2')).nodes, {
      'node-a': UU(ERR_REASON_BIND_CONFLICT),
      'node-b': 'Success',
    });
  });

  it('CSIStorageCapacity too small is "not enough free storage"; dynamic provisions are scored', () => {
    const r = run(pod('unbound-capacity'));
    assert.deepEqual(r.nodes, { 'node-a': 'Success', 'node-b': UU(ERR_REASON_NOT_ENOUGH_SPACE) });
    // 1Gi of 10Gi = 10% → 100 - 10 = 90.
    assert.equal(r.scores!['node-a'], 90);
  });

  it('bound and unbound reasons combine in upstream order', () => {
    const r = run(pod('bound-z1', 'unbound-no-provisioner'));
    assert.equal(r.nodes!['node-b'], UU(ERR_REASON_NODE_CONFLICT, ERR_REASON_BIND_CONFLICT));
  });
});
