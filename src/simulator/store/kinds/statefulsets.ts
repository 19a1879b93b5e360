/** StatefulSet (apps/v1): SetDefaults_StatefulSet (MaxUnavailableStatefulSet on); the selector is immutable. */
import { isObj, obj, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { defaultTemplate } from '../../../kube-api/pod-defaults';
import { selectorImmutable, validateWorkload } from './shared/pod-spec-validation';
import { AGE, NAME, age, col, containerCells } from './shared/printing';

/** StatefulSets. */
export const statefulsets: KindDefinition = {
  group: 'apps',
  version: 'v1',
  resource: 'statefulsets',
  kind: 'StatefulSet',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  hasGeneration: true,
  defaults: (o) => {
    const spec = obj(o, 'spec');
    if (!spec['podManagementPolicy']) spec['podManagementPolicy'] = 'OrderedReady';
    const us = obj(spec, 'updateStrategy');
    if (!us['type']) {
      us['type'] = 'RollingUpdate';
      if (!isObj(us['rollingUpdate'])) us['rollingUpdate'] = {};
    }
    if (us['type'] === 'RollingUpdate' && isObj(us['rollingUpdate'])) {
      setIfAbsent(us['rollingUpdate'], 'partition', 0);
      // MaxUnavailableStatefulSet is on by default in v1.37.
      setIfAbsent(us['rollingUpdate'], 'maxUnavailable', 1);
    }
    const rp = obj(spec, 'persistentVolumeClaimRetentionPolicy');
    if (!rp['whenDeleted']) rp['whenDeleted'] = 'Retain';
    if (!rp['whenScaled']) rp['whenScaled'] = 'Retain';
    setIfAbsent(spec, 'replicas', 1);
    setIfAbsent(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  },
  validate: (o, errs) => validateWorkload(o, errs, true),
  validateUpdate: selectorImmutable,
  printer: {
    columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
    cells: (o, now) => [
      o.metadata.name,
      `${o['status']?.readyReplicas ?? 0}/${o['spec']?.replicas ?? 0}`,
      age(o, now),
      ...containerCells(o),
    ],
  },
};
