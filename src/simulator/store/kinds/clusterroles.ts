/** ClusterRole (rbac.authorization.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { pathSegmentName } from './shared/names';
import { nameAgePrinter } from './shared/printing';

/** ClusterRoles. */
export const clusterroles: KindDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'clusterroles',
  kind: 'ClusterRole',
  namespaced: false,
  validateName: pathSegmentName,
  printer: nameAgePrinter,
};
