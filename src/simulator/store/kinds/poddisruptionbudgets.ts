/** PodDisruptionBudget (policy/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** PodDisruptionBudgets. */
export const poddisruptionbudgets: KindDefinition = {
  group: 'policy',
  version: 'v1',
  resource: 'poddisruptionbudgets',
  kind: 'PodDisruptionBudget',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: ['status'],
  hasGeneration: true,
  printer: nameAgePrinter,
};
