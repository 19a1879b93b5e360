/**
 * The front door of the scheduler model: kube-scheduler's default profile (v1.37.0-beta.0) in pure
 * TypeScript. Everything outside src/scheduler reaches the model through this file only, and the
 * conformance tooling through ./conformance/index.ts (eslint and test/unit/architecture.test.ts
 * enforce it; the model's own unit tests in test/unit/scheduler and their fixtures may reach inside).
 * The Kubernetes API types, defaulting, selectors and quantities the model reads are in src/kube-api.
 *
 * Contract: `predict` and `placeReplicas` never throw and return plain JSON (see
 * ./predict/predict.ts); `loadConfiguration` parses and validates KubeSchedulerConfiguration;
 * `ClusterSnapshot`/`snapshotFrom` hold cluster state for repeated predictions; `validatePod` and
 * `resolveProfileFor` are the checks `predict` runs first, for callers that report them early.
 */
export {
  predict,
  predictOn,
  resolveProfileFor,
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
export { validatePod, type InputError } from './predict/validate-input';
export {
  loadConfiguration,
  defaultSchedulerProfile,
  profileForSchedulerName,
  type LoadResult,
  type LoadOptions,
} from './config/load';
export type { SchedulerProfile, FieldError } from './config';
export { ClusterSnapshot, snapshotFrom } from './framework/snapshot';
export { OBJECT_LIST_CACHE_LIMIT, withKind } from './framework/object-index';
export type { Handle } from './framework/interface';
export { podRequests } from './resource/pod-requests';
