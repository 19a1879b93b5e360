/**
 * Pod status shapes the simulated kubelet writes, following kwok's `pod-ready` and `pod-complete`
 * stages (kustomize/stage/pod/fast): conditions, container statuses, hostIP/podIP and phase.
 * Shared by the kubelet controller and the demo generator so both produce identical objects.
 */
import type { Container, KubeObject } from '../../kube-api/types';
import { fnv32a } from './pod-template-hash';

/** One pod condition as the API returns it. */
export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** Returns a condition object. */
export function condition(
  type: string,
  status: PodCondition['status'],
  time: string,
  reason?: string,
  message?: string,
): PodCondition {
  const c: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime: time };
  if (reason !== undefined) c.reason = reason;
  if (message !== undefined) c.message = message;
  return c;
}

/** Converts a dotted IPv4 string to an unsigned 32-bit number, or undefined. */
export function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 0 || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Converts an unsigned 32-bit number to a dotted IPv4 string. */
export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * Returns the `index`-th usable pod IP of an IPv4 CIDR (index 0 is the CIDR's `.2`, skipping the network
 * address and the bridge gateway), wrapping inside the range. Undefined for a missing or bad CIDR.
 */
export function podIPFromCIDR(cidr: string | undefined, index: number): string | undefined {
  if (!cidr) return undefined;
  const [base, bitsText] = cidr.split('/');
  const start = base === undefined ? undefined : ipv4ToInt(base);
  const bits = Number(bitsText);
  if (start === undefined || !Number.isInteger(bits) || bits < 1 || bits > 30) return undefined;
  const size = 2 ** (32 - bits) - 3;
  return intToIpv4((start + 2 + (index % size)) >>> 0);
}

/** Returns the node's InternalIP address, else its first address, else undefined. */
export function nodeInternalIP(node: KubeObject | undefined): string | undefined {
  const addrs = (node?.status as { addresses?: { type?: string; address?: string }[] } | undefined)?.addresses;
  if (!Array.isArray(addrs)) return undefined;
  return (addrs.find((a) => a?.type === 'InternalIP') ?? addrs[0])?.address;
}

/** Computes the pod's QoS class from its containers (`GetPodQOS`, simplified to string equality). */
export function qosClass(containers: readonly Container[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    if (Object.keys(req).length > 0 || Object.keys(lim).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** 64 hex digits derived from a seed string (one FNV hash, then an xorshift stream). */
function hex64(seed: string): string {
  let x = fnv32a(seed) || 0x9e3779b9;
  let out = '';
  for (let i = 0; i < 8; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

function containerID(seed: string): string {
  return `containerd://${hex64(seed)}`;
}

const imageIDs = new Map<string, string>();

/** The kubelet-reported image ID (`repo@sha256:…`) for an image, cached per image. */
function imageID(image: string): string {
  let id = imageIDs.get(image);
  if (id === undefined) {
    id = `${imageRef(image).split(':')[0]}@sha256:${hex64(image)}`;
    if (imageIDs.size < 10_000) imageIDs.set(image, id);
  }
  return id;
}

function imageRef(image: string): string {
  const withRegistry =
    image.includes('/') && image.split('/')[0]!.includes('.')
      ? image
      : `docker.io/${image.includes('/') ? image : `library/${image}`}`;
  return withRegistry.includes(':') || withRegistry.includes('@') ? withRegistry : `${withRegistry}:latest`;
}

/** Options for a kubelet-written status. */
export interface PodStatusInput {
  hostIP: string | undefined;
  podIP: string | undefined;
  /** ISO time the pod started. */
  time: string;
}

/** The status of a pod whose containers all run and are ready (kwok `pod-ready`). */
export function runningPodStatus(pod: KubeObject, input: PodStatusInput): Record<string, unknown> {
  const spec = pod.spec ?? {};
  const containers: Container[] = Array.isArray(spec.containers) ? spec.containers : [];
  const inits: Container[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const uid = pod.metadata?.uid ?? pod.metadata?.name ?? '';
  const t = input.time;
  const status: Record<string, unknown> = {
    phase: 'Running',
    conditions: [
      condition('PodReadyToStartContainers', 'True', t),
      condition('Initialized', 'True', t),
      condition('Ready', 'True', t),
      condition('ContainersReady', 'True', t),
      condition('PodScheduled', 'True', t),
    ],
    hostIP: input.hostIP,
    hostIPs: input.hostIP ? [{ ip: input.hostIP }] : [],
    podIP: input.podIP,
    podIPs: input.podIP ? [{ ip: input.podIP }] : [],
    startTime: t,
    containerStatuses: containers.map((c, i) => ({
      containerID: containerID(`${uid}/${i}`),
      image: imageRef(c?.image ?? ''),
      imageID: imageID(c?.image ?? ''),
      lastState: {},
      name: c?.name ?? `c${i}`,
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: t } },
    })),
    qosClass: qosClass(containers),
  };
  if (inits.length > 0) {
    status['initContainerStatuses'] = inits.map((c, i) => {
      const sidecar = c?.restartPolicy === 'Always';
      return {
        containerID: containerID(`${uid}/init/${i}`),
        image: imageRef(c?.image ?? ''),
        imageID: '',
        lastState: {},
        name: c?.name ?? `init${i}`,
        ready: sidecar,
        restartCount: 0,
        started: sidecar,
        state: sidecar
          ? { running: { startedAt: t } }
          : {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                startedAt: t,
                finishedAt: t,
                containerID: containerID(`${uid}/init/${i}`),
              },
            },
      };
    });
  }
  return status;
}

/** The status of a pod whose containers all exited 0 (kwok `pod-complete`), derived from its running status. */
export function succeededPodStatus(pod: KubeObject, time: string): Record<string, unknown> {
  const prev = (pod.status ?? {}) as Record<string, unknown>;
  const cs = Array.isArray(prev['containerStatuses']) ? (prev['containerStatuses'] as Record<string, unknown>[]) : [];
  const conds = Array.isArray(prev['conditions']) ? (prev['conditions'] as PodCondition[]) : [];
  return {
    ...prev,
    phase: 'Succeeded',
    conditions: conds.map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? condition(c.type, 'False', time, 'PodCompleted')
        : c.type === 'PodReadyToStartContainers'
          ? condition(c.type, 'False', time)
          : c,
    ),
    containerStatuses: cs.map((c) => {
      const running = (c['state'] as { running?: { startedAt?: string } } | undefined)?.running;
      return {
        ...c,
        ready: false,
        started: false,
        state: {
          terminated: {
            containerID: c['containerID'],
            exitCode: 0,
            reason: 'Completed',
            startedAt: running?.startedAt ?? time,
            finishedAt: time,
          },
        },
      };
    }),
  };
}
