/**
 * DaemonSet (apps/v1): SetDefaults_DaemonSet; the selector is immutable; the v1 form of the internal
 * spec.templateGeneration (annotation `deprecated.daemonset.template.generation`) starts at 1 and is
 * bumped with the template.
 */
import { isObj, obj, rollingUpdate, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { defaultTemplate } from '../../../kube-api/pod-defaults';
import { selectorImmutable, validateWorkload } from './shared/pod-spec-validation';
import { AGE, NAME, age, col } from './shared/printing';

const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

/** DaemonSets. */
export const daemonsets: KindDefinition = {
  group: 'apps',
  version: 'v1',
  resource: 'daemonsets',
  kind: 'DaemonSet',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: ['status'],
  hasGeneration: true,
  defaults: (o) => {
    // 1 for a new DaemonSet; `prepareForUpdate` keeps and bumps it.
    const m = obj(o, 'metadata');
    if (!isObj(m['annotations']) || m['annotations'][TEMPLATE_GENERATION] === undefined)
      m['annotations'] = { ...(isObj(m['annotations']) ? m['annotations'] : {}), [TEMPLATE_GENERATION]: '1' };
    const spec = obj(o, 'spec');
    rollingUpdate(obj(spec, 'updateStrategy'), 'RollingUpdate', { maxUnavailable: 1, maxSurge: 0 });
    setIfAbsent(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  },
  validate: (o, errs) => validateWorkload(o, errs, true),
  validateUpdate: selectorImmutable,
  prepareForUpdate: (old, o) => {
    const was = Number(old.metadata.annotations?.[TEMPLATE_GENERATION] ?? '0');
    const next = JSON.stringify(old['spec']?.template) !== JSON.stringify(o['spec']?.template) ? was + 1 : was;
    if (was > 0) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(next) };
  },
  printer: {
    columns: [
      NAME,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      AGE,
    ],
    cells: (o, now) => {
      const st = o['status'] ?? {};
      const ns = Object.entries(o['spec']?.template?.spec?.nodeSelector ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
      return [
        o.metadata.name,
        st.desiredNumberScheduled ?? 0,
        st.currentNumberScheduled ?? 0,
        st.numberReady ?? 0,
        st.updatedNumberScheduled ?? 0,
        st.numberAvailable ?? 0,
        ns || '<none>',
        age(o, now),
      ];
    },
  },
};
