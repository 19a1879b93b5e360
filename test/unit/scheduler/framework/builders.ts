/**
 * Small object builders for framework/runtime tests (st.MakePod / st.MakeNode in spirit).
 */
import type { Node, Pod, Taint } from '../../../../src/scheduler/api/types';

/** A node with allocatable cpu/memory/pods and optional labels, taints and images. */
export function makeNode(
  name: string,
  opts: {
    cpu?: string;
    memory?: string;
    pods?: string;
    labels?: Record<string, string>;
    taints?: Taint[];
    unschedulable?: boolean;
    images?: { names: string[]; sizeBytes: number }[];
  } = {},
): Node {
  const allocatable: Record<string, string> = {
    cpu: opts.cpu ?? '4',
    memory: opts.memory ?? '8Gi',
    pods: opts.pods ?? '110',
  };
  return {
    metadata: { name, labels: opts.labels ?? {} },
    spec: { ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, capacity: allocatable, ...(opts.images ? { images: opts.images } : {}) },
  };
}

/** A pod with one container per request map, optionally bound to a node. */
export function makePod(
  name: string,
  opts: {
    node?: string;
    requests?: Record<string, string>[];
    labels?: Record<string, string>;
    namespace?: string;
    phase?: string;
    hostPorts?: number[];
    pvcs?: string[];
    antiAffinityKey?: string;
  } = {},
): Pod {
  const reqs = opts.requests ?? [{}];
  return {
    metadata: { name, namespace: opts.namespace ?? 'default', uid: `uid-${name}`, labels: opts.labels ?? {} },
    spec: {
      ...(opts.node ? { nodeName: opts.node } : {}),
      containers: reqs.map((r, i) => ({
        name: `c${i}`,
        image: 'pause',
        resources: { requests: r },
        ...(i === 0 && opts.hostPorts ? { ports: opts.hostPorts.map((p) => ({ containerPort: p, hostPort: p })) } : {}),
      })),
      ...(opts.pvcs ? { volumes: opts.pvcs.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) } : {}),
      ...(opts.antiAffinityKey
        ? {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: { app: 'x' } }, topologyKey: opts.antiAffinityKey },
                ],
              },
            },
          }
        : {}),
    },
    status: { phase: opts.phase ?? 'Running' },
  };
}
