/**
 * Non-zero request defaults and the per-pod cached resource, after
 * pkg/scheduler/util/pod_resources.go (`DefaultMilliCPURequest`, `DefaultMemoryRequest`) and
 * pkg/scheduler/framework/types.go (`PodInfo.CalculateResource`, `getNonMissingContainerRequests`).
 *
 * Contract: `calculateResource` returns the pod's `Requested` contribution (no defaults) and its
 * non-zero cpu/memory (defaults applied per container that lacks the key; an explicit 0 is kept).
 * Gates default to the release defaults (see framework/feature-gates.ts), as upstream reads them
 * from the process-wide gate here.
 */
import type { Pod } from '../../kube-api/types';
import { gateEnabled } from '../framework/feature-gates';
import type { FeatureGates, Resource } from '../framework/interface';
import type { Container, ResourceList } from '../../kube-api/types';
import {
  hasStatusResources,
  isPodLevelRequestsSet,
  isPodResizeInfeasible,
  podRequests,
  type PodResourcesOptions,
} from './pod-requests';
import { fromMilli, fromUnits, isQuantityError, milliValue, parseQuantity, value } from '../../kube-api/quantity';
import { addResourceMap, emptyResource, NO_SCALARS, RESOURCE_CPU, RESOURCE_MEMORY, type ResourceMap } from './resource';

/** `DefaultMilliCPURequest`: 0.1 core. */
const DEFAULT_MILLI_CPU_REQUEST = 100;
/** `DefaultMemoryRequest`: 200 MiB. */
const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** The per-container defaults `{cpu: 100m, memory: 200Mi}` as an exact resource list. */
export const DEFAULT_NON_MISSING_REQUESTS: ResourceMap = new Map([
  [RESOURCE_CPU, fromMilli(DEFAULT_MILLI_CPU_REQUEST)],
  [RESOURCE_MEMORY, fromUnits(DEFAULT_MEMORY_REQUEST)],
]);

/** The resource a pod contributes to its node (`fwk.PodResource`). */
export interface PodResource {
  /** Requests without defaults (`NodeInfo.Requested`). */
  resource: Resource;
  /** Milli-CPU with non-zero defaults (`NodeInfo.NonZeroRequested.MilliCPU`). */
  non0CPU: number;
  /** Memory bytes with non-zero defaults (`NodeInfo.NonZeroRequested.Memory`). */
  non0Mem: number;
}

/** `getNonMissingContainerRequests`. */
function nonMissingContainerRequests(requests: ResourceMap, podLevelSet: boolean): ResourceMap {
  if (!podLevelSet) return DEFAULT_NON_MISSING_REQUESTS;
  const out: ResourceMap = new Map();
  if (!requests.has(RESOURCE_CPU)) out.set(RESOURCE_CPU, DEFAULT_NON_MISSING_REQUESTS.get(RESOURCE_CPU) as bigint);
  if (!requests.has(RESOURCE_MEMORY))
    out.set(RESOURCE_MEMORY, DEFAULT_NON_MISSING_REQUESTS.get(RESOURCE_MEMORY) as bigint);
  return out;
}

/**
 * `PodInfo.CalculateResource`: `PodRequests` with status resources (in-place resize), converted
 * once per key, plus the non-zero cpu/memory. Callers cache the result per pod.
 */
export function calculateResource(pod: Pod, gates?: FeatureGates): PodResource {
  const podLevel = gateEnabled(gates, 'PodLevelResources');
  const opts: PodResourcesOptions = {
    useStatusResources: gateEnabled(gates, 'InPlacePodVerticalScaling'),
    inPlacePodLevelResourcesVerticalScalingEnabled: gateEnabled(gates, 'InPlacePodLevelResourcesVerticalScaling'),
    skipPodLevelResources: !podLevel,
  };
  const requests = podRequests(pod, opts);
  const nonMissing = nonMissingContainerRequests(requests, podLevel && isPodLevelRequestsSet(pod));
  const non0 =
    nonMissing.size === 0 || defaultsChangeNothing(pod, opts)
      ? requests
      : podRequests(pod, { ...opts, nonMissingContainerRequests: nonMissing });
  const cpu = non0.get(RESOURCE_CPU);
  const mem = non0.get(RESOURCE_MEMORY);
  const resource = addResourceMap(emptyResource(), requests);
  return {
    resource: resource.scalarResources.size === 0 ? { ...resource, scalarResources: NO_SCALARS } : resource,
    non0CPU: cpu === undefined ? 0 : milliValue(cpu),
    non0Mem: mem === undefined ? 0 : value(mem),
  };
}

function hasValid(list: ResourceList | undefined, key: string): boolean {
  return list != null && typeof list === 'object' && key in list && !isQuantityError(parseQuantity(list[key]));
}

function setsCpuAndMemory(list: Container[] | undefined): boolean {
  if (!Array.isArray(list)) return true;
  for (const c of list) {
    if (c == null || typeof c !== 'object') continue;
    const r = c.resources?.requests;
    if (!hasValid(r, RESOURCE_CPU) || !hasValid(r, RESOURCE_MEMORY)) return false;
  }
  return true;
}

/**
 * True when per-container defaults cannot change `PodRequests`: every container and init container
 * sets valid cpu and memory requests, and only spec requests are read (no status resources and no
 * infeasible resize, where missing status lists would take the defaults). Saves the second pass.
 */
function defaultsChangeNothing(pod: Pod, opts: PodResourcesOptions): boolean {
  if (opts.useStatusResources && (isPodResizeInfeasible(pod) || hasStatusResources(pod))) return false;
  return setsCpuAndMemory(pod.spec?.containers) && setsCpuAndMemory(pod.spec?.initContainers);
}
