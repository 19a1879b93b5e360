/** Lease (coordination.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

/** Leases. */
export const leases: KindDefinition = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  namespaced: true,
  printer: {
    columns: [NAME, col('Holder'), AGE],
    cells: (o, now) => [o.metadata.name, o['spec']?.holderIdentity ?? '', age(o, now)],
  },
};
