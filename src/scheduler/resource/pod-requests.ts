/**
 * A pod's aggregate resource request, after staging/src/k8s.io/component-helpers/resource/helpers.go
 * (`PodRequests`, `AggregateContainerRequests`, `aggregateContainerResourcesByFn`, `applyNonMissing`,
 * `IsPodLevelRequestsSet`, `IsPodResizeInfeasible`).
 *
 * Contract:
 * - Arithmetic is exact (nano-unit bigints); convert to integers once, on the result.
 * - Containers sum; init containers take the per-resource max, where a restartable init container
 *   (`restartPolicy: Always`, a sidecar) also adds to the sum and to every later init container.
 * - Pod-level requests (cpu, memory, hugepages-*) replace the container aggregate; overhead adds.
 * - Invalid quantities count as absent; `podResourceErrors` lists them by field path.
 */
import type { Container, Pod, ResourceList } from '../../kube-api/types';
import type { QuantityError } from '../../kube-api/quantity';
import { addResourceMapInto, maxResourceMapInto, parseResourceList, type ResourceMap } from './resource';
import { HUGEPAGES_PREFIX } from './resource-names';

/** `PodResourcesOptions` (the fields the scheduler sets). */
export interface PodResourcesOptions {
  /** Consider in-place-resize status resources (max of spec, actuated and allocated). */
  useStatusResources?: boolean;
  /** Consider pod-level status resources (gate InPlacePodLevelResourcesVerticalScaling). */
  inPlacePodLevelResourcesVerticalScalingEnabled?: boolean;
  /** Leave `spec.overhead` out. */
  excludeOverhead?: boolean;
  /** Per-container values for keys a container does not set (an explicit 0 is kept). */
  nonMissingContainerRequests?: ResourceMap;
  /** Ignore `spec.resources` (gate PodLevelResources off). */
  skipPodLevelResources?: boolean;
  /** Ignore container requests entirely. */
  skipContainerLevelResources?: boolean;
}

/** Status fields read for in-place resize, which `api/types.ts` does not declare. */
interface ResizeContainerStatus {
  name?: string;
  resources?: { requests?: ResourceList };
  allocatedResources?: ResourceList;
}
interface ResizePodStatus {
  containerStatuses?: ResizeContainerStatus[];
  initContainerStatuses?: ResizeContainerStatus[];
  conditions?: { type?: string; reason?: string }[];
  resources?: { requests?: ResourceList };
  allocatedResources?: ResourceList;
}

type GetList = (c: Container, cs: ResizeContainerStatus | undefined, infeasible: boolean) => ResourceList | undefined;

const specRequests: GetList = (c) => c.resources?.requests;
const allocatedRequests: GetList = (c, cs, infeasible) => {
  if (cs?.allocatedResources != null) return cs.allocatedResources;
  return infeasible ? undefined : c.resources?.requests;
};
const actuatedRequests: GetList = (c, cs, infeasible) => {
  if (cs?.resources?.requests != null) return cs.resources.requests;
  if (cs?.allocatedResources != null) return cs.allocatedResources;
  return infeasible ? undefined : c.resources?.requests;
};

/** `IsSupportedPodLevelResource`: cpu, memory and hugepages-*. */
function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith(HUGEPAGES_PREFIX);
}

/** `IsPodLevelRequestsSet`: `spec.resources.requests` has a supported key. */
export function isPodLevelRequestsSet(pod: Pod): boolean {
  const reqs = pod.spec?.resources?.requests;
  if (reqs == null || typeof reqs !== 'object') return false;
  for (const k of Object.keys(reqs)) if (isSupportedPodLevelResource(k)) return true;
  return false;
}

/** `IsPodResizeInfeasible`: the `PodResizePending` condition has reason `Infeasible`. */
export function isPodResizeInfeasible(pod: Pod): boolean {
  const conds = (pod.status as ResizePodStatus | undefined)?.conditions;
  if (!Array.isArray(conds)) return false;
  for (const c of conds) if (c?.type === 'PodResizePending') return c.reason === 'Infeasible';
  return false;
}

/** `isRestartableInitContainer`. */
export function isRestartableInitContainer(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function findContainerStatus(pod: Pod, name: string | undefined): ResizeContainerStatus | undefined {
  const st = pod.status as ResizePodStatus | undefined;
  if (st == null) return undefined;
  for (const cs of st.containerStatuses ?? []) if (cs?.name === name) return cs;
  for (const cs of st.initContainerStatuses ?? []) if (cs?.name === name) return cs;
  return undefined;
}

function applyNonMissing(reqs: ResourceMap, nonMissing: ResourceMap): ResourceMap {
  const cp: ResourceMap = new Map(reqs);
  for (const [k, v] of nonMissing) if (!reqs.has(k)) cp.set(k, v);
  return cp;
}

function aggregateByFn(pod: Pod, opts: PodResourcesOptions, get: GetList): ResourceMap {
  const infeasible = opts.useStatusResources === true && isPodResizeInfeasible(pod);
  const nonMissing = opts.nonMissingContainerRequests;
  const hasNonMissing = nonMissing !== undefined && nonMissing.size > 0;
  const containerList = (c: Container): ResourceMap => {
    const cs = opts.useStatusResources ? findContainerStatus(pod, c.name) : undefined;
    const r = parseResourceList(get(c, cs, infeasible));
    return hasNonMissing ? applyNonMissing(r, nonMissing) : r;
  };

  const result: ResourceMap = new Map();
  for (const c of containersOf(pod.spec?.containers)) addResourceMapInto(result, containerList(c));

  const sidecars: ResourceMap = new Map();
  const initMax: ResourceMap = new Map();
  for (const c of containersOf(pod.spec?.initContainers)) {
    let r = containerList(c);
    if (isRestartableInitContainer(c)) {
      addResourceMapInto(result, r);
      addResourceMapInto(sidecars, r);
      r = sidecars;
    } else {
      const combined: ResourceMap = new Map();
      addResourceMapInto(combined, r);
      addResourceMapInto(combined, sidecars);
      r = combined;
    }
    maxResourceMapInto(initMax, r);
  }
  maxResourceMapInto(result, initMax);
  return result;
}

function containersOf(list: Container[] | undefined): Container[] {
  return Array.isArray(list) ? list.filter((c) => c != null && typeof c === 'object') : [];
}

function maxOf(a: ResourceMap | undefined, ...rest: (ResourceMap | undefined)[]): ResourceMap {
  const out: ResourceMap = a ? new Map(a) : new Map();
  for (const r of rest) if (r) maxResourceMapInto(out, r);
  return out;
}

/** `AggregateContainerRequests`: the container-level aggregate (no pod-level values, no overhead). */
function aggregateContainerRequests(pod: Pod, opts: PodResourcesOptions = {}): ResourceMap {
  if (!opts.useStatusResources) return aggregateByFn(pod, opts, specRequests);
  const infeasible = isPodResizeInfeasible(pod);
  // Without any status resources, actuated and allocated both fall back to spec: max(spec, spec, spec).
  if (!infeasible && !hasStatusResources(pod)) return aggregateByFn(pod, opts, specRequests);
  const spec = aggregateByFn(pod, opts, specRequests);
  const st = pod.status as ResizePodStatus | undefined;
  let allocated: ResourceMap;
  let actuated: ResourceMap;
  if (
    opts.inPlacePodLevelResourcesVerticalScalingEnabled &&
    st?.allocatedResources != null &&
    st.resources?.requests != null
  ) {
    allocated = parseResourceList(st.allocatedResources);
    actuated = parseResourceList(st.resources.requests);
  } else {
    allocated = aggregateByFn(pod, opts, allocatedRequests);
    actuated = aggregateByFn(pod, opts, actuatedRequests);
  }
  return infeasible ? maxOf(actuated, allocated) : maxOf(spec, actuated, allocated);
}

/** Whether any container status, or the pod status, reports resources or allocated resources. */
export function hasStatusResources(pod: Pod): boolean {
  const st = pod.status as ResizePodStatus | undefined;
  if (st == null) return false;
  if (st.allocatedResources != null || st.resources != null) return true;
  for (const list of [st.containerStatuses, st.initContainerStatuses]) {
    if (!Array.isArray(list)) continue;
    for (const cs of list) if (cs != null && (cs.allocatedResources != null || cs.resources != null)) return true;
  }
  return false;
}

function subtractClamped(list: ResourceMap | undefined, sub: ResourceMap): void {
  if (!list) return;
  for (const [k, v] of sub) {
    const cur = list.get(k);
    if (cur !== undefined) list.set(k, cur - v < 0n ? 0n : cur - v);
  }
}

/**
 * `PodRequests(pod, opts)`: the container aggregate, replaced per key by supported pod-level
 * requests when set (and not skipped), plus `spec.overhead` unless excluded.
 */
export function podRequests(pod: Pod, opts: PodResourcesOptions = {}): ResourceMap {
  const reqs = opts.skipContainerLevelResources ? new Map<string, bigint>() : aggregateContainerRequests(pod, opts);
  if (!opts.skipPodLevelResources && isPodLevelRequestsSet(pod)) {
    let effective = parseResourceList(pod.spec?.resources?.requests);
    const st = pod.status as ResizePodStatus | undefined;
    if (
      opts.inPlacePodLevelResourcesVerticalScalingEnabled &&
      opts.useStatusResources &&
      (st?.resources != null || st?.allocatedResources != null)
    ) {
      const statusReqs = st.resources?.requests != null ? parseResourceList(st.resources.requests) : undefined;
      const allocatedReqs = st.allocatedResources != null ? parseResourceList(st.allocatedResources) : undefined;
      if (pod.spec?.overhead != null) {
        const overhead = parseResourceList(pod.spec.overhead);
        subtractClamped(statusReqs, overhead);
        subtractClamped(allocatedReqs, overhead);
      }
      effective = maxOf(isPodResizeInfeasible(pod) ? undefined : effective, statusReqs, allocatedReqs);
    }
    for (const [k, v] of effective) if (isSupportedPodLevelResource(k)) reqs.set(k, v);
  }
  if (!opts.excludeOverhead && pod.spec?.overhead != null)
    addResourceMapInto(reqs, parseResourceList(pod.spec.overhead));
  return reqs;
}

/**
 * Every invalid quantity in the resource fields `PodRequests` reads, by field path (e.g.
 * `spec.containers[0].resources.requests.cpu: quantities must match ...`).
 */
export function podResourceErrors(pod: Pod): QuantityError[] {
  const errors: QuantityError[] = [];
  const spec = pod.spec;
  if (spec == null) return errors;
  const lists: [Container[] | undefined, string][] = [
    [spec.initContainers, 'spec.initContainers'],
    [spec.containers, 'spec.containers'],
  ];
  for (const [list, path] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (c != null) parseResourceList(c.resources?.requests, `${path}[${i}].resources.requests`, errors);
    });
  }
  parseResourceList(spec.resources?.requests, 'spec.resources.requests', errors);
  parseResourceList(spec.overhead, 'spec.overhead', errors);
  return errors;
}
