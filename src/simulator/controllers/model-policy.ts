/**
 * The placement policy backed by the scheduler model (src/scheduler): kube-scheduler's default
 * profile with its filters, scores, node-tree order, percentageOfNodesToScore rotation, FitError text
 * and DefaultPreemption. It keeps its own incremental `ClusterSnapshot` in step with the store through
 * `attach`, so each placement costs one scheduling cycle, not a snapshot rebuild.
 */
import { ClusterSnapshot, predict, type ProfileOrConfig } from '../../scheduler';
import type { Namespace, Node, Pod } from '../../kube-api/types';
import type { Store } from '../store/store';
import type { KubeObject, WatchEvent } from '../store/types';
import type { ClusterState, PlacementPolicy, PlacementResult } from './placement';

/** Kinds the model reads besides nodes, pods and namespaces (scheduler-spec §2.1). */
const MODEL_KINDS = new Set([
  'Service',
  'ReplicaSet',
  'StatefulSet',
  'ReplicationController',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'CSINode',
  'CSIDriver',
  'CSIStorageCapacity',
  'VolumeAttachment',
  'PriorityClass',
  'PodDisruptionBudget',
  'ResourceClaim',
  'ResourceSlice',
  'DeviceClass',
]);

/** Places pods with the scheduler model; see the file comment. */
export class ModelPlacementPolicy implements PlacementPolicy {
  private snap = new ClusterSnapshot();
  private nextStartNodeIndex = 0;
  private unsubscribe: (() => void) | undefined;

  /** `profileOrConfig`: a KubeSchedulerConfiguration (text or object) or resolved profile; default profile when omitted. */
  constructor(
    private readonly profileOrConfig?: ProfileOrConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads the store's current state into the snapshot and follows its changes. */
  attach(store: Store): void {
    this.detach();
    this.snap = new ClusterSnapshot();
    this.nextStartNodeIndex = 0;
    this.unsubscribe = store.subscribe((e) => this.observe(e));
    for (const kind of store.registry.all()) {
      if (kind.kind !== 'Node' && kind.kind !== 'Pod' && kind.kind !== 'Namespace' && !MODEL_KINDS.has(kind.kind))
        continue;
      for (const o of store.list(kind).items) this.snap.upsert(o as never);
    }
  }

  /** Stops following the store. */
  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Applies one store change to the snapshot. */
  observe(e: WatchEvent): void {
    const o = e.object;
    const kind = o.kind;
    if (kind !== 'Node' && kind !== 'Pod' && kind !== 'Namespace' && !MODEL_KINDS.has(kind)) return;
    if (e.type === 'DELETED') {
      if (kind === 'Pod') this.snap.removePod(o as Pod);
      else this.snap.remove(kind, o.metadata.namespace, o.metadata.name!);
      return;
    }
    if (kind === 'Node') {
      if (e.type === 'ADDED') this.snap.addNode(o as Node);
      else this.snap.updateNode(o as Node);
    } else if (kind === 'Pod') this.snap.updatePod(o as Pod);
    else if (kind === 'Namespace') this.snap.addNamespace(o as Namespace);
    else this.snap.upsert(o as KubeObject as never);
  }

  place(pod: KubeObject, _state: ClusterState): PlacementResult {
    const out = predict(pod, this.snap, this.profileOrConfig, {
      mode: 'kube-scheduler',
      nextStartNodeIndex: this.nextStartNodeIndex,
      detail: 'summary',
      now: this.now(),
    });
    if (!out.ok) return { message: out.errors.map((e) => e.message).join('; ') };
    const r = out.result;
    this.nextStartNodeIndex = r.nextStartNodeIndex;
    if (r.selectedNode) return { nodeName: r.selectedNode };
    const res: PlacementResult = { message: r.failure ?? r.error ?? 'no node fits the pod' };
    if (r.preemption?.nominatedNode) {
      res.nominatedNodeName = r.preemption.nominatedNode;
      res.victims = r.preemption.victims.map((v) => ({ namespace: v.namespace, name: v.name }));
    }
    return res;
  }
}

/**
 * Creates the placement policy the simulator uses by default: the scheduler model (kube-scheduler's
 * default profile, or the given KubeSchedulerConfiguration). `ResourceFitPolicy` stays available as a
 * lightweight alternative.
 */
export function createPlacementPolicy(profileOrConfig?: ProfileOrConfig): PlacementPolicy {
  return new ModelPlacementPolicy(profileOrConfig);
}
