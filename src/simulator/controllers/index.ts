/**
 * The simulation half of the simulated cluster: controller manager (scheduler loop, kubelets,
 * Deployment / ReplicaSet / StatefulSet / DaemonSet / Job controllers), placement policies and the
 * API-server defaulting the simulator applies on create.
 */
export { ControllerManager, type ControllerManagerOptions } from './controller-manager';
export {
  createPlacementPolicy,
  ResourceFitPolicy,
  type ClusterState,
  type PlacementPolicy,
  type PlacementResult,
} from './placement-policy';
export { admitPod, applyDefaults, lookupFromObjects, type AdmissionLookup } from './defaulting';
export { lookupFromStore } from './context';
