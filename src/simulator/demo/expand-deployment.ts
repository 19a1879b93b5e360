/**
 * A Deployment as its controllers leave it: the Deployment, its one ReplicaSet (pod-template-hash) and
 * the ReplicaSet's pods, with rollout status and conditions.
 */
import type { KubeObject } from '../../kube-api/types';
import { computePodTemplateHash, POD_TEMPLATE_HASH_LABEL } from '../controllers/pod-template-hash';
import { emitPod, type Expansion } from './expansion';

/** Expands a Deployment definition; see the file comment. */
export function expandDeployment(x: Expansion): KubeObject {
  const { ctx, def, template, uid, ns, meta, pods, podSpecBase, place } = x;
  const { rng, out } = ctx;
  let ready = 0;
  const hash = computePodTemplateHash(template);
  const rsName = `${def.name}-${hash}`;
  const rsUid = rng.uuid();
  const podLabels = { ...def.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const owner = [
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: rsName,
      uid: rsUid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const spec = podSpecBase();
  const used = new Set<string>();
  for (let i = 0; i < def.replicas; i++) {
    let name: string;
    do name = `${rsName}-${rng.suffix()}`;
    while (used.has(name));
    used.add(name);
    const node = place();
    if (node) ready++;
    pods.push(
      emitPod(ctx, {
        name,
        generateName: `${rsName}-`,
        labels: podLabels,
        ownerReferences: owner,
        spec,
        node,
        createdAt: def.createdAt,
      }),
    );
  }
  const top: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...meta, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas: def.replicas,
      selector: { matchLabels: { ...def.labels } },
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 1,
      replicas: def.replicas,
      updatedReplicas: def.replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: def.replicas - ready || undefined,
      conditions: [
        {
          type: 'Available',
          status: ready >= def.replicas - Math.floor(def.replicas / 4) ? 'True' : 'False',
          lastUpdateTime: def.createdAt,
          lastTransitionTime: def.createdAt,
          reason:
            ready >= def.replicas - Math.floor(def.replicas / 4)
              ? 'MinimumReplicasAvailable'
              : 'MinimumReplicasUnavailable',
          message:
            ready >= def.replicas - Math.floor(def.replicas / 4)
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: def.createdAt,
          lastTransitionTime: def.createdAt,
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        },
      ],
    },
  };
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rsName,
      namespace: ns,
      uid: rsUid,
      creationTimestamp: def.createdAt,
      generation: 1,
      labels: podLabels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(def.replicas),
        'deployment.kubernetes.io/max-replicas': String(def.replicas + Math.ceil(def.replicas / 4)),
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: def.name,
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    } as unknown as KubeObject['metadata'],
    spec: {
      replicas: def.replicas,
      selector: { matchLabels: podLabels },
      template: { metadata: { labels: podLabels }, spec: template.spec },
    },
    status: {
      replicas: def.replicas,
      fullyLabeledReplicas: def.replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: 1,
    },
  };
  out.push(top, rs);
  return top;
}
