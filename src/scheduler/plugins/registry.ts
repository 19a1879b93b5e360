/**
 * The plugin registry: plugin name → factory, after pkg/scheduler/framework/plugins/registry.go.
 *
 * Contract: one line per plugin. To register a plugin, import its `create` and add
 * `[names.X]: createX,` to `REGISTRY` below (keep the lines in upstream's default order).
 * A plugin missing here is "not implemented": the runtime reports it instead of running it.
 */
import type { PluginFactory } from '../framework/interface';
import { create as createImageLocality } from './imagelocality/image-locality';
import { create as createInterPodAffinity } from './interpodaffinity/plugin';
import { names } from './names';
import { create as createNodeAffinity } from './nodeaffinity/node-affinity';
import { create as createNodeName } from './nodename/node-name';
import { create as createNodePorts } from './nodeports/node-ports';
import { create as createNodeUnschedulable } from './nodeunschedulable/node-unschedulable';
import { create as createPodTopologySpread } from './podtopologyspread/plugin';
import { create as createTaintToleration } from './tainttoleration/taint-toleration';
import { create as createNodeVolumeLimits } from './nodevolumelimits/csi';
import { create as createDefaultPreemption } from './defaultpreemption/default-preemption';
import { create as createVolumeBinding } from './volumebinding/volume-binding';
import { create as createVolumeRestrictions } from './volumerestrictions/volume-restrictions';
import { create as createVolumeZone } from './volumezone/volume-zone';
import { create as createNodeResourcesFit } from './noderesources/fit';
import { create as createNodeResourcesBalancedAllocation } from './noderesources/balanced-allocation';
import { create as createDynamicResources } from './dynamicresources/dynamic-resources';
import { create as createNodeDeclaredFeatures } from './nodedeclaredfeatures/node-declared-features';

/** Name → factory for every implemented plugin. */
const REGISTRY: Readonly<Record<string, PluginFactory>> = {
  [names.NodeUnschedulable]: createNodeUnschedulable,
  [names.NodeName]: createNodeName,
  [names.TaintToleration]: createTaintToleration,
  [names.NodeAffinity]: createNodeAffinity,
  [names.NodePorts]: createNodePorts,
  [names.NodeResourcesFit]: createNodeResourcesFit,
  [names.VolumeRestrictions]: createVolumeRestrictions,
  [names.NodeVolumeLimits]: createNodeVolumeLimits,
  [names.VolumeBinding]: createVolumeBinding,
  [names.VolumeZone]: createVolumeZone,
  [names.PodTopologySpread]: createPodTopologySpread,
  [names.InterPodAffinity]: createInterPodAffinity,
  [names.DynamicResources]: createDynamicResources,
  [names.DefaultPreemption]: createDefaultPreemption,
  [names.NodeResourcesBalancedAllocation]: createNodeResourcesBalancedAllocation,
  [names.ImageLocality]: createImageLocality,
  [names.NodeDeclaredFeatures]: createNodeDeclaredFeatures,
};

/** The factory registered for `name`, if any. */
export function lookupPlugin(name: string): PluginFactory | undefined {
  return Object.prototype.hasOwnProperty.call(REGISTRY, name) ? REGISTRY[name] : undefined;
}
