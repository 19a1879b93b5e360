/**
 * Service (core/v1): SetDefaults_Service, a DNS-1035 name, ports required unless headless or
 * ExternalName, and cluster IPs as the service REST storage assigns them (single-stack IPv4,
 * 10.96.0.0/12).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { KubeObject } from '../types';
import { isObj, obj } from './shared/json';
import type { KindDefinition, Obj, StrategyContext } from './shared/kind';
import { dns1035LabelName } from './shared/names';
import { AGE, NAME, age, col, selectorString } from './shared/printing';

function defaultService(o: Obj): void {
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

/**
 * A new Service gets a free address unless it is headless or ExternalName; an update keeps the
 * addresses it had when the request leaves them out.
 */
function allocateServiceIPs(obj: KubeObject, old: KubeObject | undefined, ctx: StrategyContext): void {
  const spec = obj['spec'];
  if (spec === undefined || spec === null || typeof spec !== 'object') return;
  if (spec.type === 'ExternalName') return;
  const os = old?.['spec'];
  if (os !== undefined && os.type !== 'ExternalName') {
    if (spec.clusterIP === undefined || spec.clusterIP === '') spec.clusterIP = os.clusterIP;
    if (spec.clusterIPs === undefined) spec.clusterIPs = os.clusterIPs;
    spec.ipFamilies ??= os.ipFamilies;
    spec.ipFamilyPolicy ??= os.ipFamilyPolicy;
  }
  if (spec.clusterIP === undefined || spec.clusterIP === '') {
    const used = new Set<string>();
    for (const svc of ctx.objects({ group: '', resource: 'services' })) {
      const ip: unknown = svc['spec']?.clusterIP;
      if (typeof ip === 'string') used.add(ip);
    }
    let ip = '';
    for (let tries = 0; tries < 1000; tries++) {
      const n = 2 + Math.floor(Math.random() * ((1 << 20) - 3));
      ip = `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
      if (!used.has(ip)) break;
    }
    spec.clusterIP = ip;
  }
  spec.clusterIPs ??= [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
}

/** Services. */
export const services: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status'],
  defaults: defaultService,
  validateName: dns1035LabelName,
  validate: (o, errs) => {
    const s = o['spec'] ?? {};
    if (s.type !== 'ExternalName' && s.clusterIP !== 'None' && (!Array.isArray(s.ports) || s.ports.length === 0))
      errs.push({ type: 'FieldValueRequired', field: 'spec.ports' });
  },
  prepareForCreate: (o, ctx) => allocateServiceIPs(o, undefined, ctx),
  prepareForUpdate: (old, o, ctx) => allocateServiceIPs(o, old, ctx),
  returnsDeletedObject: true,
  printer: {
    columns: [
      NAME,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      AGE,
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const s = o['spec'] ?? {};
      const ports = (s.ports ?? [])
        .map((p: any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
        .join(',');
      return [
        o.metadata.name,
        s.type ?? 'ClusterIP',
        s.clusterIP ?? '<none>',
        (s.externalIPs ?? []).join(',') || '<none>',
        ports || '<none>',
        age(o, now),
        selectorString(s.selector),
      ];
    },
  },
};
