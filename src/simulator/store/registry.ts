/**
 * The registry of resource kinds the simulator serves. Discovery, URL routing, Table printing and the
 * store all read it, so a kind registered here (built-in or from a CRD) is served everywhere at once.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */

/** One served resource: the fields discovery publishes plus the simulator's own behaviour flags. */
export interface ResourceKind {
  /** API group; `''` for the core group. */
  readonly group: string;
  /** Served version, e.g. `v1`. */
  readonly version: string;
  /** Plural resource name used in URLs, e.g. `pods`. */
  readonly resource: string;
  /** Singular name, e.g. `pod`. */
  readonly singular: string;
  /** Kind, e.g. `Pod`. */
  readonly kind: string;
  /** Whether objects live in namespaces. */
  readonly namespaced: boolean;
  /** Short names for kubectl, e.g. `['po']`. */
  readonly shortNames: readonly string[];
  /** Discovery verbs. */
  readonly verbs: readonly string[];
  /** Discovery categories, e.g. `['all']`. */
  readonly categories: readonly string[];
  /** Served subresources, e.g. `['status', 'binding', 'log']`. */
  readonly subresources: readonly string[];
  /** Whether `metadata.generation` tracks spec changes. */
  readonly hasGeneration: boolean;
  /** Extra field-selector labels supported beyond `metadata.name` and `metadata.namespace`. */
  readonly fieldLabels: readonly string[];
  /** True for kinds created from a CustomResourceDefinition. */
  readonly custom: boolean;
  /** For custom kinds: the CRD's additionalPrinterColumns (name, type, jsonPath, priority...). */
  readonly printerColumns?: readonly PrinterColumn[];
  /** For custom kinds: the served version's `schema.openAPIV3Schema` (field tracking, pruning). */
  readonly schema?: unknown;
}

/** A CRD additionalPrinterColumns entry. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
  readonly format?: string;
}

/** Identifies the storage of one kind: group plus plural resource (versions share storage). */
export interface ResourceRef {
  readonly group: string;
  readonly resource: string;
}

/** Returns the apiVersion string (`v1`, `apps/v1`) of a kind. */
export function apiVersionOf(k: { group: string; version: string }): string {
  return k.group === '' ? k.version : `${k.group}/${k.version}`;
}

/** Returns the storage key of a resource (`apps/deployments`, `/pods`). */
export function refKey(r: ResourceRef): string {
  return `${r.group}/${r.resource}`;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface KindSpec {
  g: string;
  v: string;
  r: string;
  k: string;
  ns: boolean;
  short?: string[];
  cat?: string[];
  sub?: string[];
  gen?: boolean;
  fields?: string[];
  verbs?: string[];
}

const POD_FIELDS = [
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
];
const EVENT_FIELDS = [
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
];

const BUILTINS: KindSpec[] = [
  {
    g: '',
    v: 'v1',
    r: 'namespaces',
    k: 'Namespace',
    ns: false,
    short: ['ns'],
    sub: ['status', 'finalize'],
    fields: ['status.phase'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { g: '', v: 'v1', r: 'nodes', k: 'Node', ns: false, short: ['no'], sub: ['status'], fields: ['spec.unschedulable'] },
  {
    g: '',
    v: 'v1',
    r: 'pods',
    k: 'Pod',
    ns: true,
    short: ['po'],
    cat: ['all'],
    sub: ['status', 'binding', 'log', 'eviction'],
    fields: POD_FIELDS,
    gen: true,
  },
  { g: '', v: 'v1', r: 'services', k: 'Service', ns: true, short: ['svc'], cat: ['all'], sub: ['status'] },
  { g: '', v: 'v1', r: 'endpoints', k: 'Endpoints', ns: true, short: ['ep'] },
  {
    g: '',
    v: 'v1',
    r: 'replicationcontrollers',
    k: 'ReplicationController',
    ns: true,
    short: ['rc'],
    cat: ['all'],
    sub: ['status', 'scale'],
    gen: true,
  },
  { g: '', v: 'v1', r: 'configmaps', k: 'ConfigMap', ns: true, short: ['cm'] },
  { g: '', v: 'v1', r: 'secrets', k: 'Secret', ns: true, fields: ['type'] },
  { g: '', v: 'v1', r: 'serviceaccounts', k: 'ServiceAccount', ns: true, short: ['sa'] },
  { g: '', v: 'v1', r: 'persistentvolumes', k: 'PersistentVolume', ns: false, short: ['pv'], sub: ['status'] },
  {
    g: '',
    v: 'v1',
    r: 'persistentvolumeclaims',
    k: 'PersistentVolumeClaim',
    ns: true,
    short: ['pvc'],
    sub: ['status'],
  },
  { g: '', v: 'v1', r: 'events', k: 'Event', ns: true, short: ['ev'], fields: EVENT_FIELDS },
  { g: '', v: 'v1', r: 'resourcequotas', k: 'ResourceQuota', ns: true, short: ['quota'], sub: ['status'] },
  { g: '', v: 'v1', r: 'limitranges', k: 'LimitRange', ns: true, short: ['limits'] },
  {
    g: 'apps',
    v: 'v1',
    r: 'deployments',
    k: 'Deployment',
    ns: true,
    short: ['deploy'],
    cat: ['all'],
    sub: ['status', 'scale'],
    gen: true,
  },
  {
    g: 'apps',
    v: 'v1',
    r: 'replicasets',
    k: 'ReplicaSet',
    ns: true,
    short: ['rs'],
    cat: ['all'],
    sub: ['status', 'scale'],
    gen: true,
  },
  {
    g: 'apps',
    v: 'v1',
    r: 'statefulsets',
    k: 'StatefulSet',
    ns: true,
    short: ['sts'],
    cat: ['all'],
    sub: ['status', 'scale'],
    gen: true,
  },
  {
    g: 'apps',
    v: 'v1',
    r: 'daemonsets',
    k: 'DaemonSet',
    ns: true,
    short: ['ds'],
    cat: ['all'],
    sub: ['status'],
    gen: true,
  },
  { g: 'apps', v: 'v1', r: 'controllerrevisions', k: 'ControllerRevision', ns: true },
  { g: 'batch', v: 'v1', r: 'jobs', k: 'Job', ns: true, cat: ['all'], sub: ['status'], gen: true },
  {
    g: 'batch',
    v: 'v1',
    r: 'cronjobs',
    k: 'CronJob',
    ns: true,
    short: ['cj'],
    cat: ['all'],
    sub: ['status'],
    gen: true,
  },
  { g: 'discovery.k8s.io', v: 'v1', r: 'endpointslices', k: 'EndpointSlice', ns: true, gen: true },
  {
    g: 'networking.k8s.io',
    v: 'v1',
    r: 'ingresses',
    k: 'Ingress',
    ns: true,
    short: ['ing'],
    sub: ['status'],
    gen: true,
  },
  { g: 'networking.k8s.io', v: 'v1', r: 'ingressclasses', k: 'IngressClass', ns: false, gen: true },
  { g: 'scheduling.k8s.io', v: 'v1', r: 'priorityclasses', k: 'PriorityClass', ns: false, short: ['pc'], gen: true },
  { g: 'storage.k8s.io', v: 'v1', r: 'storageclasses', k: 'StorageClass', ns: false, short: ['sc'] },
  { g: 'storage.k8s.io', v: 'v1', r: 'csinodes', k: 'CSINode', ns: false, sub: ['status'] },
  { g: 'storage.k8s.io', v: 'v1', r: 'csidrivers', k: 'CSIDriver', ns: false },
  { g: 'storage.k8s.io', v: 'v1', r: 'volumeattachments', k: 'VolumeAttachment', ns: false, sub: ['status'] },
  { g: 'storage.k8s.io', v: 'v1', r: 'csistoragecapacities', k: 'CSIStorageCapacity', ns: true },
  { g: 'node.k8s.io', v: 'v1', r: 'runtimeclasses', k: 'RuntimeClass', ns: false },
  { g: 'resource.k8s.io', v: 'v1', r: 'deviceclasses', k: 'DeviceClass', ns: false, gen: true },
  {
    g: 'events.k8s.io',
    v: 'v1',
    r: 'events',
    k: 'Event',
    ns: true,
    short: ['ev'],
    fields: [
      'regarding.kind',
      'regarding.namespace',
      'regarding.name',
      'regarding.uid',
      'reason',
      'reportingController',
      'type',
    ],
  },
  { g: 'coordination.k8s.io', v: 'v1', r: 'leases', k: 'Lease', ns: true },
  {
    g: 'policy',
    v: 'v1',
    r: 'poddisruptionbudgets',
    k: 'PodDisruptionBudget',
    ns: true,
    short: ['pdb'],
    sub: ['status'],
    gen: true,
  },
  {
    g: 'apiextensions.k8s.io',
    v: 'v1',
    r: 'customresourcedefinitions',
    k: 'CustomResourceDefinition',
    ns: false,
    short: ['crd', 'crds'],
    cat: ['api-extensions'],
    sub: ['status'],
    gen: true,
  },
  { g: 'rbac.authorization.k8s.io', v: 'v1', r: 'roles', k: 'Role', ns: true },
  { g: 'rbac.authorization.k8s.io', v: 'v1', r: 'rolebindings', k: 'RoleBinding', ns: true },
  { g: 'rbac.authorization.k8s.io', v: 'v1', r: 'clusterroles', k: 'ClusterRole', ns: false },
  { g: 'rbac.authorization.k8s.io', v: 'v1', r: 'clusterrolebindings', k: 'ClusterRoleBinding', ns: false },
  {
    g: 'authorization.k8s.io',
    v: 'v1',
    r: 'selfsubjectaccessreviews',
    k: 'SelfSubjectAccessReview',
    ns: false,
    verbs: ['create'],
  },
  {
    g: 'authentication.k8s.io',
    v: 'v1',
    r: 'selfsubjectreviews',
    k: 'SelfSubjectReview',
    ns: false,
    verbs: ['create'],
  },
];

function fromSpec(s: KindSpec): ResourceKind {
  return {
    group: s.g,
    version: s.v,
    resource: s.r,
    singular: s.k.toLowerCase(),
    kind: s.k,
    namespaced: s.ns,
    shortNames: s.short ?? [],
    verbs: s.verbs ?? RW,
    categories: s.cat ?? [],
    subresources: s.sub ?? [],
    hasGeneration: s.gen ?? false,
    fieldLabels: s.fields ?? [],
    custom: false,
  };
}

/**
 * Holds every served kind. Kinds are keyed by (group, resource); each has one served version.
 * Listeners hear about registrations so discovery caches can be invalidated.
 */
export class KindRegistry {
  private readonly byRef = new Map<string, ResourceKind>();
  private readonly listeners = new Set<() => void>();
  private readonly kindIndex = new Map<string, ResourceKind>();

  /** Creates a registry holding the built-in kinds (unless `empty` is true). */
  constructor(empty = false) {
    if (!empty) for (const s of BUILTINS) this.register(fromSpec(s));
  }

  /** Adds or replaces a kind. */
  register(kind: ResourceKind): void {
    this.byRef.set(refKey(kind), kind);
    for (const l of this.listeners) l();
  }

  /** Removes a kind; returns whether it existed. */
  unregister(ref: ResourceRef): boolean {
    const had = this.byRef.delete(refKey(ref));
    if (had) for (const l of this.listeners) l();
    return had;
  }

  /** Looks a kind up by group and plural resource name, optionally checking the version. */
  get(group: string, resource: string, version?: string): ResourceKind | undefined {
    const k = this.byRef.get(`${group}/${resource}`);
    if (k === undefined || (version !== undefined && k.version !== version)) return undefined;
    return k;
  }

  /** Looks a kind up by apiVersion (`apps/v1`) and Kind (`Deployment`). */
  byKind(apiVersion: string, kind: string): ResourceKind | undefined {
    const hit = this.kindIndex.get(`${apiVersion}|${kind}`);
    if (hit !== undefined && this.byRef.get(refKey(hit)) === hit) return hit;
    for (const k of this.byRef.values()) {
      if (k.kind === kind && apiVersionOf(k) === apiVersion) {
        this.kindIndex.set(`${apiVersion}|${kind}`, k);
        return k;
      }
    }
    return undefined;
  }

  /** Every registered kind, in registration order. */
  all(): ResourceKind[] {
    return [...this.byRef.values()];
  }

  /** Group names with their served versions, core group (`''`) included, in registration order. */
  groups(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const k of this.byRef.values()) {
      const vs = m.get(k.group) ?? [];
      if (!vs.includes(k.version)) vs.push(k.version);
      m.set(k.group, vs);
    }
    return m;
  }

  /** Registers a callback run after every change; returns a function that removes it. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** Builds the ResourceKind a CustomResourceDefinition object describes (its storage version). */
export function kindFromCrd(crd: Record<string, any>): ResourceKind | undefined {
  const spec = crd['spec'];
  if (spec === undefined || spec === null) return undefined;
  const versions: any[] = Array.isArray(spec.versions) ? spec.versions : [];
  const served = versions.find((v) => v?.storage === true) ?? versions.find((v) => v?.served !== false) ?? versions[0];
  if (served === undefined || typeof spec.group !== 'string' || typeof spec.names?.plural !== 'string')
    return undefined;
  const hasStatus = served.subresources?.status !== undefined;
  const hasScale = served.subresources?.scale !== undefined;
  const cols: PrinterColumn[] | undefined = Array.isArray(served.additionalPrinterColumns)
    ? served.additionalPrinterColumns
    : undefined;
  return {
    group: spec.group,
    version: String(served.name),
    resource: spec.names.plural,
    singular: spec.names.singular ?? String(spec.names.kind).toLowerCase(),
    kind: spec.names.kind,
    namespaced: spec.scope !== 'Cluster',
    shortNames: spec.names.shortNames ?? [],
    verbs: RW,
    categories: spec.names.categories ?? [],
    subresources: [...(hasStatus ? ['status'] : []), ...(hasScale ? ['scale'] : [])],
    hasGeneration: true,
    fieldLabels: [],
    custom: true,
    ...(cols !== undefined ? { printerColumns: cols } : {}),
    ...(served.schema?.openAPIV3Schema !== undefined ? { schema: served.schema.openAPIV3Schema } : {}),
  };
}
