/**
 * `framework.Resource` construction and arithmetic, after pkg/scheduler/framework/types.go
 * (`NewResource`, `Resource.Add`, `Resource.SetMaxResource`) and exact resource lists
 * (`v1.ResourceList` of `Quantity`).
 *
 * Contract:
 * - A `ResourceMap` is an exact resource list (name → nano-unit bigint); parse a manifest's
 *   `ResourceList` with `parseResourceList`, which reports every invalid quantity by field path
 *   and leaves that key out.
 * - `Resource.Add` rules: `cpu` → `milliValue`, `memory`/`ephemeral-storage` → `value`, `pods` →
 *   `allowedPodNumber`, scalar names (`isScalarResourceName`) → `scalarResources[name]`; any other
 *   key is ignored. Each key is rounded up once, when converted.
 */
import type { ResourceList } from '../../kube-api/types';
import type { Resource } from '../framework/interface';
import {
  isQuantityError,
  milliValue,
  parseQuantity,
  type Quantity,
  type QuantityError,
  value,
} from '../../kube-api/quantity';
import { isScalarResourceName } from './resource-names';

/** An exact resource list: resource name → quantity in nano-units. */
export type ResourceMap = Map<string, Quantity>;

/** `v1.ResourceCPU` etc. */
export const RESOURCE_CPU = 'cpu';
export const RESOURCE_MEMORY = 'memory';
export const RESOURCE_EPHEMERAL_STORAGE = 'ephemeral-storage';
const RESOURCE_PODS = 'pods';

/**
 * Parses a manifest `ResourceList` exactly. Invalid quantities are left out and, when `errors` is
 * given, appended to it with their field path (`<path>.<name>`).
 */
export function parseResourceList(
  list: ResourceList | null | undefined,
  path = '',
  errors?: QuantityError[],
): ResourceMap {
  const out: ResourceMap = new Map();
  if (list == null || typeof list !== 'object') return out;
  for (const name of Object.keys(list)) {
    const q = parseQuantity(list[name], path ? `${path}.${name}` : name);
    if (isQuantityError(q)) errors?.push(q);
    else out.set(name, q);
  }
  return out;
}

/** A scalar-resource map that refuses writes (see {@link NO_SCALARS}). */
class ReadOnlyEmptyScalars extends Map<string, number> {
  override set(): this {
    throw new TypeError('NO_SCALARS is shared and read-only');
  }
  override delete(): boolean {
    throw new TypeError('NO_SCALARS is shared and read-only');
  }
  override clear(): void {
    throw new TypeError('NO_SCALARS is shared and read-only');
  }
}

/**
 * The scalar resources of a pod that requests none, shared by every such pod's cached requests
 * (`PodInfo.CalculateResource`, read-only): a cluster of 150,000 pods otherwise keeps 150,000 empty
 * Maps. It throws on any write.
 */
export const NO_SCALARS: Map<string, number> = new ReadOnlyEmptyScalars();

/** An all-zero `Resource`. */
export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalarResources: new Map() };
}

/** A deep copy of `r`. */
export function cloneResource(r: Resource): Resource {
  return {
    milliCPU: r.milliCPU,
    memory: r.memory,
    ephemeralStorage: r.ephemeralStorage,
    allowedPodNumber: r.allowedPodNumber,
    scalarResources: new Map(r.scalarResources),
  };
}

/** `Resource.Add(rl)` in place: converts each key of `rl` once (ceil) and adds it. */
export function addResourceMap(r: Resource, rl: ResourceMap): Resource {
  for (const [name, q] of rl) {
    switch (name) {
      case RESOURCE_CPU:
        r.milliCPU += milliValue(q);
        break;
      case RESOURCE_MEMORY:
        r.memory += value(q);
        break;
      case RESOURCE_PODS:
        r.allowedPodNumber += value(q);
        break;
      case RESOURCE_EPHEMERAL_STORAGE:
        r.ephemeralStorage += value(q);
        break;
      default:
        if (isScalarResourceName(name)) r.scalarResources.set(name, (r.scalarResources.get(name) ?? 0) + value(q));
    }
  }
  return r;
}

/** `Resource.SetMaxResource(rl)` in place: per key, the larger of the current and converted value. `pods` is ignored. */
export function setMaxResource(r: Resource, rl: ResourceMap): Resource {
  for (const [name, q] of rl) {
    switch (name) {
      case RESOURCE_CPU:
        r.milliCPU = Math.max(r.milliCPU, milliValue(q));
        break;
      case RESOURCE_MEMORY:
        r.memory = Math.max(r.memory, value(q));
        break;
      case RESOURCE_EPHEMERAL_STORAGE:
        r.ephemeralStorage = Math.max(r.ephemeralStorage, value(q));
        break;
      default:
        if (isScalarResourceName(name))
          r.scalarResources.set(name, Math.max(r.scalarResources.get(name) ?? 0, value(q)));
    }
  }
  return r;
}

/**
 * `framework.NewResource(rl)`: a `Resource` from a manifest `ResourceList` (e.g. a node's
 * `status.allocatable`). Invalid quantities count as absent and are appended to `errors`.
 */
export function newResource(list: ResourceList | null | undefined, path = '', errors?: QuantityError[]): Resource {
  return addResourceMap(emptyResource(), parseResourceList(list, path, errors));
}

/** Exact `list += other` per key (`addResourceList` in component-helpers): absent keys are created. */
export function addResourceMapInto(list: ResourceMap, other: ResourceMap): ResourceMap {
  for (const [k, v] of other) list.set(k, (list.get(k) ?? 0n) + v);
  return list;
}

/** Exact `list = max(list, other)` per key of `other` (`maxResourceList`): absent keys take `other`'s value. */
export function maxResourceMapInto(list: ResourceMap, other: ResourceMap): ResourceMap {
  for (const [k, v] of other) {
    const cur = list.get(k);
    if (cur === undefined || v > cur) list.set(k, v);
  }
  return list;
}
