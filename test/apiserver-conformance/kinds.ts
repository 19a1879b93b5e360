/**
 * One small valid object of every kind the simulator serves (src/simulator/store/kinds/index.ts
 * KINDS), for the CRUD part of the sequence. `settled: false` marks kinds whose objects a
 * controller, the scheduler or the node agent keeps writing (status, controller annotations): after
 * the create, only what the client wrote is compared for them (see `clientView`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are wire JSON. */

/** The namespace the sequence works in. */
export const NS = 'kfc';

/** A kind's CRUD case. */
export interface KindCase {
  /** `apps/v1` */
  apiVersion: string;
  kind: string;
  /** Plural resource. */
  resource: string;
  namespaced: boolean;
  /** The object to create (without apiVersion/kind/namespace). */
  object: Record<string, any>;
  /** False when other actors keep changing the object after it is created. */
  settled?: boolean;
  /** What is compared of the object after its create (default: all when settled, else `clientView`). */
  view?: (o: any) => unknown;
  /**
   * True once the controllers have done their first pass over the new object. The sequence waits for
   * it (on both servers alike) before reading the object back, so what the client's later writes find
   * does not depend on how fast the controllers happened to be.
   */
  settle?: (o: any) => boolean;
  /**
   * Objects controllers remove after this one is deleted (paths, given the object's name). The
   * sequence waits (on both servers alike) until they are gone, so the next kind's lists do not
   * depend on how fast the controllers happened to be.
   */
  cleanedUp?: (name: string) => string[];
}

const CONTAINER = { name: 'c', image: 'registry.k8s.io/pause:3.10' };
const template = (app: string): Record<string, any> => ({
  metadata: { labels: { app } },
  spec: { containers: [CONTAINER] },
});

/** Every kind's case, in the order the sequence runs them. */
export const KIND_CASES: KindCase[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, object: { data: { a: '1' } } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    resource: 'secrets',
    namespaced: true,
    object: { type: 'Opaque', data: { k: Buffer.from('v').toString('base64') }, stringData: { s: 'plain' } },
  },
  { apiVersion: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', namespaced: true, object: {} },
  {
    apiVersion: 'v1',
    kind: 'Service',
    resource: 'services',
    namespaced: true,
    object: { spec: { selector: { app: 'kfc-none' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    // The endpoints controller keeps an Endpoints object (with the Service's labels) until it notices.
    cleanedUp: (name) => [`/api/v1/namespaces/${NS}/endpoints/${name}`],
  },
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    resource: 'endpoints',
    namespaced: true,
    object: { subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ name: 'http', port: 80 }] }] },
  },
  {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    resource: 'replicationcontrollers',
    namespaced: true,
    object: { spec: { replicas: 0, selector: { app: 'rc' }, template: template('rc') } },
    settled: false,
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    resource: 'persistentvolumes',
    namespaced: false,
    object: {
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/tmp/kfc' },
        storageClassName: 'kfc-manual',
      },
    },
    settled: false,
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    resource: 'persistentvolumeclaims',
    namespaced: true,
    object: {
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: 'kfc-none',
      },
    },
    settled: false,
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    resource: 'events',
    namespaced: true,
    object: {
      involvedObject: { kind: 'Pod', name: 'kfc-pod', namespace: NS, apiVersion: 'v1' },
      reason: 'Testing',
      message: 'conformance',
      type: 'Normal',
      source: { component: 'kf-conformance' },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    resource: 'resourcequotas',
    namespaced: true,
    object: { spec: { hard: { configmaps: '100' } } },
    settled: false,
  },
  {
    apiVersion: 'v1',
    kind: 'LimitRange',
    resource: 'limitranges',
    namespaced: true,
    object: { spec: { limits: [{ type: 'Container', max: { cpu: '64' } }] } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    resource: 'deployments',
    namespaced: true,
    object: { spec: { replicas: 0, selector: { matchLabels: { app: 'dep' } }, template: template('dep') } },
    settled: false,
    // The deployment controller records the revision (through the status subresource) and observes.
    settle: (o: any) =>
      o?.metadata?.annotations?.['deployment.kubernetes.io/revision'] !== undefined &&
      o?.status?.observedGeneration === o?.metadata?.generation,
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    resource: 'replicasets',
    namespaced: true,
    object: { spec: { replicas: 0, selector: { matchLabels: { app: 'rs' } }, template: template('rs') } },
    settled: false,
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    resource: 'statefulsets',
    namespaced: true,
    object: {
      spec: {
        replicas: 0,
        serviceName: 'sts',
        selector: { matchLabels: { app: 'sts' } },
        template: template('sts'),
      },
    },
    settled: false,
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    resource: 'daemonsets',
    namespaced: true,
    object: {
      spec: {
        selector: { matchLabels: { app: 'ds' } },
        template: { ...template('ds'), spec: { ...template('ds')['spec'], nodeSelector: { kfc: 'none' } } },
      },
    },
    settled: false,
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    resource: 'controllerrevisions',
    namespaced: true,
    object: { revision: 1, data: { spec: { template: { metadata: { labels: { app: 'x' } } } } } },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    resource: 'jobs',
    namespaced: true,
    object: {
      spec: {
        suspend: true,
        template: { spec: { containers: [CONTAINER], restartPolicy: 'Never' } },
      },
    },
    settled: false,
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    resource: 'cronjobs',
    namespaced: true,
    object: {
      spec: {
        schedule: '0 0 1 1 *',
        suspend: true,
        jobTemplate: { spec: { template: { spec: { containers: [CONTAINER], restartPolicy: 'OnFailure' } } } },
      },
    },
    settled: false,
  },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    resource: 'endpointslices',
    namespaced: true,
    object: {
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.1.2.3'], conditions: { ready: true } }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    resource: 'ingresses',
    namespaced: true,
    object: { spec: { defaultBackend: { service: { name: 'svc', port: { number: 80 } } } } },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    resource: 'ingressclasses',
    namespaced: false,
    object: { spec: { controller: 'example.com/kfc' } },
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    resource: 'priorityclasses',
    namespaced: false,
    object: { value: 1000, description: 'conformance' },
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    resource: 'storageclasses',
    namespaced: false,
    object: { provisioner: 'example.com/kfc' },
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSINode',
    resource: 'csinodes',
    namespaced: false,
    object: { spec: { drivers: [{ name: 'kfc.csi.example.com', nodeID: 'kfc-1', topologyKeys: ['zone'] }] } },
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    resource: 'csidrivers',
    namespaced: false,
    object: { spec: { attachRequired: false } },
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'VolumeAttachment',
    resource: 'volumeattachments',
    namespaced: false,
    object: { spec: { attacher: 'kfc.csi.example.com', nodeName: 'node-a', source: { persistentVolumeName: 'pv-x' } } },
    settled: false,
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIStorageCapacity',
    resource: 'csistoragecapacities',
    namespaced: true,
    object: { storageClassName: 'kfc-sc', capacity: '1Gi' },
  },
  {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    resource: 'runtimeclasses',
    namespaced: false,
    object: { handler: 'kfc' },
  },
  {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'DeviceClass',
    resource: 'deviceclasses',
    namespaced: false,
    object: { spec: { selectors: [{ cel: { expression: 'device.driver == "kfc.example.com"' } }] } },
  },
  {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    resource: 'events',
    namespaced: true,
    object: {
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'example.com/kfc',
      reportingInstance: 'kfc-1',
      action: 'Testing',
      reason: 'Testing',
      type: 'Normal',
      note: 'conformance',
      regarding: { kind: 'Pod', name: 'kfc-pod', namespace: NS, apiVersion: 'v1' },
    },
  },
  {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    resource: 'leases',
    namespaced: true,
    object: { spec: { holderIdentity: 'kfc-1', leaseDurationSeconds: 40 } },
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    resource: 'poddisruptionbudgets',
    namespaced: true,
    object: { spec: { minAvailable: 1, selector: { matchLabels: { app: 'pdb' } } } },
    settled: false,
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    resource: 'roles',
    namespaced: true,
    object: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    resource: 'rolebindings',
    namespaced: true,
    object: {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kfc-role' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'kfc-user' }],
    },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    resource: 'clusterroles',
    namespaced: false,
    object: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    resource: 'clusterrolebindings',
    namespaced: false,
    object: {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kfc-clusterrole' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'kfc-user' }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    resource: 'pods',
    namespaced: true,
    // No scheduler answers to this name, so the pod stays as created (no binding, no node agent).
    object: { spec: { schedulerName: 'kfc-nobody', containers: [CONTAINER] } },
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    resource: 'nodes',
    namespaced: false,
    object: { spec: { taints: [{ key: 'kfc', value: 'x', effect: 'NoSchedule' }] } },
    settled: false,
    // The TTL controller annotates the node; the node lifecycle controller lifts admission's not-ready
    // taint once the node agent reports Ready.
    settle: (o: any) =>
      o?.metadata?.annotations?.['node.alpha.kubernetes.io/ttl'] !== undefined &&
      !(o?.spec?.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/not-ready'),
    // The node agent, the node lifecycle and TTL controllers write status, taints and annotations.
    view: (o: any) =>
      o?.kind === 'Status'
        ? o
        : {
            kind: o?.kind,
            apiVersion: o?.apiVersion,
            name: o?.metadata?.name,
            labels: o?.metadata?.labels,
            generation: o?.metadata?.generation,
            managedFields: clientView(o)['metadata']?.managedFields,
            taints: (o?.spec?.taints ?? []).filter((t: any) => t.key === 'kfc'),
            unschedulable: o?.spec?.unschedulable,
          },
  },
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    resource: 'namespaces',
    namespaced: false,
    object: {},
    settled: false,
  },
];

/** The collection URL of a kind (namespaced ones in `ns`). */
export function collectionPath(apiVersion: string, resource: string, ns?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return ns !== undefined ? `${base}/namespaces/${ns}/${resource}` : `${base}/${resource}`;
}

/** The object path of a kind's case. */
export function objectPath(c: KindCase, name: string): string {
  return `${collectionPath(c.apiVersion, c.resource, c.namespaced ? NS : undefined)}/${name}`;
}

/** The name the sequence gives a kind's object. */
export function caseName(c: KindCase): string {
  const base = `kfc-${c.kind.toLowerCase()}`;
  return c.apiVersion === 'events.k8s.io/v1' ? `${base}-v1` : base;
}

/**
 * What the client wrote of an object other actors keep changing: metadata without the fields
 * controllers own (status, managers other than the sequence's own, controller annotations), and
 * the rest without `status`.
 */
export function clientView(o: any): any {
  if (o === null || typeof o !== 'object' || o.kind === 'Status') return o;
  const { status: _status, ...rest } = o;
  const meta = { ...(o.metadata ?? {}) };
  if (Array.isArray(meta.managedFields))
    meta.managedFields = meta.managedFields.filter((m: any) => String(m.manager).startsWith('kf'));
  if (meta.annotations !== undefined) {
    const a = Object.fromEntries(
      Object.entries(meta.annotations).filter(([k]) => !k.startsWith('deployment.kubernetes.io/')),
    );
    if (Object.keys(a).length === 0) delete meta.annotations;
    else meta.annotations = a;
  }
  return { ...rest, metadata: meta };
}
