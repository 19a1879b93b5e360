/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1): names default singular and listKind; the name
 * must be `<plural>.<group>`; a new CRD has no conditions yet and its storage version recorded. The
 * store's lifecycle registers the kind it describes (store/crd-lifecycle.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { isObj, obj } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { NAME, col } from './shared/printing';

/** CustomResourceDefinitions. */
export const customresourcedefinitions: KindDefinition = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: ['status'],
  hasGeneration: true,
  defaults: (o) => {
    const spec = obj(o, 'spec');
    const names = obj(spec, 'names');
    if (!names['singular'] && typeof names['kind'] === 'string') names['singular'] = names['kind'].toLowerCase();
    if (!names['listKind'] && typeof names['kind'] === 'string') names['listKind'] = `${names['kind']}List`;
    if (!isObj(spec['conversion'])) spec['conversion'] = { strategy: 'None' };
  },
  validate: (o, errs) => {
    const name = o.metadata.name;
    const s = o['spec'] ?? {};
    if (typeof s.group !== 'string' || s.group === '') errs.push({ type: 'FieldValueRequired', field: 'spec.group' });
    if (typeof s.names?.plural !== 'string') errs.push({ type: 'FieldValueRequired', field: 'spec.names.plural' });
    if (typeof s.names?.kind !== 'string') errs.push({ type: 'FieldValueRequired', field: 'spec.names.kind' });
    if (!Array.isArray(s.versions) || s.versions.length === 0)
      errs.push({ type: 'FieldValueRequired', field: 'spec.versions' });
    if (typeof s.group === 'string' && typeof s.names?.plural === 'string' && name !== `${s.names.plural}.${s.group}`) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        value: name,
        detail: `must be spec.names.plural+"."+spec.group`,
      });
    }
  },
  prepareForCreate: (o) => {
    // The CRD strategy: no conditions yet, the storage version recorded as stored.
    const versions: any[] = Array.isArray(o['spec']?.versions) ? o['spec'].versions : [];
    const storage = versions.find((v) => v?.storage === true)?.name;
    o['status'] = {
      conditions: null,
      acceptedNames: { plural: '', kind: '' },
      ...(o['status'] ?? {}),
      ...(storage !== undefined ? { storedVersions: [storage] } : {}),
    };
  },
  printer: {
    columns: [NAME, col('Created At', 'date')],
    cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
  },
};
