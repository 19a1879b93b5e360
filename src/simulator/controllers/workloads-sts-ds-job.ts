/**
 * StatefulSet, DaemonSet and Job controllers (pkg/controller/{statefulset,daemon,job}, simplified).
 *
 * - StatefulSet: pods `<name>-<ordinal>` with hostname/subdomain and the ordinal labels; OrderedReady
 *   creates one ordinal at a time once the lower ones are Running and Ready and scales down from the
 *   highest ordinal; Parallel acts on all at once; a template change replaces pods from the highest
 *   ordinal down (controller-revision-hash). volumeClaimTemplates are not turned into PVCs.
 * - DaemonSet: one pod per eligible node (nodeSelector / required node affinity, taints against the
 *   template's tolerations plus the daemon tolerations), pinned with node affinity on `metadata.name`
 *   like the real controller, so the scheduler still binds it; misplaced and surplus pods are deleted.
 * - Job: keeps min(parallelism, remaining completions) pods active, counts Succeeded pods, and sets
 *   SuccessCriteriaMet + Complete with completionTime (or Failed after backoffLimit); Indexed jobs get
 *   completion indexes.
 */
import type { Node, Pod } from '../../kube-api/types';
import { getRequiredNodeAffinity } from '../../kube-api/node-affinity';
import { daemonPodAffinity, daemonSetTolerations } from '../../kube-api/daemonset';
import { tolerationsTolerateTaint } from '../../kube-api/tolerations';
import type { KubeObject } from '../store/types';
import { isActive, isReady, isTerminal, KEY, REF, rfc3339, splitKey, type LooseObject } from './common';
import {
  CONTROLLER_MANAGER,
  createPodFromTemplate,
  deletePod,
  freshPodName,
  tryWrite,
  writeStatus,
  type ControllerContext,
} from './context';
import type { ClusterState } from './placement';
import { computePodTemplateHash } from './pod-template-hash';

/** Reconciles one StatefulSet by `namespace/name`. */
export function reconcileStatefulSet(ctx: ControllerContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const sts = ctx.store.get(REF.statefulSets, namespace, name);
  if (!sts || sts.metadata.deletionTimestamp !== undefined) return;
  const spec = sts['spec'] ?? {};
  const want: number = typeof spec.replicas === 'number' ? spec.replicas : 1;
  // While the spec is unchanged since the last observed generation, keep the recorded revision, so
  // pods from a real cluster's snapshot (whose revision hashes we cannot recompute) are not replaced.
  const observed =
    sts['status']?.observedGeneration === (sts.metadata.generation ?? 1) &&
    typeof sts['status']?.updateRevision === 'string';
  const revision: string = observed ? sts['status'].updateRevision : `${name}-${computePodTemplateHash(spec.template)}`;
  const parallel = spec.podManagementPolicy === 'Parallel';
  const pods = ctx.owned(sts.metadata.uid!, KEY.pods);
  const byOrdinal = new Map<number, KubeObject>();
  for (const p of pods) {
    const m = /-(\d+)$/.exec(p.metadata.name!);
    if (m && p.metadata.name === `${name}-${m[1]}`) byOrdinal.set(Number(m[1]), p);
  }
  let blocked = false;
  for (let i = 0; i < want; i++) {
    const p = byOrdinal.get(i);
    if (!p) {
      if (!blocked || parallel) {
        const podName = `${name}-${i}`;
        createPodFromTemplate(ctx, sts, spec.template, podName, {
          labels: {
            'apps.kubernetes.io/pod-index': String(i),
            'controller-revision-hash': revision,
            'statefulset.kubernetes.io/pod-name': podName,
          },
          spec: { hostname: podName, subdomain: spec.serviceName ?? name },
        });
      }
      blocked = true;
      continue;
    }
    if (isTerminal(p) && p.metadata.deletionTimestamp === undefined) {
      deletePod(ctx, sts, p);
      blocked = true;
      continue;
    }
    if (!isActive(p) || !isReady(p)) blocked = true;
  }
  // Scale down from the highest ordinal.
  const extra = [...byOrdinal.keys()].filter((i) => i >= want).sort((a, b) => b - a);
  for (const i of extra) {
    const p = byOrdinal.get(i)!;
    if (p.metadata.deletionTimestamp === undefined) deletePod(ctx, sts, p);
    if (!parallel) break;
  }
  // Rolling update: replace the highest-ordinal outdated pod once all others are ready.
  if (extra.length === 0 && !blocked && (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const partition: number = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let i = want - 1; i >= partition; i--) {
      const p = byOrdinal.get(i);
      if (p && p.metadata.labels?.['controller-revision-hash'] !== revision) {
        deletePod(ctx, sts, p);
        break;
      }
    }
  }
  const active = pods.filter(isActive);
  const ready = active.filter(isReady).length;
  const updated = active.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
  const status: Record<string, unknown> = {
    observedGeneration: sts.metadata.generation ?? 1,
    replicas: active.length,
    readyReplicas: ready,
    currentReplicas: updated,
    updatedReplicas: updated,
    availableReplicas: ready,
    currentRevision: revision,
    updateRevision: revision,
    collisionCount: sts['status']?.collisionCount ?? 0,
  };
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
  writeStatus(ctx, REF.statefulSets, sts, status);
}

/** Whether a DaemonSet's pods should run on a node (`NodeShouldRunDaemonPod`, predicates only). */
export function nodeShouldRunDaemonPod(ds: KubeObject, node: KubeObject): boolean {
  const tspec = ds['spec']?.template?.spec ?? {};
  const tolerations = daemonSetTolerations(tspec.tolerations, tspec.hostNetwork === true);
  for (const taint of node['spec']?.taints ?? []) {
    if (
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerationsTolerateTaint(tolerations, taint, false).tolerated
    )
      return false;
  }
  return getRequiredNodeAffinity({ spec: tspec } as Pod).match(node as Node);
}

/** Reconciles one DaemonSet by `namespace/name` against every node. */
export function reconcileDaemonSet(ctx: ControllerContext, state: ClusterState, key: string): void {
  const { namespace, name } = splitKey(key);
  const ds = ctx.store.get(REF.daemonSets, namespace, name);
  if (!ds || ds.metadata.deletionTimestamp !== undefined) return;
  const spec = ds['spec'] ?? {};
  const hash = computePodTemplateHash(spec.template);
  const generation = String(ds.metadata.generation ?? 1);
  const byNode = new Map<string, KubeObject[]>();
  const unpinned: KubeObject[] = [];
  const owned = ctx.owned(ds.metadata.uid!, KEY.pods);
  const pods = owned.filter(isActive);
  for (const p of pods) {
    const target =
      p['spec']?.nodeName ??
      p['spec']?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]
        ?.matchFields?.[0]?.values?.[0];
    if (typeof target !== 'string') {
      unpinned.push(p);
      continue;
    }
    const list = byNode.get(target) ?? [];
    list.push(p);
    byNode.set(target, list);
  }
  for (const p of unpinned) deletePod(ctx, ds, p);
  let desired = 0;
  let scheduled = 0;
  let ready = 0;
  let updated = 0;
  let misscheduled = 0;
  const maxUnavailable =
    typeof spec.updateStrategy?.rollingUpdate?.maxUnavailable === 'number'
      ? spec.updateStrategy.rollingUpdate.maxUnavailable
      : 1;
  // Pods being replaced or not ready yet use up the rolling update's maxUnavailable.
  let budget =
    maxUnavailable -
    owned.filter((p) => p.metadata.deletionTimestamp !== undefined).length -
    pods.filter((p) => !isReady(p)).length;
  const nodeNames = new Set<string>();
  for (const node of state.nodes()) {
    const nodeName = node.metadata.name!;
    nodeNames.add(nodeName);
    const should = nodeShouldRunDaemonPod(ds, node);
    const here = byNode.get(nodeName) ?? [];
    if (!should) {
      if (here.some((p) => p['spec']?.nodeName)) misscheduled++;
      for (const p of here) deletePod(ctx, ds, p);
      continue;
    }
    desired++;
    if (here.length === 0) {
      const tspec = spec.template?.spec ?? {};
      createPodFromTemplate(ctx, ds, spec.template, freshPodName(ctx, namespace, `${name}-`), {
        labels: { 'controller-revision-hash': hash, 'pod-template-generation': generation },
        spec: {
          affinity: { ...(tspec.affinity ?? {}), ...daemonPodAffinity(nodeName) },
          tolerations: daemonSetTolerations(tspec.tolerations, tspec.hostNetwork === true),
        },
      });
      continue;
    }
    for (const p of here.slice(1)) deletePod(ctx, ds, p);
    const p = here[0]!;
    if (p['spec']?.nodeName) scheduled++;
    if (isReady(p)) ready++;
    // Upstream accepts either the revision hash or the legacy pod-template-generation label.
    if (
      p.metadata.labels?.['controller-revision-hash'] === hash ||
      p.metadata.labels?.['pod-template-generation'] === generation
    )
      updated++;
    else if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && budget > 0 && isReady(p)) {
      budget--;
      deletePod(ctx, ds, p);
    }
  }
  for (const [n, ps] of byNode) if (!nodeNames.has(n)) for (const p of ps) deletePod(ctx, ds, p);
  writeStatus(ctx, REF.daemonSets, ds, {
    currentNumberScheduled: scheduled,
    desiredNumberScheduled: desired,
    numberAvailable: ready || undefined,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: updated || undefined,
    numberUnavailable: desired - ready || undefined,
  });
}

const INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

/** Reconciles one Job by `namespace/name`. */
export function reconcileJob(ctx: ControllerContext, key: string): void {
  const { namespace, name } = splitKey(key);
  let job = ctx.store.get(REF.jobs, namespace, name);
  if (!job || job.metadata.deletionTimestamp !== undefined) return;
  const uid = job.metadata.uid!;
  if (!job['spec']?.selector && job['spec']?.manualSelector !== true) {
    // The store's Job strategy generates the selector at create time; a restored Job may lack it.
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    const ok = tryWrite(() => {
      job = ctx.store.mutate(
        REF.jobs,
        namespace,
        name,
        (d) => {
          d['spec'].selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
          d['spec'].template = {
            ...(d['spec'].template ?? {}),
            metadata: {
              ...(d['spec'].template?.metadata ?? {}),
              labels: { ...(d['spec'].template?.metadata?.labels ?? {}), ...labels },
            },
          };
        },
        { fieldManager: CONTROLLER_MANAGER },
      );
    });
    if (!ok) return;
  }
  const j = job!;
  const spec = j['spec'] ?? {};
  const status = { ...(j['status'] ?? {}) } as LooseObject;
  const conds: { type: string; status: string }[] = status['conditions'] ?? [];
  const finished = conds.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const pods = ctx.owned(uid, KEY.pods);
  const active = pods.filter(isActive);
  const succeededPods = pods.filter((p) => p['status']?.phase === 'Succeeded');
  const failed = Math.max(status['failed'] ?? 0, pods.filter((p) => p['status']?.phase === 'Failed').length);
  const succeeded = Math.max(status['succeeded'] ?? 0, succeededPods.length);
  const t = rfc3339(ctx.now());
  const indexed = spec.completionMode === 'Indexed';
  const completions: number | undefined = typeof spec.completions === 'number' ? spec.completions : undefined;
  const parallelism: number = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
  status['startTime'] ??= t;
  if (!finished) {
    const complete = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
    const backoff: number = typeof spec.backoffLimit === 'number' ? spec.backoffLimit : 6;
    if (complete) {
      for (const p of active) deletePod(ctx, j, p);
      status['conditions'] = [
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          lastProbeTime: t,
          lastTransitionTime: t,
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        },
        {
          type: 'Complete',
          status: 'True',
          lastProbeTime: t,
          lastTransitionTime: t,
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        },
      ];
      status['completionTime'] = t;
      ctx.events.record(j, 'Normal', 'Completed', 'Job completed', 'job-controller');
    } else if (failed > backoff) {
      for (const p of active) deletePod(ctx, j, p);
      status['conditions'] = [
        {
          type: 'FailureTarget',
          status: 'True',
          lastProbeTime: t,
          lastTransitionTime: t,
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
        {
          type: 'Failed',
          status: 'True',
          lastProbeTime: t,
          lastTransitionTime: t,
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ];
    } else if (spec.suspend === true) {
      for (const p of active) deletePod(ctx, j, p);
    } else {
      const remaining = completions !== undefined ? completions - succeeded : parallelism;
      const wantActive = Math.max(0, Math.min(parallelism, remaining));
      if (active.length < wantActive) {
        const busy = new Set<string>(
          [...active, ...succeededPods].map((p) => p.metadata.annotations?.[INDEX_ANNOTATION] ?? ''),
        );
        let index = 0;
        for (let n = active.length; n < wantActive; n++) {
          if (indexed) {
            while (busy.has(String(index))) index++;
            busy.add(String(index));
            createPodFromTemplate(ctx, j, spec.template, freshPodName(ctx, namespace, `${name}-${index}-`), {
              labels: { 'batch.kubernetes.io/job-completion-index': String(index) },
              annotations: { [INDEX_ANNOTATION]: String(index) },
              spec: { hostname: `${name}-${index}` },
            });
          } else createPodFromTemplate(ctx, j, spec.template, freshPodName(ctx, namespace, `${name}-`));
        }
      } else if (active.length > wantActive) {
        for (const p of active.slice(wantActive)) deletePod(ctx, j, p);
      }
    }
  }
  const stillActive = ctx.owned(uid, KEY.pods).filter(isActive);
  status['active'] = stillActive.length || undefined;
  status['ready'] = stillActive.filter(isReady).length;
  status['succeeded'] = succeeded || undefined;
  status['failed'] = failed || undefined;
  status['terminating'] = 0;
  status['uncountedTerminatedPods'] = {};
  if (indexed) {
    const idx = succeededPods
      .map((p) => Number(p.metadata.annotations?.[INDEX_ANNOTATION]))
      .filter((n) => Number.isInteger(n))
      .sort((a, b) => a - b);
    if (idx.length > 0) status['completedIndexes'] = [...new Set(idx)].join(',');
  }
  writeStatus(ctx, REF.jobs, j, status);
  if (j.metadata.ownerReferences?.some((r) => r.kind === 'CronJob')) {
    const owner = j.metadata.ownerReferences.find((r) => r.kind === 'CronJob')!;
    ctx.enqueue('cronjob', `${namespace}/${owner.name}`);
  }
}
