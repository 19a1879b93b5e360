/**
 * What the DaemonSet controller adds to every daemon pod, after pkg/controller/daemon/util/daemonset_util.go
 * (`AddOrUpdateDaemonPodTolerations`, `ReplaceDaemonSetPodNodeNameNodeAffinity`) and
 * staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go (`AddOrUpdateTolerationInPodSpec`).
 *
 * Contract: pure; never mutates its arguments. Used by the simulated cluster's DaemonSet controller and
 * demo generator, and by the language server when it predicts a DaemonSet's pod from a manifest.
 */
import type { PodSpec, Toleration } from './types';

/** The tolerations every daemon pod gets, in the order upstream adds them. */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** Added too when the pod uses the host network. */
const HOST_NETWORK_TOLERATION: Toleration = {
  key: 'node.kubernetes.io/network-unavailable',
  operator: 'Exists',
  effect: 'NoSchedule',
};

/** `Toleration.MatchToleration`: the same key, operator, value and effect. */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/**
 * `AddOrUpdateTolerationInPodSpec` for each daemon toleration: a toleration matching one of them
 * (`MatchToleration`) is replaced in place by it (so a `tolerationSeconds` there is dropped); one that
 * is missing is appended. `existing` entries that are not objects are kept as they are.
 */
export function daemonSetTolerations(existing: readonly Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = Array.isArray(existing) ? existing.slice() : [];
  const add = (t: Toleration): void => {
    const i = out.findIndex((o) => o != null && typeof o === 'object' && sameToleration(o, t));
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  };
  for (const t of DAEMON_TOLERATIONS) add(t);
  if (hostNetwork) add(HOST_NETWORK_TOLERATION);
  return out;
}

/** The node affinity the DaemonSet controller pins each daemon pod with (`nodeName` via matchFields). */
export function daemonPodAffinity(nodeName: string): NonNullable<PodSpec['affinity']> {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
}
