/**
 * NodeResourcesFit, after pkg/scheduler/framework/plugins/noderesources/fit.go
 * (`computePodResourceRequest`, `PreFilter`, `Filter`, `fitsRequest`, `shouldDelegateResourceToDRA`,
 * `PreScore`, `Score`) with the scoring strategies of least_allocated.go, most_allocated.go and
 * requested_to_capacity_ratio.go.
 *
 * - PreFilter: the pod's aggregate request (no non-zero defaults; overhead included); rejects a
 *   pod with a restartable init container when SidecarContainers is off; an invalid quantity is an
 *   Error naming the field. Never Skips.
 * - Filter: `Too many pods`, then `Insufficient cpu|memory|ephemeral-storage|<scalar>` (several per
 *   node); UnschedulableAndUnresolvable when some request exceeds the node's allocatable outright.
 *   Scalar reasons are in sorted name order (upstream iterates a Go map: random order).
 * - PreScore/Score: the configured strategy over the configured resources, with non-zero defaults
 *   for cpu/memory and node usage from `NonZeroRequested`. No NormalizeScore.
 */
import type { Pod } from '../../../kube-api/types';
import { ARGS_DEFAULTERS } from '../../config/defaults';
import { validateNodeResourcesFitArgs } from '../../config/validation-plugin-args';
import type { CycleState } from '../../framework/cycle-state';
import { pluginFeature } from '../../framework/feature-gates';
import type {
  FilterPlugin,
  Handle,
  NodeInfo,
  PluginFactoryArgs,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  Resource,
  ScorePlugin,
} from '../../framework/interface';
import { Status } from '../../framework/status';
import { isRestartableInitContainer, podRequests, podResourceErrors } from '../../resource/pod-requests';
import { emptyResource, setMaxResource } from '../../resource/resource';
import { isExtendedResourceName } from '../../resource/resource-names';
import { atLeast } from '../../framework/version';
import { names } from '../names';
import { leastResourceScorer } from './least-allocated';
import { mostResourceScorer } from './most-allocated';
import { requestedToCapacityRatioScorer, type UtilizationShapePoint } from './requested-to-capacity-ratio';
import { ResourceAllocationScorer, type ResourceAllocationFeatures, type ResourceSpec } from './resource-allocation';

/** Reason when the node's pod count is at `allocatable.pods`. */
export const REASON_TOO_MANY_PODS = 'Too many pods';
/** Reason when free cpu is short. */
const REASON_INSUFFICIENT_CPU = 'Insufficient cpu';
/** Reason when free memory is short. */
const REASON_INSUFFICIENT_MEMORY = 'Insufficient memory';
/** Reason when free ephemeral storage is short. */
const REASON_INSUFFICIENT_EPHEMERAL_STORAGE = 'Insufficient ephemeral-storage';
/** Reason prefix for any scalar resource: `Insufficient <resourceName>`. */
const REASON_INSUFFICIENT_PREFIX = 'Insufficient ';
/** PreFilter reason when SidecarContainers is off and the pod has a restartable init container. */
export const REASON_SIDECARS_DISABLED =
  'Pod has a restartable init container and the SidecarContainers feature is disabled';

/** `config.LeastAllocated` etc. */
const LEAST_ALLOCATED = 'LeastAllocated';
const MOST_ALLOCATED = 'MostAllocated';
const REQUESTED_TO_CAPACITY_RATIO = 'RequestedToCapacityRatio';

const PRE_FILTER_STATE_KEY = `PreFilter${names.NodeResourcesFit}`;
const PRE_SCORE_STATE_KEY = `PreScore${names.NodeResourcesFit}`;
/** `deviceclass.resource.kubernetes.io/`: the implicit extended-resource name of a DeviceClass. */
const DEVICE_CLASS_PREFIX = 'deviceclass.resource.kubernetes.io/';

/** The pod's Filter request: the `Resource` plus its scalar entries in sorted name order. */
export interface PreFilterState {
  resource: Resource;
  scalars: [string, number][];
  empty: boolean;
}

interface PreScoreState {
  podRequests: number[];
}

/** One failed resource check (`InsufficientResource`). */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The request exceeds the node's allocatable: preemption cannot help. */
  unresolvable: boolean;
}

/** The plugin's own gates (`plfeature.Features` fields). */
export interface FitFeatures extends ResourceAllocationFeatures {
  readonly sidecarContainers: boolean;
  readonly draExtendedResource: boolean;
}

/** Checks that the node has room for the pod's requests and scores by the configured strategy. */
class Fit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = names.NodeResourcesFit;
  /** The PreFilter state last read, with the state object and version it came from. */
  private readState: CycleState | undefined;
  private readVersion = -1;
  private readValue: PreFilterState | undefined;

  constructor(
    private readonly handle: Handle | undefined,
    private readonly ignoredResources: ReadonlySet<string>,
    private readonly ignoredResourceGroups: ReadonlySet<string>,
    private readonly features: FitFeatures,
    private readonly scorer: ResourceAllocationScorer,
  ) {}

  preFilter(
    state: CycleState,
    pod: Pod,
    _nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    if (!this.features.sidecarContainers && hasRestartableInitContainer(pod)) {
      return { status: Status.unresolvable(REASON_SIDECARS_DISABLED) };
    }
    const errors = podResourceErrors(pod);
    if (errors.length > 0) return { status: Status.error(errors.map((e) => e.error).join('; ')) };
    state.write(PRE_FILTER_STATE_KEY, computePodResourceRequest(pod, this.features.podLevelResources));
    return { status: null };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    let s: PreFilterState | undefined;
    if (state === this.readState && state.version === this.readVersion) s = this.readValue;
    else {
      s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
      this.readState = state;
      this.readVersion = state.version;
      this.readValue = s;
    }
    if (s === undefined) return Status.error(`error reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
    const insufficient = this.fitsRequest(s, nodeInfo);
    if (insufficient === undefined) return null;
    let unresolvable = false;
    const reasons = insufficient.map((r) => {
      if (r.unresolvable) unresolvable = true;
      return r.reason;
    });
    return unresolvable ? Status.unresolvable(...reasons) : Status.unschedulable(...reasons);
  }

  /** `fitsRequest`: the failed checks in upstream order, or undefined when the pod fits. */
  fitsRequest(s: PreFilterState, nodeInfo: NodeInfo): InsufficientResource[] | undefined {
    let out: InsufficientResource[] | undefined;
    const alloc = nodeInfo.allocatable;
    const used = nodeInfo.requested;
    const podCount = nodeInfo.pods.length;
    if (podCount + 1 > alloc.allowedPodNumber) {
      out = [
        {
          resourceName: 'pods',
          reason: REASON_TOO_MANY_PODS,
          requested: 1,
          used: podCount,
          capacity: alloc.allowedPodNumber,
          unresolvable: false,
        },
      ];
    }
    if (s.empty) return out;
    const r = s.resource;
    if (r.milliCPU > 0 && r.milliCPU > alloc.milliCPU - used.milliCPU) {
      (out ??= []).push(insufficient('cpu', REASON_INSUFFICIENT_CPU, r.milliCPU, used.milliCPU, alloc.milliCPU));
    }
    if (r.memory > 0 && r.memory > alloc.memory - used.memory) {
      (out ??= []).push(insufficient('memory', REASON_INSUFFICIENT_MEMORY, r.memory, used.memory, alloc.memory));
    }
    if (r.ephemeralStorage > 0 && r.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
      (out ??= []).push(
        insufficient(
          'ephemeral-storage',
          REASON_INSUFFICIENT_EPHEMERAL_STORAGE,
          r.ephemeralStorage,
          used.ephemeralStorage,
          alloc.ephemeralStorage,
        ),
      );
    }
    for (const [name, q] of s.scalars) {
      if (q === 0) continue;
      if (isExtendedResourceName(name)) {
        const slash = name.indexOf('/');
        const group = slash < 0 ? name : name.slice(0, slash);
        if (this.ignoredResources.has(name) || this.ignoredResourceGroups.has(group)) continue;
      }
      const capacity = alloc.scalarResources.get(name) ?? 0;
      if (this.shouldDelegateResourceToDRA(name, capacity)) continue;
      const u = used.scalarResources.get(name) ?? 0;
      if (q > capacity - u) (out ??= []).push(insufficient(name, REASON_INSUFFICIENT_PREFIX + name, q, u, capacity));
    }
    return out;
  }

  /**
   * `shouldDelegateResourceToDRA`: with DRAExtendedResource on, an extended resource the node does
   * not offer through a device plugin is left to DynamicResources when a DeviceClass maps it
   * (explicitly via `spec.extendedResourceName`, or implicitly as `deviceclass.resource.kubernetes.io/<class>`).
   */
  private shouldDelegateResourceToDRA(name: string, allocatable: number): boolean {
    if (!this.features.draExtendedResource || allocatable > 0) return false;
    if (this.handle === undefined) return true;
    for (const dc of this.handle.objects('DeviceClass')) {
      const spec = dc.spec as { extendedResourceName?: string } | undefined;
      if (spec?.extendedResourceName === name) return true;
      if (name === DEVICE_CLASS_PREFIX + (dc.metadata?.name ?? '')) return true;
    }
    return false;
  }

  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[]): Status | null {
    state.write(PRE_SCORE_STATE_KEY, {
      podRequests: this.scorer.calculatePodResourceRequestList(pod),
    } satisfies PreScoreState);
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    const podRequests =
      state.read<PreScoreState>(PRE_SCORE_STATE_KEY)?.podRequests ?? this.scorer.calculatePodResourceRequestList(pod);
    return { score: this.scorer.score(nodeInfo, podRequests), status: null };
  }

  /** Batch `score`: the PreScore state is read once per cycle and unchanged nodes reuse their score. */
  scoreNodes(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): Status | null {
    const podRequests =
      state.read<PreScoreState>(PRE_SCORE_STATE_KEY)?.podRequests ?? this.scorer.calculatePodResourceRequestList(pod);
    this.scorer.scoreNodes(nodes, podRequests, out);
    return null;
  }
}

function insufficient(
  resourceName: string,
  reason: string,
  requested: number,
  used: number,
  capacity: number,
): InsufficientResource {
  return { resourceName, reason, requested, used, capacity, unresolvable: requested > capacity };
}

/**
 * `Fits(pod, nodeInfo)`: the failed resource checks for `pod` on `nodeInfo` (empty when it fits),
 * with the requested/used/capacity figures behind each reason, e.g. for explaining a verdict.
 * No resources are ignored and DRA delegation is off, as upstream's exported helper does without a
 * DRA manager.
 */
export function fits(pod: Pod, nodeInfo: NodeInfo, podLevelResources = true): InsufficientResource[] {
  const fit = new Fit(
    undefined,
    new Set(),
    new Set(),
    {
      inPlacePodVerticalScaling: false,
      podLevelResources,
      inPlacePodLevelResourcesVerticalScaling: false,
      sidecarContainers: true,
      draExtendedResource: false,
    },
    NO_SCORER,
  );
  return fit.fitsRequest(computePodResourceRequest(pod, podLevelResources), nodeInfo) ?? [];
}

/** `hasRestartableInitContainer`. */
function hasRestartableInitContainer(pod: Pod): boolean {
  const inits = pod.spec?.initContainers;
  return Array.isArray(inits) && inits.some((c) => c != null && isRestartableInitContainer(c));
}

/** `computePodResourceRequest`: `PodRequests` without status resources or defaults, as a `Resource`. */
function computePodResourceRequest(pod: Pod, podLevelResources: boolean): PreFilterState {
  const resource = setMaxResource(emptyResource(), podRequests(pod, { skipPodLevelResources: !podLevelResources }));
  const scalars = [...resource.scalarResources].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const empty =
    resource.milliCPU === 0 && resource.memory === 0 && resource.ephemeralStorage === 0 && scalars.length === 0;
  return { resource, scalars, empty };
}

const NO_SCORER = new ResourceAllocationScorer('', [], () => 0, false, {
  inPlacePodVerticalScaling: false,
  podLevelResources: false,
  inPlacePodLevelResourcesVerticalScaling: false,
});

/** Builds the scorer for `scoringStrategy` (`nodeResourceStrategyTypeMap`). */
function buildScorer(
  strategy: { type: string; resources: ResourceSpec[]; requestedToCapacityRatio?: { shape: UtilizationShapePoint[] } },
  features: ResourceAllocationFeatures,
): ResourceAllocationScorer {
  const resources = strategy.resources.map((r) => ({ name: r.name, weight: r.weight }));
  switch (strategy.type) {
    case LEAST_ALLOCATED:
      return new ResourceAllocationScorer(LEAST_ALLOCATED, resources, leastResourceScorer(resources), false, features);
    case MOST_ALLOCATED:
      return new ResourceAllocationScorer(MOST_ALLOCATED, resources, mostResourceScorer(resources), false, features);
    case REQUESTED_TO_CAPACITY_RATIO:
      return new ResourceAllocationScorer(
        REQUESTED_TO_CAPACITY_RATIO,
        resources,
        requestedToCapacityRatioScorer(resources, strategy.requestedToCapacityRatio?.shape ?? []),
        false,
        features,
      );
    default:
      throw new Error(`scoring strategy ${strategy.type} is not supported`);
  }
}

/** The feature flags of the scorer `getScorer` builds: none. */
const SCORER_WITHOUT_FEATURES: ResourceAllocationFeatures = {
  inPlacePodVerticalScaling: false,
  podLevelResources: false,
  inPlacePodLevelResourcesVerticalScaling: false,
};

/**
 * Factory (`NewFit`): args `{ignoredResources, ignoredResourceGroups, scoringStrategy}` in v1
 * camelCase, defaulted and validated as upstream does; invalid args throw with the field errors.
 */
export function create({ args, handle, features, kubernetesVersion }: PluginFactoryArgs): Fit {
  const defaulted = ARGS_DEFAULTERS['NodeResourcesFit']!({ ...(args ?? {}) });
  const errs = validateNodeResourcesFitArgs('', defaulted);
  if (errs.length > 0) throw new Error(`${names.NodeResourcesFit} args: ${errs.map((e) => e.message).join(', ')}`);
  const fts: FitFeatures = {
    inPlacePodVerticalScaling: pluginFeature(features, 'InPlacePodVerticalScaling'),
    podLevelResources: pluginFeature(features, 'PodLevelResources'),
    inPlacePodLevelResourcesVerticalScaling: pluginFeature(features, 'InPlacePodLevelResourcesVerticalScaling'),
    // v1.37 dropped the gate from the plugin (SidecarContainers is GA): no release of it rejects sidecars.
    sidecarContainers: atLeast(kubernetesVersion, '1.37') || pluginFeature(features, 'SidecarContainers'),
    draExtendedResource: pluginFeature(features, 'DRAExtendedResource'),
  };
  const strategy = defaulted['scoringStrategy'] as Parameters<typeof buildScorer>[0];
  return new Fit(
    handle,
    new Set((defaulted['ignoredResources'] as string[] | undefined) ?? []),
    new Set((defaulted['ignoredResourceGroups'] as string[] | undefined) ?? []),
    fts,
    // Upstream's NewFit builds the scorer with getScorer(args.ScoringStrategy), which sets none of the
    // plugin's feature flags: NodeResourcesFit's score ignores pod-level requests (and status
    // resources) even with PodLevelResources on, unlike its Filter and BalancedAllocation (v1.34-v1.37.2).
    buildScorer(strategy, SCORER_WITHOUT_FEATURES),
  );
}
