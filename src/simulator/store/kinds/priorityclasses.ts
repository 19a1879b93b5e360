/** PriorityClass (scheduling.k8s.io/v1): a required value; PreemptLowerPriority by default. */
import { setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

/** PriorityClasses. */
export const priorityclasses: KindDefinition = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  resource: 'priorityclasses',
  kind: 'PriorityClass',
  namespaced: false,
  shortNames: ['pc'],
  hasGeneration: true,
  defaults: (o) => setIfAbsent(o, 'preemptionPolicy', 'PreemptLowerPriority'),
  validate: (o, errs) => {
    if (typeof o['value'] !== 'number') errs.push({ type: 'FieldValueRequired', field: 'value' });
  },
  printer: {
    columns: [
      NAME,
      col('Value', 'integer'),
      col('Global-Default', 'boolean'),
      AGE,
      col('PreemptionPolicy', 'string', 1),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o['value'] ?? 0,
      o['globalDefault'] === true,
      age(o, now),
      o['preemptionPolicy'] ?? 'PreemptLowerPriority',
    ],
  },
};
