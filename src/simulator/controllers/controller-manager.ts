/**
 * The controller manager: one store subscription feeds per-controller work queues (deduplicated keys),
 * which a pump drains in a fixed order in bounded batches, yielding to I/O between batches. Every
 * reconcile re-reads the store and is idempotent, so events may be coalesced or repeated freely.
 * Deterministic for a given store history and seed; no polling — work only follows store events and
 * the kubelet's explicit timers.
 *
 * Garbage collection of owned objects is not here: the store cascades deletes through ownerReferences
 * itself. Pods bound to a deleted node are force-deleted (PodGC).
 */
import { Rng } from '../util/rng';
import type { Store } from '../store/store';
import type { KubeObject, WatchEvent } from '../store/types';
import { controllerOf, isReady, isTerminal, jsonEqual, KEY, objKey, REF, splitKey } from './common';
import { QUEUES, tryWrite, type ControllerContext, type QueueName } from './context';
import { reconcileCronJob } from './cronjob';
import { reconcileDeployment } from './deployment';
import { EventRecorder, type EventMode } from './event-recorder';
import { Kubelet, type KubeletOptions } from './kubelet';
import { reconcileEndpoints, serviceSelector } from './endpoints';
import { reconcileNamespace, PLACEHOLDER_CA } from './namespace-defaults';
import { NodeLifecycle } from './node-lifecycle';
import { createPlacementPolicy } from './model-policy';
import { podRequest, type ClusterState, type NodeUsage, type PlacementPolicy } from './placement';
import { reconcileReplicaSet } from './replicaset';
import { needsScheduling, SchedulerLoop } from './scheduler-loop';
import { reconcileDaemonSet, reconcileJob, reconcileStatefulSet } from './workloads-sts-ds-job';

/** Options of the controller manager. */
export interface ControllerManagerOptions {
  /** Node choice (default: `createPlacementPolicy()`). */
  policy?: PlacementPolicy;
  /** Seed for generated names (default 1). */
  seed?: number;
  /** Clock for timestamps (default `new Date()`). */
  now?: () => Date;
  /** Kubelet stage delays (default all 0). */
  kubelet?: KubeletOptions;
  /** Reconciles per pump before yielding to I/O (default 2000). */
  batchSize?: number;
  /** Longest a pump runs before yielding to I/O, in ms (default 50), so the API stays responsive. */
  sliceMs?: number;
  /** Which events to record (default 'all'). */
  events?: EventMode;
  /** PEM bundle for every namespace's `kube-root-ca.crt` ConfigMap (default: a placeholder). */
  rootCA?: string;
  /** Initialise bare nodes and create node Leases (default true). */
  nodeLifecycle?: boolean;
  /** Renew node Leases every this many ms (default 0: never; kubelets use 10 s). */
  nodeHeartbeatMs?: number;
}

const RETRY_NODE_FIELDS = (n: KubeObject): unknown => [n.metadata.labels, n['spec'], n['status']?.allocatable];

class StoreClusterState implements ClusterState {
  private readonly nodeMap = new Map<string, KubeObject>();
  private nodeList: KubeObject[] | undefined;
  private readonly usageMap = new Map<string, NodeUsage>();

  constructor(private readonly store: Store) {}

  nodes(): readonly KubeObject[] {
    this.nodeList ??= [...this.nodeMap.values()];
    return this.nodeList;
  }

  node(name: string): KubeObject | undefined {
    return this.nodeMap.get(name);
  }

  podsOnNode(name: string): readonly KubeObject[] {
    return this.store.list(REF.pods, { nodeName: name }).items.filter((p) => !isTerminal(p));
  }

  usage(name: string): NodeUsage {
    return this.usageMap.get(name) ?? { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalars: new Map() };
  }

  /** Forgets everything (before a fresh initial sync). */
  reset(): void {
    this.nodeMap.clear();
    this.usageMap.clear();
    this.nodeList = undefined;
  }

  setNode(n: KubeObject | undefined, name: string): void {
    if (n) this.nodeMap.set(name, n);
    else this.nodeMap.delete(name);
    this.nodeList = undefined;
  }

  /** Applies one pod change to the per-node usage totals. */
  podChanged(prev: KubeObject | undefined, next: KubeObject | undefined): void {
    const counted = (p: KubeObject | undefined): p is KubeObject =>
      p !== undefined && !!p['spec']?.nodeName && !isTerminal(p);
    if (counted(prev)) this.add(prev['spec'].nodeName, podRequest(prev), -1);
    if (counted(next)) this.add(next['spec'].nodeName, podRequest(next), 1);
  }

  private add(node: string, r: NodeUsage, sign: number): void {
    let u = this.usageMap.get(node);
    if (!u) this.usageMap.set(node, (u = { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalars: new Map() }));
    u.milliCpu += sign * r.milliCpu;
    u.memory += sign * r.memory;
    u.ephemeralStorage += sign * r.ephemeralStorage;
    u.pods += sign;
    for (const [k, v] of r.scalars) u.scalars.set(k, (u.scalars.get(k) ?? 0) + sign * v);
  }
}

/** Runs the simulated scheduler, kubelets and workload controllers against a store. */
export class ControllerManager {
  private readonly queues = new Map<QueueName, Set<string>>(QUEUES.map((q) => [q, new Set<string>()]));
  private readonly ownedIndex = new Map<string, Map<string, Set<string>>>();
  private readonly state: StoreClusterState;
  private readonly ctx: ControllerContext;
  private readonly scheduler: SchedulerLoop;
  private readonly policy: PlacementPolicy;
  private readonly kubelet: Kubelet;
  private readonly nodes: NodeLifecycle | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cronTimers = new Map<string, NodeJS.Timeout>();
  private readonly servicesByNs = new Map<
    string,
    Map<string, (labels: Record<string, string> | undefined) => boolean>
  >();
  private readonly idleWaiters: (() => void)[] = [];
  private unsubscribe: (() => void) | undefined;
  private pumpScheduled = false;
  private running = false;
  private readonly batchSize: number;
  private readonly sliceMs: number;
  private readonly rootCA: string;

  /** Creates a manager; call `start()` to begin. */
  constructor(
    private readonly store: Store,
    opts: ControllerManagerOptions = {},
  ) {
    const now = opts.now ?? ((): Date => new Date());
    const rng = new Rng(opts.seed ?? 1);
    this.batchSize = opts.batchSize ?? 2000;
    this.sliceMs = opts.sliceMs ?? 50;
    this.rootCA = opts.rootCA ?? PLACEHOLDER_CA;
    this.state = new StoreClusterState(store);
    this.ctx = {
      store,
      rng,
      events: new EventRecorder(store, rng, now, opts.events ?? 'all'),
      now,
      enqueue: (q, k) => this.enqueue(q, k),
      owned: (uid, refKey) => this.owned(uid, refKey),
      later: (ms, fn) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (this.running) fn();
          this.checkIdle();
        }, ms);
        this.timers.add(t);
      },
    };
    this.policy = opts.policy ?? createPlacementPolicy();
    this.scheduler = new SchedulerLoop(this.ctx, this.policy, this.state);
    this.kubelet = new Kubelet(this.ctx, this.state, opts.kubelet ?? {});
    this.nodes = opts.nodeLifecycle === false ? undefined : new NodeLifecycle(this.ctx);
    this.heartbeatMs = opts.nodeHeartbeatMs ?? 0;
  }

  /** Subscribes to the store and queues work for every existing object. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.state.reset();
    this.ownedIndex.clear();
    this.servicesByNs.clear();
    this.policy.attach?.(this.store);
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e));
    const kinds = [
      REF.services,
      REF.namespaces,
      REF.nodes,
      REF.pods,
      REF.replicaSets,
      REF.deployments,
      REF.statefulSets,
      REF.daemonSets,
      REF.jobs,
      REF.cronJobs,
    ];
    for (const ref of kinds) {
      const refKey = `${ref.group}/${ref.resource}`;
      for (const o of this.store.list(ref).items)
        this.onEvent({ type: 'ADDED', object: o, resourceVersion: Number(o.metadata.resourceVersion), refKey });
    }
    if (this.nodes && this.heartbeatMs > 0) {
      const nodes = this.nodes;
      this.heartbeat = setInterval(() => nodes.renewAll(), this.heartbeatMs);
      this.heartbeat.unref();
    }
    this.schedulePump();
  }

  /** Stops reacting to the store and cancels timers. Pending queue entries are dropped. */
  stop(): void {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.policy.detach?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const t of this.cronTimers.values()) clearTimeout(t);
    this.cronTimers.clear();
    for (const q of this.queues.values()) q.clear();
    this.checkIdle();
  }

  /** Resolves once every queue is empty and no kubelet timer is pending (the cluster has settled). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The pods that failed to schedule and wait for a cluster change (`namespace/name` keys). */
  get unschedulablePods(): ReadonlySet<string> {
    return this.scheduler.unschedulable;
  }

  private isIdle(): boolean {
    if (this.timers.size > 0) return false;
    for (const q of this.queues.values()) if (q.size > 0) return false;
    return true;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const w = this.idleWaiters.splice(0);
    for (const r of w) r();
  }

  private enqueue(q: QueueName, key: string): void {
    if (!this.running) return;
    this.queues.get(q)!.add(key);
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.pumpScheduled || !this.running) return;
    this.pumpScheduled = true;
    setImmediate(() => this.pump());
  }

  private pump(): void {
    this.pumpScheduled = false;
    if (!this.running) return;
    let budget = this.batchSize;
    const deadline = Date.now() + this.sliceMs;
    const shouldYield = (): boolean => budget <= 0 || Date.now() >= deadline;
    let progressed = true;
    while (!shouldYield() && progressed) {
      progressed = false;
      for (const name of QUEUES) {
        const q = this.queues.get(name)!;
        if (q.size === 0) continue;
        progressed = true;
        if (name === 'scheduler') {
          const keys = [...q];
          q.clear();
          const left = this.scheduler.scheduleBatch(keys, () => {
            budget--;
            return shouldYield();
          });
          for (const k of left) q.add(k);
          continue;
        }
        while (q.size > 0 && !shouldYield()) {
          const k = q.values().next().value!;
          q.delete(k);
          budget--;
          this.reconcile(name, k);
        }
      }
    }
    if ([...this.queues.values()].some((q) => q.size > 0)) this.schedulePump();
    this.checkIdle();
  }

  private reconcile(q: QueueName, key: string): void {
    switch (q) {
      case 'deployment':
        return reconcileDeployment(this.ctx, key);
      case 'replicaset':
        return reconcileReplicaSet(this.ctx, key);
      case 'statefulset':
        return reconcileStatefulSet(this.ctx, key);
      case 'daemonset':
        return reconcileDaemonSet(this.ctx, this.state, key);
      case 'job':
        return reconcileJob(this.ctx, key);
      case 'cronjob':
        return reconcileCronJob(this.ctx, key, (k, ms) => this.wakeCronJob(k, ms));
      case 'kubelet':
        return this.kubelet.sync(key);
      case 'node':
        return this.nodes?.sync(key);
      case 'namespace':
        return reconcileNamespace(this.ctx, key, this.rootCA);
      case 'endpoints':
        return reconcileEndpoints(this.ctx, key);
      case 'scheduler':
        this.scheduler.scheduleBatch([key], () => false);
        return;
    }
  }

  private wakeCronJob(key: string, ms: number): void {
    clearTimeout(this.cronTimers.get(key));
    const t = setTimeout(
      () => {
        this.cronTimers.delete(key);
        this.enqueue('cronjob', key);
      },
      Math.min(ms, 2 ** 31 - 1),
    );
    t.unref();
    this.cronTimers.set(key, t);
  }

  /** PodGC: pods bound to a node that no longer exists are force-deleted (`gcOrphaned`). */
  private collectPodsOf(nodeName: string): void {
    for (const p of this.store.list(REF.pods, { nodeName }).items) {
      tryWrite(() => this.store.delete(REF.pods, p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: 0 }));
    }
  }

  private owned(uid: string, refKey: string): KubeObject[] {
    const keys = this.ownedIndex.get(uid)?.get(refKey);
    if (!keys) return [];
    const slash = refKey.indexOf('/');
    const ref = { group: refKey.slice(0, slash), resource: refKey.slice(slash + 1) };
    const out: KubeObject[] = [];
    for (const k of keys) {
      const { namespace, name } = splitKey(k);
      const o = this.store.get(ref, namespace, name);
      if (o && controllerOf(o)?.uid === uid) out.push(o);
    }
    return out;
  }

  private index(e: WatchEvent): void {
    const prevOwner = e.previous ? controllerOf(e.previous)?.uid : undefined;
    const owner = e.type === 'DELETED' ? undefined : controllerOf(e.object)?.uid;
    const key = objKey(e.object);
    if (prevOwner && prevOwner !== owner) this.ownedIndex.get(prevOwner)?.get(e.refKey)?.delete(key);
    if (e.type === 'DELETED') {
      const o = controllerOf(e.object)?.uid;
      if (o) this.ownedIndex.get(o)?.get(e.refKey)?.delete(key);
    }
    if (owner) {
      let m = this.ownedIndex.get(owner);
      if (!m) this.ownedIndex.set(owner, (m = new Map()));
      let s = m.get(e.refKey);
      if (!s) m.set(e.refKey, (s = new Set()));
      s.add(key);
    }
    if (e.type === 'DELETED' && e.object.metadata.uid) this.ownedIndex.delete(e.object.metadata.uid);
  }

  /** Queues the Services whose selector matches the pod before or after the change. */
  private enqueueServicesFor(e: WatchEvent): void {
    const ns = e.object.metadata.namespace!;
    const services = this.servicesByNs.get(ns);
    if (!services || services.size === 0) return;
    const podIP = (p: KubeObject | undefined): unknown => p?.['status']?.podIP;
    const relevant = (p: KubeObject | undefined): unknown =>
      p && [p.metadata.labels, podIP(p), isReady(p), p.metadata.deletionTimestamp, p['status']?.phase];
    if (e.type === 'MODIFIED' && e.previous && jsonEqual(relevant(e.previous), relevant(e.object))) return;
    for (const [name, match] of services) {
      if (match(e.object.metadata.labels) || (e.previous && match(e.previous.metadata.labels)))
        this.enqueue('endpoints', `${ns}/${name}`);
    }
  }

  private enqueueOwner(o: KubeObject): void {
    const ref = controllerOf(o);
    if (!ref) return;
    const key = `${o.metadata.namespace}/${ref.name}`;
    switch (ref.kind) {
      case 'ReplicaSet':
        return this.enqueue('replicaset', key);
      case 'Deployment':
        return this.enqueue('deployment', key);
      case 'StatefulSet':
        return this.enqueue('statefulset', key);
      case 'DaemonSet':
        return this.enqueue('daemonset', key);
      case 'Job':
        return this.enqueue('job', key);
      case 'CronJob':
        return this.enqueue('cronjob', key);
      default:
        return;
    }
  }

  private onEvent(e: WatchEvent): void {
    const o = e.object;
    const key = objKey(o);
    switch (e.refKey) {
      case KEY.pods: {
        this.state.podChanged(e.type === 'ADDED' ? undefined : e.previous, e.type === 'DELETED' ? undefined : o);
        this.index(e);
        this.enqueueOwner(o);
        this.enqueueServicesFor(e);
        if (e.type === 'DELETED') {
          this.scheduler.unschedulable.delete(key);
          if (o['spec']?.nodeName && !isTerminal(o)) this.scheduler.retryUnschedulable();
          return;
        }
        if (needsScheduling(o)) {
          const specChanged = e.type === 'ADDED' || !e.previous || !jsonEqual(e.previous['spec'], o['spec']);
          if (specChanged) this.enqueue('scheduler', key);
        } else if (Kubelet.interested(o)) this.enqueue('kubelet', key);
        if (e.previous && e.previous['spec']?.nodeName && !isTerminal(e.previous) && isTerminal(o))
          this.scheduler.retryUnschedulable();
        return;
      }
      case KEY.nodes: {
        this.state.setNode(e.type === 'DELETED' ? undefined : o, o.metadata.name!);
        if (e.type === 'DELETED') this.collectPodsOf(o.metadata.name!);
        else if (this.nodes && (e.type === 'ADDED' || NodeLifecycle.needsInit(o))) this.enqueue('node', key);
        if (e.type !== 'MODIFIED' || !e.previous || !jsonEqual(RETRY_NODE_FIELDS(e.previous), RETRY_NODE_FIELDS(o))) {
          this.scheduler.retryUnschedulable();
          for (const ds of this.store.list(REF.daemonSets).items) this.enqueue('daemonset', objKey(ds));
        }
        return;
      }
      case KEY.services:
        if (e.type === 'DELETED') {
          this.servicesByNs.get(o.metadata.namespace!)?.delete(o.metadata.name!);
          // Endpoints carry no ownerReference; the endpoints controller removes them itself.
          if (serviceSelector(o))
            tryWrite(() =>
              this.store.delete({ group: '', resource: 'endpoints' }, o.metadata.namespace, o.metadata.name!),
            );
        } else {
          let m = this.servicesByNs.get(o.metadata.namespace!);
          if (!m) this.servicesByNs.set(o.metadata.namespace!, (m = new Map()));
          const match = serviceSelector(o);
          if (match) m.set(o.metadata.name!, match);
          else m.delete(o.metadata.name!);
          if (match) this.enqueue('endpoints', key);
        }
        return;
      case KEY.namespaces:
        if (e.type !== 'DELETED') this.enqueue('namespace', key);
        return;
      case KEY.deployments:
        return this.enqueue('deployment', key);
      case KEY.replicaSets:
        this.index(e);
        this.enqueueOwner(o);
        return this.enqueue('replicaset', key);
      case KEY.statefulSets:
        return this.enqueue('statefulset', key);
      case KEY.daemonSets:
        return this.enqueue('daemonset', key);
      case KEY.jobs:
        this.index(e);
        this.enqueueOwner(o);
        return this.enqueue('job', key);
      case KEY.cronJobs:
        if (e.type === 'DELETED') {
          clearTimeout(this.cronTimers.get(key));
          this.cronTimers.delete(key);
          return;
        }
        return this.enqueue('cronjob', key);
      default:
        return;
    }
  }
}
