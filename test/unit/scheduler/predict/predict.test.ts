import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load as parseYaml } from 'js-yaml';
import type { Node, Pod } from '@src/kube-api/types';
import { ClusterSnapshot, placeReplicas, predict, snapshotFrom } from '@src/scheduler';
import { defaultSchedulerProfile } from '@src/scheduler/config/load';
import { predictOn } from '@src/scheduler/predict/predict';

function node(
  name: string,
  extra: { cpu?: string; labels?: Record<string, string>; taints?: { key: string; effect: string }[] } = {},
): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: extra.taints ? { taints: extra.taints } : {},
    status: { allocatable: { cpu: extra.cpu ?? '4000m', memory: '8Gi', pods: '110' } },
  };
}

function pod(name: string, req: Record<string, string>, nodeName?: string): Pod {
  return {
    metadata: { name, namespace: 'default', uid: name },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', resources: { requests: req } }] },
  };
}

describe('predict: bad input is an error value naming the field', () => {
  const good = pod('p', { cpu: '1' });
  const cases: { name: string; pod: unknown; snapshot?: unknown; config?: unknown; field: string; match: RegExp }[] = [
    { name: 'pod is not an object', pod: 'nginx', field: 'pod', match: /^pod: Invalid value: must be an object/ },
    { name: 'pod is null', pod: null, field: 'pod', match: /^pod: Required value/ },
    {
      name: 'missing containers',
      pod: { spec: {} },
      field: 'spec.containers',
      match: /^spec\.containers: Required value$/,
    },
    {
      name: 'empty containers',
      pod: { spec: { containers: [] } },
      field: 'spec.containers',
      match: /^spec\.containers: Required value$/,
    },
    {
      name: 'malformed quantity',
      pod: { spec: { containers: [{ resources: { requests: { memory: '1GG' } } }] } },
      field: 'spec.containers[0].resources.requests.memory',
      match: /^spec\.containers\[0\]\.resources\.requests\.memory: /,
    },
    {
      name: 'unknown label selector operator',
      pod: {
        spec: {
          containers: [{}],
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                {
                  topologyKey: 'zone',
                  labelSelector: { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] },
                },
              ],
            },
          },
        },
      },
      field: 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector',
      match: /operator: Unsupported value: "Near"/,
    },
    {
      name: 'unknown node selector operator',
      pod: {
        spec: {
          containers: [{}],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Like', values: ['a'] }] }],
              },
            },
          },
        },
      },
      field:
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator',
      match: /Unsupported value: "Like"/,
    },
    {
      name: 'tolerations of the wrong type',
      pod: { spec: { containers: [{}], tolerations: { key: 'a' } } },
      field: 'spec.tolerations',
      match: /must be a list/,
    },
    {
      name: 'nodeSelector value not a string',
      pod: { spec: { containers: [{}], nodeSelector: { zone: 1 } } },
      field: 'spec.nodeSelector.zone',
      match: /must be a string/,
    },
    {
      name: 'topology spread maxSkew 0',
      pod: {
        spec: {
          containers: [{}],
          topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }],
        },
      },
      field: 'spec.topologySpreadConstraints[0].maxSkew',
      match: /must be greater than zero/,
    },
    { name: 'snapshot missing', pod: good, snapshot: null, field: 'snapshot', match: /^snapshot: Required value/ },
    {
      name: 'snapshot node without a name',
      pod: good,
      snapshot: { nodes: [{ metadata: {} }] },
      field: 'nodes[0].metadata.name',
      match: /Required value/,
    },
    {
      name: 'snapshot node with a malformed allocatable',
      pod: good,
      snapshot: { nodes: [{ metadata: { name: 'n' }, status: { allocatable: { cpu: 'lots' } } }] },
      field: 'nodes[0].status.allocatable.cpu',
      match: /nodes\[0\]\.status\.allocatable\.cpu/,
    },
    {
      name: 'invalid configuration',
      pod: good,
      config: {
        apiVersion: 'kubescheduler.config.k8s.io/v1',
        kind: 'KubeSchedulerConfiguration',
        percentageOfNodesToScore: 200,
      },
      field: 'config.percentageOfNodesToScore',
      match: /not in valid range \[0-100\]/,
    },
    {
      name: 'no profile for the schedulerName',
      pod: { spec: { schedulerName: 'other', containers: [{}] } },
      field: 'spec.schedulerName',
      match: /no scheduler profile has this name/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = predict(
        c.pod,
        (c.snapshot === undefined ? { nodes: [node('n1')] } : c.snapshot) as never,
        c.config as never,
      );
      assert.equal(r.ok, false);
      if (r.ok) return;
      const e = r.errors.find((x) => x.field === c.field);
      assert.ok(e, `no error for ${c.field} in ${JSON.stringify(r.errors)}`);
      assert.match(e.message, c.match);
    });
  }
});

describe('predict: results', () => {
  it('Setup A of the spec: per-plugin raw/normalised/weighted scores, totals, ranks and the choice', () => {
    const r = predict(pod('p', { cpu: '500m', memory: '2Gi' }), {
      nodes: [node('n1'), node('n2')],
      pods: [pod('a', { cpu: '3000m', memory: '1Gi' }, 'n1'), pod('b', { cpu: '1000m', memory: '2Gi' }, 'n2')],
    });
    assert.ok(r.ok);
    const res = r.result;
    assert.equal(res.selectedNode, 'n2');
    assert.equal(res.tieCount, 1);
    const byName = Object.fromEntries(res.nodes!.map((n) => [n.name, n]));
    assert.equal(byName['n1']!.total, 415);
    assert.equal(byName['n2']!.total, 427);
    assert.equal(byName['n2']!.rank, 1);
    assert.deepEqual(
      byName['n1']!.scores!.find((s) => s.plugin === 'TaintToleration'),
      { plugin: 'TaintToleration', raw: 0, normalized: 100, weighted: 300 },
    );
    assert.deepEqual(
      byName['n1']!.scores!.find((s) => s.plugin === 'NodeResourcesBalancedAllocation'),
      { plugin: 'NodeResourcesBalancedAllocation', raw: 78, normalized: 78, weighted: 78 },
    );
    assert.deepEqual(JSON.parse(JSON.stringify(res)), res, 'the result is plain JSON');
  });

  it('reports a tie when several nodes share the top total', () => {
    const r = predict(pod('p', { cpu: '1' }), { nodes: [node('n1'), node('n2'), node('n3', { cpu: '2' })] });
    assert.ok(r.ok);
    assert.equal(r.result.tieCount, 2);
    assert.deepEqual(r.result.tiedNodes, ['n1', 'n2']);
  });

  it('Setup D of the spec: the failure summary as kube-scheduler prints it', () => {
    const r = predict(pod('p', { cpu: '3' }), {
      nodes: [node('n1', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), node('n2'), node('n3')],
      pods: [pod('a', { cpu: '2' }, 'n2'), pod('b', { cpu: '2' }, 'n3')],
    });
    assert.ok(r.ok);
    assert.equal(
      r.result.failure,
      '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    const n1 = r.result.nodes!.find((n) => n.name === 'n1')!;
    assert.deepEqual(n1.filter, {
      plugin: 'TaintToleration',
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint(s)'],
    });
  });

  it('nodes excluded by a PreFilter result carry the UU status naming the plugin', () => {
    const p = pod('p', { cpu: '1' });
    p.spec!.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
        },
      },
    };
    const r = predict(p, { nodes: [node('n1'), node('n2')] });
    assert.ok(r.ok);
    assert.equal(r.result.selectedNode, 'n1');
    assert.deepEqual(r.result.nodes!.find((n) => n.name === 'n2')!.filter, {
      plugin: '',
      code: 'UnschedulableAndUnresolvable',
      reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"],
    });
  });

  it('kube-scheduler mode stops at numFeasibleNodesToFind and rotates; all-nodes mode scores everything', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`n${i}`));
    const snap = snapshotFrom({ nodes });
    const k = predict(pod('p', { cpu: '1' }), snap, undefined, { nextStartNodeIndex: 50 });
    assert.ok(k.ok);
    assert.equal(k.result.evaluatedNodes, 100);
    assert.equal(k.result.nodes!.filter((n) => n.evaluated).length, 100);
    assert.equal(k.result.nodes!.find((n) => n.name === 'n49')!.evaluated, false);
    assert.equal(k.result.nodes!.find((n) => n.name === 'n50')!.evaluated, true);
    assert.equal(k.result.nextStartNodeIndex, 150);
    const a = predict(pod('p', { cpu: '1' }), snap, undefined, { mode: 'all-nodes' });
    assert.ok(a.ok);
    assert.equal(a.result.feasibleNodes, 200);
    assert.equal(a.result.tieCount, 200);
  });

  it('a single feasible node is chosen without scoring', () => {
    const r = predict(pod('p', { cpu: '3' }), { nodes: [node('n1'), node('n2', { cpu: '1' })] });
    assert.ok(r.ok);
    assert.equal(r.result.selectedNode, 'n1');
    assert.equal(r.result.scored, false);
    assert.equal(r.result.nodes!.find((n) => n.name === 'n1')!.scores, undefined);
  });

  it('accepts a KubeSchedulerConfiguration and picks the profile by schedulerName', () => {
    const config = `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packer
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources: [{name: cpu, weight: 1}]
`;
    const busy = { nodes: [node('n1'), node('n2')], pods: [pod('a', { cpu: '3' }, 'n1')] };
    const spread = predict(pod('p', { cpu: '500m' }), busy, config, { parseYaml });
    const packed = predict(
      { ...pod('p', { cpu: '500m' }), spec: { ...pod('p', { cpu: '500m' }).spec, schedulerName: 'bin-packer' } },
      busy,
      config,
      { parseYaml },
    );
    assert.ok(spread.ok && packed.ok);
    assert.equal(spread.result.selectedNode, 'n2');
    assert.equal(packed.result.selectedNode, 'n1');
    assert.equal(packed.result.schedulerName, 'bin-packer');
  });
});

describe('predict: one snapshot, many pods', () => {
  it("an earlier pod's preemption never shows up in a later prediction that ends before DefaultPreemption", () => {
    const snap = snapshotFrom({
      nodes: [node('n1', { cpu: '2' })],
      pods: [pod('low', { cpu: '2' }, 'n1')],
    });
    const high = { ...pod('high', { cpu: '2' }), spec: { ...pod('high', { cpu: '2' }).spec, priority: 1000 } };
    const first = predictOn(high, snap, defaultSchedulerProfile());
    assert.equal(first.preemption?.nominatedNode, 'n1');
    // A claim that does not exist: VolumeBinding rejects at PreFilter, so DynamicResources' PostFilter
    // (before DefaultPreemption) ends the cycle with its error and preemption never runs.
    const claimed: Pod = {
      ...high,
      metadata: { name: 'claimed', namespace: 'default', uid: 'claimed' },
      spec: { ...high.spec, volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'missing' } }] },
    };
    const second = predictOn(claimed, snap, defaultSchedulerProfile());
    assert.match(second.failure ?? '', /persistentvolumeclaim "missing" not found\. not found$/);
    assert.equal(second.preemption?.nominatedNode, undefined);
    assert.deepEqual(second.preemption?.victims, []);
  });
});

describe('placeReplicas', () => {
  const template: Pod = {
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
      containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }],
    },
  };

  it('places replicas one by one, honouring anti-affinity among them, and undoes the assumptions', () => {
    const snap = snapshotFrom({ nodes: [node('n1'), node('n2'), node('n3')] });
    const r = placeReplicas(template, 5, snap);
    assert.ok(r.ok);
    assert.equal(r.result.requested, 5);
    assert.equal(r.result.placed, 3);
    assert.deepEqual(Object.values(r.result.perNode), [1, 1, 1]);
    assert.equal(new Set(r.result.placements.map((p) => p.node)).size, 3);
    assert.equal(r.result.failure, "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    assert.equal(
      snap.nodeInfos().reduce((s, n) => s + n.pods.length, 0),
      0,
      'the snapshot is left unchanged',
    );
  });

  it('spreads replicas without anti-affinity by score', () => {
    const plain: Pod = {
      metadata: { name: 'api', namespace: 'default' },
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] },
    };
    const r = placeReplicas(plain, 4, new ClusterSnapshot());
    assert.ok(r.ok);
    assert.equal(r.result.placed, 0);
    assert.equal(r.result.error, 'no nodes available to schedule pods');
    const r2 = placeReplicas(plain, 4, { nodes: [node('n1'), node('n2')] });
    assert.ok(r2.ok);
    assert.deepEqual(r2.result.perNode, { n1: 2, n2: 2 });
  });

  it('rejects a bad replica count and a bad template as values', () => {
    const r = placeReplicas(template, -1, { nodes: [] });
    assert.equal(r.ok, false);
    const r2 = placeReplicas({ spec: {} }, 1, { nodes: [] });
    assert.ok(!r2.ok && r2.errors[0]!.field === 'spec.containers');
  });
});
