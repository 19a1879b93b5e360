/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns
 * kube-apiserver's printers produce per kind (pkg/printers/internalversion/printers.go), CRD
 * additionalPrinterColumns, and the Name/Age default. Column types, formats and descriptions are
 * kube-apiserver v1.37.2's own, captured by `npm run conformance:apiserver -- --capture-tables`
 * into openapi-data/kube-apiserver-tables.json.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import capturedTables from './openapi-data/kube-apiserver-tables.json';
import type { ResourceKind } from '../store/registry';
import type { KubeObject } from '../store/types';

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
}
type Cells = (o: KubeObject, now: number) => unknown[];

/** Renders a duration the way kubectl does (`5s`, `3m2s`, `4h`, `2d3h`, `400d`). */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 > 0 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 > 0 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return `${d}d${h % 24 > 0 ? `${h % 24}h` : ''}`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

function age(o: KubeObject, now: number): string {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? '<unknown>' : humanAge(now - t);
}

const col = (name: string, type = 'string', priority = 0, format?: string): Column => ({
  name,
  type,
  description: name,
  priority,
  ...(format !== undefined ? { format } : {}),
});
const NAME = col('Name', 'string', 0, 'name');
const AGE = col('Age');

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp !== undefined) return 'Terminating';
  const st = o['status'] ?? {};
  if (st.reason) return st.reason;
  for (const cs of st.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) return cs.state.waiting.reason;
    if (cs.state?.terminated?.reason && st.phase !== 'Succeeded') return cs.state.terminated.reason;
  }
  if (st.phase === 'Succeeded') return 'Completed';
  return st.phase ?? 'Pending';
}

function ready(o: KubeObject): string {
  const total = (o['spec']?.containers ?? []).length;
  const r = (o['status']?.containerStatuses ?? []).filter((c: any) => c.ready === true).length;
  return `${r}/${total}`;
}

function selectorString(sel: any): string {
  if (!sel) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? sel).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? parts.join(',') : '<none>';
}

/** ReplicaSets and ReplicationControllers print the same columns (kubectl's printReplicaSet / printReplicationController). */
const REPLICA_COUNTS_TABLE: { columns: Column[]; cells: Cells } = {
  columns: [
    NAME,
    col('Desired', 'integer'),
    col('Current', 'integer'),
    col('Ready', 'integer'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells: (o, now) => {
    const c = o['spec']?.template?.spec?.containers ?? [];
    return [
      o.metadata.name,
      o['spec']?.replicas ?? 0,
      o['status']?.replicas ?? 0,
      o['status']?.readyReplicas ?? 0,
      age(o, now),
      c.map((x: any) => x.name).join(','),
      c.map((x: any) => x.image).join(','),
      selectorString(o['spec']?.selector),
    ];
  },
};

const PRINTERS: Record<string, { columns: Column[]; cells: Cells }> = {
  '/pods': {
    columns: [
      NAME,
      col('Ready'),
      col('Status'),
      col('Restarts', 'string'),
      AGE,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    cells: (o, now) => [
      o.metadata.name,
      ready(o),
      podStatus(o),
      String((o['status']?.containerStatuses ?? []).reduce((a: number, c: any) => a + (c.restartCount ?? 0), 0)),
      age(o, now),
      o['status']?.podIP ?? '<none>',
      o['spec']?.nodeName ?? '<none>',
      o['status']?.nominatedNodeName ?? '<none>',
      '<none>',
    ],
  },
  '/nodes': {
    columns: [
      NAME,
      col('Status'),
      col('Roles'),
      AGE,
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('External-IP', 'string', 1),
      col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1),
      col('Container-Runtime', 'string', 1),
    ],
    cells: (o, now) => {
      const readyC = (o['status']?.conditions ?? []).find((c: any) => c.type === 'Ready');
      let status = readyC?.status === 'True' ? 'Ready' : readyC === undefined ? 'Unknown' : 'NotReady';
      if (o['spec']?.unschedulable) status += ',SchedulingDisabled';
      const roles = Object.keys(o.metadata.labels ?? {})
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice(24));
      const addr = (t: string): string =>
        (o['status']?.addresses ?? []).find((a: any) => a.type === t)?.address ?? '<none>';
      const ni = o['status']?.nodeInfo ?? {};
      return [
        o.metadata.name,
        status,
        roles.length > 0 ? roles.join(',') : '<none>',
        age(o, now),
        ni.kubeletVersion ?? '',
        addr('InternalIP'),
        addr('ExternalIP'),
        ni.osImage ?? '<unknown>',
        ni.kernelVersion ?? '<unknown>',
        ni.containerRuntimeVersion ?? '<unknown>',
      ];
    },
  },
  '/namespaces': {
    columns: [NAME, col('Status'), AGE],
    cells: (o, now) => [o.metadata.name, o['status']?.phase ?? 'Active', age(o, now)],
  },
  '/services': {
    columns: [
      NAME,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      AGE,
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const s = o['spec'] ?? {};
      const ports = (s.ports ?? [])
        .map((p: any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
        .join(',');
      return [
        o.metadata.name,
        s.type ?? 'ClusterIP',
        s.clusterIP ?? '<none>',
        (s.externalIPs ?? []).join(',') || '<none>',
        ports || '<none>',
        age(o, now),
        selectorString(s.selector),
      ];
    },
  },
  '/configmaps': {
    columns: [NAME, col('Data', 'integer'), AGE],
    cells: (o, now) => [
      o.metadata.name,
      Object.keys(o['data'] ?? {}).length + Object.keys(o['binaryData'] ?? {}).length,
      age(o, now),
    ],
  },
  '/secrets': {
    columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name, o['type'] ?? 'Opaque', Object.keys(o['data'] ?? {}).length, age(o, now)],
  },
  '/persistentvolumes': {
    columns: [
      NAME,
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Reason'),
      AGE,
    ],
    cells: (o, now) => {
      const s = o['spec'] ?? {};
      const claim = s.claimRef ? `${s.claimRef.namespace}/${s.claimRef.name}` : '';
      return [
        o.metadata.name,
        s.capacity?.storage ?? '',
        (s.accessModes ?? []).map(abbrMode).join(','),
        s.persistentVolumeReclaimPolicy ?? 'Retain',
        o['status']?.phase ?? 'Pending',
        claim,
        s.storageClassName ?? '',
        '<unset>',
        o['status']?.reason ?? '',
        age(o, now),
      ];
    },
  },
  '/persistentvolumeclaims': {
    columns: [
      NAME,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      AGE,
    ],
    cells: (o, now) => [
      o.metadata.name,
      o['status']?.phase ?? 'Pending',
      o['spec']?.volumeName ?? '',
      o['status']?.capacity?.storage ?? '',
      (o['status']?.accessModes ?? []).map(abbrMode).join(','),
      o['spec']?.storageClassName ?? '',
      '<unset>',
      age(o, now),
    ],
  },
  '/events': {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message')],
    cells: (o, now) => {
      const t = Date.parse(o['lastTimestamp'] ?? o['eventTime'] ?? o.metadata.creationTimestamp ?? '');
      const io = o['involvedObject'] ?? {};
      return [
        Number.isNaN(t) ? '<unknown>' : humanAge(now - t),
        o['type'] ?? '',
        o['reason'] ?? '',
        `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
        o['message'] ?? '',
      ];
    },
  },
  'apps/deployments': {
    columns: [
      NAME,
      col('Ready'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const st = o['status'] ?? {};
      const c = o['spec']?.template?.spec?.containers ?? [];
      return [
        o.metadata.name,
        `${st.readyReplicas ?? 0}/${o['spec']?.replicas ?? 0}`,
        st.updatedReplicas ?? 0,
        st.availableReplicas ?? 0,
        age(o, now),
        c.map((x: any) => x.name).join(','),
        c.map((x: any) => x.image).join(','),
        selectorString(o['spec']?.selector),
      ];
    },
  },
  '/replicationcontrollers': REPLICA_COUNTS_TABLE,
  'networking.k8s.io/ingresses': {
    columns: [NAME, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE],
    cells: (o, now) => {
      const s = o['spec'] ?? {};
      const hosts: string[] = (s.rules ?? [])
        .map((r: any) => r?.host)
        .filter((h: unknown) => typeof h === 'string' && h !== '');
      // Upstream formatHosts: at most three, then "+ N more...", and "*" when no rule names a host.
      const shown =
        hosts.length === 0
          ? '*'
          : hosts.slice(0, 3).join(',') + (hosts.length > 3 ? ` + ${hosts.length - 3} more...` : '');
      const lb: any[] = o['status']?.loadBalancer?.ingress ?? [];
      const addr = lb.map((i: any) => i?.ip ?? i?.hostname).filter((x: unknown) => typeof x === 'string' && x !== '');
      return [
        o.metadata.name,
        s.ingressClassName ?? '<none>',
        shown,
        addr.join(','),
        Array.isArray(s.tls) && s.tls.length > 0 ? '80, 443' : '80',
        age(o, now),
      ];
    },
  },
  'networking.k8s.io/ingressclasses': {
    columns: [NAME, col('Controller'), col('Parameters'), AGE],
    cells: (o, now) => {
      const p = o['spec']?.parameters;
      const params =
        p === undefined || p === null
          ? '<none>'
          : `${String(p.kind)}${p.apiGroup ? `.${String(p.apiGroup)}` : ''}/${String(p.name)}`;
      return [o.metadata.name, o['spec']?.controller ?? '', params, age(o, now)];
    },
  },
  'apps/replicasets': REPLICA_COUNTS_TABLE,
  'apps/statefulsets': {
    columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
    cells: (o, now) => {
      const c = o['spec']?.template?.spec?.containers ?? [];
      return [
        o.metadata.name,
        `${o['status']?.readyReplicas ?? 0}/${o['spec']?.replicas ?? 0}`,
        age(o, now),
        c.map((x: any) => x.name).join(','),
        c.map((x: any) => x.image).join(','),
      ];
    },
  },
  'apps/daemonsets': {
    columns: [
      NAME,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      AGE,
    ],
    cells: (o, now) => {
      const st = o['status'] ?? {};
      const ns = Object.entries(o['spec']?.template?.spec?.nodeSelector ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
      return [
        o.metadata.name,
        st.desiredNumberScheduled ?? 0,
        st.currentNumberScheduled ?? 0,
        st.numberReady ?? 0,
        st.updatedNumberScheduled ?? 0,
        st.numberAvailable ?? 0,
        ns || '<none>',
        age(o, now),
      ];
    },
  },
  'batch/jobs': {
    columns: [NAME, col('Status'), col('Completions'), col('Duration'), AGE],
    cells: (o, now) => {
      const st = o['status'] ?? {};
      const conds: any[] = st.conditions ?? [];
      const status = conds.some((c) => c.type === 'Complete' && c.status === 'True')
        ? 'Complete'
        : conds.some((c) => c.type === 'Failed' && c.status === 'True')
          ? 'Failed'
          : 'Running';
      const start = Date.parse(st.startTime ?? '');
      const end = Date.parse(st.completionTime ?? '') || now;
      return [
        o.metadata.name,
        status,
        `${st.succeeded ?? 0}/${o['spec']?.completions ?? 1}`,
        Number.isNaN(start) ? '' : humanAge(end - start),
        age(o, now),
      ];
    },
  },
  'batch/cronjobs': {
    columns: [
      NAME,
      col('Schedule'),
      col('Timezone'),
      col('Suspend', 'boolean'),
      col('Active', 'integer'),
      col('Last Schedule'),
      AGE,
    ],
    cells: (o, now) => {
      const last = Date.parse(o['status']?.lastScheduleTime ?? '');
      return [
        o.metadata.name,
        o['spec']?.schedule ?? '',
        o['spec']?.timeZone ?? '<none>',
        o['spec']?.suspend === true,
        (o['status']?.active ?? []).length,
        Number.isNaN(last) ? '<none>' : humanAge(now - last),
        age(o, now),
      ];
    },
  },
  'scheduling.k8s.io/priorityclasses': {
    columns: [
      NAME,
      col('Value', 'integer'),
      col('Global-Default', 'boolean'),
      AGE,
      col('PreemptionPolicy', 'string', 1),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o['value'] ?? 0,
      o['globalDefault'] === true,
      age(o, now),
      o['preemptionPolicy'] ?? 'PreemptLowerPriority',
    ],
  },
  'storage.k8s.io/storageclasses': {
    columns: [
      NAME,
      col('Provisioner'),
      col('ReclaimPolicy'),
      col('VolumeBindingMode'),
      col('AllowVolumeExpansion', 'boolean'),
      AGE,
    ],
    cells: (o, now) => [
      o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'
        ? `${o.metadata.name} (default)`
        : o.metadata.name,
      o['provisioner'] ?? '',
      o['reclaimPolicy'] ?? 'Delete',
      o['volumeBindingMode'] ?? 'Immediate',
      o['allowVolumeExpansion'] === true,
      age(o, now),
    ],
  },
  'storage.k8s.io/csinodes': {
    columns: [NAME, col('Drivers', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name, (o['spec']?.drivers ?? []).length, age(o, now)],
  },
  'coordination.k8s.io/leases': {
    columns: [NAME, col('Holder'), AGE],
    cells: (o, now) => [o.metadata.name, o['spec']?.holderIdentity ?? '', age(o, now)],
  },
  'discovery.k8s.io/endpointslices': {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    cells: (o, now) => [
      o.metadata.name,
      o['addressType'] ?? '',
      (o['ports'] ?? []).map((p: any) => p.port).join(',') || '<unset>',
      (o['endpoints'] ?? [])
        .flatMap((e: any) => e.addresses ?? [])
        .slice(0, 3)
        .join(',') || '<unset>',
      age(o, now),
    ],
  },
  'apiextensions.k8s.io/customresourcedefinitions': {
    columns: [NAME, col('Created At', 'date')],
    cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
  },
};

function abbrMode(m: string): string {
  return (
    (
      { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' } as Record<
        string,
        string
      >
    )[m] ?? m
  );
}

function jsonPath(o: KubeObject, path: string): unknown {
  let cur: any = o;
  for (const p of path.replace(/^\./, '').split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Column definitions and a row function for one kind. */
/** kube-apiserver's column definitions by `group/resource` (captured, see the file comment). */
const CAPTURED = (capturedTables as { tables: Record<string, Column[]> }).tables;
const capturedPrinters = new Map<string, { columns: Column[]; cells: Cells }>();

/** A column as kube-apiserver defines it (type, format, description), when it defines one by that name. */
function upstreamColumn(key: string, c: Column): Column {
  const u =
    (CAPTURED[key] ?? []).find((x) => x.name === c.name) ??
    (CAPTURED['/configmaps'] ?? []).find((x) => x.name === c.name && (x.name === 'Name' || x.name === 'Age'));
  return u === undefined
    ? c
    : { name: u.name, type: u.type, format: u.format ?? '', description: u.description, priority: u.priority };
}

export function printerFor(kind: ResourceKind): { columns: Column[]; cells: Cells } {
  const key = `${kind.group}/${kind.resource}`;
  const hit = capturedPrinters.get(key);
  if (hit !== undefined) return hit;
  const p = PRINTERS[key];
  if (p !== undefined) {
    const q = { columns: p.columns.map((c) => upstreamColumn(key, c)), cells: p.cells };
    capturedPrinters.set(key, q);
    return q;
  }
  if (kind.custom && kind.printerColumns !== undefined && kind.printerColumns.length > 0) {
    const cols = kind.printerColumns;
    // apiextensions' tableconvertor: the metadata Name column, then each additionalPrinterColumn with
    // its format ('' when unset) and, unless the CRD gives one, a description naming its JSONPath.
    return {
      columns: [
        upstreamColumn(key, NAME),
        ...cols.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? '',
          description: c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          priority: c.priority ?? 0,
        })),
      ],
      cells: (o) => [o.metadata.name, ...cols.map((c) => jsonPath(o, c.jsonPath) ?? null)],
    };
  }
  if (kind.custom)
    return {
      columns: [NAME, col('Created At', 'date')],
      cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
    };
  return {
    columns: [NAME, AGE].map((c) => upstreamColumn(key, c)),
    cells: (o, now) => [o.metadata.name, age(o, now)],
  };
}

/** Whether the Accept header asks for a Table (any position). */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** Whether the Accept header accepts only Table (no JSON fallback). */
export function onlyTable(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').every((a) => /as=Table/.test(a));
}

/** One Table row: the cells plus PartialObjectMetadata for the object. */
/** What a Table row carries of its object (`includeObject`): nothing, its metadata (default), or all of it. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The `includeObject` query value (anything else is the default, Metadata). */
export function includeObjectOf(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function tableRow(
  kind: ResourceKind,
  o: KubeObject,
  now: number,
  include: IncludeObject = 'Metadata',
  version: TableVersion = 'v1',
): string {
  const cells = JSON.stringify(printerFor(kind).cells(o, now));
  if (include === 'None') return `{"cells":${cells},"object":null}`;
  const object =
    include === 'Object'
      ? JSON.stringify(o)
      : JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata });
  return `{"cells":${cells},"object":${object}}`;
}

/** The meta.k8s.io version a Table is served in. */
export type TableVersion = 'v1' | 'v1beta1';

/** The version of the first Table the Accept header names (v1beta1 only when that comes first). */
export function tableVersionOf(accept: string | undefined): TableVersion {
  const first = (accept ?? '').split(',').find((a) => /as=Table/.test(a) && /g=meta\.k8s\.io/.test(a));
  return first !== undefined && /(^|;)\s*v=v1beta1\s*(;|$)/.test(first) ? 'v1beta1' : 'v1';
}

/** A Table response body (string) for `items`. */
export function tableJSON(
  kind: ResourceKind,
  items: readonly KubeObject[],
  listMeta: Record<string, unknown>,
  include: IncludeObject = 'Metadata',
  version: TableVersion = 'v1',
): string {
  const now = Date.now();
  const p = printerFor(kind);
  const rows = items.map((o) => tableRow(kind, o, now, include, version)).join(',');
  return `{"kind":"Table","apiVersion":"meta.k8s.io/${version}","metadata":${JSON.stringify(listMeta)},"columnDefinitions":${JSON.stringify(p.columns)},"rows":[${rows}]}`;
}
