/** CSIStorageCapacity (storage.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** CSIStorageCapacities. */
export const csistoragecapacities: KindDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'csistoragecapacities',
  kind: 'CSIStorageCapacity',
  namespaced: true,
  printer: nameAgePrinter,
};
