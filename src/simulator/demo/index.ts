/**
 * The simulator's demo and snapshot entry points: a deterministic demo cluster and a snapshot loader.
 */
export {
  generateDemoCluster,
  type DemoCluster,
  type DemoClusterOptions,
  type DemoClusterSummary,
} from './generate-demo-cluster';
export {
  applySnapshot,
  formatIssue,
  loadSnapshot,
  type ApplyResult,
  type LoadedSnapshot,
  type LoadSnapshotOptions,
  type SnapshotIssue,
} from './snapshot';
