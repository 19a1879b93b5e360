/**
 * SetDefaults_PodSpec and what it reaches (containers, volumes, probes), reimplemented from
 * k8s.io/kubernetes pkg/apis/core/v1/defaults.go: Pods get it under their own defaults, every kind
 * with a pod template gets only this (`defaultTemplate`).
 */

import { isObj } from './json';

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

/** Defaults the pod template under `spec.template` (workload kinds). */
export function defaultTemplate(spec: unknown): void {
  if (isObj(spec) && isObj(spec['template'])) defaultPodSpec(spec['template']['spec']);
}
