/** RoleBinding (rbac.authorization.k8s.io/v1): names are path segments; API groups default to RBAC's. */
import type { KindDefinition } from './shared/kind';
import { pathSegmentName } from './shared/names';
import { nameAgePrinter } from './shared/printing';
import { defaultBinding } from './shared/rbac';

/** RoleBindings. */
export const rolebindings: KindDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'rolebindings',
  kind: 'RoleBinding',
  namespaced: true,
  defaults: defaultBinding,
  validateName: pathSegmentName,
  printer: nameAgePrinter,
};
