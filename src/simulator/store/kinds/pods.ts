/**
 * Pod (core/v1): pkg/registry/core/pod/strategy.go and SetDefaults_Pod. Creation starts a pod Pending
 * with its QoS class; updates may change only images, activeDeadlineSeconds, tolerations and the
 * grace period (ValidatePodUpdate).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { defaultPod } from '../../../kube-api/pod-defaults';
import type { FieldError } from '../errors';
import type { KubeObject } from '../types';
import { canonicalJson, sameJson } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { validatePodSpec } from './shared/pod-spec-validation';
import { AGE, NAME, age, col } from './shared/printing';

/** The pod's QoS class (v1 qos.GetPodQOS over containers and init containers, cpu and memory). */
function qosClass(spec: any): string {
  const cs: any[] = [
    ...(Array.isArray(spec?.containers) ? spec.containers : []),
    ...(Array.isArray(spec?.initContainers) ? spec.initContainers : []),
  ];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * Upstream ValidatePodUpdate: containers may not be added or removed (ValidateContainerUpdates, which
 * stops there); otherwise only images, activeDeadlineSeconds, tolerations (additions) and
 * terminationGracePeriodSeconds may change. Specs are compared as values (Semantic.DeepEqual),
 * whatever order a client wrote their fields in.
 */
function validatePodUpdate(oldObj: KubeObject, newObj: KubeObject, errs: FieldError[]): void {
  for (const list of ['containers', 'initContainers']) {
    const before = oldObj['spec']?.[list];
    const after = newObj['spec']?.[list];
    if ((Array.isArray(before) ? before.length : 0) !== (Array.isArray(after) ? after.length : 0)) {
      errs.push({
        type: 'FieldValueForbidden',
        field: `spec.${list}`,
        detail: 'pod updates may not add or remove containers',
      });
      return;
    }
  }
  const norm = (spec: any): string => {
    const s = structuredClone(spec ?? {});
    for (const l of ['containers', 'initContainers'])
      for (const c of s[l] ?? []) if (c !== null && typeof c === 'object') delete c.image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    return canonicalJson(s);
  };
  if (norm(oldObj['spec']) !== norm(newObj['spec'])) {
    errs.push({
      type: 'FieldValueForbidden',
      field: 'spec',
      detail:
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    });
  }
}

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp !== undefined) return 'Terminating';
  const st = o['status'] ?? {};
  if (st.reason) return st.reason;
  for (const cs of st.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) return cs.state.waiting.reason;
    if (cs.state?.terminated?.reason && st.phase !== 'Succeeded') return cs.state.terminated.reason;
  }
  if (st.phase === 'Succeeded') return 'Completed';
  return st.phase ?? 'Pending';
}

function ready(o: KubeObject): string {
  const total = (o['spec']?.containers ?? []).length;
  const r = (o['status']?.containerStatuses ?? []).filter((c: any) => c.ready === true).length;
  return `${r}/${total}`;
}

/** Pods. */
export const pods: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'binding', 'log', 'eviction'],
  hasGeneration: true,
  fieldLabels: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  defaults: defaultPod,
  validate: (o, errs) => validatePodSpec(o['spec'], 'spec', errs),
  validateUpdate: validatePodUpdate,
  prepareForCreate: (o) => {
    o['status'] ??= {};
    if (o['status'].phase === undefined) o['status'].phase = 'Pending';
    o['status'].qosClass ??= qosClass(o['spec']);
  },
  generationChanged: (old, o) => !sameJson(old['spec'], o['spec']),
  statusResetFields: [
    ['metadata', 'deletionTimestamp'],
    ['metadata', 'ownerReferences'],
  ],
  returnsDeletedObject: true,
  // The seeded status of a pod (snapshots, tests) is kept; the kubelet owns it afterwards.
  createKeepsStatus: true,
  printer: {
    columns: [
      NAME,
      col('Ready'),
      col('Status'),
      col('Restarts', 'string'),
      AGE,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    cells: (o, now) => [
      o.metadata.name,
      ready(o),
      podStatus(o),
      String((o['status']?.containerStatuses ?? []).reduce((a: number, c: any) => a + (c.restartCount ?? 0), 0)),
      age(o, now),
      o['status']?.podIP ?? '<none>',
      o['spec']?.nodeName ?? '<none>',
      o['status']?.nominatedNodeName ?? '<none>',
      '<none>',
    ],
  },
};
