/**
 * Event (events.k8s.io/v1): the same storage as core Events (names are path segments, no
 * garbage-collection policy), with its own field selectors. Upstream prints only Name and Age here.
 */
import type { KindDefinition } from './shared/kind';
import { pathSegmentName } from './shared/names';
import { nameAgePrinter } from './shared/printing';

/** events.k8s.io Events. */
export const eventsK8sIo: KindDefinition = {
  group: 'events.k8s.io',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  fieldLabels: [
    'regarding.kind',
    'regarding.namespace',
    'regarding.name',
    'regarding.uid',
    'reason',
    'reportingController',
    'type',
  ],
  validateName: pathSegmentName,
  gcPolicy: 'Unsupported',
  printer: nameAgePrinter,
};
