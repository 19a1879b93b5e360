/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as plain JSON, after
 * staging/src/k8s.io/kube-scheduler/config/v1/types.go and types_pluginargs.go, plus the
 * resolved profile shape the runtime consumes.
 *
 * Contract: the v1 types mirror the wire format (camelCase, every field optional); the
 * `SchedulerProfile` is fully defaulted and expanded (MultiPoint spread over the extension
 * points each plugin implements), so the runtime never re-derives defaults.
 */

/** The API version this model accepts. */
export const CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';
/** The kind this model accepts. */
export const CONFIG_KIND = 'KubeSchedulerConfiguration';
/** `v1.DefaultSchedulerName`. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** `v1.Plugin`: a name and (for score plugins) an optional weight. */
export interface V1Plugin {
  name: string;
  weight?: number;
}

/** `v1.PluginSet`. */
export interface V1PluginSet {
  enabled?: V1Plugin[];
  disabled?: V1Plugin[];
}

/** The extension points of `v1.Plugins`, in upstream field order. */
export const EXTENSION_POINTS = [
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;

/** One extension point name (a key of `v1.Plugins`, MultiPoint excluded). */
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** `v1.Plugins`. */
export type V1Plugins = { [K in ExtensionPoint | 'multiPoint']?: V1PluginSet };

/** `v1.PluginConfig`: args are the plugin's `<Name>Args` object, camelCase. */
export interface V1PluginConfig {
  name: string;
  args?: Record<string, unknown>;
}

/** `v1.KubeSchedulerProfile`. */
export interface V1Profile {
  schedulerName?: string;
  percentageOfNodesToScore?: number | null;
  plugins?: V1Plugins;
  pluginConfig?: V1PluginConfig[];
}

/** `v1.KubeSchedulerConfiguration` (fields the model reads; others are kept but ignored). */
export interface V1Configuration {
  apiVersion?: string;
  kind?: string;
  parallelism?: number;
  percentageOfNodesToScore?: number | null;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  profiles?: V1Profile[];
  extenders?: unknown[];
  [other: string]: unknown;
}

/** `v1.ResourceSpec`. */
export interface ResourceSpec {
  name: string;
  weight: number;
}

/** `v1.UtilizationShapePoint`. */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** `v1.NodeResourcesFitArgs` after defaulting. */
export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: {
    type: string;
    resources: ResourceSpec[];
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
}

/** `v1.NodeResourcesBalancedAllocationArgs` after defaulting. */
export interface NodeResourcesBalancedAllocationArgs {
  resources: ResourceSpec[];
}

/** `v1.InterPodAffinityArgs` after defaulting. */
export interface InterPodAffinityArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

/** `v1.PodTopologySpreadArgs` after defaulting. */
export interface PodTopologySpreadArgs {
  defaultConstraints: Record<string, unknown>[];
  defaultingType: string;
}

/** `v1.DefaultPreemptionArgs` after defaulting. */
export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

/** `v1.VolumeBindingArgs` after defaulting. */
export interface VolumeBindingArgs {
  bindTimeoutSeconds: number;
  shape?: UtilizationShapePoint[];
}

/** `v1.NodeAffinityArgs` after defaulting. */
export interface NodeAffinityArgs {
  addedAffinity?: Record<string, unknown>;
}

/** A plugin at one extension point of a resolved profile. */
export interface ProfilePlugin {
  name: string;
  /** The weight after 0→1 defaulting; meaningful only at `score` (0 elsewhere). */
  weight: number;
}

/**
 * A resolved profile: what the runtime consumes.
 *
 * `plugins[point]` lists the plugins to run at that point, in execution order, after the
 * MultiPoint expansion of `frameworkImpl.expandMultiPointPlugins`. `pluginConfig` holds
 * every plugin's defaulted args by plugin name.
 */
export interface SchedulerProfile {
  schedulerName: string;
  /** 0 means the adaptive formula of `numFeasibleNodesToFind`; otherwise 1..100. */
  percentageOfNodesToScore: number;
  plugins: Record<ExtensionPoint, ProfilePlugin[]>;
  pluginConfig: Record<string, Record<string, unknown>>;
}

/** A parsed, defaulted and validated configuration. */
export interface ResolvedConfiguration {
  /** The defaulted v1 object (what `kube-scheduler --write-config-to` would print). */
  config: V1Configuration;
  profiles: SchedulerProfile[];
  parallelism: number;
}
