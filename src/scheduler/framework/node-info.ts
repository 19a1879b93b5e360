/**
 * `NodeInfo` and `PodInfo`, after pkg/scheduler/framework/types.go (`NodeInfo.AddPodInfo`,
 * `NodeInfo.RemovePod`, `NodeInfo.update`, `NodeInfo.SetNode`, `PodInfo.Update`,
 * `PodInfo.CalculateResource`) and pkg/scheduler/util/utils.go (`GetHostPorts`).
 *
 * Contract: a NodeInfo's aggregates (Requested, NonZeroRequested, UsedPorts, PVCRefCounts,
 * PodsWithAffinity, PodsWithRequiredAntiAffinity) are kept current incrementally by `addPod`,
 * `removePod` and `setNode`; they are never rebuilt from the pod list. Removal subtracts the
 * per-pod resource cached on the PodInfo when it was added, as upstream does.
 */
import type { ContainerPort, Node, Pod } from '../../kube-api/types';
import { calculateResource, type PodResource } from '../resource/pod-resources';
import { cloneResource, emptyResource, newResource } from '../resource/resource';
import {
  getAffinityTerms,
  getWeightedAffinityTerms,
  type AffinityTerm,
  type WeightedAffinityTerm,
} from './affinity-term';
import type { FeatureGates, HostPortInfo, ImageStateSummary, NodeInfo, PodInfo, Resource } from './interface';
import type { NodeChangeFeed } from './node-change-feed';
import { isSelectorError } from '../../kube-api/labels';

let generationCounter = 0;

/** A fresh, process-wide increasing generation number (`nextGeneration`). */
function nextGeneration(): number {
  generationCounter += 1;
  return generationCounter;
}

/** `GetPodKey`: the UID when set, else namespace/name; pods with neither get a per-object key. */
export function podKey(pod: Pod): string {
  const uid = pod.metadata?.uid;
  if (uid) return uid;
  const name = pod.metadata?.name;
  if (name) return `${pod.metadata?.namespace ?? ''}/${name}`;
  return anonymousKey(pod);
}

const anonymousKeys = new WeakMap<object, string>();
let anonymousCounter = 0;
function anonymousKey(pod: Pod): string {
  let k = anonymousKeys.get(pod);
  if (k === undefined) {
    anonymousCounter += 1;
    k = `\u0000anonymous-${anonymousCounter}`;
    anonymousKeys.set(pod, k);
  }
  return k;
}

/**
 * `PodInfo`: the pod plus its parsed affinity terms and cached resource.
 *
 * Affinity terms that fail to parse leave every term list empty and set `parseError` to upstream's
 * aggregate text (e.g. `requiredAffinityTerms: values[0][k]: Invalid value: ...`); consumers that
 * need to reject such pods (InterPodAffinity PreFilter) read it.
 */
/** The affinity terms of a pod that declares none (shared, frozen). */
const NO_TERMS: readonly never[] = Object.freeze([]);

export class PodInfoImpl implements PodInfo {
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  readonly parseError?: string;
  /** The key the pod is indexed by in its node (`GetPodKey`). */
  readonly key: string;
  private cachedResource: PodResource | undefined;

  constructor(
    readonly pod: Pod,
    /** Gates for `calculateResource` (absent gates read as release defaults). */
    private readonly gates?: FeatureGates,
  ) {
    this.key = podKey(pod);
    const affinity = pod.spec?.affinity;
    const errs: string[] = [];
    const req = getAffinityTerms(pod, affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, '');
    const anti = getAffinityTerms(pod, affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, '');
    const pref = getWeightedAffinityTerms(
      pod,
      affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
      '',
    );
    const prefAnti = getWeightedAffinityTerms(
      pod,
      affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
      '',
    );
    const msg = (e: { error: string; upstream?: string }): string => e.upstream ?? e.error;
    if (isSelectorError(req)) errs.push(`requiredAffinityTerms: ${msg(req)}`);
    if (isSelectorError(anti)) errs.push(`requiredAntiAffinityTerms: ${msg(anti)}`);
    if (isSelectorError(pref)) errs.push(`preferredAffinityTerms: ${msg(pref)}`);
    if (isSelectorError(prefAnti)) errs.push(`preferredAntiAffinityTerms: ${msg(prefAnti)}`);
    // Most pods have no pod affinity: they share one frozen empty list per field.
    this.requiredAffinityTerms = isSelectorError(req) || req.length === 0 ? NO_TERMS : req;
    this.requiredAntiAffinityTerms = isSelectorError(anti) || anti.length === 0 ? NO_TERMS : anti;
    this.preferredAffinityTerms = isSelectorError(pref) || pref.length === 0 ? NO_TERMS : pref;
    this.preferredAntiAffinityTerms = isSelectorError(prefAnti) || prefAnti.length === 0 ? NO_TERMS : prefAnti;
    if (errs.length === 1) this.parseError = errs[0]!;
    else if (errs.length > 1) this.parseError = `[${errs.join(', ')}]`;
  }

  /**
   * `PodInfo.CalculateResource`, computed once and cached (removal must subtract the same values).
   * The result is frozen and, without scalar resources, shared by every pod with equal values
   * (see {@link sharedPodResource}); never mutate it.
   */
  calculateResource(): PodResource {
    if (this.cachedResource === undefined)
      this.cachedResource = sharedPodResource(calculateResource(this.pod, this.gates));
    return this.cachedResource;
  }
}

/** The most distinct PodResources {@link sharedPodResource} keeps; the table is emptied when full. */
export const SHARED_POD_RESOURCE_LIMIT = 10_000;
const sharedPodResources = new Map<string, PodResource>();

/**
 * One frozen PodResource per distinct (milliCPU, memory, ephemeralStorage, allowedPodNumber,
 * non0CPU, non0Mem) among those without scalar resources, so the replicas of one template (150,000
 * pods, a few hundred distinct values) hold one object instead of one each. Results with scalar
 * resources are frozen but not shared. The table is bounded by {@link SHARED_POD_RESOURCE_LIMIT}
 * (cleared when full: later pods then share a fresh object; equal values stay equal either way).
 */
export function sharedPodResource(pr: PodResource): PodResource {
  const r = pr.resource;
  if (r.scalarResources.size > 0) return freezePodResource(pr);
  const key = `${r.milliCPU},${r.memory},${r.ephemeralStorage},${r.allowedPodNumber},${pr.non0CPU},${pr.non0Mem}`;
  let shared = sharedPodResources.get(key);
  if (shared === undefined) {
    if (sharedPodResources.size >= SHARED_POD_RESOURCE_LIMIT) sharedPodResources.clear();
    shared = freezePodResource(pr);
    sharedPodResources.set(key, shared);
  }
  return shared;
}

/** Freezes a PodResource and its `resource` (a non-empty scalar map stays a Map, read-only by contract). */
function freezePodResource(pr: PodResource): PodResource {
  Object.freeze(pr.resource);
  return Object.freeze(pr);
}

/** `NewPodInfo`; `gates` affect only the cached resource (e.g. PodLevelResources). */
export function newPodInfo(pod: Pod, gates?: FeatureGates): PodInfoImpl {
  return new PodInfoImpl(pod, gates);
}

/** `podWithAffinity`: the pod declares pod affinity or anti-affinity (required or preferred). */
export function podHasAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return a != null && (a.podAffinity != null || a.podAntiAffinity != null);
}

/** One host port of a pod, after `GetHostPorts`. */
export interface HostPort {
  hostIP: string;
  protocol: string;
  hostPort: number;
}

/**
 * `GetHostPorts`: ports with hostPort > 0 of restartable init containers (restartPolicy Always)
 * first, then of regular containers. Non-restartable init containers are ignored.
 */
export function getHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const add = (ports: ContainerPort[] | undefined): void => {
    if (!Array.isArray(ports)) return;
    for (const p of ports) {
      if (p == null || typeof p.hostPort !== 'number' || p.hostPort <= 0) continue;
      out.push({ hostIP: p.hostIP ?? '', protocol: p.protocol ?? '', hostPort: p.hostPort });
    }
  };
  const inits = pod.spec?.initContainers;
  if (Array.isArray(inits)) for (const c of inits) if (c?.restartPolicy === 'Always') add(c.ports);
  const cs = pod.spec?.containers;
  if (Array.isArray(cs)) for (const c of cs) add(c?.ports);
  return out;
}

/** `HostPortInfo.sanitize`: empty IP is 0.0.0.0, empty protocol is TCP. */
function sanitizeHostPort(ip: string, protocol: string): [string, string] {
  return [ip === '' ? '0.0.0.0' : ip, protocol === '' ? 'TCP' : protocol];
}

/** `HostPortInfo.Add`. Ports <= 0 are ignored. */
function hostPortAdd(h: HostPortInfo, ip: string, protocol: string, port: number): void {
  if (port <= 0) return;
  const [i, p] = sanitizeHostPort(ip, protocol);
  const pp = `${p}/${port}`;
  let set = h.get(i);
  if (set === undefined) {
    set = new Set();
    h.set(i, set);
  }
  set.add(pp);
}

/** `HostPortInfo.Remove`; like upstream it removes the entry even if another pod also used it. */
function hostPortRemove(h: HostPortInfo, ip: string, protocol: string, port: number): void {
  if (port <= 0) return;
  const [i, p] = sanitizeHostPort(ip, protocol);
  const set = h.get(i);
  if (set === undefined) return;
  set.delete(`${p}/${port}`);
  if (set.size === 0) h.delete(i);
}

/**
 * `HostPortInfo.CheckConflict`: 0.0.0.0 conflicts with the same protocol/port on any IP; a
 * specific IP conflicts with the same protocol/port on that IP or on 0.0.0.0.
 */
export function hostPortConflict(h: HostPortInfo, ip: string, protocol: string, port: number): boolean {
  if (port <= 0) return false;
  const [i, p] = sanitizeHostPort(ip, protocol);
  const pp = `${p}/${port}`;
  if (i === '0.0.0.0') {
    for (const set of h.values()) if (set.has(pp)) return true;
    return false;
  }
  return (h.get(i)?.has(pp) ?? false) || (h.get('0.0.0.0')?.has(pp) ?? false);
}

/**
 * A node plus the aggregates of its assigned and assumed pods.
 *
 * `node` may be a placeholder (`{}`) while only pods are known (pods bound to a node the cache has
 * not seen yet); `hasNode` tells which.
 */
export class NodeInfoImpl implements NodeInfo {
  node: Node;
  name: string;
  hasNode: boolean;
  pods: PodInfoImpl[] = [];
  podsWithAffinity: PodInfoImpl[] = [];
  podsWithRequiredAntiAffinity: PodInfoImpl[] = [];
  usedPorts: HostPortInfo = new Map();
  requested: Resource = emptyResource();
  nonZeroRequested: Resource = emptyResource();
  allocatable: Resource = emptyResource();
  imageStates: Map<string, ImageStateSummary> = new Map();
  pvcRefCounts: Map<string, number> = new Map();
  generation: number = nextGeneration();
  /** The feed of the node list this NodeInfo is in, told of every new generation (not cloned). */
  changeFeed: NodeChangeFeed | undefined = undefined;

  constructor(node?: Node, name?: string) {
    this.node = node ?? {};
    this.hasNode = node !== undefined;
    this.name = node?.metadata?.name ?? name ?? '';
    if (node) this.allocatable = newResource(node.status?.allocatable);
  }

  /** `SetNode`: replaces the node object and recomputes Allocatable. Pods are kept. */
  setNode(node: Node): void {
    this.node = node;
    this.hasNode = true;
    this.name = node.metadata?.name ?? this.name;
    this.allocatable = newResource(node.status?.allocatable);
    this.bumpGeneration();
  }

  /** `RemoveNode`: forgets the node object but keeps the pods (they may still be deleted later). */
  removeNode(): void {
    this.node = {};
    this.hasNode = false;
    this.allocatable = emptyResource();
    this.imageStates = new Map();
    this.bumpGeneration();
  }

  private bumpGeneration(): void {
    this.generation = nextGeneration();
    this.changeFeed?.note(this);
  }

  /** `AddPodInfo`: appends the pod and adds its requests, ports and PVC references. */
  addPod(pi: PodInfoImpl): void {
    this.pods.push(pi);
    if (podHasAffinity(pi.pod)) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
  }

  /**
   * `RemovePod`: removes the pod (matched by PodInfo identity, else by `GetPodKey`) with upstream's
   * swap-with-last removal, and subtracts its cached resource. Returns false if it was not there.
   */
  removePod(podOrInfo: Pod | PodInfoImpl): boolean {
    const wantInfo = podOrInfo instanceof PodInfoImpl ? podOrInfo : undefined;
    const key = wantInfo ? wantInfo.key : podKey(podOrInfo as Pod);
    const idx = findIndex(this.pods, wantInfo, key);
    if (idx < 0) return false;
    const removed = this.pods[idx]!;
    swapRemove(this.pods, idx);
    const ai = this.podsWithAffinity.indexOf(removed);
    if (ai >= 0) swapRemove(this.podsWithAffinity, ai);
    const ri = this.podsWithRequiredAntiAffinity.indexOf(removed);
    if (ri >= 0) swapRemove(this.podsWithRequiredAntiAffinity, ri);
    this.update(removed, -1);
    return true;
  }

  /** `NodeInfo.update`: adds (sign 1) or subtracts (sign -1) one pod's contribution. */
  private update(pi: PodInfoImpl, sign: 1 | -1): void {
    const pr = pi.calculateResource();
    const req = this.requested;
    req.milliCPU += sign * pr.resource.milliCPU;
    req.memory += sign * pr.resource.memory;
    req.ephemeralStorage += sign * pr.resource.ephemeralStorage;
    if (pr.resource.scalarResources.size > 0) {
      for (const [name, v] of pr.resource.scalarResources) {
        req.scalarResources.set(name, (req.scalarResources.get(name) ?? 0) + sign * v);
      }
    }
    this.nonZeroRequested.milliCPU += sign * pr.non0CPU;
    this.nonZeroRequested.memory += sign * pr.non0Mem;
    const ports = getHostPorts(pi.pod);
    for (const p of ports) {
      if (sign > 0) hostPortAdd(this.usedPorts, p.hostIP, p.protocol, p.hostPort);
      else hostPortRemove(this.usedPorts, p.hostIP, p.protocol, p.hostPort);
    }
    const vols = pi.pod.spec?.volumes;
    if (Array.isArray(vols)) {
      const ns = pi.pod.metadata?.namespace ?? '';
      for (const v of vols) {
        const claim = v?.persistentVolumeClaim?.claimName;
        if (typeof claim !== 'string') continue;
        const k = `${ns}/${claim}`;
        const n = (this.pvcRefCounts.get(k) ?? 0) + sign;
        if (n <= 0) this.pvcRefCounts.delete(k);
        else this.pvcRefCounts.set(k, n);
      }
    }
    this.bumpGeneration();
  }

  /**
   * A copy whose pod lists, aggregates and maps are independent of this one (PodInfos and the
   * node object are shared, being immutable). Image summaries are shared with the cache.
   */
  clone(): NodeInfoImpl {
    const c = new NodeInfoImpl(undefined, this.name);
    c.node = this.node;
    c.hasNode = this.hasNode;
    c.pods = this.pods.slice();
    c.podsWithAffinity = this.podsWithAffinity.slice();
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.slice();
    c.usedPorts = new Map([...this.usedPorts].map(([k, v]) => [k, new Set(v)]));
    c.requested = cloneResource(this.requested);
    c.nonZeroRequested = cloneResource(this.nonZeroRequested);
    c.allocatable = cloneResource(this.allocatable);
    c.imageStates = new Map(this.imageStates);
    c.pvcRefCounts = new Map(this.pvcRefCounts);
    c.generation = this.generation;
    return c;
  }
}

function findIndex(list: readonly PodInfoImpl[], info: PodInfoImpl | undefined, key: string): number {
  if (info) {
    const i = list.indexOf(info);
    if (i >= 0) return i;
  }
  for (let i = 0; i < list.length; i++) if (list[i]!.key === key) return i;
  return -1;
}

function swapRemove<T>(list: T[], i: number): void {
  const last = list.length - 1;
  if (i !== last) list[i] = list[last]!;
  list.pop();
}
