/**
 * Endpoints and EndpointSlice controllers (pkg/controller/endpoint, pkg/controller/endpointslice,
 * simplified): for every Service with a selector, one `Endpoints` object named like the Service
 * (ready pods under `addresses`, the rest under `notReadyAddresses`) and one EndpointSlice
 * `<service>-<suffix>` labelled `kubernetes.io/service-name` and owned by the Service. Named target
 * ports are resolved against each pod's container ports. Services without a selector are left alone,
 * as upstream does.
 */
import { selectorFromSet } from '../../kube-api/labels';
import type { KubeObject } from '../store/types';
import { isReady, isTerminal, jsonEqual, ownerRef, REF, splitKey, type LooseObject } from './common';
import { tryWrite, type ControllerContext } from './context';

const ENDPOINTS = { group: '', resource: 'endpoints' };
const SLICES = { group: 'discovery.k8s.io', resource: 'endpointslices' };
const SERVICES = { group: '', resource: 'services' };
const MANAGED_BY = 'endpointslice-controller.k8s.io';

/** The Service selector as a matcher; undefined for selector-less Services. */
export function serviceSelector(
  svc: KubeObject,
): ((labels: Record<string, string> | undefined) => boolean) | undefined {
  const sel = svc['spec']?.selector;
  if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return undefined;
  const s = selectorFromSet(sel as Record<string, string>);
  return (labels) => s.matches(labels);
}

function resolvePort(pod: KubeObject, target: unknown, fallback: number): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  if (typeof target === 'string') {
    for (const c of pod['spec']?.containers ?? [])
      for (const p of c?.ports ?? []) if (p?.name === target) return p.containerPort;
    return undefined;
  }
  return fallback;
}

/** Reconciles the Endpoints and EndpointSlice of one Service by `namespace/name`. */
export function reconcileEndpoints(ctx: ControllerContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const svc = ctx.store.get(SERVICES, namespace, name);
  if (!svc || svc.metadata.deletionTimestamp !== undefined) return;
  const match = serviceSelector(svc);
  if (!match) return;
  const pods = ctx.store.list(REF.pods, {
    namespace,
    filter: (p) => match(p.metadata.labels) && !isTerminal(p) && !!p['status']?.podIP,
  }).items;
  const ports: LooseObject[] = svc['spec']?.ports ?? [];
  const ready: LooseObject[] = [];
  const notReady: LooseObject[] = [];
  const sliceEndpoints: LooseObject[] = [];
  let subsetPorts: LooseObject[] | undefined;
  for (const p of pods) {
    const resolved = ports.map((sp) => ({
      name: sp['name'],
      port: resolvePort(p, sp['targetPort'], sp['port']),
      protocol: sp['protocol'] ?? 'TCP',
    }));
    if (resolved.some((r) => r.port === undefined)) continue;
    subsetPorts ??= resolved.map((r) => (r.name ? r : { port: r.port, protocol: r.protocol }));
    const terminating = p.metadata.deletionTimestamp !== undefined;
    const isOk = isReady(p) && !terminating;
    const target = { kind: 'Pod', name: p.metadata.name, namespace, uid: p.metadata.uid };
    const addr: LooseObject = { ip: p['status'].podIP, nodeName: p['spec']?.nodeName, targetRef: target };
    (isOk ? ready : notReady).push(addr);
    const ep: LooseObject = {
      addresses: [p['status'].podIP],
      conditions: { ready: isOk, serving: isReady(p), terminating },
      nodeName: p['spec']?.nodeName,
      targetRef: target,
    };
    sliceEndpoints.push(ep);
  }
  const subset: LooseObject = {};
  if (ready.length > 0) subset['addresses'] = ready;
  if (notReady.length > 0) subset['notReadyAddresses'] = notReady;
  if (subsetPorts) subset['ports'] = subsetPorts;
  const subsets = ready.length + notReady.length > 0 ? [subset] : undefined;
  const labels = { ...(svc.metadata.labels ?? {}) };
  const existing = ctx.store.get(ENDPOINTS, namespace, name);
  const desired: LooseObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels } };
  if (subsets) desired['subsets'] = subsets;
  if (!existing) tryWrite(() => ctx.store.create(ENDPOINTS, desired, { fieldManager: 'endpoint-controller' }));
  else if (!jsonEqual(existing['subsets'], desired['subsets']) || !jsonEqual(existing.metadata.labels, labels)) {
    tryWrite(() =>
      ctx.store.update(
        ENDPOINTS,
        { ...existing, metadata: { ...existing.metadata, labels, resourceVersion: '' }, subsets: desired['subsets'] },
        { fieldManager: 'endpoint-controller' },
      ),
    );
  }
  const sliceLabels = {
    ...labels,
    'kubernetes.io/service-name': name,
    'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
  };
  const basePorts: LooseObject[] =
    subsetPorts ?? ports.map((sp) => ({ name: sp['name'], protocol: sp['protocol'] ?? 'TCP' }));
  const slicePorts = basePorts.map((p) => ({ name: p['name'] ?? '', port: p['port'], protocol: p['protocol'] }));
  const mine = ctx.store.list(SLICES, {
    namespace,
    filter: (s) =>
      s.metadata.labels?.['kubernetes.io/service-name'] === name &&
      s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY,
  }).items;
  const body = { addressType: 'IPv4', endpoints: sliceEndpoints, ports: slicePorts };
  if (mine.length === 0) {
    tryWrite(() =>
      ctx.store.create(
        SLICES,
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            generateName: `${name}-`,
            name: `${name}-${ctx.rng.suffix()}`,
            namespace,
            labels: sliceLabels,
            ownerReferences: [ownerRef(svc)],
          },
          ...body,
        },
        { fieldManager: 'endpointslice-controller' },
      ),
    );
    return;
  }
  const slice = mine[0]!;
  if (!jsonEqual(slice['endpoints'] ?? [], body.endpoints) || !jsonEqual(slice['ports'] ?? [], body.ports)) {
    tryWrite(() =>
      ctx.store.update(
        SLICES,
        { ...slice, metadata: { ...slice.metadata, resourceVersion: '' }, ...body },
        { fieldManager: 'endpointslice-controller' },
      ),
    );
  }
  for (const extra of mine.slice(1)) tryWrite(() => ctx.store.delete(SLICES, namespace, extra.metadata.name!));
}
