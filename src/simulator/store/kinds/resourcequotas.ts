/** ResourceQuota (core/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** ResourceQuotas. */
export const resourcequotas: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'resourcequotas',
  kind: 'ResourceQuota',
  namespaced: true,
  shortNames: ['quota'],
  subresources: ['status'],
  returnsDeletedObject: true,
  printer: nameAgePrinter,
};
