/** ConfigMap (core/v1): an immutable ConfigMap keeps its data (ValidateConfigMapUpdate). */
import { immutableData } from './shared/immutable-data';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

/** ConfigMaps. */
export const configmaps: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  shortNames: ['cm'],
  validateUpdate: (old, o, errs) => immutableData(old, o, errs, ['data', 'binaryData']),
  printer: {
    columns: [NAME, col('Data', 'integer'), AGE],
    cells: (o, now) => [
      o.metadata.name,
      Object.keys(o['data'] ?? {}).length + Object.keys(o['binaryData'] ?? {}).length,
      age(o, now),
    ],
  },
};
