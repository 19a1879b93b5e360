/**
 * Event (core/v1): names are path segments; events.k8s.io/v1 Events share the storage, and neither
 * supports garbage-collection policies.
 */
import type { KindDefinition } from './shared/kind';
import { pathSegmentName } from './shared/names';
import { col, humanAge } from './shared/printing';

/** Core Events. */
export const events: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  fieldLabels: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  validateName: pathSegmentName,
  gcPolicy: 'Unsupported',
  printer: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message')],
    cells: (o, now) => {
      const t = Date.parse(o['lastTimestamp'] ?? o['eventTime'] ?? o.metadata.creationTimestamp ?? '');
      const io = o['involvedObject'] ?? {};
      return [
        Number.isNaN(t) ? '<unknown>' : humanAge(now - t),
        o['type'] ?? '',
        o['reason'] ?? '',
        `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
        o['message'] ?? '',
      ];
    },
  },
};
