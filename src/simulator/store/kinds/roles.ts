/** Role (rbac.authorization.k8s.io/v1). */
import type { KindDefinition } from './shared/kind';
import { pathSegmentName } from './shared/names';
import { nameAgePrinter } from './shared/printing';

/** Roles. */
export const roles: KindDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'roles',
  kind: 'Role',
  namespaced: true,
  validateName: pathSegmentName,
  printer: nameAgePrinter,
};
