/**
 * Builders shared by the controller tests: a store with nodes, and a running controller manager.
 */
import { ControllerManager } from '../../../src/simulator/controllers/controller-manager';
import { Store } from '../../../src/simulator/store/store';

/** A node object with allocatable resources, optional taints and labels. */
export function makeNode(
  name: string,
  opts: {
    cpu?: string;
    memory?: string;
    taints?: { key: string; value?: string; effect: string }[];
    labels?: Record<string, string>;
  } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } },
    spec: { podCIDR: `10.244.${name.length}.0/24`, ...(opts.taints ? { taints: opts.taints } : {}) },
    status: {
      allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      capacity: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: '110' },
      addresses: [{ type: 'InternalIP', address: `192.168.0.${name.length}` }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

/** A store holding two workers and a tainted control-plane node, plus a started manager. */
export function cluster(): { store: Store; cm: ControllerManager } {
  const store = new Store({ gracefulPodDeletion: 'external' });
  store.create(
    { group: '', resource: 'nodes' },
    makeNode('cp', {
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      labels: { 'node-role.kubernetes.io/control-plane': '' },
    }),
  );
  store.create({ group: '', resource: 'nodes' }, makeNode('worker-1'));
  store.create({ group: '', resource: 'nodes' }, makeNode('worker-2'));
  const cm = new ControllerManager(store, { seed: 42 });
  cm.start();
  return { store, cm };
}

/** A minimal pod template. */
export function template(
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
