/**
 * The defaults kube-apiserver v1.37.2 applies when it decodes a built-in object (before the field
 * manager records the write and before admission), reimplemented from k8s.io/kubernetes
 * pkg/apis/<group>/v1/defaults.go (`SetDefaults_*`) and their generated callers:
 *
 * - hand-written defaults per kind (Pod, pod templates, Service, PersistentVolume(Claim), Job, ...);
 * - declarative defaults from the schema (`+default` markers: a port's protocol `TCP`...) and the
 *   zero values of fields Go always encodes (non-pointer structs `{}`, non-`omitempty` strings and
 *   numbers), both read from kube-apiserver's own OpenAPI v3 documents (field-schema.ts).
 *
 * What the registry strategies and admission plugins add (cluster IPs, a pod's priority and
 * tolerations, finalizers, status) is not here. Every function mutates the object it is given and is
 * idempotent.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are wire JSON walked by field path. */
import { type MapNode, type TypeNode, fieldType, nodeFor, nullFieldsOf, typeOf } from './field-schema';
import type { ResourceKind } from './registry';

type Obj = Record<string, any>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function obj(parent: Obj, key: string): Obj {
  if (!isObj(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}

/** parsers.ParseImageName's tag: `latest` when the reference has neither tag nor digest. */
function imageTag(image: string): string {
  if (image.includes('@')) return '';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const i = last.lastIndexOf(':');
  return i >= 0 ? last.slice(i + 1) : 'latest';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  if (!p['timeoutSeconds']) p['timeoutSeconds'] = 1;
  if (!p['periodSeconds']) p['periodSeconds'] = 10;
  if (!p['successThreshold']) p['successThreshold'] = 1;
  if (!p['failureThreshold']) p['failureThreshold'] = 3;
  const h = p['httpGet'];
  if (isObj(h)) {
    if (!h['path']) h['path'] = '/';
    if (!h['scheme']) h['scheme'] = 'HTTP';
  }
}

function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  if (!c['imagePullPolicy'])
    c['imagePullPolicy'] = imageTag(String(c['image'] ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
  if (!c['terminationMessagePath']) c['terminationMessagePath'] = '/dev/termination-log';
  if (!c['terminationMessagePolicy']) c['terminationMessagePolicy'] = 'File';
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[k]);
  for (const k of ['lifecycle']) {
    const l = c[k];
    if (isObj(l))
      for (const h of ['postStart', 'preStop']) {
        const g = isObj(l[h]) ? l[h]['httpGet'] : undefined;
        if (isObj(g)) {
          if (!g['path']) g['path'] = '/';
          if (!g['scheme']) g['scheme'] = 'HTTP';
        }
      }
  }
  for (const e of Array.isArray(c['env']) ? c['env'] : []) {
    const fr = isObj(e) && isObj(e['valueFrom']) ? e['valueFrom']['fieldRef'] : undefined;
    if (isObj(fr) && !fr['apiVersion']) fr['apiVersion'] = 'v1';
  }
}

const VOLUME_SOURCES = new Set([
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
]);

function defaultFieldRefs(items: unknown): void {
  for (const it of Array.isArray(items) ? items : []) {
    const fr = isObj(it) ? it['fieldRef'] : undefined;
    if (isObj(fr) && !fr['apiVersion']) fr['apiVersion'] = 'v1';
  }
}

function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  if (!Object.keys(v).some((k) => VOLUME_SOURCES.has(k) && v[k] !== null && v[k] !== undefined)) v['emptyDir'] = {};
  if (isObj(v['hostPath']) && v['hostPath']['type'] === undefined) v['hostPath']['type'] = '';
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const s = v[k];
    if (isObj(s) && s['defaultMode'] === undefined) s['defaultMode'] = 420;
  }
  if (isObj(v['downwardAPI'])) defaultFieldRefs(v['downwardAPI']['items']);
  if (isObj(v['projected']) && Array.isArray(v['projected']['sources'])) {
    for (const s of v['projected']['sources']) {
      if (!isObj(s)) continue;
      if (isObj(s['serviceAccountToken']) && s['serviceAccountToken']['expirationSeconds'] === undefined)
        s['serviceAccountToken']['expirationSeconds'] = 3600;
      if (isObj(s['downwardAPI'])) defaultFieldRefs(s['downwardAPI']['items']);
    }
  }
  if (isObj(v['image']) && !v['image']['pullPolicy'])
    v['image']['pullPolicy'] = imageTag(String(v['image']['reference'] ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** SetDefaults_PodSpec and what it reaches (containers, volumes, probes); pod templates get only this. */
export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  if (!spec['serviceAccountName'] && spec['serviceAccount']) spec['serviceAccountName'] = spec['serviceAccount'];
  if (spec['serviceAccountName']) spec['serviceAccount'] = spec['serviceAccountName'];
  if (!spec['dnsPolicy']) spec['dnsPolicy'] = 'ClusterFirst';
  if (!spec['restartPolicy']) spec['restartPolicy'] = 'Always';
  if (!isObj(spec['securityContext'])) spec['securityContext'] = {};
  if (spec['terminationGracePeriodSeconds'] === undefined || spec['terminationGracePeriodSeconds'] === null)
    spec['terminationGracePeriodSeconds'] = 30;
  if (!spec['schedulerName']) spec['schedulerName'] = 'default-scheduler';
  for (const k of ['containers', 'initContainers', 'ephemeralContainers'])
    for (const c of Array.isArray(spec[k]) ? spec[k] : []) defaultContainer(c);
  for (const v of Array.isArray(spec['volumes']) ? spec['volumes'] : []) defaultVolume(v);
}

/** SetDefaults_Pod on top of the pod spec's. */
function defaultPod(pod: Obj): void {
  const spec = pod['spec'];
  if (!isObj(spec)) return;
  if (typeof spec['terminationGracePeriodSeconds'] === 'number' && spec['terminationGracePeriodSeconds'] < 0)
    spec['terminationGracePeriodSeconds'] = 1;
  for (const k of ['containers', 'initContainers']) {
    for (const c of Array.isArray(spec[k]) ? spec[k] : []) {
      const r = isObj(c) ? c['resources'] : undefined;
      if (!isObj(r) || !isObj(r['limits'])) continue;
      const req = obj(r, 'requests');
      for (const [n, q] of Object.entries(r['limits'] as Obj)) if (req[n] === undefined) req[n] = q;
    }
  }
  if (spec['enableServiceLinks'] === undefined || spec['enableServiceLinks'] === null)
    spec['enableServiceLinks'] = true;
  if (spec['hostNetwork'] === true) {
    for (const k of ['containers', 'initContainers'])
      for (const c of Array.isArray(spec[k]) ? spec[k] : [])
        for (const p of isObj(c) && Array.isArray(c['ports']) ? c['ports'] : [])
          if (isObj(p) && !p['hostPort']) p['hostPort'] = p['containerPort'];
  }
  defaultPodSpec(spec);
  const st = pod['status'];
  if (isObj(st)) {
    const ips = Array.isArray(st['podIPs']) ? st['podIPs'] : [];
    if (st['podIP'] && ips.length === 0) st['podIPs'] = [{ ip: st['podIP'] }];
    else if (!st['podIP'] && ips.length > 0 && isObj(ips[0])) st['podIP'] = ips[0]['ip'];
  }
}

function template(spec: unknown): void {
  if (isObj(spec) && isObj(spec['template'])) defaultPodSpec(spec['template']['spec']);
}

function service(o: Obj): void {
  const spec = obj(o, 'spec');
  if (!spec['sessionAffinity']) spec['sessionAffinity'] = 'None';
  if (spec['sessionAffinity'] === 'None') delete spec['sessionAffinityConfig'];
  if (spec['sessionAffinity'] === 'ClientIP') {
    const t = spec['sessionAffinityConfig']?.clientIP?.timeoutSeconds;
    if (t === undefined || t === null) spec['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec['type']) spec['type'] = 'ClusterIP';
  for (const p of Array.isArray(spec['ports']) ? spec['ports'] : []) {
    if (!isObj(p)) continue;
    if (!p['protocol']) p['protocol'] = 'TCP';
    if (p['targetPort'] === undefined || p['targetPort'] === 0 || p['targetPort'] === '') p['targetPort'] = p['port'];
  }
  const external =
    spec['type'] === 'LoadBalancer' ||
    spec['type'] === 'NodePort' ||
    (Array.isArray(spec['externalIPs']) && spec['externalIPs'].length > 0);
  if (external && !spec['externalTrafficPolicy']) spec['externalTrafficPolicy'] = 'Cluster';
  if (
    (spec['internalTrafficPolicy'] === undefined || spec['internalTrafficPolicy'] === null) &&
    ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec['type'])
  )
    spec['internalTrafficPolicy'] = 'Cluster';
  if (spec['type'] === 'LoadBalancer' && spec['allocateLoadBalancerNodePorts'] === undefined)
    spec['allocateLoadBalancerNodePorts'] = true;
}

function limitRange(o: Obj): void {
  for (const it of Array.isArray(o['spec']?.limits) ? o['spec'].limits : []) {
    if (!isObj(it) || it['type'] !== 'Container') continue;
    const def = obj(it, 'default');
    const req = obj(it, 'defaultRequest');
    for (const [k, v] of Object.entries(isObj(it['max']) ? it['max'] : {})) if (def[k] === undefined) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (req[k] === undefined) req[k] = v;
    for (const [k, v] of Object.entries(isObj(it['min']) ? it['min'] : {})) if (req[k] === undefined) req[k] = v;
    if (Object.keys(def).length === 0) delete it['default'];
    if (Object.keys(req).length === 0) delete it['defaultRequest'];
  }
}

function rollingUpdate(strategy: Obj, type: string, defaults: Obj): void {
  if (!strategy['type']) strategy['type'] = type;
  if (strategy['type'] !== type) return;
  const ru = obj(strategy, 'rollingUpdate');
  for (const [k, v] of Object.entries(defaults)) if (ru[k] === undefined || ru[k] === null) ru[k] = v;
}

function setIfAbsent(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

/** The hand-written `SetDefaults_*` of one kind. */
function kindDefaults(kind: Pick<ResourceKind, 'group' | 'kind'>, o: Obj): void {
  switch (`${kind.group}/${kind.kind}`) {
    case '/Pod':
      defaultPod(o);
      return;
    case '/PodTemplate':
      if (isObj(o['template'])) defaultPodSpec(o['template']['spec']);
      return;
    case '/ReplicationController': {
      const spec = obj(o, 'spec');
      const labels = isObj(spec['template']) ? spec['template']['metadata']?.labels : undefined;
      if (isObj(labels)) {
        if (!isObj(spec['selector']) || Object.keys(spec['selector']).length === 0) spec['selector'] = { ...labels };
        const m = obj(o, 'metadata');
        if (!isObj(m['labels']) || Object.keys(m['labels']).length === 0) m['labels'] = { ...labels };
      }
      template(spec);
      return;
    }
    case '/Service':
      service(o);
      return;
    case '/Endpoints':
      for (const ss of Array.isArray(o['subsets']) ? o['subsets'] : [])
        for (const p of isObj(ss) && Array.isArray(ss['ports']) ? ss['ports'] : [])
          if (isObj(p) && !p['protocol']) p['protocol'] = 'TCP';
      return;
    case '/PersistentVolume': {
      const spec = obj(o, 'spec');
      if (!spec['persistentVolumeReclaimPolicy']) spec['persistentVolumeReclaimPolicy'] = 'Retain';
      setIfAbsent(spec, 'volumeMode', 'Filesystem');
      if (isObj(spec['hostPath']) && spec['hostPath']['type'] === undefined) spec['hostPath']['type'] = '';
      const st = obj(o, 'status');
      if (!st['phase']) st['phase'] = 'Pending';
      return;
    }
    case '/PersistentVolumeClaim': {
      setIfAbsent(obj(o, 'spec'), 'volumeMode', 'Filesystem');
      const st = obj(o, 'status');
      if (!st['phase']) st['phase'] = 'Pending';
      return;
    }
    case '/Namespace': {
      const m = obj(o, 'metadata');
      if (typeof m['name'] === 'string' && m['name'] !== '')
        m['labels'] = { ...(isObj(m['labels']) ? m['labels'] : {}), 'kubernetes.io/metadata.name': m['name'] };
      const st = obj(o, 'status');
      if (!st['phase']) st['phase'] = 'Active';
      return;
    }
    case '/Secret':
      if (!o['type']) o['type'] = 'Opaque';
      return;
    case '/LimitRange':
      limitRange(o);
      return;
    case '/Node': {
      const st = o['status'];
      if (isObj(st) && isObj(st['capacity']) && !isObj(st['allocatable'])) st['allocatable'] = { ...st['capacity'] };
      return;
    }
    case 'apps/Deployment': {
      const spec = obj(o, 'spec');
      setIfAbsent(spec, 'replicas', 1);
      rollingUpdate(obj(spec, 'strategy'), 'RollingUpdate', { maxUnavailable: '25%', maxSurge: '25%' });
      setIfAbsent(spec, 'revisionHistoryLimit', 10);
      setIfAbsent(spec, 'progressDeadlineSeconds', 600);
      template(spec);
      return;
    }
    case 'apps/DaemonSet': {
      // The v1 form of the internal spec.templateGeneration (1 for a new DaemonSet; the store keeps and
      // bumps it on updates).
      const m = obj(o, 'metadata');
      const key = 'deprecated.daemonset.template.generation';
      if (!isObj(m['annotations']) || m['annotations'][key] === undefined)
        m['annotations'] = { ...(isObj(m['annotations']) ? m['annotations'] : {}), [key]: '1' };
      const spec = obj(o, 'spec');
      rollingUpdate(obj(spec, 'updateStrategy'), 'RollingUpdate', { maxUnavailable: 1, maxSurge: 0 });
      setIfAbsent(spec, 'revisionHistoryLimit', 10);
      template(spec);
      return;
    }
    case 'apps/StatefulSet': {
      const spec = obj(o, 'spec');
      if (!spec['podManagementPolicy']) spec['podManagementPolicy'] = 'OrderedReady';
      const us = obj(spec, 'updateStrategy');
      if (!us['type']) {
        us['type'] = 'RollingUpdate';
        if (!isObj(us['rollingUpdate'])) us['rollingUpdate'] = {};
      }
      if (us['type'] === 'RollingUpdate' && isObj(us['rollingUpdate'])) {
        setIfAbsent(us['rollingUpdate'], 'partition', 0);
        // MaxUnavailableStatefulSet is on by default in v1.37.
        setIfAbsent(us['rollingUpdate'], 'maxUnavailable', 1);
      }
      const rp = obj(spec, 'persistentVolumeClaimRetentionPolicy');
      if (!rp['whenDeleted']) rp['whenDeleted'] = 'Retain';
      if (!rp['whenScaled']) rp['whenScaled'] = 'Retain';
      setIfAbsent(spec, 'replicas', 1);
      setIfAbsent(spec, 'revisionHistoryLimit', 10);
      template(spec);
      return;
    }
    case 'apps/ReplicaSet': {
      const spec = obj(o, 'spec');
      setIfAbsent(spec, 'replicas', 1);
      template(spec);
      return;
    }
    case 'batch/Job':
      job(o);
      return;
    case 'batch/CronJob': {
      const spec = obj(o, 'spec');
      if (!spec['concurrencyPolicy']) spec['concurrencyPolicy'] = 'Allow';
      setIfAbsent(spec, 'suspend', false);
      setIfAbsent(spec, 'successfulJobsHistoryLimit', 3);
      setIfAbsent(spec, 'failedJobsHistoryLimit', 1);
      const jt = spec['jobTemplate'];
      if (isObj(jt)) template(jt['spec']);
      return;
    }
    case 'storage.k8s.io/StorageClass':
      setIfAbsent(o, 'reclaimPolicy', 'Delete');
      setIfAbsent(o, 'volumeBindingMode', 'Immediate');
      return;
    case 'storage.k8s.io/CSIDriver': {
      const spec = obj(o, 'spec');
      setIfAbsent(spec, 'attachRequired', true);
      setIfAbsent(spec, 'podInfoOnMount', false);
      setIfAbsent(spec, 'storageCapacity', false);
      setIfAbsent(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
      if (!Array.isArray(spec['volumeLifecycleModes']) || spec['volumeLifecycleModes'].length === 0)
        spec['volumeLifecycleModes'] = ['Persistent'];
      setIfAbsent(spec, 'requiresRepublish', false);
      setIfAbsent(spec, 'seLinuxMount', false);
      setIfAbsent(spec, 'preventPodSchedulingIfMissing', false);
      return;
    }
    case 'scheduling.k8s.io/PriorityClass':
      setIfAbsent(o, 'preemptionPolicy', 'PreemptLowerPriority');
      return;
    case 'networking.k8s.io/IngressClass': {
      const p = o['spec']?.parameters;
      if (isObj(p)) setIfAbsent(p, 'scope', 'Cluster');
      return;
    }
    case 'networking.k8s.io/NetworkPolicy': {
      const spec = obj(o, 'spec');
      for (const dir of ['ingress', 'egress'])
        for (const r of Array.isArray(spec[dir]) ? spec[dir] : [])
          for (const p of isObj(r) && Array.isArray(r['ports']) ? r['ports'] : [])
            if (isObj(p)) setIfAbsent(p, 'protocol', 'TCP');
      if (!Array.isArray(spec['policyTypes']) || spec['policyTypes'].length === 0)
        spec['policyTypes'] =
          Array.isArray(spec['egress']) && spec['egress'].length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
      return;
    }
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      if (isObj(o['roleRef']) && !o['roleRef']['apiGroup']) o['roleRef']['apiGroup'] = 'rbac.authorization.k8s.io';
      for (const s of Array.isArray(o['subjects']) ? o['subjects'] : [])
        if (isObj(s) && !s['apiGroup'] && (s['kind'] === 'User' || s['kind'] === 'Group'))
          s['apiGroup'] = 'rbac.authorization.k8s.io';
      return;
    case 'discovery.k8s.io/EndpointSlice':
      for (const p of Array.isArray(o['ports']) ? o['ports'] : []) {
        if (!isObj(p)) continue;
        setIfAbsent(p, 'name', '');
        setIfAbsent(p, 'protocol', 'TCP');
      }
      return;
    case 'apiextensions.k8s.io/CustomResourceDefinition': {
      const spec = obj(o, 'spec');
      const names = obj(spec, 'names');
      if (!names['singular'] && typeof names['kind'] === 'string') names['singular'] = names['kind'].toLowerCase();
      if (!names['listKind'] && typeof names['kind'] === 'string') names['listKind'] = `${names['kind']}List`;
      if (!isObj(spec['conversion'])) spec['conversion'] = { strategy: 'None' };
      return;
    }
    default:
      return;
  }
}

function job(o: Obj): void {
  const spec = obj(o, 'spec');
  if ((spec['completions'] ?? null) === null && (spec['parallelism'] ?? null) === null) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setIfAbsent(spec, 'parallelism', 1);
  if ((spec['backoffLimit'] ?? null) === null)
    spec['backoffLimit'] = (spec['backoffLimitPerIndex'] ?? null) !== null ? 2147483647 : 6;
  const labels = isObj(spec['template']) ? spec['template']['metadata']?.labels : undefined;
  const m = obj(o, 'metadata');
  if (isObj(labels) && (!isObj(m['labels']) || Object.keys(m['labels']).length === 0)) m['labels'] = { ...labels };
  setIfAbsent(spec, 'completionMode', 'NonIndexed');
  setIfAbsent(spec, 'suspend', false);
  setIfAbsent(spec, 'podReplacementPolicy', isObj(spec['podFailurePolicy']) ? 'Failed' : 'TerminatingOrFailed');
  setIfAbsent(spec, 'manualSelector', false);
  template(spec);
}

/**
 * The schema's defaults for absent fields of present structs: declarative `+default` values, the
 * zero values of fields Go always encodes, and `{}` for non-pointer structs.
 */
export function schemaDefaults(v: unknown, t: TypeNode): void {
  const node = nodeFor(t, v);
  if (node.t === 'map') {
    if (!isObj(v)) return;
    structDefaults(v, node);
    return;
  }
  if (node.t === 'list' && Array.isArray(v)) {
    const elem = node.elem();
    for (const x of v) schemaDefaults(x, elem);
  }
}

/** Zero `+default` markers on `omitempty` fields: Go leaves them out when it encodes. */
const OMITTED_ZERO_DEFAULTS = new Set(['io.k8s.api.core.v1.ReplicationControllerSpec.minReadySeconds']);

function structDefaults(v: Obj, node: MapNode): void {
  for (const [k, f] of node.fields) {
    if (v[k] !== undefined) continue;
    if (node.name !== undefined && OMITTED_ZERO_DEFAULTS.has(`${node.name}.${k}`)) continue;
    if (nullFieldsOf(node).includes(k)) {
      v[k] = null;
      continue;
    }
    if (f.struct) v[k] = {};
    else if (f.default !== undefined && (typeof f.default !== 'object' || f.default === null)) v[k] = f.default;
  }
  for (const [k, x] of Object.entries(v))
    if (x !== null && typeof x === 'object') schemaDefaults(x, fieldType(node, k));
}

/** Applies kube-apiserver's decode-time defaults to a built-in object (custom resources are left alone). */
export function applyApiDefaults(
  kind: Pick<ResourceKind, 'group' | 'version' | 'kind' | 'custom' | 'schema'>,
  o: Obj,
): void {
  if (kind.custom) return;
  kindDefaults(kind, o);
  schemaDefaults(o, typeOf(kind));
}
