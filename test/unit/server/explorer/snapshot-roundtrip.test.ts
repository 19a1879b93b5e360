/**
 * A snapshot is the same cluster: Save Cluster Snapshot of a running simulated cluster (the demo
 * cluster, with its controllers), loaded into a fresh simulated cluster as `--snapshot FILE` does,
 * gives the same objects of every kind the tree and the model read, the same pods on the same nodes
 * (no controller makes a second set), owner references that point at the reloaded owners, and the
 * same forecasts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClusterSession } from '@src/cluster/cluster-session';
import { kubeconfigFromString } from '@src/cluster/kubeconfig';
import { KubeClusterBackend } from '@src/server/explorer/kube-backend';
import { kindInfo } from '@src/server/explorer/kinds';
import { SNAPSHOT_KINDS } from '@src/server/explorer/snapshot-writer';
import { PredictionEngine } from '@src/server/prediction/engine';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { podFromSpec } from '@src/server/prediction/pod-from-spec';
import { parseManifest } from '@src/server/services/manifest';
import { describePod } from '@src/server/services/prediction-details';
import { startSimulator, type Simulator } from '@src/simulator/api/server';
import { applyDefaults, ControllerManager, lookupFromObjects, lookupFromStore } from '@src/simulator/controllers';
import { generateDemoCluster } from '@src/simulator/demo';
import { buildStore, parseArgs } from '@src/simulator/main';
import { Store } from '@src/simulator/store/store';

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON compared field by field. */
type Obj = Record<string, any>;

interface Running {
  sim: Simulator;
  store: Store;
  backend: KubeClusterBackend;
  stop(): Promise<void>;
}

async function run(store: Store): Promise<Running> {
  const lookup = lookupFromStore(store);
  const sim = await startSimulator({
    store,
    versionMinor: 37,
    onError: () => undefined,
    admit: (_kind, obj) => applyDefaults(obj as never, lookup),
  });
  const cm = new ControllerManager(store);
  cm.start();
  const session = (): ClusterSession => new ClusterSession(kubeconfigFromString(sim.kubeconfig()));
  const backend = new KubeClusterBackend(session(), {
    source: 'simulator',
    context: 'kube-forecast-sim',
    server: sim.url,
    namespaces: [],
    makeSession: async () => session(),
    contexts: () => [{ name: 'kube-forecast-sim' }],
    healthIntervalMs: 0,
  });
  await backend.start(30_000);
  return {
    sim,
    store,
    backend,
    stop: async () => {
      backend.dispose();
      cm.stop();
      await sim.close();
    },
  };
}

/** Waits until the store's object count has not changed for `quietMs` (the controllers settled). */
async function settled(store: Store, quietMs = 1500, maxMs = 30_000): Promise<void> {
  const count = (): string =>
    SNAPSHOT_KINDS.map((k) => {
      const info = kindInfo(k)!;
      const [group, version] = info.apiVersion.includes('/') ? info.apiVersion.split('/') : ['', info.apiVersion];
      void version;
      return store
        .list({ group: group!, resource: k })
        .items.map((o) => o.metadata.resourceVersion)
        .join(',');
    }).join('|');
  const end = Date.now() + maxMs;
  let last = count();
  let since = Date.now();
  while (Date.now() < end && Date.now() - since < quietMs) {
    await new Promise((r) => setTimeout(r, 100));
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

/** Every object of the snapshot kinds, keyed `kind ns/name`, without what a cluster assigns anew. */
function objects(store: Store): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const k of SNAPSHOT_KINDS) {
    const info = kindInfo(k)!;
    const group = info.apiVersion.includes('/') ? info.apiVersion.split('/')[0]! : '';
    for (const o of store.list({ group, resource: k }).items as Obj[]) {
      const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o['metadata'];
      void _rv;
      void _mf;
      const copy: Obj = { ...o, metadata };
      if (k === 'services') {
        // Cluster IPs are allocated by the target cluster.
        copy['spec'] = { ...copy['spec'] };
        delete copy['spec'].clusterIP;
        delete copy['spec'].clusterIPs;
      }
      // Each cluster's kube-root-ca.crt carries its own CA.
      if (k === 'configmaps' && metadata.name === 'kube-root-ca.crt') delete copy['data'];
      // As a client reads it (JSON: a field set to undefined is no field).
      out.set(`${info.kind} ${metadata.namespace ?? ''}/${metadata.name}`, JSON.parse(JSON.stringify(copy)) as Obj);
    }
  }
  return out;
}

/** What the demo cluster lacks of the kinds a snapshot must carry: storage, a CSINode, a PDB. */
function storageAndBudgets(node: string): Obj[] {
  return [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'local' },
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-data' },
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        local: { path: '/mnt/data' },
        claimRef: { kind: 'PersistentVolumeClaim', namespace: 'data', name: 'data', apiVersion: 'v1' },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
            ],
          },
        },
      },
      status: { phase: 'Bound' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'data' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        volumeName: 'pv-data',
        resources: { requests: { storage: '10Gi' } },
      },
      status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'] },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSINode',
      metadata: { name: node },
      spec: { drivers: [{ name: 'ebs.csi.aws.com', nodeID: `i-${node}`, allocatable: { count: 25 } }] },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    },
  ];
}

const POD = (name: string, cpu: string, extra = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n${extra}  containers:\n  - name: c\n    image: nginx:1.27\n    resources: {requests: {cpu: "${cpu}", memory: 256Mi}}\n`;
const SPECS = [
  POD('small', '100m'),
  POD('big', '3'),
  POD(
    'spread',
    '200m',
    '  topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}]\n',
  ),
  POD('huge', '64'),
];

function forecasts(backend: KubeClusterBackend): string[] {
  const live = new LiveCluster(backend.predictionCaches());
  const engine = new PredictionEngine();
  return SPECS.map((text) => {
    const doc = parseManifest(text)[0]!;
    const d = describePod('Pod', podFromSpec(doc, doc.podSpecs[0]!, 'default'), {
      status: backend.status,
      snapshot: live.snapshot,
      engine,
      profile: { key: 'default' },
      defaultNamespace: 'default',
      verdict: undefined,
    });
    const nodes = (d.nodes ?? []).map(
      (n) => `${n.name}:${n.rank ?? '-'}:${n.total ?? '-'}:${n.filter?.reasons.join('/') ?? ''}`,
    );
    return JSON.stringify({ selected: d.selectedNode, failure: d.failure, preemption: d.preemption, nodes });
  });
}

test('Save Cluster Snapshot, reloaded into the simulated cluster, is the same cluster with the same forecasts', async () => {
  const demo = new Store({ gracefulPodDeletion: 'external' });
  const cluster = generateDemoCluster({ nodes: 12, now: new Date().toISOString() });
  const firstNode = String(cluster.objects.find((o) => o.kind === 'Node')?.metadata?.name);
  const lookup = lookupFromObjects(cluster.objects as never);
  for (const o of cluster.objects) applyDefaults(o as never, lookup);
  demo.restore(cluster.objects);
  const a = await run(demo);
  // Created as a user would, through the API (admission defaults them as kube-apiserver does).
  for (const o of storageAndBudgets(firstNode)) {
    const info = [...SNAPSHOT_KINDS].map((k) => ({ k, i: kindInfo(k)! })).find((x) => x.i.kind === o['kind'])!;
    const base = info.i.apiVersion.includes('/') ? `/apis/${info.i.apiVersion}` : `/api/${info.i.apiVersion}`;
    const ns = o['metadata'].namespace as string | undefined;
    const r = await fetch(`${a.sim.url}${base}${ns ? `/namespaces/${ns}` : ''}/${info.k}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${a.sim.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(o),
    });
    assert.equal(r.status, 201, `${o['kind']}: ${await r.text()}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-snap-'));
  let b: Running | undefined;
  try {
    await settled(a.store);
    const before = objects(a.store);
    const snap = await a.backend.snapshot();
    assert.ok(snap.ok, snap.ok ? '' : snap.reason);
    const file = path.join(dir, 'cluster.json');
    fs.writeFileSync(file, snap.value);
    const kinds = new Set((JSON.parse(snap.value) as { items: Obj[] }).items.map((i) => i['kind'] as string));
    for (const k of [
      'Deployment',
      'DaemonSet',
      'CronJob',
      'Job',
      'PersistentVolume',
      'PersistentVolumeClaim',
      'StorageClass',
      'CSINode',
      'PodDisruptionBudget',
      'PriorityClass',
      'StatefulSet',
      'ReplicaSet',
      'Pod',
    ])
      assert.ok(kinds.has(k), `the demo cluster's snapshot has ${k}s`);
    const forecastsBefore = forecasts(a.backend);
    await a.stop();

    b = await run(buildStore(parseArgs(['--snapshot', file])));
    await settled(b.store);
    const after = objects(b.store);
    const missing = [...before.keys()].filter((k) => !after.has(k));
    const extra = [...after.keys()].filter((k) => !before.has(k));
    assert.deepEqual(missing, [], 'objects lost in the round trip');
    assert.deepEqual(extra, [], 'objects a reloaded controller made (a second set)');
    const pods = [...before.keys()].filter((k) => k.startsWith('Pod '));
    assert.ok(pods.length > 20, `${pods.length} pods`);
    for (const [key, o] of before) {
      const r = after.get(key)!;
      assert.deepEqual(r['metadata'].ownerReferences, o['metadata'].ownerReferences, `${key} ownerReferences`);
      assert.deepEqual(r['spec'], o['spec'], `${key} spec`);
      assert.deepEqual(r['metadata'].labels, o['metadata'].labels, `${key} labels`);
      assert.deepEqual(r['status'], o['status'], `${key} status`);
    }
    // Owner references point at objects that exist in the reloaded cluster.
    const uids = new Set([...after.values()].map((o) => o['metadata'].uid as string));
    for (const [key, o] of after)
      for (const ref of (o['metadata'].ownerReferences ?? []) as { uid: string; kind: string }[])
        assert.ok(uids.has(ref.uid), `${key}'s owner ${ref.kind} ${ref.uid} is in the reloaded cluster`);
    assert.deepEqual(forecasts(b.backend), forecastsBefore);
  } finally {
    await b?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
