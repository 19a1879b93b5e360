/** CronJob (batch/v1): SetDefaults_CronJob; a schedule and a job template's pod spec are required. */
import { isObj, obj, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { defaultTemplate } from '../../../kube-api/pod-defaults';
import { validatePodSpec } from './shared/pod-spec-validation';
import { AGE, NAME, age, col, humanAge } from './shared/printing';

/** CronJobs. */
export const cronjobs: KindDefinition = {
  group: 'batch',
  version: 'v1',
  resource: 'cronjobs',
  kind: 'CronJob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
  hasGeneration: true,
  defaults: (o) => {
    const spec = obj(o, 'spec');
    if (!spec['concurrencyPolicy']) spec['concurrencyPolicy'] = 'Allow';
    setIfAbsent(spec, 'suspend', false);
    setIfAbsent(spec, 'successfulJobsHistoryLimit', 3);
    setIfAbsent(spec, 'failedJobsHistoryLimit', 1);
    const jt = spec['jobTemplate'];
    if (isObj(jt)) defaultTemplate(jt['spec']);
  },
  validate: (o, errs) => {
    if (typeof o['spec']?.schedule !== 'string' || o['spec'].schedule === '')
      errs.push({ type: 'FieldValueRequired', field: 'spec.schedule' });
    validatePodSpec(o['spec']?.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec', errs);
  },
  printer: {
    columns: [
      NAME,
      col('Schedule'),
      col('Timezone'),
      col('Suspend', 'boolean'),
      col('Active', 'integer'),
      col('Last Schedule'),
      AGE,
    ],
    cells: (o, now) => {
      const last = Date.parse(o['status']?.lastScheduleTime ?? '');
      return [
        o.metadata.name,
        o['spec']?.schedule ?? '',
        o['spec']?.timeZone ?? '<none>',
        o['spec']?.suspend === true,
        (o['status']?.active ?? []).length,
        Number.isNaN(last) ? '<none>' : humanAge(now - last),
        age(o, now),
      ];
    },
  },
};
