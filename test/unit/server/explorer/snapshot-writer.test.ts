/** Save Cluster Snapshot: what goes in, what never does, and that the simulated cluster loads it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchedKind } from '@src/cluster/cluster-session';
import type { KindState, KubeObj } from '@src/server/explorer/cluster-data';
import {
  buildSnapshot,
  SNAPSHOT_KINDS,
  snapshotVersionMinor,
  VERSION_ANNOTATION,
} from '@src/server/explorer/snapshot-writer';
import { Store } from '@src/simulator/store/store';
import { PREDICTION_KINDS } from '@src/server/prediction/live-cluster';

const SYNCED: KindState = { state: 'synced', message: '' };

function src(objs: Partial<Record<WatchedKind, KubeObj[]>>, states: Partial<Record<WatchedKind, KindState>> = {}) {
  return { list: (k: WatchedKind) => objs[k] ?? [], state: (k: WatchedKind) => states[k] ?? SYNCED };
}

const OBJS: Partial<Record<WatchedKind, KubeObj[]>> = {
  namespaces: [{ metadata: { name: 'shop', uid: 'u1', resourceVersion: '9' } }],
  nodes: [
    {
      metadata: { name: 'n1', managedFields: [{ manager: 'kubelet' }] },
      status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
    },
  ],
  pods: [
    {
      metadata: {
        name: 'web',
        namespace: 'shop',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":1}' },
      },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
    },
  ],
  services: [
    {
      metadata: { name: 'web', namespace: 'shop' },
      spec: { clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'], selector: { app: 'web' } },
    },
  ],
  secrets: [{ metadata: { name: 'db', namespace: 'shop' }, data: { password: 'aHVudGVyMg==' } }],
};

test('the snapshot holds the scheduling kinds with apiVersion and kind, without server-owned metadata', () => {
  const { snapshot, counts } = buildSnapshot(src(OBJS), 'prod', new Date('2026-01-01T00:00:00Z'));
  assert.equal(snapshot.kind, 'List');
  assert.equal(snapshot.metadata.annotations['kube-forecast/context'], 'prod');
  assert.deepEqual(
    snapshot.items.map((i) => `${i.apiVersion}/${i.kind}/${i.metadata?.name}`),
    ['v1/Namespace/shop', 'v1/Node/n1', 'v1/Service/web', 'v1/Pod/web'],
  );
  assert.equal(counts['pods'], 1);
  const [ns, nodeObj, svc, podObj] = snapshot.items;
  assert.equal(ns!.metadata?.uid, 'u1', 'uids stay: ownerReferences name their owners by uid');
  assert.equal(ns!.metadata?.resourceVersion, undefined);
  assert.equal(nodeObj!.metadata?.managedFields, undefined);
  assert.equal(svc!.spec.clusterIP, undefined, 'cluster IPs are allocated by the target cluster');
  assert.equal(podObj!.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);
});

test('the snapshot names the Kubernetes release it was taken from, and that minor release is read back from its head', () => {
  const { snapshot } = buildSnapshot(src(OBJS), 'prod', new Date('2026-01-01T00:00:00Z'), 'v1.37.2');
  assert.equal(snapshot.metadata.annotations[VERSION_ANNOTATION], 'v1.37.2');
  const text = JSON.stringify(snapshot, null, 1);
  // The annotation comes before the items, so the head of a large file is enough.
  assert.ok(text.indexOf(VERSION_ANNOTATION) < text.indexOf('"items"'));
  assert.equal(snapshotVersionMinor(text), 37);
  assert.equal(snapshotVersionMinor(`metadata:\n  annotations:\n    ${VERSION_ANNOTATION}: v1.31.0-gke.1\n`), 31);
  // Snapshots from before the annotation (or from an unknown version) leave the simulator's default.
  const { snapshot: old } = buildSnapshot(src(OBJS), 'prod');
  assert.equal(old.metadata.annotations[VERSION_ANNOTATION], undefined);
  assert.equal(snapshotVersionMinor(JSON.stringify(old)), undefined);
});

test('Secrets are never included, so no Secret value can leak', () => {
  const { snapshot } = buildSnapshot(src(OBJS), 'prod');
  assert.ok(!(SNAPSHOT_KINDS as readonly string[]).includes('secrets'));
  assert.ok(!snapshot.items.some((i) => i.kind === 'Secret'));
  assert.ok(!JSON.stringify(snapshot).includes('aHVudGVyMg=='));
});

test('kinds that cannot be read are skipped and named, the rest is kept', () => {
  const { snapshot, skipped } = buildSnapshot(
    src(OBJS, { nodes: { state: 'forbidden', message: 'cannot list nodes' } }),
    'prod',
  );
  assert.deepEqual(skipped, ['nodes: forbidden (cannot list nodes)']);
  assert.ok(!snapshot.items.some((i) => i.kind === 'Node'));
  assert.match(snapshot.metadata.annotations['kube-forecast/skipped'] ?? '', /nodes: forbidden/);
});

test('the simulated cluster loads the snapshot (every item)', () => {
  const { snapshot } = buildSnapshot(src(OBJS), 'prod');
  const store = new Store();
  try {
    const r = store.restore(snapshot.items as Parameters<Store['restore']>[0]);
    assert.deepEqual(r.failed, []);
    assert.equal(r.loaded, snapshot.items.length);
    assert.ok(store.get({ group: '', resource: 'pods' }, 'shop', 'web'));
  } finally {
    store.dispose();
  }
});

test('the snapshot holds every kind the scheduler model reads, and the simulated cluster serves them all', () => {
  for (const k of Object.keys(PREDICTION_KINDS)) assert.ok((SNAPSHOT_KINDS as readonly string[]).includes(k), k);
  const objs: Partial<Record<WatchedKind, KubeObj[]>> = {
    namespaces: [{ metadata: { name: 'shop' } }],
    poddisruptionbudgets: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { minAvailable: 1 } }],
    runtimeclasses: [{ metadata: { name: 'kata' }, handler: 'kata' } as KubeObj],
    csidrivers: [{ metadata: { name: 'ebs.csi.aws.com' }, spec: {} }],
    volumeattachments: [
      {
        metadata: { name: 'va-1' },
        spec: { attacher: 'ebs.csi.aws.com', nodeName: 'n1', source: { persistentVolumeName: 'pv-1' } },
      },
    ],
    deviceclasses: [{ metadata: { name: 'gpu' }, spec: {} }],
  };
  const { snapshot } = buildSnapshot(src(objs), 'prod');
  assert.deepEqual(snapshot.items.map((i) => `${i.apiVersion}/${i.kind}`).sort(), [
    'node.k8s.io/v1/RuntimeClass',
    'policy/v1/PodDisruptionBudget',
    'resource.k8s.io/v1/DeviceClass',
    'storage.k8s.io/v1/CSIDriver',
    'storage.k8s.io/v1/VolumeAttachment',
    'v1/Namespace',
  ]);
  const store = new Store();
  try {
    const r = store.restore(snapshot.items as Parameters<Store['restore']>[0]);
    assert.deepEqual(r.failed, []);
    assert.ok(store.get({ group: 'node.k8s.io', resource: 'runtimeclasses' }, undefined, 'kata'));
  } finally {
    store.dispose();
  }
});
