/**
 * Computes and caches the prediction for each pod spec of a manifest against the live snapshot.
 *
 * Contract: results are cached by (pod spec content, replica count, profile, cluster generation),
 * so an edit recomputes only the specs it changed and a cluster change recomputes each spec once
 * (within a time budget: past `deadline`, older-generation verdicts are served and counted). The
 * incremental snapshot is shared and never rebuilt; whatever a computation adds to it (a workload's
 * controller object, assumed replicas) is removed before it returns. Never throws: model errors come
 * back as `errors` naming the field.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  predictOn,
  type ClusterSnapshot,
  type InputError,
  type PlaceReplicasJSON,
  type PredictionJSON,
  type SchedulerProfile,
  resolveProfileFor,
  validatePod,
} from '../../scheduler';
import { BoundedMap, jsonBytes, ownCopy, ownString } from '../bounded-map';
import type { ManifestDocument, PodSpecLocation, ReplicaCount } from '../services/manifest';
import { admitPriority, podFromSpec, type PodObject } from './pod-from-spec';

/** The lens-level verdict for one pod spec. */
export interface SpecVerdict {
  pod: PodObject;
  replicas: ReplicaCount;
  /** Problems with the pod that stop the model, each naming its field (`spec.containers[0]...`). */
  errors?: InputError[];
  /** The first pod's prediction in kube-scheduler mode, without the per-node list. */
  first?: PredictionJSON;
  /** The total score of the chosen node, when scores were computed. */
  selectedTotal?: number;
  /** The replica placement for workloads with more than one replica. */
  placement?: PlaceReplicasJSON;
  /** For DaemonSets: the nodes the controller would create a pod for, and those whose pod could not be scheduled. */
  daemon?: { eligible: string[]; pending: { node: string; reason: string }[]; numAllNodes: number };
}

/** The scheduler configuration in effect for a document: a profile list source and its identity. */
export interface ProfileChoice {
  /** A parsed KubeSchedulerConfiguration object, or undefined for the default profile. */
  config?: Record<string, unknown>;
  /** Identifies the configuration in cache keys (path and modification time). */
  key: string;
}

interface PodAndKey {
  pod: PodObject;
  key: string;
}

interface CacheEntry {
  generation: number;
  verdict: SpecVerdict;
  used: number;
}

/** Options for one computation. */
export interface EngineOptions {
  defaultNamespace: string;
  profile: ProfileChoice;
  /**
   * A `performance.now()` time after which verdicts cached for an older cluster generation are served
   * as they are (counted by `takeDeferred`) instead of recomputed; specs never predicted are always computed.
   */
  deadline?: number;
  /** After this `performance.now()` time, specs never predicted are left out too (see `tryVerdict`). */
  hardDeadline?: number;
}

/** The most cached verdicts kept, and their most estimated bytes (least recently used dropped first). */
export const MAX_CACHED_VERDICTS = 2000;
export const MAX_CACHED_VERDICT_BYTES = 16 * 1024 * 1024;
/** The most memoised profile resolutions (one per configuration and schedulerName a document names). */
export const MAX_CACHED_PROFILES = 64;

/** Predicts pod specs with a verdict cache. */
export class PredictionEngine {
  private readonly cache: BoundedMap<string, CacheEntry>;
  private tick = 0;
  private deferredCount = 0;
  private computedCount = 0;
  /** Replica placements cut short by a deadline, by verdict-cache key (oldest dropped first). */
  private readonly pending = new Map<string, PendingPlacement>();
  private readonly profiles = new BoundedMap<string, SchedulerProfile | InputError[]>(MAX_CACHED_PROFILES);
  /** {@link podAndKey}'s memo: per parsed document object, per spec path, namespace and profile. */
  private readonly podKeys = new WeakMap<object, Map<string, PodAndKey>>();

  /** An engine whose verdict cache holds at most `limits` (tests pass small ones). */
  constructor(limits = { verdicts: MAX_CACHED_VERDICTS, verdictBytes: MAX_CACHED_VERDICT_BYTES }) {
    this.cache = new BoundedMap(limits.verdicts, limits.verdictBytes);
  }

  /** The verdict of one pod spec in `snapshot` at `generation` (always computed when not cached). */
  verdict(
    doc: ManifestDocument,
    spec: PodSpecLocation,
    snapshot: ClusterSnapshot,
    generation: number,
    options: EngineOptions,
  ): SpecVerdict {
    const { hardDeadline: _ignored, ...always } = options;
    return this.tryVerdict(doc, spec, snapshot, generation, always)!;
  }

  /**
   * Like {@link verdict}, but after `options.hardDeadline` a spec with no verdict at all is not
   * computed: undefined is returned and counted as deferred (a file with thousands of pod specs
   * answers within its budget and catches up in later rounds).
   */
  tryVerdict(
    doc: ManifestDocument,
    spec: PodSpecLocation,
    snapshot: ClusterSnapshot,
    generation: number,
    options: EngineOptions,
  ): SpecVerdict | undefined {
    // Past the hard deadline, a spec whose parsed object was never keyed (a document just opened or
    // edited) cannot have a verdict of its own yet: defer it without copying and hashing its pod,
    // which for a file of thousands of specs costs more than the whole budget.
    if (
      options.hardDeadline !== undefined &&
      performance.now() > options.hardDeadline &&
      !this.hasKey(doc, spec, options)
    ) {
      this.deferredCount++;
      return undefined;
    }
    const { pod, key } = this.podAndKey(doc, spec, options);
    const hit = this.cache.get(key);
    this.tick++;
    if (hit !== undefined && hit.generation === generation) {
      hit.used = this.tick;
      return hit.verdict;
    }
    // Past the time budget, a verdict from an older cluster generation is served and counted as deferred.
    if (hit !== undefined && options.deadline !== undefined && performance.now() > options.deadline) {
      hit.used = this.tick;
      this.deferredCount++;
      return hit.verdict;
    }
    if (hit === undefined && options.hardDeadline !== undefined && performance.now() > options.hardDeadline) {
      this.deferredCount++;
      return undefined;
    }
    // A placement of many replicas stops at the hard deadline and resumes where it stopped next time.
    const pending = this.pending.get(key);
    const run =
      pending !== undefined && pending.generation === generation
        ? this.resume(doc, pending, snapshot, options.hardDeadline)
        : this.compute(doc, pod, spec.replicas, snapshot, options.profile, options.hardDeadline);
    this.computedCount++;
    this.pending.delete(key);
    if (run.unfinished !== undefined) {
      this.pending.set(key, { ...run.unfinished, generation, verdict: run.verdict });
      if (this.pending.size > MAX_PENDING_PLACEMENTS) this.pending.delete(this.pending.keys().next().value!);
      this.deferredCount++;
      return hit?.verdict;
    }
    this.store(key, generation, run.verdict);
    return run.verdict;
  }

  /** The verdict cache's entries and estimated bytes (tests check its bounds). */
  get cacheStats(): { entries: number; bytes: number; profiles: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes, profiles: this.profiles.size };
  }

  /**
   * Caches a copy of `verdict` that shares no string with the document (a YAML scalar is a view of the
   * whole text in V8: one cached pod would keep a closed multi-megabyte file alive), weighed by its
   * JSON. A verdict that cannot be serialized (an alias cycle) is not cached.
   */
  private store(key: string, generation: number, verdict: SpecVerdict): void {
    const bytes = jsonBytes(verdict);
    if (bytes !== undefined)
      this.cache.set(key, { generation, verdict: structuredClone(verdict), used: this.tick }, bytes);
  }

  /**
   * The pod of a spec and its verdict-cache key, memoised per parsed document object: a document an
   * edit did not change keeps its object (ManifestCache), so a pass over a file of thousands of specs
   * does not rebuild and hash every pod again. A pod that cannot be hashed (a cycle through an alias)
   * gets a key of its own each time, so it is never served from the cache.
   */
  /** True when {@link podAndKey} has this spec's pod and key at hand (no copy or hash needed). */
  private hasKey(doc: ManifestDocument, spec: PodSpecLocation, options: EngineOptions): boolean {
    return this.podKeys.get(doc.object ?? spec.template)?.has(keyMemo(spec, options)) === true;
  }

  private podAndKey(doc: ManifestDocument, spec: PodSpecLocation, options: EngineOptions): PodAndKey {
    const owner = doc.object ?? spec.template;
    const memo = keyMemo(spec, options);
    const known = this.podKeys.get(owner)?.get(memo);
    if (known !== undefined) return known;
    // A copy owning its strings: the pod reaches long-lived caches (this one's, the shared snapshot's
    // per-namespace lists, the scheduler's quantity cache), and a YAML scalar would keep the whole file.
    const pod = ownCopy(podFromSpec(doc, spec, options.defaultNamespace));
    let key: string;
    try {
      key = createHash('sha1')
        .update(JSON.stringify([doc.kind, pod, spec.replicas, options.profile.key]))
        .digest('base64');
    } catch {
      return { pod, key: `${doc.index}/${spec.path.join('.')}/${this.tick}` };
    }
    let m = this.podKeys.get(owner);
    if (m === undefined) this.podKeys.set(owner, (m = new Map()));
    m.set(memo, { pod, key });
    return { pod, key };
  }

  /** How many stale verdicts were served since the last call (and resets the count). */
  takeDeferred(): number {
    const n = this.deferredCount;
    this.deferredCount = 0;
    return n;
  }

  /** How many verdicts were computed (not served from the cache) so far. */
  get computed(): number {
    return this.computedCount;
  }

  /** Resolves the profile for `pod` (by its schedulerName) from a configuration, memoised per configuration key. */
  profileFor(pod: PodObject, choice: ProfileChoice): SchedulerProfile | InputError[] {
    const name = typeof pod.spec['schedulerName'] === 'string' ? pod.spec['schedulerName'] : 'default-scheduler';
    const k = `${choice.key}\u0000${name}`;
    let p = this.profiles.get(k);
    if (p === undefined) {
      p = resolveProfileFor(pod as never, choice.config);
      this.profiles.set(ownString(k), p);
    }
    return p;
  }

  /** Drops every cached verdict and profile (after a configuration change). */
  clear(): void {
    this.cache.clear();
    this.profiles.clear();
    this.pending.clear();
  }

  /** Continues a placement cut short by a deadline (same spec, same cluster generation). */
  private resume(doc: ManifestDocument, p: PendingPlacement, snapshot: ClusterSnapshot, stopAt?: number): Run {
    return withOwner(doc, p.pod, snapshot, (): Run => {
      try {
        const count = p.step.out.requested;
        const step = placeReplicasUntil(p.pod, count, p.verdict.first!, snapshot, p.profile, stopAt, p.step);
        if (!step.done) return { verdict: p.verdict, unfinished: { pod: p.pod, profile: p.profile, step } };
        return { verdict: { ...p.verdict, placement: step.out } };
      } catch (e) {
        return { verdict: { ...p.verdict, errors: [internalError(e)] } };
      }
    });
  }

  /**
   * Predicts one spec. With `stopAt`, a placement of several replicas that is still running past it
   * returns `unfinished` (where it stopped) instead of the placement.
   */
  private compute(
    doc: ManifestDocument,
    pod: PodObject,
    replicas: ReplicaCount,
    snapshot: ClusterSnapshot,
    choice: ProfileChoice,
    stopAt?: number,
  ): Run {
    const verdict: SpecVerdict = { pod, replicas };
    let unfinished: Run['unfinished'];
    const done = withOwner(doc, pod, snapshot, (): SpecVerdict => {
      try {
        const errs = validatePod(pod);
        if (errs.length > 0) return { ...verdict, errors: errs };
        const profile = this.profileFor(pod, choice);
        if (Array.isArray(profile)) return { ...verdict, errors: profile };
        const admitted = admitPriority(pod, snapshot);
        if (admitted.error !== undefined) return { ...verdict, errors: [admitted.error] };
        pod = admitted.pod;
        const first = predictOn(pod as never, snapshot, profile, { mode: 'kube-scheduler', detail: 'summary' });
        verdict.first = first;
        if (first.selectedTotal !== undefined && first.scored) verdict.selectedTotal = first.selectedTotal;
        if (doc.kind === 'DaemonSet') {
          verdict.daemon = daemonPlacement(pod, snapshot, profile);
        } else if (replicas.kind === 'replicas' || replicas.kind === 'completions') {
          if (replicas.count > 1) {
            const step = placeReplicasUntil(pod, replicas.count, first, snapshot, profile, stopAt);
            if (step.done) verdict.placement = step.out;
            else unfinished = { pod, profile, step };
          }
        }
      } catch (e) {
        verdict.errors = [internalError(e)];
        unfinished = undefined;
      }
      return verdict;
    });
    return { verdict: done, unfinished };
  }
}

/** The most placements kept half done (each holds its replicas' placements so far). */
const MAX_PENDING_PLACEMENTS = 16;

/** A replica placement cut short by a deadline: the pod as admitted, its profile and where it stopped. */
interface PendingPlacement {
  generation: number;
  verdict: SpecVerdict;
  pod: PodObject;
  profile: SchedulerProfile;
  step: PlacementStep;
}

/** One computation: the verdict, or the verdict so far and where its placement stopped. */
interface Run {
  verdict: SpecVerdict;
  unfinished?: Omit<PendingPlacement, 'generation' | 'verdict'> | undefined;
}

/**
 * Runs `fn` with the workload's controller object in the snapshot (when the cluster does not have it:
 * the real controller, when the workload exists already, is used as it is and never replaced), then
 * removes it.
 */
function withOwner<T>(doc: ManifestDocument, pod: PodObject, snapshot: ClusterSnapshot, fn: () => T): T {
  let owner = ownerObject(doc, pod);
  if (
    owner !== undefined &&
    snapshot.getObject(owner.kind, owner.metadata.namespace, owner.metadata.name) !== undefined
  )
    owner = undefined;
  if (owner !== undefined) snapshot.upsert(owner as never);
  try {
    return fn();
  } finally {
    if (owner !== undefined) snapshot.remove(owner.kind, owner.metadata.namespace, owner.metadata.name);
  }
}

/**
 * The controller object a workload's pods would have in the cluster (the ReplicaSet a Deployment
 * creates, or the StatefulSet/ReplicaSet/ReplicationController itself), so that PodTopologySpread's
 * system-default constraints and SelectorSpread-style defaults see the replicas as one workload,
 * as they do in a real cluster. Undefined for Pods, Jobs, CronJobs and DaemonSets.
 */
function ownerObject(
  doc: ManifestDocument,
  pod: PodObject,
): { kind: string; metadata: { name: string; namespace: string }; spec: unknown } | undefined {
  const kind = doc.kind === 'Deployment' ? 'ReplicaSet' : doc.kind;
  if (kind !== 'ReplicaSet' && kind !== 'StatefulSet' && kind !== 'ReplicationController') return undefined;
  const spec = doc.object?.['spec'] as Record<string, unknown> | undefined;
  const labels = (pod.metadata['labels'] ?? {}) as Record<string, string>;
  const selector =
    kind === 'ReplicationController' ? (spec?.['selector'] ?? labels) : (spec?.['selector'] ?? { matchLabels: labels });
  const refs = pod.metadata['ownerReferences'] as { name: string }[] | undefined;
  const name = refs?.[0]?.name ?? pod.metadata.name;
  return { kind, metadata: { name, namespace: pod.metadata.namespace }, spec: { selector } };
}

function internalError(e: unknown): InputError {
  return { field: '', message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
}

/**
 * Places `count` replicas one by one as `placeReplicas` does (each assumed on its node so the next
 * sees it, kube-scheduler mode, the start index carried over, every assumption undone), reusing the
 * already computed first prediction as replica 0 instead of predicting it twice.
 */
export function placeAfterFirst(
  pod: PodObject,
  count: number,
  first: PredictionJSON,
  snapshot: ClusterSnapshot,
  profile: SchedulerProfile,
): PlaceReplicasJSON {
  return placeReplicasUntil(pod, count, first, snapshot, profile).out;
}

/** Where a replica placement stands: the replicas placed so far, the last prediction, and whether it is over. */
export interface PlacementStep {
  out: PlaceReplicasJSON;
  last: PredictionJSON;
  done: boolean;
}

/**
 * {@link placeAfterFirst} in steps: from `resume` (a previous step's replicas, assumed again first, so
 * the snapshot is as it was when that step stopped), places replicas until all are placed, one does
 * not fit, or `stopAt` (a `performance.now()` time) has passed after at least one more. Every
 * assumption is undone before it returns; the steps together place exactly what one call would.
 */
export function placeReplicasUntil(
  pod: PodObject,
  count: number,
  first: PredictionJSON,
  snapshot: ClusterSnapshot,
  profile: SchedulerProfile,
  stopAt = Infinity,
  resume?: PlacementStep,
): PlacementStep {
  const out: PlaceReplicasJSON = resume
    ? { ...resume.out, placements: [...resume.out.placements], perNode: { ...resume.out.perNode } }
    : { requested: count, placed: 0, placements: [], perNode: {} };
  const assumed: ReturnType<ClusterSnapshot['assumePod']>[] = [];
  const replicaOf = (i: number): PodObject => {
    const name = `${pod.metadata.name}-${i}`;
    return {
      ...pod,
      metadata: { ...pod.metadata, name, uid: `kube-forecast-replica/${pod.metadata.namespace}/${name}/${i}` },
    };
  };
  const started = performance.now();
  try {
    for (const [i, p] of out.placements.entries()) {
      const replica = replicaOf(i);
      assumed.push(snapshot.assumePod({ ...replica, spec: { ...replica.spec, nodeName: p.node } } as never, p.node));
    }
    // A step places for at least as long as it took to assume the earlier replicas again, so the
    // steps of a large placement cost at most about twice the placement itself (never quadratic).
    const until = Math.max(stopAt, 2 * performance.now() - started);
    let r = resume?.last ?? first;
    for (let i = out.placed; i < count; i++) {
      const replica = replicaOf(i);
      const name = replica.metadata.name;
      if (i > 0) {
        r = predictOn(replica as never, snapshot, profile, {
          mode: 'kube-scheduler',
          detail: 'summary',
          preemption: false,
          nextStartNodeIndex: r.nextStartNodeIndex,
        });
      }
      if (r.selectedNode === undefined) {
        if (r.failure !== undefined) out.failure = r.failure;
        if (r.error !== undefined) out.error = r.error;
        break;
      }
      assumed.push(
        snapshot.assumePod(
          { ...replica, spec: { ...replica.spec, nodeName: r.selectedNode } } as never,
          r.selectedNode,
        ),
      );
      out.placed += 1;
      out.placements.push({ name, node: r.selectedNode, tieCount: r.tieCount });
      out.perNode[r.selectedNode] = (out.perNode[r.selectedNode] ?? 0) + 1;
      if (i + 1 < count && performance.now() > until) return { out, last: r, done: false };
    }
    return { out, last: r, done: true };
  } finally {
    for (let i = assumed.length - 1; i >= 0; i--) snapshot.forgetPod(assumed[i]!);
  }
}

/** Filter plugins whose failure means the DaemonSet controller would not create a pod for the node. */
const DAEMON_EXCLUDING = new Set(['NodeName', 'NodeAffinity', 'TaintToleration']);

/**
 * Where a DaemonSet runs: its controller creates one pod per node that passes the node-level
 * predicates (name, affinity and selector, taints); those pods may still not fit (resources, ports).
 */
function daemonPlacement(pod: PodObject, snapshot: ClusterSnapshot, profile: SchedulerProfile): SpecVerdict['daemon'] {
  const r = predictOn(pod as never, snapshot, profile, { mode: 'all-nodes', preemption: false, detail: 'full' });
  const eligible: string[] = [];
  const pending: { node: string; reason: string }[] = [];
  for (const n of r.nodes ?? []) {
    if (n.feasible) eligible.push(n.name);
    else if (n.filter !== undefined && !DAEMON_EXCLUDING.has(n.filter.plugin)) {
      eligible.push(n.name);
      pending.push({ node: n.name, reason: n.filter.reasons.join(', ') });
    }
  }
  return { eligible, pending, numAllNodes: r.numAllNodes };
}

/** {@link PredictionEngine}'s per-object memo key of a spec: its path, namespace and profile. */
function keyMemo(spec: PodSpecLocation, options: EngineOptions): string {
  return `${spec.path.join('\u0000')}\u0001${options.defaultNamespace}\u0001${options.profile.key}`;
}
