/**
 * Deployment (apps/v1): SetDefaults_Deployment; the selector is immutable; generation also follows
 * annotation changes, and a status write keeps the stored labels (pkg/registry/apps/deployment).
 */
import { obj, rollingUpdate, sameJson, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { defaultTemplate } from '../../../kube-api/pod-defaults';
import { selectorImmutable, validateWorkload } from './shared/pod-spec-validation';
import { AGE, NAME, age, col, containerCells, selectorString } from './shared/printing';

/** Deployments. */
export const deployments: KindDefinition = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  hasGeneration: true,
  defaults: (o) => {
    const spec = obj(o, 'spec');
    setIfAbsent(spec, 'replicas', 1);
    rollingUpdate(obj(spec, 'strategy'), 'RollingUpdate', { maxUnavailable: '25%', maxSurge: '25%' });
    setIfAbsent(spec, 'revisionHistoryLimit', 10);
    setIfAbsent(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec);
  },
  validate: (o, errs) => validateWorkload(o, errs, true),
  validateUpdate: selectorImmutable,
  generationChanged: (old, o) =>
    !sameJson(old['spec'], o['spec']) || !sameJson(old.metadata.annotations, o.metadata.annotations),
  statusResetFields: [['metadata', 'labels']],
  statusKeepsLabels: true,
  printer: {
    columns: [
      NAME,
      col('Ready'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const st = o['status'] ?? {};
      return [
        o.metadata.name,
        `${st.readyReplicas ?? 0}/${o['spec']?.replicas ?? 0}`,
        st.updatedReplicas ?? 0,
        st.availableReplicas ?? 0,
        age(o, now),
        ...containerCells(o),
        selectorString(o['spec']?.selector),
      ];
    },
  },
};
