/**
 * Subresources (status, scale, binding, eviction, log), content negotiation of resources (JSON,
 * protobuf, YAML, Table, PartialObjectMetadata) and the review APIs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
import { NS } from '../kinds';
import { behaviour, type Behaviour } from './behaviour';
import { idlePod } from './writes';

const CM = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const DEP = `/apis/apps/v1/namespaces/${NS}/deployments`;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const KUBECTL_TABLE = `${TABLE},application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`;
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

const deployment = (name: string, replicas: number): unknown => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { schedulerName: 'kfc-nobody', containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
    },
  },
});

/** What the client controls of a Deployment another actor also writes. */
const depView = (o: any): unknown => ({ generation: o?.metadata?.generation, spec: o?.spec });

export const SUBRESOURCES: Behaviour[] = [
  behaviour('subresource: status', async (c) => {
    await c.send({ method: 'POST', path: PODS, body: idlePod('st') });
    await c.call('GET pods/status', { method: 'GET', path: `${PODS}/st/status` });
    const cur = (await c.send({ method: 'GET', path: `${PODS}/st` })).body as any;
    await c.call('PUT pods/status changes status only', {
      method: 'PUT',
      path: `${PODS}/st/status?fieldManager=kf-status`,
      body: {
        ...cur,
        metadata: { ...cur.metadata, labels: { ignored: 'yes' } },
        status: { ...cur.status, conditions: [{ type: 'KfcReady', status: 'True' }] },
      },
    });
    await c.call('PATCH pods/status', {
      method: 'PATCH',
      path: `${PODS}/st/status`,
      contentType: 'application/merge-patch+json',
      body: { status: { message: 'hello' }, spec: { activeDeadlineSeconds: 5 } },
    });
    await c.call('main resource ignores status', {
      method: 'PATCH',
      path: `${PODS}/st`,
      contentType: 'application/merge-patch+json',
      body: { status: { message: 'ignored' }, metadata: { labels: { main: 'yes' } } },
    });
    await c.call('status of a kind without one', { method: 'GET', path: `${CM}/kube-root-ca.crt/status` });
  }),
  behaviour('subresource: scale', async (c) => {
    await c.send({ method: 'POST', path: DEP, body: deployment('scale', 1) });
    await c.call('GET deployments/scale', { method: 'GET', path: `${DEP}/scale/scale` }, (s) => ({
      ...s,
      status: undefined,
    }));
    await c.call(
      'PUT deployments/scale',
      {
        method: 'PUT',
        path: `${DEP}/scale/scale`,
        body: {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { name: 'scale', namespace: NS },
          spec: { replicas: 0 },
        },
      },
      (s) => ({ ...s, status: undefined }),
    );
    await c.call(
      'PATCH deployments/scale',
      {
        method: 'PATCH',
        path: `${DEP}/scale/scale`,
        contentType: 'application/merge-patch+json',
        body: { spec: { replicas: 2 } },
      },
      (s) => ({ ...s, status: undefined }),
    );
    await c.call('the deployment after scaling', { method: 'GET', path: `${DEP}/scale` }, depView);
    await c.call('negative replicas', {
      method: 'PATCH',
      path: `${DEP}/scale/scale`,
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: -1 } },
    });
    await c.call('scale of a kind without one', { method: 'GET', path: `${PODS}/st/scale` });
  }),
  behaviour('subresource: binding', async (c) => {
    await c.send({ method: 'POST', path: PODS, body: idlePod('bind') });
    const binding = (target: string): unknown => ({
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bind' },
      target: { apiVersion: 'v1', kind: 'Node', name: target },
    });
    await c.call('POST pods/binding', { method: 'POST', path: `${PODS}/bind/binding`, body: binding('node-a') });
    await c.call('the pod after binding', { method: 'GET', path: `${PODS}/bind` }, (p) => ({
      nodeName: p.spec?.nodeName,
      scheduled: (p.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled')?.status,
    }));
    await c.call('binding again', { method: 'POST', path: `${PODS}/bind/binding`, body: binding('node-b') });
    await c.call('binding a missing pod', {
      method: 'POST',
      path: `${PODS}/nope/binding`,
      body: { ...(binding('node-a') as object), metadata: { name: 'nope' } },
    });
    await c.call('binding with a different name', {
      method: 'POST',
      path: `${PODS}/bind/binding`,
      body: { ...(binding('node-a') as object), metadata: { name: 'other' } },
    });
  }),
  behaviour('subresource: eviction', async (c) => {
    await c.send({ method: 'POST', path: PODS, body: idlePod('evict') });
    const eviction = (name: string): unknown => ({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name, namespace: NS },
    });
    await c.call('POST pods/eviction', { method: 'POST', path: `${PODS}/evict/eviction`, body: eviction('evict') });
    await c.call('the pod after eviction', { method: 'GET', path: `${PODS}/evict` });
    await c.call('evicting a missing pod', { method: 'POST', path: `${PODS}/evict/eviction`, body: eviction('evict') });
    await c.call('GET on eviction', { method: 'GET', path: `${PODS}/st/eviction` });
  }),
  behaviour('subresource: log', async (c) => {
    await c.call('log of an unscheduled pod, container named', {
      method: 'GET',
      path: `${PODS}/st/log?container=a`,
      accept: '*/*',
    });
    await c.call('log without a container of a two-container pod', {
      method: 'GET',
      path: `${PODS}/st/log`,
      accept: '*/*',
    });
    await c.call('log of an unknown container', { method: 'GET', path: `${PODS}/st/log?container=zzz`, accept: '*/*' });
    await c.call('log of a missing pod', { method: 'GET', path: `${PODS}/nope/log`, accept: '*/*' });
    await c.call('log with a bad tailLines', {
      method: 'GET',
      path: `${PODS}/st/log?container=a&tailLines=x`,
      accept: '*/*',
    });
  }),
  behaviour('content negotiation: resources', async (c) => {
    const one = `${CM}/kube-root-ca.crt`;
    await c.call('Accept: protobuf', { method: 'GET', path: one, accept: PROTOBUF });
    await c.call('Accept: protobuf, JSON', { method: 'GET', path: one, accept: `${PROTOBUF}, application/json` });
    await c.call('Accept: JSON, protobuf', { method: 'GET', path: one, accept: `application/json, ${PROTOBUF}` });
    await c.call('Accept: protobuf list', { method: 'GET', path: CM, accept: PROTOBUF });
    await c.call('Accept: application/yaml', { method: 'GET', path: one, accept: 'application/yaml' }, () => 'yaml');
    await c.call('Accept: */*', { method: 'GET', path: one, accept: '*/*' }, () => 'body');
    await c.call('no Accept', { method: 'GET', path: one, accept: null }, () => 'body');
    await c.call(
      'Accept: application/json;stream=watch',
      { method: 'GET', path: one, accept: 'application/json;stream=watch' },
      () => 'body',
    );
    await c.call('Accept: application/cbor', { method: 'GET', path: one, accept: 'application/cbor' });
    await c.call('Accept: PartialObjectMetadata', {
      method: 'GET',
      path: one,
      accept: 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
    });
    await c.call('Accept: PartialObjectMetadataList', {
      method: 'GET',
      path: `${CM}?labelSelector=set%3Dlist`,
      accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
    });
    await c.call('Content-Type: protobuf body that is not protobuf', {
      method: 'POST',
      path: CM,
      contentType: PROTOBUF,
      body: '{"metadata":{"name":"pb"}}',
    });
    await c.call('Content-Type: application/yaml', {
      method: 'POST',
      path: CM,
      contentType: 'application/yaml',
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: "1"\n',
    });
  }),
  behaviour('Table output', async (c) => {
    await c.call('configmaps list', { method: 'GET', path: `${CM}?labelSelector=set%3Dlist`, accept: TABLE });
    await c.call('configmaps list, kubectl Accept', {
      method: 'GET',
      path: `${CM}?labelSelector=set%3Dlist&limit=500`,
      accept: KUBECTL_TABLE,
    });
    await c.call('one configmap', { method: 'GET', path: `${CM}/w-a`, accept: TABLE });
    await c.call('pods list', { method: 'GET', path: `${PODS}?labelSelector=set%3Dwrites`, accept: TABLE });
    await c.call('pods list includeObject=Object', {
      method: 'GET',
      path: `${PODS}?labelSelector=set%3Dwrites&includeObject=Object`,
      accept: TABLE,
    });
    await c.call('pods list includeObject=None', {
      method: 'GET',
      path: `${PODS}?labelSelector=set%3Dwrites&includeObject=None`,
      accept: TABLE,
    });
    await c.call('namespaces', {
      method: 'GET',
      path: `/api/v1/namespaces?fieldSelector=metadata.name%3D${NS}`,
      accept: TABLE,
    });
    // How many ReplicaSets (so which revision) the deployment controller made of the patch behaviour's
    // quick template changes depends on when it looked: the revision's value is not compared.
    await c.call(
      'deployments',
      { method: 'GET', path: `${DEP}?fieldSelector=metadata.name%3Dsmp-dep`, accept: TABLE },
      (t) => ({
        ...t,
        rows: (t.rows ?? []).map((r: any) => {
          const a = r.object?.metadata?.annotations;
          if (a?.['deployment.kubernetes.io/revision'] === undefined) return r;
          const annotations = { ...a, 'deployment.kubernetes.io/revision': '<revision>' };
          return { ...r, object: { ...r.object, metadata: { ...r.object.metadata, annotations } } };
        }),
      }),
    );
    await c.call('services', { method: 'GET', path: `/api/v1/namespaces/default/services`, accept: TABLE });
    await c.call('nodes', { method: 'GET', path: '/api/v1/nodes?labelSelector=accelerator', accept: TABLE }, (t) => ({
      ...t,
      rows: (t.rows ?? []).map((r: any) => ({ cells: [r.cells?.[0], r.cells?.[2]] })),
    }));
    await c.call('Table v1beta1 only', {
      method: 'GET',
      path: `${CM}/w-a`,
      accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io',
    });
    await c.call('Table with paging', { method: 'GET', path: `${CM}?labelSelector=set%3Dlist&limit=1`, accept: TABLE });
    await c.watch(
      'Table watch',
      { method: 'GET', path: `${CM}?watch=true&labelSelector=set%3Dlist`, accept: TABLE },
      { events: 3 },
    );
  }),
  behaviour('review APIs', async (c) => {
    const ssar = (verb: string, resource: string): unknown => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb, resource, namespace: NS } },
    });
    await c.call('SelfSubjectAccessReview admin', {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: ssar('create', 'pods'),
    });
    await c.call('SelfSubjectAccessReview viewer allowed', {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: ssar('list', 'pods'),
      as: 'viewer',
    });
    await c.call('SelfSubjectAccessReview viewer denied', {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: ssar('delete', 'pods'),
      as: 'viewer',
    });
    await c.call('SelfSubjectReview viewer', {
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      as: 'viewer',
    });
  }),
];
