/**
 * Feature-gate defaults, after pkg/features/kube_features.go (1.37-era defaults) and
 * pkg/scheduler/framework/plugins/feature/feature.go (`plfeature.Features`).
 *
 * This is the one place where gate defaulting happens. Two regimes exist upstream and both are
 * modelled here:
 * - Plugins receive `plfeature.Features`, whose zero value has every gate OFF; upstream plugin
 *   unit tests (and conformance scenarios, which list only the gates a case sets) rely on that.
 *   Plugin factories therefore read `pluginFeature(features, gate)`: ON only when `true`.
 * - The product (a real kube-scheduler) fills `plfeature.Features` from the release defaults, so
 *   whoever builds a product profile must pass `releaseFeatureGates(userOverrides)` as
 *   `PluginFactoryArgs.features`; otherwise e.g. SidecarContainers reads OFF.
 *
 * Gates consulted outside plugins (e.g. `PodInfo.CalculateResource`, which upstream reads from the
 * process-wide `utilfeature.DefaultFeatureGate` even in plugin unit tests) use `gateEnabled`: a
 * gate absent from the record reads as its release default.
 */
import type { FeatureGates } from './interface';

/** Release defaults (Kubernetes v1.37) of every gate the scheduler model consults. */
export const DEFAULT_FEATURE_GATES: Readonly<Record<string, boolean>> = {
  PodLevelResources: true,
  InPlacePodVerticalScaling: true,
  InPlacePodLevelResourcesVerticalScaling: true,
  SidecarContainers: true,
  DRAExtendedResource: true,
  NodeInclusionPolicyInPodTopologySpread: true,
  MatchLabelKeysInPodTopologySpread: true,
  MatchLabelKeysInPodTopologySpreadSelectorMerge: true,
  MatchLabelKeysInPodAffinity: true,
  TaintTolerationComparisonOperators: false,
  OpportunisticBatching: true,
  StorageCapacityScoring: true,
  VolumeLimitScaling: true,
  NodeDeclaredFeatures: true,
  SchedulerAsyncPreemption: true,
  SchedulerQueueingHints: true,
  InterPodAffinityHostnameFastPath: false,
  DRANodeAllocatableResources: false,
  InPlacePodVerticalScalingSchedulerPreemption: false,
  TopologyAwareWorkloadScheduling: false,
  GenericWorkload: false,
};

/** A plugin's view of `gate` (`plfeature.Features` field): ON only when the record says `true`. */
export function pluginFeature(features: FeatureGates | undefined, gate: string): boolean {
  return features?.[gate] === true;
}

/** Whether `gate` is on: the record's value when present, else the release default (false if unknown). */
export function gateEnabled(gates: FeatureGates | undefined, gate: string): boolean {
  const v = gates?.[gate];
  return v === undefined ? DEFAULT_FEATURE_GATES[gate] === true : v;
}

/** The release defaults overlaid with `overrides` (the product's `--feature-gates`). */
export function releaseFeatureGates(overrides: FeatureGates = {}): FeatureGates {
  return { ...DEFAULT_FEATURE_GATES, ...overrides };
}
