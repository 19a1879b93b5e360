/**
 * The built-in kinds the simulator serves, one file each (see shared/kind.ts for what a file
 * declares). Adding a kind means adding its file and one line to KINDS. The order is discovery's order.
 */
import { clusterrolebindings } from './clusterrolebindings';
import { clusterroles } from './clusterroles';
import { configmaps } from './configmaps';
import { controllerrevisions } from './controllerrevisions';
import { cronjobs } from './cronjobs';
import { csidrivers } from './csidrivers';
import { csinodes } from './csinodes';
import { csistoragecapacities } from './csistoragecapacities';
import { customresourcedefinitions } from './customresourcedefinitions';
import { daemonsets } from './daemonsets';
import { deployments } from './deployments';
import { deviceclasses } from './deviceclasses';
import { endpoints } from './endpoints';
import { endpointslices } from './endpointslices';
import { events } from './events';
import { eventsK8sIo } from './events-k8s-io';
import { ingressclasses } from './ingressclasses';
import { ingresses } from './ingresses';
import { jobs } from './jobs';
import { leases } from './leases';
import { limitranges } from './limitranges';
import { namespaces } from './namespaces';
import { nodes } from './nodes';
import { persistentvolumeclaims } from './persistentvolumeclaims';
import { persistentvolumes } from './persistentvolumes';
import { poddisruptionbudgets } from './poddisruptionbudgets';
import { pods } from './pods';
import { priorityclasses } from './priorityclasses';
import { replicasets } from './replicasets';
import { replicationcontrollers } from './replicationcontrollers';
import { resourcequotas } from './resourcequotas';
import { rolebindings } from './rolebindings';
import { roles } from './roles';
import { runtimeclasses } from './runtimeclasses';
import { secrets } from './secrets';
import { selfsubjectaccessreviews } from './selfsubjectaccessreviews';
import { selfsubjectreviews } from './selfsubjectreviews';
import { serviceaccounts } from './serviceaccounts';
import { services } from './services';
import { statefulsets } from './statefulsets';
import { storageclasses } from './storageclasses';
import { volumeattachments } from './volumeattachments';
import type { KindDefinition, Obj } from './shared/kind';
import { UNSERVED_DEFAULTS } from './shared/unserved-defaults';

export type { KindDefinition, StrategyContext } from './shared/kind';
export type { Column, Cells, Printer } from './shared/printing';

/** Every built-in served kind, in discovery order. */
export const KINDS: readonly KindDefinition[] = [
  namespaces,
  nodes,
  pods,
  services,
  endpoints,
  replicationcontrollers,
  configmaps,
  secrets,
  serviceaccounts,
  persistentvolumes,
  persistentvolumeclaims,
  events,
  resourcequotas,
  limitranges,
  deployments,
  replicasets,
  statefulsets,
  daemonsets,
  controllerrevisions,
  jobs,
  cronjobs,
  endpointslices,
  ingresses,
  ingressclasses,
  priorityclasses,
  storageclasses,
  csinodes,
  csidrivers,
  volumeattachments,
  csistoragecapacities,
  runtimeclasses,
  deviceclasses,
  eventsK8sIo,
  leases,
  poddisruptionbudgets,
  customresourcedefinitions,
  roles,
  rolebindings,
  clusterroles,
  clusterrolebindings,
  selfsubjectaccessreviews,
  selfsubjectreviews,
];

const byRef = new Map(KINDS.map((k) => [`${k.group}/${k.resource}`, k]));
const defaultsByKind = new Map<string, (o: Obj) => void>(UNSERVED_DEFAULTS);
for (const k of KINDS) if (k.defaults !== undefined) defaultsByKind.set(`${k.group}/${k.kind}`, k.defaults);

/** The definition of a built-in kind by group and plural resource; undefined for custom kinds. */
export function definitionOf(kind: {
  readonly group: string;
  readonly resource: string;
  readonly custom?: boolean;
}): KindDefinition | undefined {
  return kind.custom === true ? undefined : byRef.get(`${kind.group}/${kind.resource}`);
}

/** The hand-written `SetDefaults_*` of a built-in kind by group and Kind (served or not), if it has any. */
export function kindDefaults(group: string, kind: string): ((o: Obj) => void) | undefined {
  return defaultsByKind.get(`${group}/${kind}`);
}
