/** SelfSubjectReview (authentication.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** SelfSubjectReviews (create only). */
export const selfsubjectreviews: KindDefinition = {
  group: 'authentication.k8s.io',
  version: 'v1',
  resource: 'selfsubjectreviews',
  kind: 'SelfSubjectReview',
  namespaced: false,
  verbs: ['create'],
  printer: nameAgePrinter,
};
