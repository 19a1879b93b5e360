/**
 * PersistentVolume (core/v1): a new volume is Pending since its creation and carries the
 * StorageObjectInUseProtection finalizer, which the store's protection pass drops once the volume is
 * no longer bound to an existing claim.
 */
import { addFinalizer, isObj, obj, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, abbrMode, age, col } from './shared/printing';

/** The finalizer StorageObjectInUseProtection adds to volumes (removed by the pv-protection pass). */
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

/** PersistentVolumes. */
export const persistentvolumes: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'persistentvolumes',
  kind: 'PersistentVolume',
  namespaced: false,
  shortNames: ['pv'],
  subresources: ['status'],
  defaults: (o) => {
    const spec = obj(o, 'spec');
    if (!spec['persistentVolumeReclaimPolicy']) spec['persistentVolumeReclaimPolicy'] = 'Retain';
    setIfAbsent(spec, 'volumeMode', 'Filesystem');
    if (isObj(spec['hostPath']) && spec['hostPath']['type'] === undefined) spec['hostPath']['type'] = '';
    const st = obj(o, 'status');
    if (!st['phase']) st['phase'] = 'Pending';
  },
  prepareForCreate: (o) => {
    o['status'] = { phase: 'Pending', lastPhaseTransitionTime: o.metadata.creationTimestamp };
    addFinalizer(o, PV_PROTECTION);
  },
  returnsDeletedObject: true,
  printer: {
    columns: [
      NAME,
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Reason'),
      AGE,
    ],
    cells: (o, now) => {
      const s = o['spec'] ?? {};
      const claim = s.claimRef ? `${s.claimRef.namespace}/${s.claimRef.name}` : '';
      return [
        o.metadata.name,
        s.capacity?.storage ?? '',
        (s.accessModes ?? []).map(abbrMode).join(','),
        s.persistentVolumeReclaimPolicy ?? 'Retain',
        o['status']?.phase ?? 'Pending',
        claim,
        s.storageClassName ?? '',
        '<unset>',
        o['status']?.reason ?? '',
        age(o, now),
      ];
    },
  },
};
