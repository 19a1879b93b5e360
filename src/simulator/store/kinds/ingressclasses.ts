/** IngressClass (networking.k8s.io/v1): a required, immutable controller; parameters scoped to the Cluster by default. */
import { isObj, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

/** IngressClasses. */
export const ingressclasses: KindDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingressclasses',
  kind: 'IngressClass',
  namespaced: false,
  hasGeneration: true,
  defaults: (o) => {
    const p = o['spec']?.parameters;
    if (isObj(p)) setIfAbsent(p, 'scope', 'Cluster');
  },
  validate: (o, errs) => {
    if (typeof o['spec']?.controller !== 'string' || o['spec'].controller === '')
      errs.push({ type: 'FieldValueRequired', field: 'spec.controller' });
  },
  validateUpdate: (old, o, errs) => {
    if (JSON.stringify(old['spec']?.controller) !== JSON.stringify(o['spec']?.controller))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.controller',
        value: o['spec']?.controller,
        detail: 'field is immutable',
      });
  },
  printer: {
    columns: [NAME, col('Controller'), col('Parameters'), AGE],
    cells: (o, now) => {
      const p = o['spec']?.parameters;
      const params =
        p === undefined || p === null
          ? '<none>'
          : `${String(p.kind)}${p.apiGroup ? `.${String(p.apiGroup)}` : ''}/${String(p.name)}`;
      return [o.metadata.name, o['spec']?.controller ?? '', params, age(o, now)];
    },
  },
};
