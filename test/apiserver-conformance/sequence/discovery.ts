/**
 * Discovery (legacy and aggregated), version, health and OpenAPI v2/v3 with every Accept header a
 * client sends, before the sequence creates anything (so both servers describe the same kinds).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
import { behaviour, type Behaviour } from './behaviour';

const AGG = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const KUBECTL_AGG = `${AGG},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`;
const V2_PB = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const V2_PB_NEW = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V3_PB = 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf';

/** Keeps a discovery document's headline fields (the resource lists are compared in their own behaviours). */
const headers = (r: any): unknown => r;

export const DISCOVERY: Behaviour[] = [
  behaviour('version', async (c) => {
    await c.call('GET /version', { method: 'GET', path: '/version' });
    await c.call('GET /version (no credentials)', { method: 'GET', path: '/version', as: 'anonymous' });
  }),
  behaviour('health endpoints', async (c) => {
    for (const p of ['/healthz', '/livez', '/readyz'])
      await c.call(`GET ${p}`, { method: 'GET', path: p, accept: null }, headers);
    await c.call('GET /readyz (no credentials)', { method: 'GET', path: '/readyz', accept: null, as: 'anonymous' });
  }),
  behaviour('legacy discovery /api', async (c) => {
    await c.call('GET /api', { method: 'GET', path: '/api' });
  }),
  behaviour('legacy discovery /apis', async (c) => {
    await c.call('GET /apis', { method: 'GET', path: '/apis' });
  }),
  behaviour('legacy discovery /api/v1', async (c) => {
    await c.call('GET /api/v1', { method: 'GET', path: '/api/v1' });
  }),
  ...['apps/v1', 'batch/v1', 'policy/v1', 'storage.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'events.k8s.io/v1'].map(
    (gv) =>
      behaviour(`legacy discovery /apis/${gv}`, async (c) => {
        await c.call(`GET /apis/${gv}`, { method: 'GET', path: `/apis/${gv}` });
        await c.call(`GET /apis/${gv.split('/')[0]}`, { method: 'GET', path: `/apis/${gv.split('/')[0]}` });
      }),
  ),
  behaviour('discovery of an unknown group', async (c) => {
    await c.call('GET /apis/nope.example.com', { method: 'GET', path: '/apis/nope.example.com' });
    await c.call('GET /apis/nope.example.com/v1', { method: 'GET', path: '/apis/nope.example.com/v1' });
    await c.call('GET /api/v2', { method: 'GET', path: '/api/v2' });
  }),
  behaviour('aggregated discovery /api', async (c) => {
    await c.call('GET /api (v2 only)', { method: 'GET', path: '/api', accept: AGG });
    await c.call('GET /api (kubectl)', { method: 'GET', path: '/api', accept: KUBECTL_AGG });
  }),
  behaviour('aggregated discovery /apis', async (c) => {
    await c.call('GET /apis (v2 only)', { method: 'GET', path: '/apis', accept: AGG });
  }),
  behaviour('OpenAPI v2 as JSON', async (c) => {
    await c.call('Accept: application/json', { method: 'GET', path: '/openapi/v2', accept: 'application/json' });
  }),
  behaviour('OpenAPI v2 content negotiation', async (c) => {
    for (const accept of [
      V2_PB,
      V2_PB_NEW,
      `${V2_PB}, application/json`,
      'application/json, */*',
      '*/*',
      null,
      'text/html',
      'application/vnd.kubernetes.protobuf',
    ]) {
      const r = await c.send({ method: 'GET', path: '/openapi/v2', accept });
      c.note(`Accept: ${accept ?? '(none)'}`, {
        status: r.status,
        contentType: r.headers['content-type'],
        bodyIsJson: r.body !== undefined && !Buffer.isBuffer(r.body) && typeof r.body === 'object',
        bytes: r.raw.length > 0,
      });
    }
    const pb = await c.send({ method: 'GET', path: '/openapi/v2', accept: V2_PB });
    const { createHash } = await import('node:crypto');
    c.note('protobuf document SHA-256', createHash('sha256').update(pb.raw).digest('hex'));
    const etag = pb.headers['etag'];
    if (typeof etag === 'string') {
      const again = await c.send({
        method: 'GET',
        path: '/openapi/v2',
        accept: V2_PB,
        headers: { 'If-None-Match': etag },
      });
      c.note('If-None-Match with the ETag', { status: again.status, bytes: again.raw.length });
    } else c.note('If-None-Match with the ETag', 'no ETag');
  }),
  behaviour('OpenAPI v3 index', async (c) => {
    const r = await c.call('GET /openapi/v3', { method: 'GET', path: '/openapi/v3' });
    c.vars.set('openapi-v3-index', r.body);
  }),
  ...['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/apiextensions.k8s.io/v1'].map((gv) =>
    behaviour(`OpenAPI v3 document ${gv}`, async (c) => {
      const index = c.vars.get('openapi-v3-index') as { paths?: Record<string, { serverRelativeURL: string }> };
      const url = index?.paths?.[gv]?.serverRelativeURL ?? `/openapi/v3/${gv}`;
      const r = await c.call(`GET ${gv} (hash from the index)`, { method: 'GET', path: url }, (b) => b);
      c.note('cache headers with the hash', {
        cacheControl: r.headers['cache-control'],
        expires: r.headers['expires'] !== undefined,
        etag: r.headers['etag'] !== undefined,
      });
      const stale = await c.send({ method: 'GET', path: `/openapi/v3/${gv}?hash=0123`, accept: 'application/json' });
      c.note('a stale hash', {
        status: stale.status,
        location: String(stale.headers['location'] ?? '').replace(/hash=[0-9A-F]+/, 'hash=<hash>'),
      });
      const pb = await c.send({ method: 'GET', path: `/openapi/v3/${gv}`, accept: V3_PB });
      c.note('Accept: protobuf', { status: pb.status, contentType: pb.headers['content-type'] });
      const html = await c.send({ method: 'GET', path: `/openapi/v3/${gv}`, accept: 'text/html' });
      c.note('Accept: text/html', { status: html.status, contentType: html.headers['content-type'] });
    }),
  ),
  behaviour('OpenAPI v3 unknown document', async (c) => {
    await c.call('GET /openapi/v3/apis/nope.example.com/v1', {
      method: 'GET',
      path: '/openapi/v3/apis/nope.example.com/v1',
    });
  }),
];
