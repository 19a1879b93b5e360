/** StorageClass (storage.k8s.io/v1): Delete and Immediate by default; the default class is marked in its Name cell. */
import { setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

/** StorageClasses. */
export const storageclasses: KindDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
  kind: 'StorageClass',
  namespaced: false,
  shortNames: ['sc'],
  defaults: (o) => {
    setIfAbsent(o, 'reclaimPolicy', 'Delete');
    setIfAbsent(o, 'volumeBindingMode', 'Immediate');
  },
  returnsDeletedObject: true,
  printer: {
    columns: [
      NAME,
      col('Provisioner'),
      col('ReclaimPolicy'),
      col('VolumeBindingMode'),
      col('AllowVolumeExpansion', 'boolean'),
      AGE,
    ],
    cells: (o, now) => [
      o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'
        ? `${o.metadata.name} (default)`
        : o.metadata.name,
      o['provisioner'] ?? '',
      o['reclaimPolicy'] ?? 'Delete',
      o['volumeBindingMode'] ?? 'Immediate',
      o['allowVolumeExpansion'] === true,
      age(o, now),
    ],
  },
};
