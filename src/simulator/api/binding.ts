/**
 * Pod binding, shared by the `pods/binding` subresource and in-process schedulers
 * (upstream: pkg/registry/core/pod/storage/storage.go BindingREST).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { type Store } from '../store/store';
import { conflict, notFound } from '../store/errors';
import type { KubeObject } from '../store/types';

const PODS = { group: '', resource: 'pods' };

/**
 * Binds a pod to a node: sets `spec.nodeName`, merges `annotations`, adds `PodScheduled=True`.
 * Throws 404 if the pod is missing, 409 if it is already bound or being deleted.
 */
export function bindPod(
  store: Store,
  namespace: string,
  name: string,
  nodeName: string,
  opts: { annotations?: Record<string, string>; dryRun?: boolean; fieldManager?: string } = {},
): KubeObject {
  const pod = store.get(PODS, namespace, name);
  if (pod === undefined) throw notFound('', 'pods', name);
  if (pod.metadata.deletionTimestamp !== undefined)
    throw conflict('', 'pods/binding', name, `pod ${name} is being deleted, cannot be assigned to a host`);
  const cur: string | undefined = pod['spec']?.nodeName;
  if (cur !== undefined && cur !== '')
    throw conflict('', 'pods/binding', name, `pod ${name} is already assigned to node "${cur}"`);
  const next = structuredClone(pod) as KubeObject;
  next['spec'] = { ...(next['spec'] ?? {}), nodeName };
  if (opts.annotations !== undefined)
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...opts.annotations };
  // The PodTopologyLabels admission plugin: the node's zone and region labels go onto the pod it binds.
  const nodeLabels = store.get({ group: '', resource: 'nodes' }, undefined, nodeName)?.metadata.labels ?? {};
  for (const k of ['topology.kubernetes.io/zone', 'topology.kubernetes.io/region'])
    if (nodeLabels[k] !== undefined) next.metadata.labels = { ...(next.metadata.labels ?? {}), [k]: nodeLabels[k] };
  const conds: any[] = (next['status']?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
  conds.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  next['status'] = { ...(next['status'] ?? {}), conditions: conds };
  return store.update(PODS, next, {
    fieldManager: opts.fieldManager ?? 'kube-scheduler',
    subresource: 'binding',
    ...(opts.dryRun === true ? { dryRun: true } : {}),
  });
}
