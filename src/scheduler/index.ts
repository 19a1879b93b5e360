/**
 * The public API of the scheduler model: kube-scheduler's default profile (v1.37.0-beta.0) in
 * pure TypeScript.
 *
 * Contract: `predict` and `placeReplicas` never throw and return plain JSON (see
 * ./predict/predict.ts); `loadConfiguration` parses and validates KubeSchedulerConfiguration;
 * `ClusterSnapshot`/`snapshotFrom` hold cluster state for repeated predictions.
 */
export {
  predict,
  predictOn,
  type PredictOptions,
  type PredictOutcome,
  type PredictionJSON,
  type NodePredictionJSON,
  type PluginScoreJSON,
  type PreemptionJSON,
  type ProfileOrConfig,
  type SnapshotInput,
} from './predict/predict';
export {
  placeReplicas,
  type PlaceReplicasOutcome,
  type PlaceReplicasJSON,
  type ReplicaPlacement,
} from './predict/place-replicas';
export type { InputError } from './predict/validate-input';
export {
  loadConfiguration,
  defaultSchedulerProfile,
  profileForSchedulerName,
  type LoadResult,
  type LoadOptions,
} from './config/load';
export type { SchedulerProfile, FieldError } from './config';
export { ClusterSnapshot, snapshotFrom } from './framework/snapshot';
