/** CSINode (storage.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

/** CSINodes. */
export const csinodes: KindDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'csinodes',
  kind: 'CSINode',
  namespaced: false,
  subresources: ['status'],
  returnsDeletedObject: true,
  printer: {
    columns: [NAME, col('Drivers', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name, (o['spec']?.drivers ?? []).length, age(o, now)],
  },
};
