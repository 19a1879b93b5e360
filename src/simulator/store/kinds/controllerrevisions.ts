/** ControllerRevision (apps/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** ControllerRevisions. */
export const controllerrevisions: KindDefinition = {
  group: 'apps',
  version: 'v1',
  resource: 'controllerrevisions',
  kind: 'ControllerRevision',
  namespaced: true,
  printer: nameAgePrinter,
};
