/**
 * The one node builder of the test suite (in the spirit of kube-scheduler's st.MakeNode(),
 * pkg/scheduler/testing/wrappers.go). Every field not asked for is left out, except allocatable.
 *
 * Contract: allocatable is `{cpu: '4', memory: '8Gi', pods: '110'}` (each overridable by `cpu`,
 * `memory`, `pods`), or, when `allocatable` is given, exactly that list plus `pods: '110'` unless it
 * names pods; capacity equals allocatable unless `capacity` is given.
 */
import type { ContainerImage, Node, Taint } from '@src/kube-api/types';
import type { ResourceList } from '@src/kube-api/types';

export interface NodeOptions {
  labels?: Record<string, string>;
  /** Shorthands for the default allocatable list (ignored when `allocatable` is given). */
  cpu?: string;
  memory?: string;
  pods?: string;
  /** The exact allocatable list (pods default to 110); nothing else is added. */
  allocatable?: ResourceList;
  capacity?: ResourceList;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: ContainerImage[];
  podCIDR?: string;
  conditions?: NonNullable<Node['status']>['conditions'];
}

/** A node named `name`. */
export function makeNode(name: string, opts: NodeOptions = {}): Node {
  const allocatable: ResourceList =
    opts.allocatable !== undefined
      ? { pods: '110', ...opts.allocatable }
      : { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110' };
  return {
    metadata: { name, labels: opts.labels ?? {} },
    spec: {
      ...(opts.podCIDR !== undefined ? { podCIDR: opts.podCIDR } : {}),
      ...(opts.taints ? { taints: opts.taints } : {}),
      ...(opts.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      allocatable,
      capacity: opts.capacity ?? allocatable,
      ...(opts.images ? { images: opts.images } : {}),
      ...(opts.conditions ? { conditions: opts.conditions } : {}),
    },
  };
}
