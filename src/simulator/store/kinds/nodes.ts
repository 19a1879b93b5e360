/**
 * Node (core/v1): allocatable defaults to capacity; API creates go through the TaintNodesByCondition
 * admission plugin (a new Node is tainted not-ready until the node lifecycle controller sees it Ready).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { isObj } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

const NOT_READY = 'node.kubernetes.io/not-ready';

/** Nodes. */
export const nodes: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['status'],
  fieldLabels: ['spec.unschedulable'],
  defaults: (o) => {
    const st = o['status'];
    if (isObj(st) && isObj(st['capacity']) && !isObj(st['allocatable'])) st['allocatable'] = { ...st['capacity'] };
  },
  admitCreate: (o) => {
    const spec: any = (o['spec'] ??= {});
    const taints: any[] = Array.isArray(spec.taints) ? spec.taints : [];
    if (!taints.some((t) => t?.key === NOT_READY && t?.effect === 'NoSchedule'))
      spec.taints = [...taints, { key: NOT_READY, effect: 'NoSchedule' }];
  },
  printer: {
    columns: [
      NAME,
      col('Status'),
      col('Roles'),
      AGE,
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('External-IP', 'string', 1),
      col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1),
      col('Container-Runtime', 'string', 1),
    ],
    cells: (o, now) => {
      const readyC = (o['status']?.conditions ?? []).find((c: any) => c.type === 'Ready');
      let status = readyC?.status === 'True' ? 'Ready' : readyC === undefined ? 'Unknown' : 'NotReady';
      if (o['spec']?.unschedulable) status += ',SchedulingDisabled';
      const roles = Object.keys(o.metadata.labels ?? {})
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice(24));
      const addr = (t: string): string =>
        (o['status']?.addresses ?? []).find((a: any) => a.type === t)?.address ?? '<none>';
      const ni = o['status']?.nodeInfo ?? {};
      return [
        o.metadata.name,
        status,
        roles.length > 0 ? roles.join(',') : '<none>',
        age(o, now),
        ni.kubeletVersion ?? '',
        addr('InternalIP'),
        addr('ExternalIP'),
        ni.osImage ?? '<unknown>',
        ni.kernelVersion ?? '<unknown>',
        ni.containerRuntimeVersion ?? '<unknown>',
      ];
    },
  },
};
