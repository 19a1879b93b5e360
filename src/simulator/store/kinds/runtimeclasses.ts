/** RuntimeClass (node.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** RuntimeClasses. */
export const runtimeclasses: KindDefinition = {
  group: 'node.k8s.io',
  version: 'v1',
  resource: 'runtimeclasses',
  kind: 'RuntimeClass',
  namespaced: false,
  printer: nameAgePrinter,
};
