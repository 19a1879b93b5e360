import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load as parseYaml } from 'js-yaml';
import { loadConfiguration } from '@src/scheduler/config';
import type { SchedulerProfile } from '@src/scheduler/config';

function errorsOf(input: string | object): string[] {
  const r = loadConfiguration(input, { parseYaml });
  return r.ok ? [] : r.errors.map((e) => e.message);
}

function profiles(input: string | object | undefined): SchedulerProfile[] {
  const r = loadConfiguration(input, { parseYaml });
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('\n'));
  return r.config.profiles;
}

const names = (ps: { name: string }[]) => ps.map((p) => p.name);
const V1 = { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' };

describe('default configuration', () => {
  it('expands the default MultiPoint list per extension point in upstream order', () => {
    const [p] = profiles(undefined);
    assert.equal(p!.schedulerName, 'default-scheduler');
    assert.equal(p!.percentageOfNodesToScore, 0);
    assert.deepEqual(names(p!.plugins.filter), [
      'NodeUnschedulable',
      'NodeName',
      'TaintToleration',
      'NodeAffinity',
      'NodePorts',
      'NodeResourcesFit',
      'VolumeRestrictions',
      'NodeVolumeLimits',
      'VolumeBinding',
      'VolumeZone',
      'PodTopologySpread',
      'InterPodAffinity',
      'DynamicResources',
      'NodeDeclaredFeatures',
    ]);
    assert.deepEqual(
      p!.plugins.score.map((s) => [s.name, s.weight]),
      [
        ['TaintToleration', 3],
        ['NodeAffinity', 2],
        ['NodeResourcesFit', 1],
        ['VolumeBinding', 1],
        ['PodTopologySpread', 2],
        ['InterPodAffinity', 2],
        ['DynamicResources', 2],
        ['NodeResourcesBalancedAllocation', 1],
        ['ImageLocality', 1],
      ],
    );
    assert.deepEqual(names(p!.plugins.postFilter), ['DynamicResources', 'DefaultPreemption']);
    assert.deepEqual(names(p!.plugins.queueSort), ['PrioritySort']);
    assert.deepEqual(names(p!.plugins.bind), ['DefaultBinder']);
  });

  it('defaults every known plugin args object', () => {
    const [p] = profiles(undefined);
    assert.deepEqual(p!.pluginConfig['NodeResourcesFit'], {
      ignoredResources: [],
      ignoredResourceGroups: [],
      scoringStrategy: {
        type: 'LeastAllocated',
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 1 },
        ],
      },
    });
    assert.deepEqual(p!.pluginConfig['InterPodAffinity'], {
      ignorePreferredTermsOfExistingPods: false,
      hardPodAffinityWeight: 1,
    });
    assert.deepEqual(p!.pluginConfig['PodTopologySpread'], { defaultConstraints: [], defaultingType: 'System' });
    assert.deepEqual(p!.pluginConfig['DefaultPreemption'], {
      minCandidateNodesPercentage: 10,
      minCandidateNodesAbsolute: 100,
    });
    assert.equal((p!.pluginConfig['VolumeBinding'] as { bindTimeoutSeconds: number }).bindTimeoutSeconds, 600);
    assert.deepEqual(p!.pluginConfig['NodeResourcesBalancedAllocation'], {
      resources: [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
      ],
    });
  });
});

describe('plugin set merging and MultiPoint expansion', () => {
  it('disables one plugin at one point, keeping it elsewhere', () => {
    const [p] = profiles({
      ...V1,
      profiles: [
        {
          plugins: { score: { disabled: [{ name: 'ImageLocality' }] }, filter: { disabled: [{ name: 'NodePorts' }] } },
        },
      ],
    });
    assert.ok(!names(p!.plugins.score).includes('ImageLocality'));
    assert.ok(!names(p!.plugins.filter).includes('NodePorts'));
    assert.ok(names(p!.plugins.preFilter).includes('NodePorts'));
  });

  it("'*' disables every default at a point, and enabled plugins are then the only ones", () => {
    const [p] = profiles({
      ...V1,
      profiles: [
        { plugins: { score: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeResourcesFit', weight: 5 }] } } },
      ],
    });
    assert.deepEqual(
      p!.plugins.score.map((s) => [s.name, s.weight]),
      [['NodeResourcesFit', 5]],
    );
  });

  it('a score weight set at the score point overrides the MultiPoint weight and keeps its position first', () => {
    const [p] = profiles({
      ...V1,
      profiles: [{ plugins: { score: { enabled: [{ name: 'ImageLocality', weight: 7 }] } } }],
    });
    assert.deepEqual(p!.plugins.score[0], { name: 'ImageLocality', weight: 7 });
    assert.equal(p!.plugins.score.filter((s) => s.name === 'ImageLocality').length, 1);
  });

  it('weight 0 becomes 1', () => {
    const [p] = profiles({
      ...V1,
      profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'TaintToleration', weight: 0 }] } } }],
    });
    assert.equal(p!.plugins.score.find((s) => s.name === 'TaintToleration')!.weight, 1);
  });

  it('chooses profiles by schedulerName and honours percentageOfNodesToScore precedence', () => {
    const ps = profiles(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
profiles:
- schedulerName: default-scheduler
- schedulerName: packer
  percentageOfNodesToScore: 70
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`);
    assert.deepEqual(
      ps.map((p) => [p.schedulerName, p.percentageOfNodesToScore]),
      [
        ['default-scheduler', 30],
        ['packer', 70],
      ],
    );
    const fit = ps[1]!.pluginConfig['NodeResourcesFit'] as { scoringStrategy: { type: string; resources: unknown[] } };
    assert.equal(fit.scoringStrategy.type, 'MostAllocated');
    assert.equal(fit.scoringStrategy.resources.length, 2);
  });
});

describe('validation (ValidateKubeSchedulerConfiguration wording)', () => {
  const P = (profile: object) => ({ ...V1, profiles: [{ schedulerName: 'default-scheduler', ...profile }] });
  const cases: { name: string; input: string | object; want: string[] }[] = [
    {
      name: 'duplicate schedulerName',
      input: { ...V1, profiles: [{ schedulerName: 'a' }, { schedulerName: 'a' }] },
      want: ['profiles[1].schedulerName: Duplicate value: "profiles[0].schedulerName"'],
    },
    {
      name: 'missing schedulerName with several profiles',
      input: { ...V1, profiles: [{ schedulerName: 'a' }, {}] },
      want: ['profiles[1].schedulerName: Required value'],
    },
    {
      name: 'removed plugin name in an extension point',
      input: P({ plugins: { score: { enabled: [{ name: 'ImageLocality' }, { name: 'EBSLimits' }] } } }),
      want: [
        'profiles[0].plugins.score.enabled[1]: Invalid value: "EBSLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")',
      ],
    },
    {
      name: 'unknown plugin',
      input: P({ plugins: { filter: { enabled: [{ name: 'NoSuchPlugin' }] } } }),
      want: ['profiles[0].plugins.filter.enabled[0]: FilterPlugin "NoSuchPlugin" does not exist'],
    },
    {
      name: 'plugin at a point it does not implement',
      input: P({ plugins: { score: { enabled: [{ name: 'NodePorts' }] } } }),
      want: ['profiles[0].plugins.score.enabled[0]: plugin "NodePorts" does not extend ScorePlugin plugin'],
    },
    {
      name: 'negative weight',
      input: P({ plugins: { score: { enabled: [{ name: 'ImageLocality', weight: -1 }] } } }),
      want: ['profiles[0].plugins.score.enabled[0].weight: Invalid value: -1: must not be negative'],
    },
    {
      name: 'score weights that could overflow int64',
      input: P({
        plugins: {
          score: {
            enabled: [
              { name: 'ImageLocality', weight: 9e16 },
              { name: 'TaintToleration', weight: 9e16 },
            ],
          },
        },
      }),
      want: ['profiles[0].plugins.score.enabled[1].weight: total score of Score plugins could overflow'],
    },
    {
      name: 'percentageOfNodesToScore out of range',
      input: { ...V1, percentageOfNodesToScore: 101 },
      want: ['percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]'],
    },
    {
      name: 'hardPodAffinityWeight above 100',
      input: P({ pluginConfig: [{ name: 'InterPodAffinity', args: { hardPodAffinityWeight: 101 } }] }),
      want: ['profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]'],
    },
    {
      name: 'PodTopologySpread maxSkew 0 with List defaulting',
      input: P({
        pluginConfig: [
          {
            name: 'PodTopologySpread',
            args: {
              defaultingType: 'List',
              defaultConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
            },
          },
        ],
      }),
      want: [
        'profiles[0].pluginConfig[0].args.defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)',
      ],
    },
    {
      name: 'PodTopologySpread System defaulting with constraints',
      input: P({
        pluginConfig: [
          {
            name: 'PodTopologySpread',
            args: { defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }] },
          },
        ],
      }),
      want: [
        'profiles[0].pluginConfig[0].args.defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
      ],
    },
    {
      name: 'unknown scoring strategy type',
      input: P({ pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'Random' } } }] }),
      want: [
        'profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: "Random": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
      ],
    },
    {
      name: 'resource weight above 100',
      input: P({
        pluginConfig: [
          {
            name: 'NodeResourcesFit',
            args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 101 }] } },
          },
        ],
      }),
      want: [
        'profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]',
      ],
    },
    {
      name: 'RequestedToCapacityRatio without a shape',
      input: P({
        pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'RequestedToCapacityRatio' } } }],
      }),
      want: [
        'profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is RequestedToCapacityRatio',
      ],
    },
    {
      name: 'RequestedToCapacityRatio shape unsorted and score out of range',
      input: P({
        pluginConfig: [
          {
            name: 'NodeResourcesFit',
            args: {
              scoringStrategy: {
                type: 'RequestedToCapacityRatio',
                requestedToCapacityRatio: {
                  shape: [
                    { utilization: 50, score: 1 },
                    { utilization: 10, score: 11 },
                  ],
                },
              },
            },
          },
        ],
      }),
      want: [
        'profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].utilization: Invalid value: 10: values must be sorted in increasing order',
        'profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].score: Invalid value: 11: not in valid range [0, 10]',
      ],
    },
    {
      name: 'BalancedAllocation weight must be 1',
      input: P({
        pluginConfig: [{ name: 'NodeResourcesBalancedAllocation', args: { resources: [{ name: 'cpu', weight: 2 }] } }],
      }),
      want: ['profiles[0].pluginConfig[0].args.resources[0].weight: Invalid value: 2: must be 1'],
    },
    {
      name: 'DefaultPreemption both zero',
      input: P({
        pluginConfig: [
          { name: 'DefaultPreemption', args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 } },
        ],
      }),
      want: [
        'profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute',
        'profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage',
      ],
    },
    {
      name: 'duplicate pluginConfig',
      input: P({ pluginConfig: [{ name: 'NodeAffinity' }, { name: 'NodeAffinity' }] }),
      want: ['profiles[0].pluginConfig[1]: Duplicate value: "NodeAffinity"'],
    },
    {
      name: 'args of another kind',
      input: P({ pluginConfig: [{ name: 'InterPodAffinity', args: { kind: 'NodeAffinityArgs' } }] }),
      want: ['profiles[0].pluginConfig[0].args: Invalid value: "NodeAffinityArgs": has to match plugin args'],
    },
    {
      name: 'wrong JSON type',
      input: { ...V1, profiles: 'x' },
      want: ['profiles: Invalid value: "x": must be a list'],
    },
    {
      name: 'wrong apiVersion',
      input: { apiVersion: 'kubescheduler.config.k8s.io/v1beta3', kind: 'KubeSchedulerConfiguration' },
      want: [
        'apiVersion: Invalid value: "kubescheduler.config.k8s.io/v1beta3": only kubescheduler.config.k8s.io/v1 is supported',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(errorsOf(c.input), c.want));
  }

  it('without a YAML parser, YAML text is refused as a value; JSON text is fine', () => {
    const r = loadConfiguration('profiles: []');
    assert.ok(!r.ok && /needs a YAML parser/.test(r.errors[0]!.message));
    assert.ok(loadConfiguration(JSON.stringify(V1)).ok);
  });

  it('reports YAML syntax errors as values', () => {
    const errs = errorsOf('profiles: [\n');
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /^could not parse configuration: /);
  });
});
