/**
 * What every simulated controller gets from the controller manager: the store, a clock, a seeded name
 * generator, the event recorder, the cluster view, an owner index and helpers for the writes
 * controllers make (create a pod from a template, write status only when it changed).
 */
import type { Rng } from '../util/rng';
import { StatusError } from '../store/errors';
import type { ResourceRef } from '../store/registry';
import type { Store } from '../store/store';
import type { KubeObject } from '../store/types';
import type { KubeObject as ModelObject } from '../../kube-api/types';
import { admitPod, systemPriorityClass, type AdmissionLookup } from '../../kube-api/defaulting';
import type { EventRecorder } from './event-recorder';
import { jsonEqual, ownerRef, REF, type LooseObject } from './common';

/** Queue names, processed in this order on every pump. */
export const QUEUES = [
  'namespace',
  'node',
  'deployment',
  'replicaset',
  'statefulset',
  'daemonset',
  'job',
  'cronjob',
  'scheduler',
  'kubelet',
  'endpoints',
] as const;
/** One controller's work queue. */
export type QueueName = (typeof QUEUES)[number];

/** The services a controller uses. */
export interface ControllerContext {
  readonly store: Store;
  readonly rng: Rng;
  readonly events: EventRecorder;
  now(): Date;
  enqueue(queue: QueueName, key: string): void;
  /** Objects of `refKey` whose controlling owner has this uid (current stored objects). */
  owned(ownerUid: string, refKey: string): KubeObject[];
  /** Schedules `fn` after `ms` (tracked, so `whenIdle` waits for it; cleared on stop). */
  later(ms: number, fn: () => void): void;
}

/** The field manager the simulated controllers write with. */
export const CONTROLLER_MANAGER = 'kube-controller-manager';

/** Admission lookups served from the store's PriorityClasses (plus the built-in system classes). */
export function lookupFromStore(store: Store): AdmissionLookup {
  return {
    priorityClass: (name) =>
      (store.get(REF.priorityClasses, undefined, name) as ModelObject | undefined) ?? systemPriorityClass(name),
    globalDefaultPriorityClass: () =>
      store.list(REF.priorityClasses, { filter: (o) => o['globalDefault'] === true }).items[0] as
        ModelObject | undefined,
    runtimeClass: (name) => {
      try {
        return store.get(REF.runtimeClasses, undefined, name) as ModelObject | undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Runs a write, swallowing API errors (conflicts, not-found, terminating namespaces); returns success. */
export function tryWrite(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof StatusError) return false;
    throw e;
  }
}

/** Writes `status` through the status subresource unless it equals the stored status. */
export function writeStatus(
  ctx: ControllerContext,
  ref: ResourceRef,
  obj: KubeObject,
  status: Record<string, unknown>,
  manager = CONTROLLER_MANAGER,
): void {
  if (jsonEqual(obj['status'], status)) return;
  tryWrite(() => {
    ctx.store.update(
      ref,
      { ...obj, metadata: { ...obj.metadata, resourceVersion: '' }, status },
      { subresource: 'status', fieldManager: manager },
    );
  });
}

/** Returns a fresh name `${prefix}${suffix}` not used by any pod in the namespace. */
export function freshPodName(ctx: ControllerContext, namespace: string, prefix: string): string {
  for (;;) {
    const name = `${prefix}${ctx.rng.suffix()}`;
    if (!ctx.store.get(REF.pods, namespace, name)) return name;
  }
}

/**
 * Creates a pod owned by `owner` from a pod template, through admission (defaults, priority,
 * tolerations). Returns false when the store refused it (an event records why).
 */
export function createPodFromTemplate(
  ctx: ControllerContext,
  owner: KubeObject,
  template: { metadata?: LooseObject; spec?: LooseObject } | undefined,
  name: string,
  extra: { labels?: Record<string, string>; annotations?: Record<string, string>; spec?: Record<string, unknown> } = {},
): boolean {
  const tm = template?.metadata ?? {};
  const metadata: Record<string, unknown> = {
    name,
    namespace: owner.metadata.namespace,
    labels: { ...(tm['labels'] ?? {}), ...(extra.labels ?? {}) },
    ownerReferences: [ownerRef(owner)],
  };
  const annotations = { ...(tm['annotations'] ?? {}), ...(extra.annotations ?? {}) };
  if (Object.keys(annotations).length > 0) metadata['annotations'] = annotations;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: { ...structuredClone(template?.spec ?? {}), ...(extra.spec ?? {}) },
  };
  const err = admitPod(pod as ModelObject, lookupFromStore(ctx.store));
  if (err !== undefined) {
    ctx.events.record(owner, 'Warning', 'FailedCreate', `Error creating: ${err}`, controllerComponent(owner.kind));
    return false;
  }
  try {
    ctx.store.create(REF.pods, pod, { fieldManager: CONTROLLER_MANAGER });
    ctx.events.record(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, controllerComponent(owner.kind));
    return true;
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    ctx.events.record(
      owner,
      'Warning',
      'FailedCreate',
      `Error creating: ${e.message}`,
      controllerComponent(owner.kind),
    );
    return false;
  }
}

/** Deletes a pod (graceful by default), recording the controller's event. */
export function deletePod(ctx: ControllerContext, owner: KubeObject, pod: KubeObject): void {
  if (
    tryWrite(() =>
      ctx.store.delete(REF.pods, pod.metadata.namespace, pod.metadata.name!, { propagationPolicy: 'Background' }),
    )
  ) {
    ctx.events.record(
      owner,
      'Normal',
      'SuccessfulDelete',
      `Deleted pod: ${pod.metadata.name}`,
      controllerComponent(owner.kind),
    );
  }
}

/** The event source component of each controller, as upstream names it. */
export function controllerComponent(kind: string): string {
  switch (kind) {
    case 'Deployment':
      return 'deployment-controller';
    case 'ReplicaSet':
      return 'replicaset-controller';
    case 'StatefulSet':
      return 'statefulset-controller';
    case 'DaemonSet':
      return 'daemonset-controller';
    case 'Job':
      return 'job-controller';
    case 'CronJob':
      return 'cronjob-controller';
    default:
      return 'kube-controller-manager';
  }
}
