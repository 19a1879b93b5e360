/**
 * The default plugin set and the merge of user plugin sets over it, after
 * pkg/scheduler/apis/config/v1/default_plugins.go (`getDefaultPlugins`, `applyFeatureGates`,
 * `mergePlugins`, `mergePluginSet`).
 *
 * Contract: pure functions over v1 plugin sets; nothing is mutated in place.
 */
import type { ExtensionPoint, V1Plugin, V1Plugins, V1PluginSet } from './types';
import { EXTENSION_POINTS } from './types';

/**
 * The default profile's MultiPoint list in upstream order, with weights, for v1.37.0-beta.0
 * with default feature gates (DynamicResources GA before DefaultPreemption; NodeDeclaredFeatures on).
 */
export const DEFAULT_MULTI_POINT: readonly Readonly<V1Plugin>[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'NodeVolumeLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DynamicResources', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
  { name: 'NodeDeclaredFeatures' },
];

/**
 * The extension points each in-tree plugin implements (what Go's interface assertion decides
 * during MultiPoint expansion). Plugins absent from this table are unknown.
 */
export const IN_TREE_EXTENSION_POINTS: Readonly<Record<string, readonly ExtensionPoint[]>> = {
  SchedulingGates: ['preEnqueue'],
  PrioritySort: ['queueSort'],
  NodeUnschedulable: ['filter'],
  NodeName: ['filter'],
  TaintToleration: ['filter', 'preScore', 'score'],
  NodeAffinity: ['preFilter', 'filter', 'preScore', 'score'],
  NodePorts: ['preFilter', 'filter'],
  NodeResourcesFit: ['preFilter', 'filter', 'preScore', 'score'],
  VolumeRestrictions: ['preFilter', 'filter'],
  NodeVolumeLimits: ['preFilter', 'filter'],
  VolumeBinding: ['preFilter', 'filter', 'preScore', 'score', 'reserve', 'preBind'],
  VolumeZone: ['preFilter', 'filter'],
  PodTopologySpread: ['preFilter', 'filter', 'preScore', 'score'],
  InterPodAffinity: ['preFilter', 'filter', 'preScore', 'score'],
  DynamicResources: ['preEnqueue', 'preFilter', 'filter', 'postFilter', 'score', 'reserve', 'preBind'],
  DefaultPreemption: ['postFilter'],
  NodeResourcesBalancedAllocation: ['preScore', 'score'],
  ImageLocality: ['score'],
  DefaultBinder: ['bind'],
  NodeDeclaredFeatures: ['preFilter', 'filter'],
};

/** Plugins removed from the v1 API (`invalidPluginsByVersion` in validation.go). */
export const INVALID_V1_PLUGINS: readonly string[] = ['AzureDiskLimits', 'CinderLimits', 'EBSLimits', 'GCEPDLimits'];

/** `getDefaultPlugins()`: a fresh copy of the default `v1.Plugins`. */
export function getDefaultPlugins(): V1Plugins {
  return { multiPoint: { enabled: DEFAULT_MULTI_POINT.map((p) => ({ ...p })) } };
}

/** `mergePluginSet`: user-disabled ('*' = all) defaults drop out; re-enabled defaults keep their slot. */
function mergePluginSet(inSet: V1PluginSet | undefined, custom: V1PluginSet | undefined): V1PluginSet {
  const disabledNames = new Set<string>();
  const disabled: V1Plugin[] = [];
  for (const d of custom?.disabled ?? []) {
    disabled.push({ name: d.name });
    disabledNames.add(d.name);
  }
  for (const d of inSet?.disabled ?? []) {
    disabled.push({ name: d.name });
    disabledNames.add(d.name);
  }
  const customEnabled = new Map<string, { index: number; plugin: V1Plugin }>();
  (custom?.enabled ?? []).forEach((p, index) => customEnabled.set(p.name, { index, plugin: p }));
  const replaced = new Set<number>();
  const enabled: V1Plugin[] = [];
  if (!disabledNames.has('*')) {
    for (const def of inSet?.enabled ?? []) {
      if (disabledNames.has(def.name)) continue;
      const c = customEnabled.get(def.name);
      if (c) {
        enabled.push({ ...c.plugin });
        replaced.add(c.index);
      } else {
        enabled.push({ ...def });
      }
    }
  }
  (custom?.enabled ?? []).forEach((p, i) => {
    if (!replaced.has(i)) enabled.push({ ...p });
  });
  const out: V1PluginSet = {};
  if (enabled.length) out.enabled = enabled;
  if (disabled.length) out.disabled = disabled;
  return out;
}

/** `mergePlugins(defaults, custom)`: merges each extension point and MultiPoint separately. */
export function mergePlugins(defaults: V1Plugins, custom: V1Plugins | undefined): V1Plugins {
  if (!custom) return defaults;
  const out: V1Plugins = {};
  for (const point of ['multiPoint', ...EXTENSION_POINTS] as const) {
    const merged = mergePluginSet(defaults[point], custom[point]);
    if (merged.enabled || merged.disabled) out[point] = merged;
  }
  return out;
}
