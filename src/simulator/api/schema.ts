/**
 * Known-field lists for `fieldValidation` (Strict/Warn/Ignore): unknown fields of the built-in kinds
 * are reported as upstream's strict decoder does (`unknown field "spec.foo"`) and always dropped.
 * Coverage: top level, ObjectMeta, the common workload/service specs, PodSpec and Container.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
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
const POD_SPEC = [
  'volumes',
  'initContainers',
  'containers',
  'ephemeralContainers',
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'dnsPolicy',
  'nodeSelector',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'nodeName',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'securityContext',
  'imagePullSecrets',
  'hostname',
  'subdomain',
  'affinity',
  'schedulerName',
  'tolerations',
  'hostAliases',
  'priorityClassName',
  'priority',
  'dnsConfig',
  'readinessGates',
  'runtimeClassName',
  'enableServiceLinks',
  'preemptionPolicy',
  'overhead',
  'topologySpreadConstraints',
  'setHostnameAsFQDN',
  'os',
  'hostUsers',
  'schedulingGates',
  'resourceClaims',
  'resources',
];
const CONTAINER = [
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'ports',
  'envFrom',
  'env',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
];
const SPEC: Record<string, string[]> = {
  'apps/deployments': [
    'replicas',
    'selector',
    'template',
    'strategy',
    'minReadySeconds',
    'revisionHistoryLimit',
    'paused',
    'progressDeadlineSeconds',
  ],
  'apps/replicasets': ['replicas', 'minReadySeconds', 'selector', 'template'],
  '/replicationcontrollers': ['replicas', 'minReadySeconds', 'selector', 'template'],
  'networking.k8s.io/ingresses': ['ingressClassName', 'defaultBackend', 'tls', 'rules'],
  'networking.k8s.io/ingressclasses': ['controller', 'parameters'],
  'apps/statefulsets': [
    'replicas',
    'selector',
    'template',
    'volumeClaimTemplates',
    'serviceName',
    'podManagementPolicy',
    'updateStrategy',
    'revisionHistoryLimit',
    'minReadySeconds',
    'persistentVolumeClaimRetentionPolicy',
    'ordinals',
  ],
  'apps/daemonsets': ['selector', 'template', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'],
  'batch/jobs': [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'podFailurePolicy',
    'successPolicy',
    'backoffLimit',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
    'selector',
    'manualSelector',
    'template',
    'ttlSecondsAfterFinished',
    'completionMode',
    'suspend',
    'podReplacementPolicy',
    'managedBy',
  ],
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

function unknownIn(o: unknown, allowed: string[], path: string, out: string[]): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
  for (const k of Object.keys(o)) if (!allowed.includes(k)) out.push(`${path}${k}`);
}

function dropUnknown(o: unknown, allowed: string[]): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
  for (const k of Object.keys(o)) if (!allowed.includes(k)) delete (o as Record<string, unknown>)[k];
}

function checkPodSpec(spec: any, path: string, out: string[], drop: boolean): void {
  if (spec === null || typeof spec !== 'object') return;
  unknownIn(spec, POD_SPEC, `${path}.`, out);
  for (const list of ['containers', 'initContainers']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((c: unknown, i: number) => {
      unknownIn(c, CONTAINER, `${path}.${list}[${i}].`, out);
      if (drop) dropUnknown(c, CONTAINER);
    });
  }
  if (drop) dropUnknown(spec, POD_SPEC);
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
