/**
 * Runs the plan's cluster changes with kubectl, straight to the server as the test cluster's admin
 * (its own `--cache-dir`; no proxy, so the faults never touch these calls).
 *
 * Contract: `runAction` resolves when kubectl exited 0 and rejects with kubectl's stderr otherwise.
 * Deletions do not wait for the object to be gone (`--wait=false`), as a user at a terminal would not.
 */
import yaml from 'js-yaml';
import type { TestCluster } from '../clusters/test-cluster';
import { describeAction, type Action } from './plan';

/** The label every object the campaign creates carries. */
export const CHAOS_LABEL = 'kube-forecast.test/chaos';

function deployment(a: Extract<Action, { kind: 'create' }>, namespace: string): string {
  return yaml.dump({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: a.name, namespace, labels: { [CHAOS_LABEL]: 'true' } },
    spec: {
      replicas: a.replicas,
      selector: { matchLabels: { app: a.name } },
      template: {
        metadata: { labels: { app: a.name } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'registry.k8s.io/pause:3.10',
              resources: { requests: { cpu: `${a.cpuMilli}m`, memory: `${a.memoryMi}Mi` } },
            },
          ],
        },
      },
    },
  });
}

function node(a: Extract<Action, { kind: 'add-node' }>): string {
  const resources = { cpu: String(a.cpu), memory: `${a.memoryGi}Gi`, pods: '110', 'ephemeral-storage': '50Gi' };
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: a.node,
      labels: {
        'kubernetes.io/hostname': a.node,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': 'zone-a',
        [CHAOS_LABEL]: 'true',
      },
    },
    status: { capacity: resources, allocatable: resources },
  });
}

/** kubectl's arguments (and stdin) for `a` in `namespace`. */
export function kubectlFor(a: Action, namespace: string): { args: string[]; input?: string } {
  switch (a.kind) {
    case 'create':
      return { args: ['apply', '-f', '-'], input: deployment(a, namespace) };
    case 'delete':
      return { args: ['delete', 'deployment', a.name, '-n', namespace, '--wait=false'] };
    case 'scale':
      return { args: ['scale', `deployment/${a.name}`, `--replicas=${a.replicas}`, '-n', namespace] };
    case 'cordon':
    case 'uncordon':
      return { args: [a.kind, a.node] };
    case 'taint':
      return { args: ['taint', 'nodes', a.node, 'chaos=on:NoSchedule'] };
    case 'untaint':
      return { args: ['taint', 'nodes', a.node, 'chaos=on:NoSchedule-'] };
    case 'add-node':
      return { args: ['create', '-f', '-'], input: node(a) };
    case 'delete-node':
      return { args: ['delete', 'node', a.node, '--wait=false'] };
  }
}

/** Runs `a` with kubectl; see the file comment. */
export async function runAction(cluster: TestCluster, a: Action, namespace: string): Promise<void> {
  const { args, input } = kubectlFor(a, namespace);
  const r = await cluster.kubectl(['--request-timeout=30s', ...args], input);
  if (r.code !== 0) throw new Error(`${describeAction(a)}: kubectl ${args.join(' ')}: ${r.stderr.trim()}`);
}
