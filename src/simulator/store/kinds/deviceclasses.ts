/** DeviceClass (resource.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** DeviceClasses. */
export const deviceclasses: KindDefinition = {
  group: 'resource.k8s.io',
  version: 'v1',
  resource: 'deviceclasses',
  kind: 'DeviceClass',
  namespaced: false,
  hasGeneration: true,
  returnsDeletedObject: true,
  printer: nameAgePrinter,
};
