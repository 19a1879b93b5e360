/** The tree model over a fake cache source: rows, descriptions, degraded branches and paths. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchedKind } from '@src/cluster/cluster-session';
import type { KindState, KubeObj } from '@src/server/explorer/cluster-data';
import { TreeModel, type TreeScope, type TreeSource } from '@src/server/explorer/tree-model';
import { OBJECT_MARK, childId, joinId, objectOf, parentOf, parseId } from '@src/server/explorer/tree-ids';
import { encodeHelmRelease } from '@src/cluster/helm-release';

const SYNCED: KindState = { state: 'synced', message: '' };

function node(name: string, cpu: string, memory: string, extra: Partial<KubeObj> = {}): KubeObj {
  return {
    metadata: { name },
    spec: {},
    status: { allocatable: { cpu, memory, pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    ...extra,
  };
}

function pod(
  ns: string,
  name: string,
  nodeName: string | undefined,
  cpu: string,
  extra: Partial<KubeObj> = {},
): KubeObj {
  return {
    metadata: { name, namespace: ns },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: 'c', resources: { requests: { cpu, memory: '256Mi' } } }],
    },
    status: {
      phase: nodeName ? 'Running' : 'Pending',
      containerStatuses: nodeName ? [{ ready: true, restartCount: 0 }] : [],
    },
    ...extra,
  };
}

/** A fake source: objects by kind, states by kind (default synced). */
function source(
  objs: Partial<Record<WatchedKind, KubeObj[]>>,
  states: Partial<Record<WatchedKind, KindState>> = {},
  namespaces: string[] = [],
): TreeSource {
  const list = (kind: WatchedKind, ns?: string): KubeObj[] =>
    (objs[kind] ?? []).filter((o) => ns === undefined || o.metadata?.namespace === ns);
  return {
    namespaces,
    list,
    state: (k) => states[k] ?? SYNCED,
    podsOnNode: (n) => list('pods').filter((p) => p.spec?.nodeName === n),
    custom: () => ({ list: () => [{ metadata: { name: 'my-widget', namespace: 'default' } }], state: SYNCED }),
    helmSecrets: () => ({ list: () => objs.secrets ?? [], state: SYNCED }),
  };
}

const scope =
  (over: Partial<TreeScope> = {}): (() => TreeScope) =>
  () => ({
    context: 'prod',
    contexts: [
      { name: 'prod', server: 'https://prod:6443' },
      { name: 'dev', cluster: 'dev-cluster' },
    ],
    health: { reachable: true, version: 'v1.33.1', ready: true },
    problem: undefined,
    ...over,
  });

const CLUSTER = {
  nodes: [
    node('n1', '4', '16Gi', { spec: { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] } }),
    node('n2', '8', '32Gi'),
  ],
  namespaces: [
    { metadata: { name: 'default' }, status: { phase: 'Active' } },
    { metadata: { name: 'team' }, status: { phase: 'Active' } },
  ],
  pods: [
    pod('default', 'web-1', 'n1', '500m'),
    pod('default', 'web-2', 'n1', '1500m'),
    pod('team', 'batch', undefined, '2', {
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/2 nodes are available: 2 Insufficient cpu.',
          },
        ],
      },
    }),
  ],
} satisfies Partial<Record<WatchedKind, KubeObj[]>>;

describe('tree ids', () => {
  const cases = [
    { name: 'plain segments', segs: ['prod', 'nodes'] },
    { name: 'slashes and percent signs are encoded', segs: ['arn:aws:eks/x', '~', 'pods', 'ns', 'a/b%c'] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(parseId(joinId(c.segs)), c.segs));
  test('an object row resolves to its object and its parent drops the object segments', () => {
    const id = childId('prod', 'nodes', OBJECT_MARK, 'nodes', '', 'n1');
    assert.deepEqual(objectOf(id), { kind: 'nodes', namespace: '', name: 'n1' });
    assert.equal(parentOf(id), 'prod/nodes');
    assert.equal(objectOf('prod/nodes'), undefined);
  });
  test('a malformed id (bad percent-encoding, found by fuzz:lsp) parses without throwing', () => {
    assert.deepEqual(parseId('prod/%E0%A4%A/x'), ['prod', '%E0%A4%A', 'x']);
    assert.deepEqual(objectOf('prod/~/pods/%/x'), { kind: 'pods', namespace: '%', name: 'x' });
  });
});

describe('TreeModel', () => {
  test('the root lists every context; only the connected one expands', () => {
    const m = new TreeModel(source(CLUSTER), scope());
    assert.deepEqual(
      m.children(null).map((n) => [n.label, n.contextValue, n.hasChildren, n.description]),
      [
        ['prod', 'context:active', true, 'connected'],
        ['dev', 'context', false, 'dev-cluster'],
      ],
    );
  });

  test('sections carry counts and the cluster row its version and readiness', () => {
    const m = new TreeModel(source(CLUSTER), scope());
    const rows = m.children('prod');
    assert.deepEqual(
      rows.map((r) => [r.label, r.description ?? '']),
      [
        ['Cluster', 'v1.33.1 · ready'],
        ['Nodes', '2'],
        ['Namespaces', '2'],
        ['Workloads', ''],
        ['Network', ''],
        ['Config', ''],
        ['Storage', ''],
        ['Custom Resources', '0'],
        ['Helm Releases', ''],
      ],
    );
  });

  test('nodes show allocatable vs requested CPU and memory, pod counts, taints; a node lists its pods', () => {
    const m = new TreeModel(source(CLUSTER), scope());
    const [n1, n2] = m.children('prod/nodes');
    // One unit per pair (the allocatable's), and the taints in the row.
    assert.equal(n1!.description, 'cpu 2/4 · mem 0.5/16Gi · 2/110 pods · ⚑ gpu=true:NoSchedule');
    assert.equal(n2!.description, 'cpu 0/8 · mem 0/32Gi · 0/110 pods');
    assert.match(n1!.tooltip ?? '', /Taints: gpu=true:NoSchedule/);
    assert.deepEqual(
      m.children(n1!.id).map((p) => p.label),
      ['web-1', 'web-2'],
    );
  });

  test('a Pending pod shows the scheduler reason and the pending context value', () => {
    const m = new TreeModel(source(CLUSTER), scope());
    const pods = m.children('prod/cat-workloads/pods');
    const batch = pods.find((p) => p.label === 'batch')!;
    assert.equal(batch.contextValue, 'pod:pending');
    assert.equal(batch.status, 'pending');
    assert.match(batch.description ?? '', /Pending · team · 0\/2 nodes are available: 2 Insufficient cpu\./);
  });

  test('a FailedScheduling event explains a Pending pod that has no condition message', () => {
    const p = pod('team', 'late', undefined, '1');
    const ev: KubeObj = {
      metadata: { name: 'e1', namespace: 'team' },
      reason: 'FailedScheduling',
      message: '0/2 nodes: node(s) had untolerated taint',
      involvedObject: { kind: 'Pod', name: 'late', namespace: 'team' },
    };
    const m = new TreeModel(source({ ...CLUSTER, pods: [p], events: [ev] }), scope());
    assert.match(m.children('prod/cat-workloads/pods')[0]!.description ?? '', /untolerated taint/);
  });

  test('a forbidden branch explains itself while the others keep working', () => {
    const forbidden: KindState = {
      state: 'forbidden',
      message: 'User "v" cannot list resource "nodes" in API group "" at the cluster scope',
    };
    const m = new TreeModel(source(CLUSTER, { nodes: forbidden }), scope());
    assert.equal(m.children('prod').find((r) => r.label === 'Nodes')!.description, 'forbidden');
    const rows = m.children('prod/nodes');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.kind, 'message');
    assert.match(
      rows[0]!.label,
      /Not allowed to list Nodes in all namespaces: User "v" cannot list.*Choose Namespaces/,
    );
    assert.deepEqual(
      m.children('prod/namespaces').map((n) => [n.label, n.description]),
      [
        ['default', '2 pods'],
        ['team', '1 pods'],
      ],
    );
  });

  test('chosen namespaces are listed even when namespaces cannot be listed', () => {
    const m = new TreeModel(source(CLUSTER, { namespaces: { state: 'forbidden', message: 'no' } }, ['team']), scope());
    assert.deepEqual(
      m.children('prod/namespaces').map((n) => n.label),
      ['team'],
    );
  });

  test('a namespace lists its kind groups with counts; the Pods group its pods', () => {
    const m = new TreeModel(source(CLUSTER), scope());
    const ns = m.children('prod/namespaces').find((n) => n.label === 'default')!;
    const groups = m.children(ns.id);
    assert.equal(groups.find((g) => g.label === 'Pods')!.description, '2');
    assert.equal(groups.find((g) => g.label === 'Deployments')!.description, '0');
    const podsGroup = groups.find((g) => g.label === 'Pods')!;
    assert.deepEqual(
      m.children(podsGroup.id).map((p) => [p.label, p.description]),
      [
        ['web-1', 'Running 1/1 · n1'],
        ['web-2', 'Running 1/1 · n1'],
      ],
    );
  });

  test('a Deployment lists the pods of its ReplicaSets', () => {
    const deploy: KubeObj = {
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2 },
      status: { readyReplicas: 2 },
    };
    const rs: KubeObj = {
      metadata: { name: 'web-abc', namespace: 'default', ownerReferences: [{ kind: 'Deployment', name: 'web' }] },
    };
    const p1 = pod('default', 'web-abc-1', 'n1', '1', {
      metadata: { name: 'web-abc-1', namespace: 'default', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc' }] },
    });
    const m = new TreeModel(
      source({ ...CLUSTER, deployments: [deploy], replicasets: [rs], pods: [p1, ...CLUSTER.pods] }),
      scope(),
    );
    const row = m.children('prod/cat-workloads/deployments')[0]!;
    assert.equal(row.description, '2/2 ready · default');
    assert.equal(row.replicas, 2, 'Scale starts from the desired count');
    assert.deepEqual(
      m.children(row.id).map((p) => p.label),
      ['web-abc-1'],
    );
  });

  test('Secrets list their keys with values masked', () => {
    const s: KubeObj = {
      metadata: { name: 'db', namespace: 'default' },
      type: 'Opaque',
      data: { password: Buffer.from('hunter2').toString('base64') },
    };
    const m = new TreeModel(source({ ...CLUSTER, secrets: [s] }), scope());
    const row = m.children('prod/cat-config/secrets')[0]!;
    const keys = m.children(row.id);
    assert.deepEqual(
      keys.map((k) => [k.label, k.description]),
      [['password', '•••••• (hidden)']],
    );
    assert.ok(!JSON.stringify(keys).includes('hunter2'));
  });

  test('Helm releases are decoded from their release Secrets: chart, version, revision, status', () => {
    const rel = (rev: number, status: string): KubeObj => ({
      metadata: {
        name: `sh.helm.release.v1.shop.v${rev}`,
        namespace: 'default',
        labels: { owner: 'helm', name: 'shop', version: String(rev), status },
      },
      type: 'helm.sh/release.v1',
      data: {
        release: encodeHelmRelease({
          name: 'shop',
          namespace: 'default',
          version: rev,
          info: { status },
          chart: { metadata: { name: 'shop', version: '1.2.3', appVersion: '2.0' } },
        }),
      },
    });
    const m = new TreeModel(source({ ...CLUSTER, secrets: [rel(1, 'superseded'), rel(2, 'deployed')] }), scope());
    assert.deepEqual(
      m.children('prod/helm').map((r) => [r.label, r.description]),
      [['shop', 'shop-1.2.3 · rev 2 · deployed · default']],
    );
  });

  test('an unreachable connection marks the context and the cluster row', () => {
    const m = new TreeModel(
      source(CLUSTER),
      scope({ problem: 'Cannot reach the cluster', health: { reachable: false, message: 'refused' } }),
    );
    assert.equal(m.children(null)[0]!.description, 'unreachable');
    assert.equal(m.children('prod')[0]!.description, 'unreachable');
  });

  test('path() returns the rows from the root to an object, and [] for a vanished one', () => {
    const m = new TreeModel(source(CLUSTER), scope());
    const ns = m.children('prod/namespaces').find((n) => n.label === 'default')!;
    const podsGroup = m.children(ns.id).find((g) => g.label === 'Pods')!;
    const web1 = m.children(podsGroup.id)[0]!;
    assert.deepEqual(
      m.path(web1.id).map((n) => n.label),
      ['prod', 'Namespaces', 'default', 'Pods', 'web-1'],
    );
    assert.deepEqual(m.path(web1.id.replace('web-1', 'gone')), []);
  });
});
