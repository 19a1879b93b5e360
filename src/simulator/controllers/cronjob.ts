/**
 * CronJob controller (pkg/controller/cronjob, minimal): at each scheduled time (UTC) it creates a Job
 * `<name>-<minutes since epoch>` from spec.jobTemplate, honouring suspend and concurrencyPolicy
 * (Allow / Forbid / Replace), keeps status.active and lastScheduleTime / lastSuccessfulTime, and trims
 * finished Jobs to the history limits. Only the most recent missed run is started, as upstream does
 * when several were missed. It wakes itself with one unref'd timer per CronJob (not counted by
 * `whenIdle`).
 */
import type { KubeObject } from '../store/types';
import { KEY, ownerRef, REF, rfc3339, splitKey, type LooseObject } from './common';
import { CONTROLLER_MANAGER, tryWrite, writeStatus, type ControllerContext } from './context';
import { nextRun, parseCron } from './cron-schedule';

function finished(job: KubeObject): 'Complete' | 'Failed' | undefined {
  for (const c of job['status']?.conditions ?? [])
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  return undefined;
}

/** Reconciles one CronJob; `wake(ms)` asks to be called again later. */
export function reconcileCronJob(ctx: ControllerContext, key: string, wake: (key: string, ms: number) => void): void {
  const { namespace, name } = splitKey(key);
  const cj = ctx.store.get(REF.cronJobs, namespace, name);
  if (!cj || cj.metadata.deletionTimestamp !== undefined) return;
  const spec = cj['spec'] ?? {};
  const sched = parseCron(String(spec.schedule ?? ''));
  if (typeof sched === 'string') {
    ctx.events.record(
      cj,
      'Warning',
      'UnparseableSchedule',
      `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${sched}`,
      'cronjob-controller',
    );
    return;
  }
  const now = ctx.now();
  let jobs = ctx.owned(cj.metadata.uid!, KEY.jobs);
  const status = { ...(cj['status'] ?? {}) } as LooseObject;
  const last = new Date(status['lastScheduleTime'] ?? cj.metadata.creationTimestamp ?? now.toISOString());
  // The most recent scheduled time in (last, now], looking at no more than 100 missed runs.
  let due: Date | undefined;
  let t = nextRun(sched, last);
  for (let i = 0; t && t.getTime() <= now.getTime() && i < 100; i++) {
    due = t;
    t = nextRun(sched, t);
  }
  if (due && spec.suspend !== true) {
    const active = jobs.filter((j) => !finished(j));
    const policy = spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      // Skipped; upstream retries until the next schedule.
    } else {
      if (policy === 'Replace')
        for (const j of active)
          tryWrite(() => ctx.store.delete(REF.jobs, namespace, j.metadata.name!, { propagationPolicy: 'Background' }));
      const jobName = `${name}-${Math.floor(due.getTime() / 60000)}`;
      const tmpl = spec.jobTemplate ?? {};
      const created = tryWrite(() => {
        ctx.store.create(
          REF.jobs,
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: jobName,
              namespace,
              labels: { ...(tmpl.metadata?.labels ?? {}) },
              annotations: {
                ...(tmpl.metadata?.annotations ?? {}),
                'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339(due!),
              },
              ownerReferences: [ownerRef(cj)],
            },
            spec: structuredClone(tmpl.spec ?? {}),
          },
          { fieldManager: CONTROLLER_MANAGER },
        );
      });
      if (created) ctx.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`, 'cronjob-controller');
      status['lastScheduleTime'] = rfc3339(due);
      jobs = ctx.owned(cj.metadata.uid!, KEY.jobs);
    }
  }
  // History limits.
  const byTime = (a: KubeObject, b: KubeObject): number =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
    a.metadata.name!.localeCompare(b.metadata.name!);
  for (const [kind, limit] of [
    ['Complete', spec.successfulJobsHistoryLimit ?? 3],
    ['Failed', spec.failedJobsHistoryLimit ?? 1],
  ] as const) {
    const done = jobs.filter((j) => finished(j) === kind).sort(byTime);
    for (const j of done.slice(0, Math.max(0, done.length - limit)))
      tryWrite(() => ctx.store.delete(REF.jobs, namespace, j.metadata.name!, { propagationPolicy: 'Background' }));
  }
  const live = ctx.owned(cj.metadata.uid!, KEY.jobs);
  const active = live.filter((j) => !finished(j)).sort(byTime);
  if (active.length > 0)
    status['active'] = active.map((j) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: j.metadata.name,
      namespace,
      uid: j.metadata.uid,
    }));
  else delete status['active'];
  const lastOk = live
    .filter((j) => finished(j) === 'Complete')
    .map((j) => j['status']?.completionTime as string | undefined)
    .filter((x): x is string => !!x)
    .sort()
    .pop();
  if (lastOk && (!status['lastSuccessfulTime'] || lastOk > status['lastSuccessfulTime']))
    status['lastSuccessfulTime'] = lastOk;
  writeStatus(ctx, REF.cronJobs, cj, status);
  const next = nextRun(sched, now);
  if (next) wake(key, Math.max(1000, next.getTime() - now.getTime()));
}
