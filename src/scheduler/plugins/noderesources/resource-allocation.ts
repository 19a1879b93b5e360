/**
 * The shared resource scorer, after pkg/scheduler/framework/plugins/noderesources/resource_allocation.go
 * (`resourceAllocationScorer.score`, `calculateResourceAllocatableRequest`,
 * `calculatePodResourceRequest`, `calculatePodResourceRequestList`, `isBestEffortPod`).
 *
 * Contract:
 * - `calculatePodResourceRequestList` gives the pod's request per configured resource (cpu in
 *   milli, the rest in units). With `useRequested` false (NodeResourcesFit scoring) missing
 *   container cpu/memory default to 100m/200Mi; with `useRequested` true (BalancedAllocation) no
 *   defaults apply.
 * - `score` fills, per resource, the node's allocatable, its usage without the pod ("allocated")
 *   and with the pod ("requested"); resources with allocatable 0, and scalar resources the pod
 *   does not request, stay 0 and are skipped by every scorer.
 * - Node-side usage is `NonZeroRequested` for cpu/memory when `useRequested` is false, else
 *   `Requested`; ephemeral-storage and scalars always use `Requested`.
 * - DRA-backed extended resources (gate DRAExtendedResource, no device-plugin allocatable) are not
 *   modelled for scoring: they score as absent.
 */
import type { Pod } from '../../api/types';
import type { NodeInfo } from '../../framework/interface';
import { podRequests, type PodResourcesOptions } from '../../resource/pod-requests';
import { DEFAULT_NON_MISSING_REQUESTS } from '../../resource/pod-resources';
import { milliValue, value } from '../../resource/quantity';
import { RESOURCE_CPU, RESOURCE_EPHEMERAL_STORAGE, RESOURCE_MEMORY } from '../../resource/resource';
import { isScalarResourceName } from '../../resource/resource-names';

/** `config.ResourceSpec`: a resource name and its weight. */
export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/**
 * A scoring function over per-resource vectors: `requested` (with the pod), `allocated` (without
 * it) and `allocatable`. Entries whose allocatable is 0 must be ignored. Returns 0..100.
 */
export type ResourceScorer = (
  requested: readonly number[],
  allocated: readonly number[],
  allocatable: readonly number[],
) => number;

/** The gates the scorer reads (`plfeature.Features` fields). */
export interface ResourceAllocationFeatures {
  readonly inPlacePodVerticalScaling: boolean;
  readonly podLevelResources: boolean;
  readonly inPlacePodLevelResourcesVerticalScaling: boolean;
}

/** `resourceAllocationScorer`. */
export class ResourceAllocationScorer {
  private readonly requested: number[];
  private readonly allocated: number[];
  private readonly allocatable: number[];

  constructor(
    /** The strategy or plugin name, for messages. */
    readonly name: string,
    readonly resources: readonly ResourceSpec[],
    private readonly scorer: ResourceScorer,
    private readonly useRequested: boolean,
    private readonly features: ResourceAllocationFeatures,
  ) {
    // Score runs synchronously per node, so one set of work vectors is reused across calls.
    this.requested = new Array<number>(resources.length).fill(0);
    this.allocated = new Array<number>(resources.length).fill(0);
    this.allocatable = new Array<number>(resources.length).fill(0);
  }

  /** The pod's request for each configured resource, in configuration order. */
  calculatePodResourceRequestList(pod: Pod): number[] {
    const opts: PodResourcesOptions = {
      useStatusResources: this.features.inPlacePodVerticalScaling,
      inPlacePodLevelResourcesVerticalScalingEnabled: this.features.inPlacePodLevelResourcesVerticalScaling,
      skipPodLevelResources: !this.features.podLevelResources,
    };
    if (!this.useRequested) opts.nonMissingContainerRequests = DEFAULT_NON_MISSING_REQUESTS;
    const reqs = podRequests(pod, opts);
    return this.resources.map((r) => {
      const q = reqs.get(r.name);
      if (q === undefined) return 0;
      return r.name === RESOURCE_CPU ? milliValue(q) : value(q);
    });
  }

  /** `resourceAllocationScorer.score`: the strategy's score of `nodeInfo` for a pod with `podRequests`. */
  score(nodeInfo: NodeInfo, podRequests: readonly number[]): number {
    const n = this.resources.length;
    const usage = this.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
    for (let i = 0; i < n; i++) {
      this.requested[i] = 0;
      this.allocated[i] = 0;
      this.allocatable[i] = 0;
      const name = this.resources[i]!.name;
      const podReq = podRequests[i] ?? 0;
      if (podReq === 0 && isScalarResourceName(name)) continue;
      let alloc: number;
      let used: number;
      switch (name) {
        case RESOURCE_CPU:
          alloc = nodeInfo.allocatable.milliCPU;
          used = usage.milliCPU;
          break;
        case RESOURCE_MEMORY:
          alloc = nodeInfo.allocatable.memory;
          used = usage.memory;
          break;
        case RESOURCE_EPHEMERAL_STORAGE:
          alloc = nodeInfo.allocatable.ephemeralStorage;
          used = nodeInfo.requested.ephemeralStorage;
          break;
        default: {
          const a = nodeInfo.allocatable.scalarResources.get(name);
          if (a === undefined) continue;
          alloc = a;
          used = nodeInfo.requested.scalarResources.get(name) ?? 0;
        }
      }
      if (alloc === 0) continue;
      this.allocatable[i] = alloc;
      this.allocated[i] = used;
      this.requested[i] = used + podReq;
    }
    return this.scorer(this.requested, this.allocated, this.allocatable);
  }
}

/** `isBestEffortPod`: every configured resource request is 0. */
export function isBestEffortPod(podRequests: readonly number[]): boolean {
  for (const r of podRequests) if (r !== 0) return false;
  return true;
}
