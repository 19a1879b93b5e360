/**
 * In-tree plugin names, after pkg/scheduler/framework/plugins/names/names.go.
 *
 * Contract: these strings are the `name` of each plugin and the keys of the registry and of
 * KubeSchedulerConfiguration plugin sets; they never change.
 */
export const names = {
  PrioritySort: 'PrioritySort',
  DefaultBinder: 'DefaultBinder',
  DefaultPreemption: 'DefaultPreemption',
  DynamicResources: 'DynamicResources',
  ImageLocality: 'ImageLocality',
  InterPodAffinity: 'InterPodAffinity',
  NodeAffinity: 'NodeAffinity',
  NodeName: 'NodeName',
  NodePorts: 'NodePorts',
  NodeResourcesBalancedAllocation: 'NodeResourcesBalancedAllocation',
  NodeResourcesFit: 'NodeResourcesFit',
  NodeUnschedulable: 'NodeUnschedulable',
  NodeVolumeLimits: 'NodeVolumeLimits',
  PodTopologySpread: 'PodTopologySpread',
  SchedulingGates: 'SchedulingGates',
  TaintToleration: 'TaintToleration',
  VolumeBinding: 'VolumeBinding',
  VolumeRestrictions: 'VolumeRestrictions',
  VolumeZone: 'VolumeZone',
  NodeDeclaredFeatures: 'NodeDeclaredFeatures',
} as const;

/** Any in-tree plugin name. */
export type PluginName = (typeof names)[keyof typeof names];
