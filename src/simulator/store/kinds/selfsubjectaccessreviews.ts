/** SelfSubjectAccessReview (authorization.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** SelfSubjectAccessReviews (create only). */
export const selfsubjectaccessreviews: KindDefinition = {
  group: 'authorization.k8s.io',
  version: 'v1',
  resource: 'selfsubjectaccessreviews',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
  verbs: ['create'],
  printer: nameAgePrinter,
};
