/** ServiceAccount (core/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** ServiceAccounts. */
export const serviceaccounts: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
  returnsDeletedObject: true,
  printer: nameAgePrinter,
};
