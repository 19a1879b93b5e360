/**
 * Feature-gate defaults, after pkg/features/kube_features.go (1.37-era defaults) and
 * pkg/scheduler/framework/plugins/feature/feature.go (`plfeature.Features`).
 *
 * This is the one place where gate defaulting happens. Two regimes exist upstream and both are
 * modelled here:
 * - The product (a real kube-scheduler) runs with the release defaults: a gate absent from the
 *   `FeatureGates` record reads as `DEFAULT_FEATURE_GATES[gate]` (`gateEnabled`).
 * - Upstream plugin unit tests build plugins from the zero `plfeature.Features{}`, so every gate
 *   not listed is OFF. Conformance scenarios list only the gates that are ON (or explicitly OFF);
 *   `unitTestFeatureGates(listed)` turns such a list into a complete record with all others off.
 *
 * Gates consulted outside plugins (e.g. `PodInfo.CalculateResource`, which upstream reads from the
 * process-wide `utilfeature.DefaultFeatureGate` even in plugin unit tests) use the release defaults.
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
  TaintTolerationComparisonOperators: false,
  OpportunisticBatching: true,
  StorageCapacityScoring: true,
  NodeDeclaredFeatures: true,
  SchedulerAsyncPreemption: true,
  SchedulerQueueingHints: true,
  InterPodAffinityHostnameFastPath: false,
  DRANodeAllocatableResources: false,
  InPlacePodVerticalScalingSchedulerPreemption: false,
  TopologyAwareWorkloadScheduling: false,
  GenericWorkload: false,
};

/** Whether `gate` is on: the record's value when present, else the release default (false if unknown). */
export function gateEnabled(gates: FeatureGates | undefined, gate: string): boolean {
  const v = gates?.[gate];
  return v === undefined ? DEFAULT_FEATURE_GATES[gate] === true : v;
}

/** The release defaults overlaid with `overrides` (the product's `--feature-gates`). */
export function releaseFeatureGates(overrides: FeatureGates = {}): FeatureGates {
  return { ...DEFAULT_FEATURE_GATES, ...overrides };
}

/**
 * The gates an upstream plugin unit test runs with: every known gate OFF except those `listed`
 * (a conformance scenario's `plugins.features`), which keep their listed value.
 */
export function unitTestFeatureGates(listed: FeatureGates = {}): FeatureGates {
  const out: Record<string, boolean> = {};
  for (const k of Object.keys(DEFAULT_FEATURE_GATES)) out[k] = false;
  return { ...out, ...listed };
}
