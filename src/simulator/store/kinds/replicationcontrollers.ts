/**
 * ReplicationController (core/v1): the selector and labels default from the template's labels;
 * validation is ValidateReplicationControllerSpec; deleting one orphans its pods by default.
 */

import type { FieldError } from '../errors';
import type { KubeObject } from '../types';
import { isObj, obj } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { defaultTemplate } from '../../../kube-api/pod-defaults';
import { validatePodSpec, validateReplicas } from './shared/pod-spec-validation';
import { replicaCountsPrinter } from './shared/printing';

/**
 * Upstream ValidateReplicationControllerSpec: a non-empty selector (defaulted from the template's labels,
 * which happens after validation here, so an empty selector with labelled template passes), a template
 * whose labels match it, and `restartPolicy: Always`.
 */
function validateReplicationController(o: KubeObject, errs: FieldError[]): void {
  const spec = o['spec'];
  validateReplicas(spec, errs);
  const tmpl = spec?.template;
  const labels: Record<string, unknown> = tmpl?.metadata?.labels ?? {};
  const given = spec?.selector;
  const sel: Record<string, unknown> =
    given !== undefined && given !== null && typeof given === 'object' && Object.keys(given).length > 0
      ? given
      : labels;
  if (Object.keys(sel).length === 0) errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
  if (tmpl === undefined || tmpl === null || typeof tmpl !== 'object') {
    errs.push({ type: 'FieldValueRequired', field: 'spec.template' });
    return;
  }
  if (Object.entries(sel).some(([k, v]) => labels[k] !== v)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      value: labels,
      detail: '`selector` does not match template `labels`',
    });
  }
  validatePodSpec(tmpl.spec, 'spec.template.spec', errs);
  const rp = tmpl.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Always')
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'spec.template.spec.restartPolicy',
      value: rp,
      detail: 'supported values: "Always"',
    });
}

/** ReplicationControllers. */
export const replicationcontrollers: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'replicationcontrollers',
  kind: 'ReplicationController',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  hasGeneration: true,
  defaults: (o) => {
    const spec = obj(o, 'spec');
    const labels = isObj(spec['template']) ? spec['template']['metadata']?.labels : undefined;
    if (isObj(labels)) {
      if (!isObj(spec['selector']) || Object.keys(spec['selector']).length === 0) spec['selector'] = { ...labels };
      const m = obj(o, 'metadata');
      if (!isObj(m['labels']) || Object.keys(m['labels']).length === 0) m['labels'] = { ...labels };
    }
    defaultTemplate(spec);
  },
  validate: validateReplicationController,
  gcPolicy: 'Orphan',
  scaleSelector: 'map',
  printer: replicaCountsPrinter,
};
