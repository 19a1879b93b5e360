/**
 * PersistentVolumeClaim (core/v1): Pending by default; a new claim carries the
 * StorageObjectInUseProtection finalizer, dropped once no running pod mounts it.
 */
import { addFinalizer, obj, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, abbrMode, age, col } from './shared/printing';

/** The finalizer StorageObjectInUseProtection adds to claims (removed by the pvc-protection pass). */
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';

/** PersistentVolumeClaims. */
export const persistentvolumeclaims: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'persistentvolumeclaims',
  kind: 'PersistentVolumeClaim',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: ['status'],
  defaults: (o) => {
    setIfAbsent(obj(o, 'spec'), 'volumeMode', 'Filesystem');
    const st = obj(o, 'status');
    if (!st['phase']) st['phase'] = 'Pending';
  },
  prepareForCreate: (o) => addFinalizer(o, PVC_PROTECTION),
  returnsDeletedObject: true,
  printer: {
    columns: [
      NAME,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      AGE,
    ],
    cells: (o, now) => [
      o.metadata.name,
      o['status']?.phase ?? 'Pending',
      o['spec']?.volumeName ?? '',
      o['status']?.capacity?.storage ?? '',
      (o['status']?.accessModes ?? []).map(abbrMode).join(','),
      o['spec']?.storageClassName ?? '',
      '<unset>',
      age(o, now),
    ],
  },
};
