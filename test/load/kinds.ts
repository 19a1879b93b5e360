/**
 * The kinds the load campaign writes, and how each write of the plan becomes an HTTP request for
 * one of them. Contract of every `request` here: a pure function of the object's identity, the
 * write's sequence number `n` (unique and increasing per object) and the last acknowledged object;
 * every accepted-by-design write changes the object (so it bumps resourceVersion and yields exactly
 * one watch event), and every rejected-by-design write would change it too (so a write that is
 * wrongly applied shows up in the final state and in the watches).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here. */

/** Label that marks the run's objects (final-state lists select on it). */
export const RUN_LABEL = 'load.kubeforecast.io/run';
/** Annotation every accepted write sets to its sequence number. */
export const SEQ_ANNOTATION = 'load.kubeforecast.io/seq';
/** Annotation only rejected-by-design writes set; it must never appear in the final state. */
export const REJECTED_ANNOTATION = 'load.kubeforecast.io/rejected';
/** JSON-pointer form of SEQ_ANNOTATION under /metadata/annotations. */
const SEQ_POINTER = `/metadata/annotations/${SEQ_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** The custom resource's CRD (created by the campaign's set-up). */
export const WIDGET_GROUP = 'load.kubeforecast.io';
export const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `loadwidgets.${WIDGET_GROUP}` },
  spec: {
    group: WIDGET_GROUP,
    scope: 'Namespaced',
    names: { plural: 'loadwidgets', singular: 'loadwidget', kind: 'LoadWidget', listKind: 'LoadWidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
};

/** What a write is, independent of the kind. */
export type WriteType =
  /** POST the object (accepted). */
  | 'create'
  /** JSON merge patch (accepted). */
  | 'merge'
  /** Strategic merge patch (accepted on built-in kinds). */
  | 'strategic'
  /** JSON patch (accepted). */
  | 'json'
  /** Server-side apply, forced, as the client's own field manager (accepted). */
  | 'apply'
  /** PUT of the last acknowledged object with its resourceVersion (accepted). */
  | 'update'
  /** DELETE (accepted). */
  | 'delete'
  /** PUT with the create's (stale) resourceVersion: 409 Conflict. */
  | 'stale-update'
  /** Merge patch carrying the create's (stale) metadata.resourceVersion: 409 Conflict. */
  | 'stale-patch'
  /** DELETE with a stale resourceVersion precondition: 409 Conflict. */
  | 'stale-delete'
  /** JSON patch whose `test` operation fails: 422 Invalid. */
  | 'failed-test'
  /** POST of a name that exists: 409 AlreadyExists. */
  | 'create-existing'
  /** Strategic merge patch of a custom resource: 415 Unsupported Media Type. */
  | 'strategic-custom';

/** The status a rejected-by-design write must get. */
export const REJECTION_STATUS: Partial<Record<WriteType, number>> = {
  'stale-update': 409,
  'stale-patch': 409,
  'stale-delete': 409,
  'failed-test': 422,
  'create-existing': 409,
  'strategic-custom': 415,
};

/** The watch event an accepted write must produce. */
export function eventTypeOf(w: WriteType): 'ADDED' | 'MODIFIED' | 'DELETED' {
  return w === 'create' ? 'ADDED' : w === 'delete' ? 'DELETED' : 'MODIFIED';
}

/** One HTTP request. */
export interface WriteRequest {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  contentType?: string;
}

/** What a request builder knows about the object. */
export interface WriteContext {
  name: string;
  namespace: string;
  run: string;
  /** The client's number (its field manager is `load-client-<n>`). */
  client: number;
  /** This write's sequence number on the object. */
  n: number;
  /** The last acknowledged object (absent before the create). */
  last?: Record<string, any>;
  /** The resourceVersion the create was acknowledged with (stale once a later write was acknowledged). */
  createdRv?: string;
}

/** A kind of the campaign. */
export interface LoadKind {
  kind: string;
  apiVersion: string;
  plural: string;
  /** True when a controller writes the object (Deployment status): its final resourceVersion may be newer than the last acknowledged write. */
  controllerWrites: boolean;
  /** The accepted modifications it supports. */
  modifications: readonly WriteType[];
  /** The rejected-by-design writes it supports. */
  rejections: readonly WriteType[];
  /** The object as created. */
  object(c: WriteContext): Record<string, any>;
  /** The strategic/merge/apply body of an accepted modification `n` (without apiVersion/kind for patches). */
  patch(c: WriteContext): Record<string, any>;
  /** The JSON patch operations of modification `n` (after SEQ_POINTER's replace). */
  jsonOps(c: WriteContext): unknown[];
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function meta(c: WriteContext): Record<string, any> {
  return {
    name: c.name,
    namespace: c.namespace,
    labels: { [RUN_LABEL]: c.run, 'load.kubeforecast.io/client': String(c.client) },
    annotations: { [SEQ_ANNOTATION]: String(c.n) },
  };
}

const configMap: LoadKind = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  plural: 'configmaps',
  controllerWrites: false,
  modifications: ['merge', 'strategic', 'json', 'apply', 'update'],
  rejections: ['stale-update', 'stale-patch', 'stale-delete', 'failed-test', 'create-existing'],
  object: (c) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(c), data: { k0: 'v0' } }),
  patch: (c) => ({ metadata: { annotations: { [SEQ_ANNOTATION]: String(c.n) } }, data: { [`k${c.n}`]: `v${c.n}` } }),
  jsonOps: (c) => [{ op: 'add', path: `/data/k${c.n}`, value: `v${c.n}` }],
};

const secret: LoadKind = {
  kind: 'Secret',
  apiVersion: 'v1',
  plural: 'secrets',
  controllerWrites: false,
  modifications: ['merge', 'strategic', 'json', 'apply', 'update'],
  rejections: ['stale-update', 'stale-patch', 'stale-delete', 'failed-test', 'create-existing'],
  object: (c) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(c),
    type: 'Opaque',
    data: { k0: b64('load-0') },
  }),
  patch: (c) => ({
    metadata: { annotations: { [SEQ_ANNOTATION]: String(c.n) } },
    data: { [`k${c.n}`]: b64(`load-${c.n}`) },
  }),
  jsonOps: (c) => [{ op: 'add', path: `/data/k${c.n}`, value: b64(`load-${c.n}`) }],
};

/** Pods name a scheduler that does not exist, so no scheduler, kubelet or controller ever writes them. */
const pod: LoadKind = {
  kind: 'Pod',
  apiVersion: 'v1',
  plural: 'pods',
  controllerWrites: false,
  modifications: ['merge', 'strategic', 'json', 'apply', 'update'],
  rejections: ['stale-update', 'stale-patch', 'stale-delete', 'failed-test', 'create-existing'],
  object: (c) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(c),
    spec: {
      schedulerName: 'load-no-such-scheduler',
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'main', image: 'registry.example/load:0' }],
    },
  }),
  // Merge patches replace lists whole, so they touch metadata only; strategic ones also change the image.
  patch: (c) => ({
    metadata: { annotations: { [SEQ_ANNOTATION]: String(c.n) }, labels: { 'load.kubeforecast.io/n': String(c.n) } },
  }),
  jsonOps: (c) => [{ op: 'replace', path: '/spec/containers/0/image', value: `registry.example/load:${c.n}` }],
};

const deployment: LoadKind = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  plural: 'deployments',
  controllerWrites: true,
  // No plain update: the deployment controller writes status, so a PUT of the last acknowledged
  // object would race it (a nondeterministic 409).
  modifications: ['merge', 'strategic', 'json', 'apply'],
  rejections: ['stale-update', 'stale-patch', 'stale-delete', 'failed-test', 'create-existing'],
  object: (c) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(c),
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: c.name } },
      template: {
        metadata: { labels: { app: c.name } },
        spec: { containers: [{ name: 'main', image: 'registry.example/load:0' }] },
      },
    },
  }),
  patch: (c) => ({ metadata: { annotations: { [SEQ_ANNOTATION]: String(c.n) } }, spec: { minReadySeconds: c.n } }),
  jsonOps: (c) => [
    { op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.example/load:${c.n}` },
  ],
};

const widget: LoadKind = {
  kind: 'LoadWidget',
  apiVersion: `${WIDGET_GROUP}/v1`,
  plural: 'loadwidgets',
  controllerWrites: false,
  modifications: ['merge', 'json', 'apply', 'update'],
  rejections: ['stale-update', 'stale-patch', 'stale-delete', 'failed-test', 'create-existing', 'strategic-custom'],
  object: (c) => ({
    apiVersion: `${WIDGET_GROUP}/v1`,
    kind: 'LoadWidget',
    metadata: meta(c),
    spec: { size: 0, tags: { t0: 'x' } },
  }),
  patch: (c) => ({ metadata: { annotations: { [SEQ_ANNOTATION]: String(c.n) } }, spec: { size: c.n } }),
  jsonOps: (c) => [{ op: 'add', path: `/spec/tags/t${c.n}`, value: 'x' }],
};

/** Every kind, in the order the plan's weights refer to. */
export const KINDS: readonly LoadKind[] = [configMap, secret, pod, deployment, widget];

/** The kind called `kind`. */
export function kindNamed(kind: string): LoadKind {
  const k = KINDS.find((x) => x.kind === kind);
  if (k === undefined) throw new Error(`no load kind ${kind}`);
  return k;
}

/** Collection path of `kind` in `namespace` (all namespaces when undefined). */
export function collectionPath(kind: LoadKind, namespace: string | undefined): string {
  const base = kind.apiVersion.includes('/') ? `/apis/${kind.apiVersion}` : `/api/${kind.apiVersion}`;
  return namespace === undefined ? `${base}/${kind.plural}` : `${base}/namespaces/${namespace}/${kind.plural}`;
}

const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';

/** Marks a body as a rejected-by-design write's, so a wrongly applied one is visible. */
function rejectedMark(c: WriteContext): Record<string, any> {
  return { metadata: { annotations: { [REJECTED_ANNOTATION]: String(c.n) } } };
}

/** The request for write `type` on an object of `kind` (see the file comment). */
export function writeRequest(kind: LoadKind, type: WriteType, c: WriteContext): WriteRequest {
  const coll = collectionPath(kind, c.namespace);
  const one = `${coll}/${c.name}`;
  const last = (): Record<string, any> => {
    if (c.last === undefined) throw new Error(`${type} of ${kind.kind} ${c.name} before its create was acknowledged`);
    return structuredClone(c.last);
  };
  const stale = (): string => {
    if (c.createdRv === undefined) throw new Error(`${type} of ${kind.kind} ${c.name} without a create`);
    return c.createdRv;
  };
  switch (type) {
    case 'create':
      return { method: 'POST', path: coll, body: kind.object(c) };
    case 'create-existing':
      return { method: 'POST', path: coll, body: kind.object(c) };
    case 'merge':
      return { method: 'PATCH', path: one, body: kind.patch(c), contentType: MERGE };
    case 'strategic': {
      const body = kind.patch(c);
      if (kind.kind === 'Pod') body['spec'] = { containers: [{ name: 'main', image: `registry.example/load:${c.n}` }] };
      if (kind.kind === 'Deployment')
        body['spec'] = {
          ...body['spec'],
          template: { spec: { containers: [{ name: 'main', image: `registry.example/load:${c.n}` }] } },
        };
      return { method: 'PATCH', path: one, body, contentType: STRATEGIC };
    }
    case 'strategic-custom':
      return { method: 'PATCH', path: one, body: { ...kind.patch(c), ...rejectedMark(c) }, contentType: STRATEGIC };
    case 'json':
      return {
        method: 'PATCH',
        path: one,
        body: [{ op: 'replace', path: SEQ_POINTER, value: String(c.n) }, ...kind.jsonOps(c)],
        contentType: JSON_PATCH,
      };
    case 'failed-test':
      return {
        method: 'PATCH',
        path: one,
        body: [
          { op: 'test', path: SEQ_POINTER, value: 'never' },
          { op: 'replace', path: SEQ_POINTER, value: String(c.n) },
        ],
        contentType: JSON_PATCH,
      };
    case 'apply': {
      // The client's own manager owns one label and, for data-carrying kinds, one key.
      const body: Record<string, any> = {
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        metadata: { name: c.name, namespace: c.namespace, labels: { 'load.kubeforecast.io/applied': String(c.n) } },
      };
      if (kind.kind === 'ConfigMap') body['data'] = { applied: String(c.n) };
      if (kind.kind === 'Secret') body['data'] = { applied: b64(String(c.n)) };
      if (kind.kind === 'LoadWidget') body['spec'] = { applied: c.n };
      return {
        method: 'PATCH',
        path: `${one}?fieldManager=load-client-${c.client}&force=true`,
        body,
        contentType: APPLY,
      };
    }
    case 'update': {
      const o = last();
      o['metadata']['annotations'] = { ...o['metadata']['annotations'], [SEQ_ANNOTATION]: String(c.n) };
      if (o['data'] !== undefined) o['data'][`u${c.n}`] = kind.kind === 'Secret' ? b64(`u${c.n}`) : `u${c.n}`;
      if (kind.kind === 'LoadWidget') o['spec'] = { ...o['spec'], updated: c.n };
      return { method: 'PUT', path: one, body: o };
    }
    case 'stale-update': {
      const o = last();
      o['metadata']['resourceVersion'] = stale();
      o['metadata']['annotations'] = { ...o['metadata']['annotations'], [REJECTED_ANNOTATION]: String(c.n) };
      return { method: 'PUT', path: one, body: o };
    }
    case 'stale-patch': {
      const body = rejectedMark(c);
      body['metadata']['resourceVersion'] = stale();
      return { method: 'PATCH', path: one, body, contentType: MERGE };
    }
    case 'delete':
      return {
        method: 'DELETE',
        path: one,
        body: { propagationPolicy: 'Background', ...(kind.kind === 'Pod' ? { gracePeriodSeconds: 0 } : {}) },
      };
    case 'stale-delete':
      return { method: 'DELETE', path: one, body: { preconditions: { resourceVersion: stale() } } };
  }
}
