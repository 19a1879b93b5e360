/**
 * Job (batch/v1): SetDefaults_Job, a generated selector (pkg/registry/batch/job generateSelector),
 * and pods orphaned by default when a Job is deleted.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { KubeObject } from '../types';
import { isObj, obj, setIfAbsent } from './shared/json';
import type { KindDefinition, Obj } from './shared/kind';
import { defaultTemplate } from '../../../kube-api/pod-defaults';
import { validateWorkload } from './shared/pod-spec-validation';
import { AGE, NAME, age, col, humanAge } from './shared/printing';

function defaultJob(o: Obj): void {
  const spec = obj(o, 'spec');
  if ((spec['completions'] ?? null) === null && (spec['parallelism'] ?? null) === null) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setIfAbsent(spec, 'parallelism', 1);
  if ((spec['backoffLimit'] ?? null) === null)
    spec['backoffLimit'] = (spec['backoffLimitPerIndex'] ?? null) !== null ? 2147483647 : 6;
  const labels = isObj(spec['template']) ? spec['template']['metadata']?.labels : undefined;
  const m = obj(o, 'metadata');
  if (isObj(labels) && (!isObj(m['labels']) || Object.keys(m['labels']).length === 0)) m['labels'] = { ...labels };
  setIfAbsent(spec, 'completionMode', 'NonIndexed');
  setIfAbsent(spec, 'suspend', false);
  setIfAbsent(spec, 'podReplacementPolicy', isObj(spec['podFailurePolicy']) ? 'Failed' : 'TerminatingOrFailed');
  setIfAbsent(spec, 'manualSelector', false);
  defaultTemplate(spec);
}

/**
 * generateSelector (unless spec.manualSelector): the template gets the job-name and controller-uid
 * labels (legacy and batch.kubernetes.io/ forms) where the user set none, and the selector matches
 * batch.kubernetes.io/controller-uid.
 */
function generateJobSelector(o: KubeObject): void {
  const spec: any = o['spec'];
  if (spec === null || typeof spec !== 'object' || spec.manualSelector === true) return;
  const name = o.metadata.name!;
  const uid = o.metadata.uid!;
  spec.template ??= {};
  spec.template.metadata ??= {};
  const labels: Record<string, string> = { ...(spec.template.metadata.labels ?? {}) };
  for (const k of ['job-name', 'batch.kubernetes.io/job-name']) labels[k] ??= name;
  for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid']) labels[k] ??= uid;
  spec.template.metadata.labels = labels;
  spec.selector ??= {};
  spec.selector.matchLabels = { ...(spec.selector.matchLabels ?? {}) };
  spec.selector.matchLabels['batch.kubernetes.io/controller-uid'] ??= uid;
}

/** Jobs. */
export const jobs: KindDefinition = {
  group: 'batch',
  version: 'v1',
  resource: 'jobs',
  kind: 'Job',
  namespaced: true,
  categories: ['all'],
  subresources: ['status'],
  hasGeneration: true,
  defaults: defaultJob,
  validate: (o, errs) => validateWorkload(o, errs, false),
  prepareForCreate: generateJobSelector,
  gcPolicy: 'Orphan',
  // pkg/registry/batch/job/storage: a DELETE that names no policy is told its pods stay.
  deleteWarning:
    'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning',
  printer: {
    columns: [NAME, col('Status'), col('Completions'), col('Duration'), AGE],
    cells: (o, now) => {
      const st = o['status'] ?? {};
      const conds: any[] = st.conditions ?? [];
      const status = conds.some((c) => c.type === 'Complete' && c.status === 'True')
        ? 'Complete'
        : conds.some((c) => c.type === 'Failed' && c.status === 'True')
          ? 'Failed'
          : 'Running';
      const start = Date.parse(st.startTime ?? '');
      const end = Date.parse(st.completionTime ?? '') || now;
      return [
        o.metadata.name,
        status,
        `${st.succeeded ?? 0}/${o['spec']?.completions ?? 1}`,
        Number.isNaN(start) ? '' : humanAge(end - start),
        age(o, now),
      ];
    },
  },
};
