/**
 * The simulated cluster of the end-to-end CodeLens benchmark, written as a snapshot file for
 * `dist/simulator.js --snapshot`: nodes across 3 zones with instance-type labels (every 50th a
 * tainted GPU node), namespaces, one ReplicaSet per app and namespace, and pods bound round-robin
 * with requests and limits, owned by their ReplicaSet, Running with a kubelet's status.
 *
 * Contract: deterministic for given sizes; written piecewise (one JSON line per object) so that
 * 150,000 pods never sit in memory as one string.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** The namespaces the pods are spread over; manifests name `team-<i % NAMESPACES>`. */
export const NAMESPACES = 50;

/** Apps per namespace (one ReplicaSet each). */
const APPS = 20;

/** Node `i`'s name. */
export function nodeName(i: number): string {
  return `node-${String(i).padStart(5, '0')}`;
}

function node(i: number): Record<string, unknown> {
  const name = nodeName(i);
  const gpu = i % 50 === 0;
  const resources = { cpu: '32', memory: '128Gi', pods: '110', ...(gpu ? { 'nvidia.com/gpu': '4' } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `node-uid-${i}`,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': `zone-${i % 3}`,
        'topology.kubernetes.io/region': 'region-1',
        'node.kubernetes.io/instance-type': gpu ? 'p3.8xlarge' : 'm5.8xlarge',
      },
    },
    spec: gpu ? { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } : {},
    status: {
      capacity: resources,
      allocatable: { ...resources, cpu: '31800m', memory: '125Gi' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      addresses: [
        { type: 'InternalIP', address: `10.${Math.floor(i / 65536) % 256}.${Math.floor(i / 256) % 256}.${i % 256}` },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.33.1',
        osImage: 'Debian GNU/Linux 12',
        containerRuntimeVersion: 'containerd://1.7.0',
      },
    },
  };
}

function replicaSet(ns: string, app: string, replicas: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${app}-7d4b9c`, namespace: ns, uid: `rs-${ns}-${app}`, labels: { app } },
    spec: {
      replicas,
      selector: { matchLabels: { app, 'pod-template-hash': '7d4b9c' } },
      template: {
        metadata: { labels: { app, 'pod-template-hash': '7d4b9c' } },
        spec: { containers: [{ name: 'main', image: `registry.example.com/${app}:1.0` }] },
      },
    },
    status: { replicas, readyReplicas: replicas },
  };
}

function pod(p: number, nodes: number): Record<string, unknown> {
  const ns = `team-${p % NAMESPACES}`;
  const app = `app-${Math.floor(p / NAMESPACES) % APPS}`;
  const name = `${app}-7d4b9c-${p.toString(36).padStart(5, '0')}`;
  const cpu = ['100m', '250m', '500m'][p % 3]!;
  const memory = ['128Mi', '512Mi', '1Gi'][p % 3]!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: `pod-uid-${p}`,
      labels: { app, 'pod-template-hash': '7d4b9c' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d4b9c`, uid: `rs-${ns}-${app}`, controller: true },
      ],
    },
    spec: {
      nodeName: nodeName((p * 7919) % nodes),
      containers: [
        {
          name: 'main',
          image: `registry.example.com/${app}:1.0`,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu, memory }, limits: { memory } },
        },
      ],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      schedulerName: 'default-scheduler',
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
    },
  };
}

/** Every object of the cluster: namespaces, nodes, ReplicaSets, pods. */
export function* clusterObjects(nodes: number, pods: number): Generator<Record<string, unknown>> {
  for (let n = 0; n < NAMESPACES; n++)
    yield { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}`, labels: { team: `t${n}` } } };
  for (let i = 0; i < nodes; i++) yield node(i);
  const perApp = Math.ceil(pods / (NAMESPACES * APPS));
  for (let n = 0; n < NAMESPACES; n++) for (let a = 0; a < APPS; a++) yield replicaSet(`team-${n}`, `app-${a}`, perApp);
  for (let p = 0; p < pods; p++) yield pod(p, nodes);
}

/** Writes the cluster to `file` as a `kind: List` snapshot. */
export function writeClusterSnapshot(file: string, nodes: number, pods: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, '{"apiVersion":"v1","kind":"List","items":[\n');
    let first = true;
    for (const o of clusterObjects(nodes, pods)) {
      writeSync(fd, (first ? '' : ',\n') + JSON.stringify(o));
      first = false;
    }
    writeSync(fd, '\n]}\n');
  } finally {
    closeSync(fd);
  }
}
