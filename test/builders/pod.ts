/**
 * The one pod builder of the test suite (st.MakePod() in spirit).
 *
 * Contract: a pod in namespace `default` with uid `uid-<name>`, phase Running and one container
 * `c0` (image `pause`) per entry of `requests` (one container with no requests by default), unless
 * `containers` gives them exactly. `spec` adds any other PodSpec fields; the named options win over it.
 */
import type { Container, Pod, PodSpec, ResourceList } from '@src/kube-api/types';

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  /** Binds the pod (spec.nodeName). */
  node?: string;
  phase?: string;
  /** One container per request list. */
  requests?: ResourceList[];
  /** The exact containers (instead of `requests`). */
  containers?: Container[];
  /** Host ports on the first container. */
  hostPorts?: number[];
  /** A volume per PVC name. */
  pvcs?: string[];
  /** Required anti-affinity to pods labelled app=x over this topology key. */
  antiAffinityKey?: string;
  /** Sets metadata.deletionTimestamp. */
  terminating?: boolean;
  /** A controller owner reference. */
  owner?: { apiVersion: string; kind: string; name: string };
  spec?: PodSpec;
}

/** A pod named `name`. */
export function makePod(name: string, opts: PodOptions = {}): Pod {
  const containers =
    opts.containers ??
    (opts.requests ?? [{}]).map((r, i) => ({
      name: `c${i}`,
      image: 'pause',
      resources: { requests: r },
      ...(i === 0 && opts.hostPorts ? { ports: opts.hostPorts.map((p) => ({ containerPort: p, hostPort: p })) } : {}),
    }));
  return {
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}`,
      labels: opts.labels ?? {},
      ...(opts.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ...(opts.owner ? { ownerReferences: [{ ...opts.owner, controller: true }] } : {}),
    },
    spec: {
      ...(opts.spec ?? {}),
      ...(opts.node ? { nodeName: opts.node } : {}),
      containers,
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

/** A container with these requests (none when undefined) and an optional restart policy. */
export function container(requests?: ResourceList, restartPolicy?: string): Container {
  const c: Container = requests ? { resources: { requests } } : {};
  if (restartPolicy) c.restartPolicy = restartPolicy;
  return c;
}

/** `n` pods named `<prefix>1..n` bound to `node`, all with `labels`. */
export function podsOn(
  node: string,
  prefix: string,
  n: number,
  labels: Record<string, string>,
  namespace = 'default',
): Pod[] {
  const out: Pod[] = [];
  for (let i = 1; i <= n; i++) out.push(makePod(`${prefix}${i}`, { node, labels, namespace }));
  return out;
}
