/**
 * The simulation half of the simulated cluster: the controller manager (scheduler loop with a
 * pluggable placement policy, kubelets and node lifecycle, Deployment / ReplicaSet / StatefulSet /
 * DaemonSet / Job / CronJob / Endpoints / namespace controllers) and the API-server defaulting and
 * admission the simulator applies on create.
 */
export { ControllerManager, type ControllerManagerOptions } from './controller-manager';
export type { ClusterState, NodeUsage, PlacementPolicy, PlacementResult } from './placement';
export { ResourceFitPolicy } from './resource-fit-policy';
export { createPlacementPolicy, ModelPlacementPolicy } from './model-policy';
export { applyDefaults } from './defaulting';
export { admitPod, lookupFromObjects, type AdmissionLookup } from '../../kube-api/defaulting';
export { lookupFromStore } from './context';
export type { KubeletOptions } from './kubelet';
export type { EventMode } from './event-recorder';
