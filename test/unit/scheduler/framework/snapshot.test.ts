import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '@src/kube-api/types';
import type { NodeInfo, Resource } from '@src/scheduler/framework/interface';
import { ClusterSnapshot, snapshotFrom } from '@src/scheduler/framework/snapshot';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

/** The aggregates that matter, with zero scalar entries dropped (removal leaves zeros, as upstream). */
function aggregates(ni: NodeInfo) {
  const res = (r: Resource) => ({
    milliCPU: r.milliCPU,
    memory: r.memory,
    ephemeralStorage: r.ephemeralStorage,
    scalar: [...r.scalarResources].filter(([, v]) => v !== 0).sort(),
  });
  return {
    pods: ni.pods.map((p) => p.pod.metadata?.name).sort(),
    withAffinity: ni.podsWithAffinity.map((p) => p.pod.metadata?.name).sort(),
    withAnti: ni.podsWithRequiredAntiAffinity.map((p) => p.pod.metadata?.name).sort(),
    requested: res(ni.requested),
    nonZero: { cpu: ni.nonZeroRequested.milliCPU, mem: ni.nonZeroRequested.memory },
    ports: [...ni.usedPorts].map(([ip, s]) => [ip, [...s].sort()]).sort(),
    pvcs: [...ni.pvcRefCounts].sort(),
  };
}

describe('ClusterSnapshot', () => {
  it('keeps incremental aggregates equal to a from-scratch rebuild through adds, updates and removals', () => {
    const nodes = [makeNode('n1'), makeNode('n2')];
    const pods: Pod[] = [
      makePod('a', { node: 'n1', requests: [{ cpu: '500m', memory: '1Gi' }], hostPorts: [8080], pvcs: ['data'] }),
      makePod('b', { node: 'n1', requests: [{ cpu: '250m' }, {}], antiAffinityKey: 'zone' }),
      makePod('c', { node: 'n2', requests: [{ 'example.com/gpu': '2', memory: '3Gi' }] }),
      makePod('d', { node: 'n2', requests: [{ cpu: '1' }], hostPorts: [9090] }),
    ];
    const inc = new ClusterSnapshot();
    for (const n of nodes) inc.addNode(n);
    for (const p of pods) inc.addPod(p);
    const extra = makePod('e', { node: 'n1', requests: [{ cpu: '3' }], hostPorts: [7070], pvcs: ['data'] });
    inc.addPod(extra);
    inc.removePod(extra);
    inc.updatePod(makePod('d', { node: 'n2', requests: [{ cpu: '2' }], hostPorts: [9191] }));
    inc.removePod(pods[1]!);
    inc.addPod(pods[1]!);

    const finalPods = [
      pods[0]!,
      pods[1]!,
      pods[2]!,
      makePod('d', { node: 'n2', requests: [{ cpu: '2' }], hostPorts: [9191] }),
    ];
    const fresh = snapshotFrom({ nodes, pods: finalPods });
    for (const name of ['n1', 'n2']) {
      assert.deepEqual(aggregates(inc.getNodeInfo(name)!), aggregates(fresh.getNodeInfo(name)!), name);
    }
    assert.equal(inc.getNodeInfo('n1')!.requested.milliCPU, 750);
    assert.equal(inc.getNodeInfo('n1')!.nonZeroRequested.milliCPU, 850);
    assert.deepEqual(
      inc.havePodsWithRequiredAntiAffinityNodeInfos().map((n) => n.name),
      ['n1'],
    );
  });

  it('matches a rebuild after 2000 seeded random pod/node events', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const nodeNames = ['n0', 'n1', 'n2', 'n3'];
    const live = new Map<string, Pod>();
    const inc = new ClusterSnapshot();
    for (const n of nodeNames) inc.addNode(makeNode(n));
    for (let step = 0; step < 2000; step++) {
      const name = `p${rnd(40)}`;
      const op = rnd(10);
      if (op < 5) {
        const pod = makePod(name, {
          node: nodeNames[rnd(4)]!,
          requests: [
            {
              cpu: `${rnd(900) + 1}m`,
              memory: `${rnd(64) + 1}Mi`,
              ...(rnd(3) === 0 ? { 'example.com/gpu': '1' } : {}),
            },
            {},
          ],
          ...(rnd(4) === 0 ? { hostPorts: [8000 + rnd(3)] } : {}),
          ...(rnd(4) === 0 ? { pvcs: [`claim-${rnd(3)}`] } : {}),
          ...(rnd(5) === 0 ? { antiAffinityKey: 'zone' } : {}),
          ...(rnd(8) === 0 ? { phase: 'Succeeded' } : {}),
        });
        inc.addPod(pod);
        if (pod.status?.phase === 'Succeeded') live.delete(name);
        else live.set(name, pod);
      } else if (op < 8) {
        inc.removePod(makePod(name));
        live.delete(name);
      } else {
        const n = nodeNames[rnd(4)]!;
        inc.updateNode(makeNode(n, { labels: { step: String(step) } }));
      }
    }
    // Host ports are a set per node upstream: removing one of two pods sharing a port drops it, so
    // compare ports only where no two live pods on a node share one.
    const fresh = snapshotFrom({ nodes: nodeNames.map((n) => makeNode(n)), pods: [...live.values()] });
    for (const n of nodeNames) {
      const a = aggregates(inc.getNodeInfo(n)!);
      const b = aggregates(fresh.getNodeInfo(n)!);
      const { ports: pa, ...ra } = a;
      const { ports: pb, ...rb } = b;
      assert.deepEqual(ra, rb, n);
      assert.ok(pa.length <= pb.length, `${n}: incremental ports are a subset`);
    }
  });

  it('does not count terminal pods and removes a pod that becomes terminal', () => {
    const s = snapshotFrom({
      nodes: [makeNode('n1')],
      pods: [makePod('done', { node: 'n1', phase: 'Succeeded', requests: [{ cpu: '1' }] })],
    });
    assert.equal(s.getNodeInfo('n1')!.pods.length, 0);
    s.addPod(makePod('p', { node: 'n1', requests: [{ cpu: '1' }] }));
    assert.equal(s.getNodeInfo('n1')!.requested.milliCPU, 1000);
    s.updatePod(makePod('p', { node: 'n1', requests: [{ cpu: '1' }], phase: 'Failed' }));
    assert.equal(s.getNodeInfo('n1')!.pods.length, 0);
    assert.equal(s.getNodeInfo('n1')!.requested.milliCPU, 0);
  });

  it('keeps pods bound to an unknown node until the node arrives', () => {
    const s = new ClusterSnapshot();
    s.addPod(makePod('early', { node: 'late', requests: [{ cpu: '100m' }] }));
    assert.equal(s.nodeInfos().length, 0);
    assert.equal(s.podsOnUnknownNodes().length, 1);
    s.addNode(makeNode('late'));
    assert.equal(s.getNodeInfo('late')!.pods.length, 1);
    assert.equal(s.getNodeInfo('late')!.requested.milliCPU, 100);
    assert.equal(s.podsOnUnknownNodes().length, 0);
  });

  it('holds unassigned pods as pending, never on a node', () => {
    const s = snapshotFrom({ nodes: [makeNode('n1')], pods: [makePod('pending')] });
    assert.equal(s.pendingPods().length, 1);
    assert.equal(s.getNodeInfo('n1')!.pods.length, 0);
  });

  it('tracks image states: size from the first reporting node, node counts updated on add and remove', () => {
    const img = (size: number) => [{ names: ['registry/app:1'], sizeBytes: size }];
    const s = new ClusterSnapshot();
    s.addNode(makeNode('n1', { images: img(100) }));
    s.addNode(makeNode('n2', { images: img(999) }));
    const st = s.getNodeInfo('n1')!.imageStates.get('registry/app:1')!;
    assert.deepEqual({ size: st.size, numNodes: st.numNodes }, { size: 100, numNodes: 2 });
    s.removeNode('n2');
    assert.equal(s.getNodeInfo('n1')!.imageStates.get('registry/app:1')!.numNodes, 1);
    s.removeNode('n1');
    s.addNode(makeNode('n3', { images: img(999) }));
    assert.equal(s.getNodeInfo('n3')!.imageStates.get('registry/app:1')!.size, 999);
  });

  it('assumes and forgets a predicted pod, and a clone is independent', () => {
    const s = snapshotFrom({ nodes: [makeNode('n1'), makeNode('n2')] });
    const c = s.clone();
    const info = s.assumePod(makePod('new', { requests: [{ cpu: '2' }] }), 'n2');
    assert.equal(s.getNodeInfo('n2')!.requested.milliCPU, 2000);
    assert.equal(c.getNodeInfo('n2')!.requested.milliCPU, 0);
    s.forgetPod(info);
    assert.equal(s.getNodeInfo('n2')!.requested.milliCPU, 0);
    assert.equal(s.getNodeInfo('n2')!.pods.length, 0);
  });

  it('stores namespaces and other kinds by namespace and name', () => {
    const s = new ClusterSnapshot();
    s.addNamespace({ metadata: { name: 'team-a', labels: { team: 'a' } } });
    s.upsert({ kind: 'Service', metadata: { name: 'web', namespace: 'team-a' }, spec: { selector: { app: 'web' } } });
    s.upsert({ kind: 'Service', metadata: { name: 'db', namespace: 'team-b' }, spec: {} });
    assert.equal(s.namespace('team-a')?.metadata?.labels?.['team'], 'a');
    assert.deepEqual(
      s.objects('Service', 'team-a').map((o) => o.metadata?.name),
      ['web'],
    );
    assert.equal(s.objects('Service').length, 2);
    s.remove('Service', 'team-a', 'web');
    assert.equal(s.getObject('Service', 'team-a', 'web'), undefined);
    assert.equal(s.objects('Service').length, 1);
  });

  it('orders nodeInfos by nodeTree zone interleaving', () => {
    const z = (n: string, zz: string) => makeNode(n, { labels: { 'topology.kubernetes.io/zone': zz } });
    const s = snapshotFrom({ nodes: [z('a1', 'A'), z('a2', 'A'), z('b1', 'B')] });
    assert.deepEqual(
      s.nodeInfos().map((n) => n.name),
      ['a1', 'b1', 'a2'],
    );
  });

  it('ignores malformed objects instead of throwing', () => {
    const s = new ClusterSnapshot();
    s.addNode({} as never);
    s.addPod(null as never);
    s.upsert({ kind: 42 } as never);
    assert.equal(s.nodeInfos().length, 0);
  });
});

describe('ClusterSnapshot updates', () => {
  it('keeps the node list on a same-zone update and reorders on a zone change', () => {
    const z = (n: string, zz: string, extra: Record<string, string> = {}) =>
      makeNode(n, { labels: { 'topology.kubernetes.io/zone': zz, ...extra } });
    const s = snapshotFrom({ nodes: [z('a1', 'A'), z('a2', 'A'), z('b1', 'B')] });
    const before = s.nodeInfos();
    s.updateNode(z('a1', 'A', { role: 'web' }));
    assert.equal(s.nodeInfos(), before, 'same list object: no rebuild');
    assert.equal(s.getNodeInfo('a1')!.node.metadata?.labels?.['role'], 'web');
    s.updateNode(z('a1', 'B'));
    assert.deepEqual(
      s.nodeInfos().map((n) => n.name),
      ['a2', 'b1', 'a1'],
    );
  });

  it('forgetting an assumed pending pod restores it as pending', () => {
    const pending = makePod('web-1', { requests: [{ cpu: '1' }] });
    const s = snapshotFrom({ nodes: [makeNode('n1')], pods: [pending] });
    const info = s.assumePod(pending, 'n1');
    assert.equal(s.pendingPods().length, 0);
    assert.equal(s.getNodeInfo('n1')!.requested.milliCPU, 1000);
    s.forgetPod(info);
    assert.equal(s.getNodeInfo('n1')!.requested.milliCPU, 0);
    assert.deepEqual(
      s.pendingPods().map((p) => p.metadata?.name),
      ['web-1'],
    );
  });

  it('upsertAs stores an object under the given kind as it is, without reading or adding its kind', () => {
    const s = new ClusterSnapshot();
    const rs = { metadata: { name: 'web-1', namespace: 'a' }, spec: { replicas: 2 } };
    const ns = { metadata: { name: 'a', labels: { team: 'a' } } };
    const pod = makePod('p', { node: 'n1', requests: [{ cpu: '1' }] });
    s.upsertAs('Node', makeNode('n1'));
    s.upsertAs('ReplicaSet', rs);
    s.upsertAs('Namespace', ns);
    s.upsertAs('Pod', pod);
    assert.equal(s.getObject('ReplicaSet', 'a', 'web-1'), rs);
    assert.equal(s.objects('ReplicaSet')[0], rs);
    assert.equal('kind' in rs, false);
    assert.equal(s.namespace('a'), ns);
    assert.equal(s.getNodeInfo('n1')!.requested.milliCPU, 1000);
    // Its own kind is not read: a mislabelled object stays under the kind given.
    s.upsertAs('Service', { kind: 'ReplicaSet', metadata: { name: 'svc', namespace: 'a' } });
    assert.equal(s.getObject('ReplicaSet', 'a', 'svc'), undefined);
    assert.ok(s.getObject('Service', 'a', 'svc'));
    // upsert reads the object's kind; without one (or with an empty kind) nothing is stored.
    s.upsert({ metadata: { name: 'nokind', namespace: 'a' } });
    s.upsertAs('', { metadata: { name: 'empty', namespace: 'a' } });
    assert.deepEqual(
      s.objects('Service').map((o) => o.metadata?.name),
      ['svc'],
    );
  });

  it('removes a pod by namespace and name', () => {
    const s = snapshotFrom({ nodes: [makeNode('n1')], pods: [makePod('p', { node: 'n1', requests: [{ cpu: '1' }] })] });
    s.remove('Pod', 'default', 'p');
    assert.equal(s.getNodeInfo('n1')!.pods.length, 0);
    assert.equal(s.getNodeInfo('n1')!.requested.milliCPU, 0);
  });
});
