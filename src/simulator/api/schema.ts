/**
 * Known-field lists for `fieldValidation` (Strict/Warn/Ignore): unknown fields of the built-in kinds
 * are reported as upstream's strict decoder does (`unknown field "spec.foo"`) and always dropped.
 * Coverage: top level, ObjectMeta, the common workload/service specs, PodSpec and Container (the
 * PodSpec, Container and workload-spec names come from the shared table in
 * src/scheduler/api/known-fields.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { CONTAINER_FIELDS, POD_SPEC_FIELDS, WORKLOAD_SPEC_FIELDS } from '../../scheduler/api/known-fields';
import type { ResourceKind } from '../store/registry';

const META = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
  'selfLink',
];
const TOP: Record<string, string[]> = {
  '/pods': ['spec', 'status'],
  '/nodes': ['spec', 'status'],
  '/namespaces': ['spec', 'status'],
  '/services': ['spec', 'status'],
  '/replicationcontrollers': ['spec', 'status'],
  '/endpoints': ['subsets'],
  '/configmaps': ['data', 'binaryData', 'immutable'],
  '/secrets': ['data', 'stringData', 'type', 'immutable'],
  '/serviceaccounts': ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  '/persistentvolumes': ['spec', 'status'],
  '/persistentvolumeclaims': ['spec', 'status'],
  'apps/deployments': ['spec', 'status'],
  'apps/replicasets': ['spec', 'status'],
  'apps/statefulsets': ['spec', 'status'],
  'apps/daemonsets': ['spec', 'status'],
  'batch/jobs': ['spec', 'status'],
  'batch/cronjobs': ['spec', 'status'],
  'scheduling.k8s.io/priorityclasses': ['value', 'globalDefault', 'description', 'preemptionPolicy'],
  'storage.k8s.io/storageclasses': [
    'provisioner',
    'parameters',
    'reclaimPolicy',
    'mountOptions',
    'allowVolumeExpansion',
    'volumeBindingMode',
    'allowedTopologies',
  ],
  'coordination.k8s.io/leases': ['spec'],
  'networking.k8s.io/ingresses': ['spec', 'status'],
  'networking.k8s.io/ingressclasses': ['spec'],
};
const SPEC: Record<string, readonly string[]> = {
  'apps/deployments': WORKLOAD_SPEC_FIELDS['Deployment']!,
  'apps/replicasets': WORKLOAD_SPEC_FIELDS['ReplicaSet']!,
  '/replicationcontrollers': WORKLOAD_SPEC_FIELDS['ReplicationController']!,
  'networking.k8s.io/ingresses': ['ingressClassName', 'defaultBackend', 'tls', 'rules'],
  'networking.k8s.io/ingressclasses': ['controller', 'parameters'],
  'apps/statefulsets': WORKLOAD_SPEC_FIELDS['StatefulSet']!,
  'apps/daemonsets': WORKLOAD_SPEC_FIELDS['DaemonSet']!,
  'batch/jobs': WORKLOAD_SPEC_FIELDS['Job']!,
  '/services': [
    'ports',
    'selector',
    'clusterIP',
    'clusterIPs',
    'type',
    'externalIPs',
    'sessionAffinity',
    'loadBalancerIP',
    'loadBalancerSourceRanges',
    'externalName',
    'externalTrafficPolicy',
    'healthCheckNodePort',
    'publishNotReadyAddresses',
    'sessionAffinityConfig',
    'ipFamilies',
    'ipFamilyPolicy',
    'allocateLoadBalancerNodePorts',
    'loadBalancerClass',
    'internalTrafficPolicy',
    'trafficDistribution',
  ],
};

function unknownIn(o: unknown, allowed: readonly string[], path: string, out: string[]): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
  for (const k of Object.keys(o)) if (!allowed.includes(k)) out.push(`${path}${k}`);
}

function dropUnknown(o: unknown, allowed: readonly string[]): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
  for (const k of Object.keys(o)) if (!allowed.includes(k)) delete (o as Record<string, unknown>)[k];
}

function checkPodSpec(spec: any, path: string, out: string[], drop: boolean): void {
  if (spec === null || typeof spec !== 'object') return;
  unknownIn(spec, POD_SPEC_FIELDS, `${path}.`, out);
  for (const list of ['containers', 'initContainers']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((c: unknown, i: number) => {
      unknownIn(c, CONTAINER_FIELDS, `${path}.${list}[${i}].`, out);
      if (drop) dropUnknown(c, CONTAINER_FIELDS);
    });
  }
  if (drop) dropUnknown(spec, POD_SPEC_FIELDS);
}

/**
 * Lists the unknown fields of a (mutable) typed object as upstream prints them, and removes them from
 * the object. Custom resources are not checked (their schemas are open).
 */
export function findAndDropUnknownFields(kind: ResourceKind, obj: Record<string, any>): string[] {
  const out: string[] = [];
  if (kind.custom) return out;
  const key = `${kind.group}/${kind.resource}`;
  const top = TOP[key];
  if (top !== undefined) {
    const allowed = ['apiVersion', 'kind', 'metadata', ...top];
    unknownIn(obj, allowed, '', out);
    dropUnknown(obj, allowed);
  }
  unknownIn(obj['metadata'], META, 'metadata.', out);
  dropUnknown(obj['metadata'], META);
  if (key === '/pods') checkPodSpec(obj['spec'], 'spec', out, true);
  const spec = SPEC[key];
  if (spec !== undefined) {
    unknownIn(obj['spec'], spec, 'spec.', out);
    dropUnknown(obj['spec'], spec);
  }
  const tmpl = key === 'batch/cronjobs' ? obj['spec']?.jobTemplate?.spec?.template : obj['spec']?.template;
  if (tmpl !== undefined && key !== '/pods')
    checkPodSpec(
      tmpl?.spec,
      key === 'batch/cronjobs' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec',
      out,
      true,
    );
  return out;
}
