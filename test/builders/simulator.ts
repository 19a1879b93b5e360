/**
 * Simulated-cluster fixtures: a Node as a kubelet registers it, a store with nodes and a started
 * controller manager, a pod template.
 */
import { ControllerManager } from '@src/simulator/controllers/controller-manager';
import { Store } from '@src/simulator/store/store';
import { makeNode } from './node';

/**
 * A Node as a kubelet registers it: the hostname label, a podCIDR, an InternalIP and Ready=True,
 * allocatable `cpu` (4), `memory` (8Gi), 110 pods and 100Gi ephemeral storage.
 */
export function registeredNode(
  name: string,
  opts: {
    cpu?: string;
    memory?: string;
    taints?: { key: string; value?: string; effect: string }[];
    labels?: Record<string, string>;
  } = {},
): Record<string, unknown> {
  const cpu = opts.cpu ?? '4';
  const memory = opts.memory ?? '8Gi';
  const node = makeNode(name, {
    labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) },
    podCIDR: `10.244.${name.length}.0/24`,
    ...(opts.taints ? { taints: opts.taints } : {}),
    allocatable: { cpu, memory, pods: '110', 'ephemeral-storage': '100Gi' },
    capacity: { cpu, memory, pods: '110' },
    conditions: [{ type: 'Ready', status: 'True' }],
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    ...node,
    status: { ...node.status, addresses: [{ type: 'InternalIP', address: `192.168.0.${name.length}` }] },
  };
}

/** A store holding two workers and a tainted control-plane node, plus a started manager (seed 42). */
export function simulatedCluster(): { store: Store; cm: ControllerManager } {
  const store = new Store({ gracefulPodDeletion: 'external' });
  store.create(
    { group: '', resource: 'nodes' },
    registeredNode('cp', {
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      labels: { 'node-role.kubernetes.io/control-plane': '' },
    }),
  );
  store.create({ group: '', resource: 'nodes' }, registeredNode('worker-1'));
  store.create({ group: '', resource: 'nodes' }, registeredNode('worker-2'));
  const cm = new ControllerManager(store, { seed: 42 });
  cm.start();
  return { store, cm };
}

/** A minimal pod template: one nginx container requesting `cpu` and 64Mi. */
export function podTemplate(
  labels: Record<string, string>,
  cpu = '100m',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    metadata: { labels },
    spec: {
      containers: [{ name: 'main', image: 'nginx:1.27', resources: { requests: { cpu, memory: '64Mi' } } }],
      ...extra,
    },
  };
}
