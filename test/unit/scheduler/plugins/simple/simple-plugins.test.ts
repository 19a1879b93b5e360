/**
 * NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, ImageLocality and
 * DefaultNormalizeScore, driven through their extension-point interfaces as upstream's plugin
 * tests do. Case names follow the upstream tables where ported.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '@src/kube-api/types';
import { CycleState } from '@src/scheduler/framework/cycle-state';
import type { NodeScore } from '@src/scheduler/framework/interface';
import { snapshotFrom } from '@src/scheduler/framework/snapshot';
import { defaultNormalizeScore } from '@src/scheduler/plugins/helper/normalize-score';
import { create as createImageLocality } from '@src/scheduler/plugins/imagelocality/image-locality';
import { create as createNodeAffinity, ERR_REASON_POD } from '@src/scheduler/plugins/nodeaffinity/node-affinity';
import { create as createNodeName } from '@src/scheduler/plugins/nodename/node-name';
import { create as createNodePorts, ERR_REASON as PORTS_REASON } from '@src/scheduler/plugins/nodeports/node-ports';
import { create as createNodeUnschedulable } from '@src/scheduler/plugins/nodeunschedulable/node-unschedulable';
import { create as createTaintToleration } from '@src/scheduler/plugins/tainttoleration/taint-toleration';
import { makeNode } from '@test/builders/node';
import { makePod } from '@test/builders/pod';

const noFeatures = {};

describe('DefaultNormalizeScore', () => {
  const run = (scores: number[], reverse: boolean) => {
    const list: NodeScore[] = scores.map((s, i) => ({ name: `n${i}`, score: s }));
    defaultNormalizeScore(100, reverse, list);
    return list.map((s) => s.score);
  };
  it('scales to the maximum with truncation', () => assert.deepEqual(run([0, 20, 80], false), [0, 25, 100]));
  it('reverses', () => assert.deepEqual(run([0, 1, 2], true), [100, 50, 0]));
  it('keeps all-zero scores, or makes them 100 when reversed', () => {
    assert.deepEqual(run([0, 0], false), [0, 0]);
    assert.deepEqual(run([0, 0], true), [100, 100]);
  });
  it('truncates toward zero', () => assert.deepEqual(run([1, 3], false), [33, 100]));
});

describe('NodeUnschedulable and NodeName', () => {
  const snap = snapshotFrom({ nodes: [makeNode('cordoned', { unschedulable: true }), makeNode('ok')] });
  const pl = createNodeUnschedulable({ args: undefined, handle: snap, features: noFeatures });
  it('rejects a cordoned node unless the pod tolerates the unschedulable taint', () => {
    const pod = makePod('p');
    assert.deepEqual(pl.filter(new CycleState(), pod, snap.getNodeInfo('cordoned')!)?.reasons, [
      'node(s) were unschedulable',
    ]);
    assert.equal(pl.filter(new CycleState(), pod, snap.getNodeInfo('ok')!), null);
    const tolerant: Pod = {
      ...pod,
      spec: {
        ...pod.spec,
        tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      },
    };
    assert.equal(pl.filter(new CycleState(), tolerant, snap.getNodeInfo('cordoned')!), null);
  });
  it('NodeName matches only the named node', () => {
    const nn = createNodeName({ args: undefined, handle: snap, features: noFeatures });
    const pod: Pod = { spec: { nodeName: 'ok' } };
    assert.equal(nn.filter(new CycleState(), pod, snap.getNodeInfo('ok')!), null);
    const st = nn.filter(new CycleState(), pod, snap.getNodeInfo('cordoned')!);
    assert.equal(st?.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(st?.reasons, ["node(s) didn't match the requested node name"]);
  });
});

describe('TaintToleration', () => {
  it('Setup C: PreferNoSchedule counts [0, 1, 2] normalise to [100, 50, 0]', () => {
    const prefer = (k: string) => ({ key: k, value: 'v', effect: 'PreferNoSchedule' });
    const snap = snapshotFrom({
      nodes: [
        makeNode('a'),
        makeNode('b', { taints: [prefer('x')] }),
        makeNode('c', { taints: [prefer('x'), prefer('y')] }),
      ],
    });
    const pl = createTaintToleration({ args: undefined, handle: snap, features: noFeatures });
    const state = new CycleState();
    const pod = makePod('p');
    pl.preScore(state, pod, snap.nodeInfos());
    const list = snap.nodeInfos().map((n) => ({ name: n.name, score: pl.score(state, pod, n).score }));
    assert.deepEqual(
      list.map((s) => s.score),
      [0, 1, 2],
    );
    pl.normalizeScore(state, pod, list);
    assert.deepEqual(
      list.map((s) => s.score),
      [100, 50, 0],
    );
  });

  it('the first untolerated NoSchedule/NoExecute taint rejects; Lt/Gt only with the gate', () => {
    const snap = snapshotFrom({
      nodes: [makeNode('a', { taints: [{ key: 'sla', value: '900', effect: 'NoSchedule' }] })],
    });
    const gt: Pod = { spec: { tolerations: [{ key: 'sla', operator: 'Gt', value: '800', effect: 'NoSchedule' }] } };
    const off = createTaintToleration({ args: undefined, handle: snap, features: {} });
    const on = createTaintToleration({
      args: undefined,
      handle: snap,
      features: { TaintTolerationComparisonOperators: true },
    });
    assert.deepEqual(off.filter(new CycleState(), gt, snap.getNodeInfo('a')!)?.reasons, [
      'node(s) had untolerated taint(s)',
    ]);
    assert.equal(on.filter(new CycleState(), gt, snap.getNodeInfo('a')!), null);
    // A value that is not a canonical decimal never tolerates. v1.37 only logs why (the real
    // scheduler's oracle agrees); master after v1.37 makes the parse error the reason.
    const bad: Pod = { spec: { tolerations: [{ key: 'sla', operator: 'Gt', value: '08', effect: 'NoSchedule' }] } };
    assert.deepEqual(on.filter(new CycleState(), bad, snap.getNodeInfo('a')!)?.reasons, [
      'node(s) had untolerated taint(s)',
    ]);
    const next = createTaintToleration({
      args: undefined,
      handle: snap,
      features: { TaintTolerationComparisonOperators: true },
      kubernetesVersion: '1.38',
    });
    assert.deepEqual(next.filter(new CycleState(), bad, snap.getNodeInfo('a')!)?.reasons, [
      'failed to parse toleration value "08" as int64: must be a valid decimal integer in canonical form',
    ]);
  });
});

describe('NodeAffinity', () => {
  const snap = snapshotFrom({
    nodes: [makeNode('node1', { labels: { foo: 'bar' } }), makeNode('node2'), makeNode('node3')],
  });
  const pl = createNodeAffinity({ args: {}, handle: snap, features: noFeatures });
  const withTerms = (terms: unknown[]): Pod => ({
    spec: {
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as never } },
      },
    },
  });
  const byName = (vals: string[]) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: vals }] });

  it('PreFilter returns the union over terms of the matchFields name intersections', () => {
    const r = pl.preFilter(
      new CycleState(),
      withTerms([byName(['node1', 'node2']), byName(['node3'])]),
      snap.nodeInfos(),
    );
    assert.deepEqual([...r.result!.nodeNames].sort(), ['node1', 'node2', 'node3']);
  });

  it('PreFilter returns all nodes when some term is not restricted by name', () => {
    const r = pl.preFilter(
      new CycleState(),
      withTerms([byName(['node1']), { matchExpressions: [{ key: 'foo', operator: 'Exists' }] }]),
      snap.nodeInfos(),
    );
    assert.equal(r.result, undefined);
    assert.equal(r.status, null);
  });

  it('PreFilter reports conflicting name requirements', () => {
    const r = pl.preFilter(
      new CycleState(),
      withTerms([{ matchFields: [byName(['node1']).matchFields[0], byName(['node2']).matchFields[0]] }]),
      snap.nodeInfos(),
    );
    assert.deepEqual(r.status?.reasons, ['pod affinity terms conflict']);
  });

  it('PreFilter skips without nodeSelector and required affinity, but not for an empty nodeSelector', () => {
    assert.equal(pl.preFilter(new CycleState(), { spec: {} }, snap.nodeInfos()).status?.code, 'Skip');
    assert.equal(pl.preFilter(new CycleState(), { spec: { nodeSelector: {} } }, snap.nodeInfos()).status, null);
  });

  it('Filter: nodeSelector AND terms; empty terms match nothing', () => {
    const state = new CycleState();
    const pod: Pod = { spec: { nodeSelector: { foo: 'bar' } } };
    pl.preFilter(state, pod, snap.nodeInfos());
    assert.equal(pl.filter(state, pod, snap.getNodeInfo('node1')!), null);
    assert.deepEqual(pl.filter(state, pod, snap.getNodeInfo('node2')!)?.reasons, [ERR_REASON_POD]);
    const empty = withTerms([{}]);
    assert.deepEqual(pl.filter(new CycleState(), empty, snap.getNodeInfo('node1')!)?.reasons, [ERR_REASON_POD]);
  });

  it('PreScore reports a broken preferred term with its field path', () => {
    const pod: Pod = {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 1, preference: { matchExpressions: [{ key: 'k', operator: 'Bogus' }] } },
            ],
          },
        },
      },
    };
    const st = pl.preScore(new CycleState(), pod, snap.nodeInfos());
    assert.equal(st?.code, 'Error');
    assert.deepEqual(st?.reasons, [
      '[0].matchExpressions[0].operator: Unsupported value: "Bogus": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
    ]);
  });

  it('an invalid addedAffinity is reported as an Error status, not thrown', () => {
    const broken = createNodeAffinity({
      args: {
        addedAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }],
          },
        },
      },
      handle: snap,
      features: noFeatures,
    });
    const st = broken.filter(new CycleState(), { spec: {} }, snap.getNodeInfo('node1')!);
    assert.equal(st?.code, 'Error');
    assert.match(
      st!.reasons[0]!,
      /^parsing addedAffinity.requiredDuringSchedulingIgnoredDuringExecution: nodeSelectorTerms\[0\].matchFields\[0\].operator: Unsupported value/,
    );
  });
});

describe('NodePorts', () => {
  const used = makePod('used', { node: 'm1', hostPorts: [8080] });
  used.spec!.containers![0]!.ports![0]!.hostIP = '127.0.0.1';
  const snap = snapshotFrom({ nodes: [makeNode('m1')], pods: [used] });
  const pl = createNodePorts({ args: undefined, handle: snap, features: noFeatures });
  const want = (ip: string, port: number, protocol = 'TCP'): Pod => ({
    spec: { containers: [{ name: 'c', ports: [{ containerPort: port, hostPort: port, hostIP: ip, protocol }] }] },
  });
  const check = (p: Pod) => {
    const state = new CycleState();
    pl.preFilter(state, p, snap.nodeInfos());
    return pl.filter(state, p, snap.getNodeInfo('m1')!);
  };
  it('0.0.0.0 conflicts with the same port on any IP', () =>
    assert.deepEqual(check(want('', 8080))?.reasons, [PORTS_REASON]));
  it('a different IP does not conflict', () => assert.equal(check(want('127.0.0.2', 8080)), null));
  it('a different protocol does not conflict', () => assert.equal(check(want('127.0.0.1', 8080, 'UDP')), null));
  it('the same IP conflicts', () => assert.equal(check(want('127.0.0.1', 8080))?.code, 'Unschedulable'));
  it('skips pods without host ports', () =>
    assert.equal(pl.preFilter(new CycleState(), makePod('p'), snap.nodeInfos()).status?.code, 'Skip'));
});

describe('ImageLocality', () => {
  it('a 300 MiB image on 2 of 3 nodes scores 18 for a one-container pod (spec §5.13)', () => {
    const img = [{ names: ['registry/app:1'], sizeBytes: 300 * 1024 * 1024 }];
    const snap = snapshotFrom({
      nodes: [makeNode('a', { images: img }), makeNode('b', { images: img }), makeNode('c')],
    });
    const pl = createImageLocality({ args: undefined, handle: snap, features: noFeatures });
    const pod: Pod = { spec: { containers: [{ name: 'c', image: 'registry/app:1' }] } };
    assert.deepEqual(
      snap.nodeInfos().map((n) => pl.score(new CycleState(), pod, n).score),
      [18, 18, 0],
    );
  });

  it('normalises an untagged name to :latest and does not alias registries', () => {
    const snap = snapshotFrom({
      nodes: [makeNode('a', { images: [{ names: ['docker.io/library/nginx:latest'], sizeBytes: 500 * 1024 * 1024 }] })],
    });
    const pl = createImageLocality({ args: undefined, handle: snap, features: noFeatures });
    const score = (image: string) =>
      pl.score(new CycleState(), { spec: { containers: [{ name: 'c', image }] } }, snap.getNodeInfo('a')!).score;
    assert.equal(score('nginx'), 0);
    assert.equal(score('docker.io/library/nginx'), 48); // 100 × (500 − 23) / (1000 − 23), truncated.
  });
});

describe('bad input yields an Error status naming the field', () => {
  const snap = snapshotFrom({ nodes: [makeNode('n1')] });
  const args = { args: {}, handle: snap, features: noFeatures };
  it('TaintToleration: tolerations not a list', () => {
    const st = createTaintToleration(args).filter(
      new CycleState(),
      { spec: { tolerations: 'all' as never } },
      snap.getNodeInfo('n1')!,
    );
    assert.deepEqual(st?.reasons, ['spec.tolerations: Invalid value: must be a list']);
  });
  it('NodeAffinity: nodeSelector not a map of strings', () => {
    const r = createNodeAffinity(args).preFilter(
      new CycleState(),
      { spec: { nodeSelector: { a: 1 } as never } },
      snap.nodeInfos(),
    );
    assert.deepEqual(r.status?.reasons, ['spec.nodeSelector: Invalid value: must be a map of strings']);
  });
  it('NodePorts: hostPort not an integer', () => {
    const pod: Pod = { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: '80' as never }] }] } };
    const r = createNodePorts(args).preFilter(new CycleState(), pod, snap.nodeInfos());
    assert.deepEqual(r.status?.reasons, ['spec.containers[0].ports[0].hostPort: Invalid value: must be an integer']);
  });
});
