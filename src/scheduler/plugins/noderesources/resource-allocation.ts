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
import type { Pod } from '../../../kube-api/types';
import type { NodeInfo } from '../../framework/interface';
import { podRequests, type PodResourcesOptions } from '../../resource/pod-requests';
import { DEFAULT_NON_MISSING_REQUESTS } from '../../resource/pod-resources';
import { milliValue, value } from '../../../kube-api/quantity';
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
  /**
   * Per-position memo for `scoreNodes`: the score of `memoNodes[i]` at generation `memoGens[i]`
   * for a pod whose request list equals `memoRequests`. A node's score depends only on its
   * allocatable and usage (which bump `NodeInfo.generation`) and on the pod's requests, so
   * consecutive cycles rescore only the nodes that changed.
   */
  private memoNodes: (NodeInfo | undefined)[] = [];
  private memoGens = new Float64Array(0);
  private memoScores = new Float64Array(0);
  private memoRequests: number[] = [];

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

  /**
   * `score` for every node: `out[i] = score(nodes[i], podRequests)`. Scores of nodes unchanged
   * since the previous call (same NodeInfo object and generation, at the same position, for equal
   * pod requests) are taken from a memo instead of being recomputed.
   */
  scoreNodes(nodes: readonly NodeInfo[], podRequests: readonly number[], out: Float64Array): void {
    const n = nodes.length;
    if (!sameRequests(this.memoRequests, podRequests)) {
      this.memoRequests = podRequests.slice();
      this.memoNodes = [];
    }
    if (this.memoGens.length < n) {
      const gens = new Float64Array(n);
      gens.set(this.memoGens);
      this.memoGens = gens;
      const scores = new Float64Array(n);
      scores.set(this.memoScores);
      this.memoScores = scores;
    }
    const memoNodes = this.memoNodes;
    const gens = this.memoGens;
    const scores = this.memoScores;
    for (let i = 0; i < n; i++) {
      const ni = nodes[i]!;
      const gen = ni.generation;
      if (memoNodes[i] === ni && gens[i] === gen) {
        out[i] = scores[i]!;
        continue;
      }
      const s = this.score(ni, podRequests);
      out[i] = s;
      memoNodes[i] = ni;
      gens[i] = gen;
      scores[i] = s;
    }
    // Nodes past the end belong to a longer list from an earlier cycle; drop them.
    if (memoNodes.length > n) memoNodes.length = n;
  }
}

function sameRequests(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `isBestEffortPod`: every configured resource request is 0. */
export function isBestEffortPod(podRequests: readonly number[]): boolean {
  for (const r of podRequests) if (r !== 0) return false;
  return true;
}
