import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '@src/kube-api/types';
import { lookupFromObjects } from '@src/kube-api/defaulting';
import { applyDefaults } from '@src/simulator/controllers/defaulting';

const classes = lookupFromObjects([
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'high' },
    value: 1000,
    preemptionPolicy: 'Never',
  } as KubeObject,
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'everyone' },
    value: 5,
    globalDefault: true,
  } as KubeObject,
  {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name: 'kata' },
    handler: 'kata',
    overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
  } as KubeObject,
]);

function pod(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}

const CASES: { name: string; obj: KubeObject; want: (o: KubeObject) => unknown; expect: unknown; error?: RegExp }[] = [
  {
    name: 'schedulerName and core pod defaults',
    obj: pod({}),
    want: (o) => [
      o.spec.schedulerName,
      o.spec.restartPolicy,
      o.spec.dnsPolicy,
      o.spec.enableServiceLinks,
      o.spec.terminationGracePeriodSeconds,
      o.status.phase,
    ],
    expect: ['default-scheduler', 'Always', 'ClusterFirst', true, 30, 'Pending'],
  },
  {
    name: 'priority from the global default class',
    obj: pod({}),
    want: (o) => [o.spec.priority, o.spec.priorityClassName, o.spec.preemptionPolicy],
    expect: [5, 'everyone', 'PreemptLowerPriority'],
  },
  {
    name: 'priority and preemptionPolicy from the named class',
    obj: pod({ priorityClassName: 'high' }),
    want: (o) => [o.spec.priority, o.spec.preemptionPolicy],
    expect: [1000, 'Never'],
  },
  {
    name: 'system classes are built in',
    obj: pod({ priorityClassName: 'system-node-critical' }),
    want: (o) => o.spec.priority,
    expect: 2000001000,
  },
  {
    name: 'unknown class is an admission error',
    obj: pod({ priorityClassName: 'nope' }),
    want: (o) => o.spec.priority,
    expect: 0,
    error: /no PriorityClass with name nope was found/,
  },
  {
    name: 'a set priority is kept',
    obj: pod({ priority: 7, priorityClassName: 'high' }),
    want: (o) => o.spec.priority,
    expect: 7,
  },
  {
    name: 'not-ready/unreachable tolerations',
    obj: pod({}),
    want: (o) =>
      o.spec.tolerations.map((t: Record<string, unknown>) => `${t['key']}:${t['effect']}:${t['tolerationSeconds']}`),
    expect: ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300'],
  },
  {
    name: 'an Exists toleration covers them',
    obj: pod({ tolerations: [{ operator: 'Exists' }] }),
    want: (o) => o.spec.tolerations.length,
    expect: 1,
  },
  {
    name: 'requests default to limits',
    obj: pod({
      containers: [
        { name: 'c', image: 'x:1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } },
      ],
    }),
    want: (o) => o.spec.containers[0].resources.requests,
    expect: { cpu: '500m', memory: '1Gi' },
  },
  {
    name: 'hostNetwork sets hostPort',
    obj: pod({ hostNetwork: true, containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 9100 }] }] }),
    want: (o) => o.spec.containers[0].ports[0],
    expect: { containerPort: 9100, hostPort: 9100, protocol: 'TCP' },
  },
  {
    name: 'imagePullPolicy by tag',
    obj: pod({
      containers: [
        { name: 'a', image: 'nginx' },
        { name: 'b', image: 'nginx:latest' },
        { name: 'c', image: 'nginx:1.27' },
        { name: 'd', image: 'localhost:5000/app' },
      ],
    }),
    want: (o) => o.spec.containers.map((c: Record<string, unknown>) => c['imagePullPolicy']),
    expect: ['Always', 'Always', 'IfNotPresent', 'Always'],
  },
  {
    name: 'RuntimeClass overhead',
    obj: pod({ runtimeClassName: 'kata' }),
    want: (o) => o.spec.overhead,
    expect: { cpu: '250m', memory: '120Mi' },
  },
  { name: 'serviceAccountName', obj: pod({}), want: (o) => o.spec.serviceAccountName, expect: 'default' },
  {
    name: 'Deployment defaults',
    obj: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
    },
    want: (o) => [
      o.spec.replicas,
      o.spec.strategy.type,
      o.spec.revisionHistoryLimit,
      o.spec.template.spec.schedulerName,
    ],
    expect: [1, 'RollingUpdate', 10, 'default-scheduler'],
  },
  {
    name: 'Job defaults',
    obj: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { containers: [] } } },
    },
    want: (o) => [o.spec.completions, o.spec.parallelism, o.spec.backoffLimit, o.spec.completionMode],
    expect: [1, 1, 6, 'NonIndexed'],
  },
  {
    name: 'work-queue Job keeps completions unset',
    obj: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { parallelism: 3, template: { spec: {} } },
    },
    want: (o) => [o.spec.completions, o.spec.parallelism],
    expect: [undefined, 3],
  },
  {
    name: 'Namespace label',
    obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } },
    want: (o) => o.metadata?.labels,
    expect: { 'kubernetes.io/metadata.name': 'ns1' },
  },
];

for (const c of CASES) {
  test(`defaulting: ${c.name}`, () => {
    const err = applyDefaults(c.obj, classes);
    if (c.error) assert.match(err ?? '', c.error);
    else assert.equal(err, undefined);
    assert.deepEqual(c.want(c.obj), c.expect);
  });
}

test('defaulting is idempotent', () => {
  const a = pod({
    priorityClassName: 'high',
    containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '1' } } }],
  });
  applyDefaults(a, classes);
  const once = JSON.stringify(a);
  applyDefaults(a, classes);
  assert.equal(JSON.stringify(a), once);
});
