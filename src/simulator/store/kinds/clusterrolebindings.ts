/** ClusterRoleBinding (rbac.authorization.k8s.io/v1): names are path segments; API groups default to RBAC's. */
import type { KindDefinition } from './shared/kind';
import { pathSegmentName } from './shared/names';
import { nameAgePrinter } from './shared/printing';
import { defaultBinding } from './shared/rbac';

/** ClusterRoleBindings. */
export const clusterrolebindings: KindDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'clusterrolebindings',
  kind: 'ClusterRoleBinding',
  namespaced: false,
  defaults: defaultBinding,
  validateName: pathSegmentName,
  printer: nameAgePrinter,
};
