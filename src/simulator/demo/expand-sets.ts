/**
 * A StatefulSet (ordinal pods, a controller revision) and a DaemonSet (one pod per eligible node that
 * fits, pinned with the DaemonSet controller's node affinity and tolerations) as their controllers leave them.
 */
import type { KubeObject } from '../../kube-api/types';
import { daemonPodAffinity, daemonSetTolerations } from '../../kube-api/daemonset';
import { computePodTemplateHash } from '../controllers/pod-template-hash';
import { emitPod, type Expansion } from './expansion';
import { assign, fits } from './placement';

/** Expands a StatefulSet definition; see the file comment. */
export function expandStatefulSet(x: Expansion): KubeObject {
  const { ctx, def, template, uid, meta, pods, podSpecBase, place } = x;
  const { out } = ctx;
  let ready = 0;
  const hash = computePodTemplateHash(template);
  const revision = `${def.name}-${hash}`;
  const owner = [
    { apiVersion: 'apps/v1', kind: 'StatefulSet', name: def.name, uid, controller: true, blockOwnerDeletion: true },
  ];
  const base = podSpecBase();
  const serviceName = def.service ? def.name : `${def.name}-headless`;
  for (let i = 0; i < def.replicas; i++) {
    const node = place();
    if (node) ready++;
    const labels = {
      ...def.labels,
      'apps.kubernetes.io/pod-index': String(i),
      'controller-revision-hash': revision,
      'statefulset.kubernetes.io/pod-name': `${def.name}-${i}`,
    };
    pods.push(
      emitPod(ctx, {
        name: `${def.name}-${i}`,
        generateName: `${def.name}-`,
        labels,
        ownerReferences: owner,
        spec: { ...base, hostname: `${def.name}-${i}`, subdomain: serviceName },
        node,
        createdAt: def.createdAt,
      }),
    );
  }
  const top: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta,
    spec: {
      replicas: def.replicas,
      selector: { matchLabels: { ...def.labels } },
      serviceName,
      template,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    status: {
      observedGeneration: 1,
      replicas: def.replicas,
      readyReplicas: ready,
      currentReplicas: def.replicas,
      updatedReplicas: def.replicas,
      availableReplicas: ready,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    },
  };
  out.push(top);
  return top;
}

/** Expands a DaemonSet definition; see the file comment. */
export function expandDaemonSet(x: Expansion): KubeObject {
  const { ctx, def, template, uid, meta, need, image, candidates, pods, podSpecBase } = x;
  const { rng, out } = ctx;
  let ready = 0;
  const hash = computePodTemplateHash(template);
  const labels = { ...def.labels, 'controller-revision-hash': hash, 'pod-template-generation': '1' };
  const owner = [
    { apiVersion: 'apps/v1', kind: 'DaemonSet', name: def.name, uid, controller: true, blockOwnerDeletion: true },
  ];
  const base = podSpecBase();
  base.tolerations = daemonSetTolerations(base.tolerations, base.hostNetwork === true);
  let desired = 0;
  for (const node of candidates) {
    desired++;
    if (!fits(node, need)) continue;
    assign(node, need, image);
    ready++;
    const spec = { ...base, affinity: daemonPodAffinity(node.name) };
    pods.push(
      emitPod(ctx, {
        name: `${def.name}-${rng.suffix()}`,
        generateName: `${def.name}-`,
        labels,
        ownerReferences: owner,
        spec,
        node,
        createdAt: def.createdAt,
      }),
    );
  }
  const top: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { ...meta, annotations: { 'deprecated.daemonset.template.generation': '1' } },
    spec: {
      selector: { matchLabels: { ...def.labels } },
      template,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: ready,
      desiredNumberScheduled: desired,
      numberAvailable: ready,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: 1,
      updatedNumberScheduled: ready,
    },
  };
  out.push(top);
  return top;
}
