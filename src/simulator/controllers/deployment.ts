/**
 * Deployment controller (pkg/controller/deployment, simplified): finds or creates the ReplicaSet whose
 * template equals the Deployment's (`pod-template-hash`), then scales — Recreate (old to 0, then new)
 * or RollingUpdate within maxSurge / maxUnavailable driven by availability — cleans up old ReplicaSets
 * beyond revisionHistoryLimit, and writes status (replicas, updatedReplicas, readyReplicas,
 * availableReplicas, unavailableReplicas, observedGeneration, Available / Progressing conditions).
 */
import { StatusError } from '../store/errors';
import type { KubeObject } from '../store/types';
import { intOrPercent, KEY, ownerRef, REF, rfc3339, splitKey } from './common';
import { CONTROLLER_MANAGER, tryWrite, writeStatus, type ControllerContext } from './context';
import { computePodTemplateHash, POD_TEMPLATE_HASH_LABEL, templatesEqualIgnoringHash } from './pod-template-hash';

const REVISION = 'deployment.kubernetes.io/revision';

function replicasOf(o: KubeObject): number {
  return typeof o['spec']?.replicas === 'number' ? o['spec'].replicas : 1;
}

function revisionOf(o: KubeObject): number {
  return Number(o.metadata.annotations?.[REVISION] ?? 0) || 0;
}

function scaleRs(ctx: ControllerContext, dep: KubeObject, rs: KubeObject, replicas: number): void {
  if (replicasOf(rs) === replicas) return;
  const maxSurge = intOrPercent(dep['spec']?.strategy?.rollingUpdate?.maxSurge, replicasOf(dep), true, 0);
  const ok = tryWrite(() => {
    ctx.store.mutate(
      REF.replicaSets,
      rs.metadata.namespace,
      rs.metadata.name!,
      (d) => {
        d['spec'].replicas = replicas;
        d.metadata.annotations = {
          ...(d.metadata.annotations ?? {}),
          'deployment.kubernetes.io/desired-replicas': String(replicasOf(dep)),
          'deployment.kubernetes.io/max-replicas': String(replicasOf(dep) + maxSurge),
        };
      },
      { fieldManager: CONTROLLER_MANAGER },
    );
  });
  if (ok) {
    const verb = replicas > replicasOf(rs) ? 'up' : 'down';
    ctx.events.record(
      dep,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${verb} replica set ${rs.metadata.name} from ${replicasOf(rs)} to ${replicas}`,
      'deployment-controller',
    );
  }
}

/** Reconciles one Deployment by `namespace/name`. */
export function reconcileDeployment(ctx: ControllerContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const dep = ctx.store.get(REF.deployments, namespace, name);
  if (!dep || dep.metadata.deletionTimestamp !== undefined) return;
  const spec = dep['spec'] ?? {};
  const template = spec.template ?? {};
  const all = ctx
    .owned(dep.metadata.uid!, KEY.replicaSets)
    .sort(
      (a, b) =>
        revisionOf(a) - revisionOf(b) ||
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
  let newRs = all.find((rs) => templatesEqualIgnoringHash(rs['spec']?.template, template));
  const olds = all.filter((rs) => rs !== newRs);
  const want = replicasOf(dep);
  const paused = spec.paused === true;
  const maxRevision = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

  if (!newRs && !paused) {
    const collision = dep['status']?.collisionCount ?? 0;
    const hash = computePodTemplateHash(template, collision);
    const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector = {
      ...(spec.selector ?? {}),
      matchLabels: { ...(spec.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
    };
    const strategy = spec.strategy?.type ?? 'RollingUpdate';
    const activeOld = olds.reduce((s, rs) => s + replicasOf(rs), 0);
    const maxSurge = intOrPercent(spec.strategy?.rollingUpdate?.maxSurge, want, true, 0);
    const initial =
      strategy === 'Recreate'
        ? activeOld > 0
          ? 0
          : want
        : olds.length === 0
          ? want
          : Math.max(0, Math.min(want, want + maxSurge - activeOld));
    const rsName = `${name}-${hash}`;
    try {
      newRs = ctx.store.create(
        REF.replicaSets,
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rsName,
            namespace,
            labels,
            ownerReferences: [ownerRef(dep)],
            annotations: {
              [REVISION]: String(maxRevision + 1),
              'deployment.kubernetes.io/desired-replicas': String(want),
              'deployment.kubernetes.io/max-replicas': String(want + maxSurge),
            },
          },
          spec: {
            replicas: initial,
            minReadySeconds: spec.minReadySeconds ?? 0,
            selector,
            template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
          },
        },
        { fieldManager: CONTROLLER_MANAGER },
      );
      ctx.events.record(
        dep,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${rsName} from 0 to ${initial}`,
        'deployment-controller',
      );
      if (olds.length > 0) {
        tryWrite(() =>
          ctx.store.mutate(
            REF.deployments,
            namespace,
            name,
            (d) => {
              d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: String(maxRevision + 1) };
            },
            // UpdateStatus, as the deployment controller writes it: no generation bump.
            { fieldManager: CONTROLLER_MANAGER, subresource: 'status' },
          ),
        );
      }
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      if (e.status.code === 409 && collision < 100) {
        // A name collision with a foreign ReplicaSet: bump collisionCount and retry (as upstream).
        writeStatus(ctx, REF.deployments, dep, { ...(dep['status'] ?? {}), collisionCount: collision + 1 });
        ctx.enqueue('deployment', key);
      } else {
        ctx.events.record(
          dep,
          'Warning',
          'FailedCreate',
          `Failed to create new replica set "${rsName}": ${e.message}`,
          'deployment-controller',
        );
      }
      return;
    }
  }

  if (newRs && !paused) {
    if (revisionOf(dep) !== revisionOf(newRs) && revisionOf(newRs) > 0) {
      tryWrite(() =>
        ctx.store.mutate(
          REF.deployments,
          namespace,
          name,
          (d) => {
            d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: String(revisionOf(newRs!)) };
          },
          // As the deployment controller does (UpdateStatus): the annotation does not bump the generation.
          { fieldManager: CONTROLLER_MANAGER, subresource: 'status' },
        ),
      );
    }
    const activeOlds = olds.filter((rs) => replicasOf(rs) > 0);
    if (activeOlds.length === 0) {
      scaleRs(ctx, dep, newRs, want);
    } else if ((spec.strategy?.type ?? 'RollingUpdate') === 'Recreate') {
      for (const rs of activeOlds) scaleRs(ctx, dep, rs, 0);
      const oldPods = olds.reduce((s, rs) => s + (rs['status']?.replicas ?? 0), 0);
      if (oldPods === 0) scaleRs(ctx, dep, newRs, want);
    } else {
      const maxSurge = intOrPercent(spec.strategy?.rollingUpdate?.maxSurge, want, true, 0);
      let maxUnavailable = intOrPercent(spec.strategy?.rollingUpdate?.maxUnavailable, want, false, 0);
      if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
      const total = all.reduce((s, rs) => s + replicasOf(rs), 0);
      // Scale the new ReplicaSet up within the surge budget.
      const room = want + maxSurge - total;
      if (replicasOf(newRs) < want && room > 0) scaleRs(ctx, dep, newRs, Math.min(want, replicasOf(newRs) + room));
      else if (replicasOf(newRs) > want) scaleRs(ctx, dep, newRs, want);
      // Scale old ReplicaSets down within the availability budget.
      const available = all.reduce((s, rs) => s + (rs['status']?.availableReplicas ?? 0), 0);
      let canDown = available - (want - maxUnavailable);
      // Old replicas that are not available can always go.
      for (const rs of activeOlds) {
        const unavailable = replicasOf(rs) - (rs['status']?.availableReplicas ?? 0);
        if (unavailable > 0) {
          scaleRs(ctx, dep, rs, replicasOf(rs) - unavailable);
        }
      }
      for (const rs of activeOlds) {
        if (canDown <= 0) break;
        const cur = ctx.store.get(REF.replicaSets, rs.metadata.namespace, rs.metadata.name!);
        if (!cur) continue;
        const n = Math.min(replicasOf(cur), canDown);
        if (n > 0) scaleRs(ctx, dep, cur, replicasOf(cur) - n);
        canDown -= n;
      }
    }
  }

  // Clean up old, empty ReplicaSets beyond revisionHistoryLimit.
  const limit = typeof spec.revisionHistoryLimit === 'number' ? spec.revisionHistoryLimit : 10;
  const empty = olds.filter((rs) => replicasOf(rs) === 0 && (rs['status']?.replicas ?? 0) === 0);
  for (const rs of empty.slice(0, Math.max(0, empty.length - limit))) {
    tryWrite(() =>
      ctx.store.delete(REF.replicaSets, rs.metadata.namespace, rs.metadata.name!, { propagationPolicy: 'Background' }),
    );
  }

  writeDeploymentStatus(ctx, dep, newRs);
}

function writeDeploymentStatus(ctx: ControllerContext, dep: KubeObject, newRs: KubeObject | undefined): void {
  const rss = ctx.owned(dep.metadata.uid!, KEY.replicaSets);
  const cur = newRs ? ctx.store.get(REF.replicaSets, newRs.metadata.namespace, newRs.metadata.name!) : undefined;
  const sum = (f: (rs: KubeObject) => number): number => rss.reduce((s, rs) => s + f(rs), 0);
  const want = replicasOf(dep);
  const replicas = sum((rs) => rs['status']?.replicas ?? 0);
  const updated = cur?.['status']?.replicas ?? 0;
  const ready = sum((rs) => rs['status']?.readyReplicas ?? 0);
  const available = sum((rs) => rs['status']?.availableReplicas ?? 0);
  const maxUnavailable =
    (dep['spec']?.strategy?.type ?? 'RollingUpdate') === 'Recreate'
      ? 0
      : intOrPercent(dep['spec']?.strategy?.rollingUpdate?.maxUnavailable, want, false, 0);
  const old: { type: string; status: string; reason?: string; lastTransitionTime?: string; lastUpdateTime?: string }[] =
    dep['status']?.conditions ?? [];
  const t = rfc3339(ctx.now());
  const cond = (type: string, status: string, reason: string, message: string): Record<string, string> => {
    const prev = old.find((c) => c.type === type);
    const same = prev && prev.status === status && prev.reason === reason;
    return {
      type,
      status,
      lastUpdateTime: same ? (prev.lastUpdateTime ?? t) : t,
      lastTransitionTime: prev && prev.status === status ? (prev.lastTransitionTime ?? t) : t,
      reason,
      message,
    };
  };
  const isAvailable = available >= want - maxUnavailable;
  const complete = cur !== undefined && updated === want && replicas === want && available === want;
  const conditions = [
    isAvailable
      ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
    complete
      ? cond(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${cur!.metadata.name}" has successfully progressed.`,
        )
      : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${cur?.metadata.name ?? ''}" is progressing.`),
  ];
  const status: Record<string, unknown> = {
    observedGeneration: dep.metadata.generation ?? 1,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    conditions,
  };
  if (want - available > 0) status['unavailableReplicas'] = want - available;
  // DeploymentReplicaSetTerminatingReplicas (on in 1.37): pods of its ReplicaSets still terminating.
  status['terminatingReplicas'] = rss.reduce(
    (s, rs) =>
      s + ctx.owned(rs.metadata.uid!, KEY.pods).filter((p) => p.metadata.deletionTimestamp !== undefined).length,
    0,
  );
  if (dep['status']?.collisionCount !== undefined) status['collisionCount'] = dep['status'].collisionCount;
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'])
    if (status[k] === 0) delete status[k];
  writeStatus(ctx, REF.deployments, dep, status);
}
