/** VolumeAttachment (storage.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** VolumeAttachments. */
export const volumeattachments: KindDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'volumeattachments',
  kind: 'VolumeAttachment',
  namespaced: false,
  subresources: ['status'],
  returnsDeletedObject: true,
  printer: nameAgePrinter,
};
