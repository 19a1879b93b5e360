/**
 * Lifecycles: cascading deletion (Background, Foreground, Orphan), custom resources (CRD
 * registration, discovery, CRUD, Table, status, unsupported patch), and namespace termination, which
 * also removes the working namespace at the end.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
import { NS } from '../kinds';
import type { Ctx } from '../context';
import { behaviour, type Behaviour } from './behaviour';

const CM = `/api/v1/namespaces/${NS}/configmaps`;
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = `/apis/kfc.example.com/v1/namespaces/${NS}/widgets`;

async function ownerWithDependents(c: Ctx, owner: string): Promise<void> {
  const o = (await c.send({ method: 'POST', path: CM, body: { metadata: { name: owner }, data: { a: '1' } } }))
    .body as any;
  for (const d of ['d1', 'd2']) {
    await c.send({
      method: 'POST',
      path: CM,
      body: {
        metadata: {
          name: `${owner}-${d}`,
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: o.metadata.uid, blockOwnerDeletion: d === 'd1' },
          ],
        },
      },
    });
  }
}

const gone = (c: Ctx, path: string): Promise<boolean> =>
  c.until(async () => (await c.send({ method: 'GET', path })).status === 404, 30_000);

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.kfc.example.com' },
  spec: {
    group: 'kfc.example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['kfc'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: { size: { type: 'integer' }, color: { type: 'string' } },
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
};

export const LIFECYCLE: Behaviour[] = [
  behaviour('cascading deletion: Background', async (c) => {
    await ownerWithDependents(c, 'gc-bg');
    await c.call('DELETE propagationPolicy=Background', {
      method: 'DELETE',
      path: `${CM}/gc-bg`,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
    });
    c.note('owner gone', await gone(c, `${CM}/gc-bg`));
    c.note('dependents gone', (await gone(c, `${CM}/gc-bg-d1`)) && (await gone(c, `${CM}/gc-bg-d2`)));
  }),
  behaviour('cascading deletion: Foreground', async (c) => {
    await ownerWithDependents(c, 'gc-fg');
    await c.call('DELETE ?propagationPolicy=Foreground', {
      method: 'DELETE',
      path: `${CM}/gc-fg?propagationPolicy=Foreground`,
    });
    c.note('dependents gone', (await gone(c, `${CM}/gc-fg-d1`)) && (await gone(c, `${CM}/gc-fg-d2`)));
    c.note('owner gone', await gone(c, `${CM}/gc-fg`));
  }),
  behaviour('cascading deletion: Orphan', async (c) => {
    await ownerWithDependents(c, 'gc-or');
    await c.call('DELETE propagationPolicy=Orphan', {
      method: 'DELETE',
      path: `${CM}/gc-or`,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Orphan' },
    });
    c.note('owner gone', await gone(c, `${CM}/gc-or`));
    await c.until(async () => {
      const d = (await c.send({ method: 'GET', path: `${CM}/gc-or-d1` })).body as any;
      return d?.metadata?.ownerReferences === undefined;
    });
    await c.call('a dependent after the owner is gone', { method: 'GET', path: `${CM}/gc-or-d1` }, (d) => ({
      name: d.metadata?.name,
      ownerReferences: d.metadata?.ownerReferences,
    }));
    await c.call('propagationPolicy=Bogus', { method: 'DELETE', path: `${CM}/gc-or-d1?propagationPolicy=Bogus` });
  }),
  behaviour('deletecollection', async (c) => {
    await c.call('DELETE collection by label', { method: 'DELETE', path: `${CM}?labelSelector=set%3Dlist` }, (l) => ({
      ...l,
      items: (l.items ?? []).map((i: any) => i.metadata?.name),
    }));
    await c.call('the list afterwards', { method: 'GET', path: `${CM}?labelSelector=set%3Dlist` });
  }),
  behaviour('custom resources', async (c) => {
    await c.call('POST the CRD', { method: 'POST', path: CRDS, body: CRD });
    const established = await c.until(async () => {
      const r = (await c.send({ method: 'GET', path: `${CRDS}/widgets.kfc.example.com` })).body as any;
      return (r?.status?.conditions ?? []).some((x: any) => x.type === 'Established' && x.status === 'True');
    });
    c.note('Established', established);
    await c.until(async () => (await c.send({ method: 'GET', path: '/apis/kfc.example.com/v1' })).status === 200);
    await c.call('the CRD', { method: 'GET', path: `${CRDS}/widgets.kfc.example.com` });
    await c.call('discovery of the group version', { method: 'GET', path: '/apis/kfc.example.com/v1' });
    await c.call('discovery of the group', { method: 'GET', path: '/apis/kfc.example.com' });
    const widget = (name: string, spec: unknown): unknown => ({
      apiVersion: 'kfc.example.com/v1',
      kind: 'Widget',
      metadata: { name },
      spec,
    });
    await c.call('POST a widget', { method: 'POST', path: WIDGETS, body: widget('w1', { size: 3, color: 'red' }) });
    await c.call('POST with an unknown field (default Strict? no: Warn)', {
      method: 'POST',
      path: WIDGETS,
      body: widget('w2', { size: 1, shape: 'round' }),
    });
    await c.call('POST with an unknown field Strict', {
      method: 'POST',
      path: `${WIDGETS}?fieldValidation=Strict`,
      body: widget('w3', { size: 1, shape: 'round' }),
    });
    await c.call('POST with a wrong type', { method: 'POST', path: WIDGETS, body: widget('w4', { size: 'big' }) });
    await c.call('GET list', { method: 'GET', path: WIDGETS });
    await c.call('Table', { method: 'GET', path: WIDGETS, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    await c.call('strategic merge patch is unsupported', {
      method: 'PATCH',
      path: `${WIDGETS}/w1`,
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { size: 4 } },
    });
    await c.call('merge patch', {
      method: 'PATCH',
      path: `${WIDGETS}/w1`,
      contentType: 'application/merge-patch+json',
      body: { spec: { size: 4 }, status: { ready: true } },
    });
    await c.call('status subresource', {
      method: 'PATCH',
      path: `${WIDGETS}/w1/status`,
      contentType: 'application/merge-patch+json',
      body: { status: { ready: true }, spec: { size: 9 } },
    });
    await c.call('apply', {
      method: 'PATCH',
      path: `${WIDGETS}/w5?fieldManager=kf-a`,
      contentType: 'application/apply-patch+yaml',
      body: widget('w5', { size: 5 }),
    });
    await c.call('protobuf is not served for custom resources', {
      method: 'GET',
      path: `${WIDGETS}/w1`,
      accept: 'application/vnd.kubernetes.protobuf',
    });
    await c.call('DELETE the CRD', { method: 'DELETE', path: `${CRDS}/widgets.kfc.example.com` }, (o) => ({
      kind: o.kind,
      name: o.metadata?.name,
      deleting: o.metadata?.deletionTimestamp !== undefined,
    }));
    c.note('CRD gone', await gone(c, `${CRDS}/widgets.kfc.example.com`));
    c.note('its resources gone', (await c.send({ method: 'GET', path: WIDGETS })).status);
  }),
  behaviour('namespace termination', async (c) => {
    await c.send({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'kfc-term' } } });
    await c.send({
      method: 'POST',
      path: '/api/v1/namespaces/kfc-term/configmaps',
      body: { metadata: { name: 'x', finalizers: ['kfc.example.com/hold'] } },
    });
    await c.call('DELETE the namespace', { method: 'DELETE', path: '/api/v1/namespaces/kfc-term' }, (o) => ({
      ...o,
      status: { phase: o.status?.phase },
    }));
    await c.call('GET while terminating', { method: 'GET', path: '/api/v1/namespaces/kfc-term' }, (o) => ({
      phase: o.status?.phase,
      deleting: o.metadata?.deletionTimestamp !== undefined,
      finalizers: o.spec?.finalizers,
    }));
    await c.call('create in a terminating namespace', {
      method: 'POST',
      path: '/api/v1/namespaces/kfc-term/configmaps',
      body: { metadata: { name: 'late' } },
    });
    await c.until(async () => {
      const r = (await c.send({ method: 'GET', path: '/api/v1/namespaces/kfc-term/configmaps/x' })).body as any;
      return r?.metadata?.deletionTimestamp !== undefined;
    });
    await c.call(
      'its object with a finalizer is being deleted',
      { method: 'GET', path: '/api/v1/namespaces/kfc-term/configmaps/x' },
      (o) => ({
        deleting: o.metadata?.deletionTimestamp !== undefined,
        finalizers: o.metadata?.finalizers,
      }),
    );
    await c.send({
      method: 'PATCH',
      path: '/api/v1/namespaces/kfc-term/configmaps/x',
      contentType: 'application/merge-patch+json',
      body: { metadata: { finalizers: null } },
    });
    c.note('namespace gone after the finalizer is removed', await gone(c, '/api/v1/namespaces/kfc-term'));
  }),
  behaviour('delete the working namespace', async (c) => {
    await c.call('DELETE', { method: 'DELETE', path: `/api/v1/namespaces/${NS}` }, (o) => ({
      kind: o.kind,
      phase: o.status?.phase,
      deleting: o.metadata?.deletionTimestamp !== undefined,
    }));
    c.note('gone', await gone(c, `/api/v1/namespaces/${NS}`));
  }),
];
