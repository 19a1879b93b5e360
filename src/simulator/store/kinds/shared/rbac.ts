/** What RoleBindings and ClusterRoleBindings share: SetDefaults_(Cluster)RoleBinding's API groups. */
import { isObj } from './json';
import type { Obj } from './kind';

const RBAC = 'rbac.authorization.k8s.io';

/** roleRef.apiGroup, and the apiGroup of User and Group subjects, default to the RBAC group. */
export function defaultBinding(o: Obj): void {
  if (isObj(o['roleRef']) && !o['roleRef']['apiGroup']) o['roleRef']['apiGroup'] = RBAC;
  for (const s of Array.isArray(o['subjects']) ? o['subjects'] : [])
    if (isObj(s) && !s['apiGroup'] && (s['kind'] === 'User' || s['kind'] === 'Group')) s['apiGroup'] = RBAC;
}
