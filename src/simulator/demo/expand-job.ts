/**
 * A Job (optionally owned by a CronJob) as the Job controller leaves it: its pods, running or
 * succeeded, and its status with completion conditions when finished.
 */
import type { KubeObject } from '../../kube-api/types';
import { emitPod, isoMinus, type Expansion } from './expansion';
import { pickNode } from './placement';

/** Expands a Job definition; see the file comment. */
export function expandJob(x: Expansion): KubeObject {
  const { ctx, def, template, uid, ns, meta, image, candidates, pods, podSpecBase, place } = x;
  const { rng, out } = ctx;
  const completions = def.completions ?? 1;
  const jobLabels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': def.name,
    'controller-uid': uid,
    'job-name': def.name,
  };
  const podLabels = { ...def.labels, ...jobLabels };
  const jobTemplate = { metadata: { labels: podLabels }, spec: template.spec };
  const owner = [
    { apiVersion: 'batch/v1', kind: 'Job', name: def.name, uid, controller: true, blockOwnerDeletion: true },
  ];
  const base = podSpecBase();
  let succeeded = 0;
  for (let i = 0; i < completions; i++) {
    // A finished job's pods no longer hold resources, so they are placed without booking capacity.
    const node = def.finished ? pickNode(ctx, `${ns}/${def.name}`, candidates, { cpu: 0, mem: 0, gpu: 0 }) : place();
    if (node) node.images.add(image);
    if (def.finished && node) succeeded++;
    pods.push(
      emitPod(ctx, {
        name: `${def.name}-${rng.suffix()}`,
        generateName: `${def.name}-`,
        labels: podLabels,
        ownerReferences: owner,
        spec: base,
        node,
        createdAt: def.createdAt,
        succeeded: def.finished === true,
      }),
    );
  }
  const end = isoMinus(def.createdAt, -95);
  const metadata: Record<string, unknown> = { ...meta, labels: { ...def.labels, ...jobLabels } };
  if (def.cronJob) {
    metadata['ownerReferences'] = [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: def.cronJob.name,
        uid: def.cronJob.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    metadata['annotations'] = { 'batch.kubernetes.io/cronjob-scheduled-timestamp': def.createdAt };
  }
  const top: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata as KubeObject['metadata'],
    spec: {
      parallelism: 1,
      completions,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      template: jobTemplate,
    },
    status: def.finished
      ? {
          startTime: def.createdAt,
          completionTime: end,
          succeeded,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            {
              type: 'SuccessCriteriaMet',
              status: 'True',
              lastProbeTime: end,
              lastTransitionTime: end,
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            },
            {
              type: 'Complete',
              status: 'True',
              lastProbeTime: end,
              lastTransitionTime: end,
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            },
          ],
        }
      : {
          startTime: def.createdAt,
          active: pods.length,
          ready: pods.length,
          terminating: 0,
          uncountedTerminatedPods: {},
        },
  };
  out.push(top);
  return top;
}
