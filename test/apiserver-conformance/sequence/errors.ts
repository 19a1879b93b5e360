/**
 * Errors as Status objects: 404, 409 AlreadyExists and Conflict, 422 with causes, 400, 401, 403,
 * 405, 406, and the namespace rules.
 */
import { NS } from '../kinds';
import { behaviour, type Behaviour } from './behaviour';
import { idlePod } from './writes';

const CM = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;

export const ERRORS: Behaviour[] = [
  behaviour('errors: 404', async (c) => {
    await c.call('a missing object', { method: 'GET', path: `${CM}/missing` });
    await c.call('a missing object of a group', {
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${NS}/deployments/missing`,
    });
    await c.call('create in a missing namespace', {
      method: 'POST',
      path: '/api/v1/namespaces/kfc-missing/configmaps',
      body: { metadata: { name: 'x' } },
    });
    await c.call('list in a missing namespace', { method: 'GET', path: '/api/v1/namespaces/kfc-missing/configmaps' });
    await c.call('an unknown resource', { method: 'GET', path: `/api/v1/namespaces/${NS}/nothings` });
    await c.call('an unknown path', { method: 'GET', path: '/nothing/here' });
    await c.call('a cluster-scoped kind under a namespace', { method: 'GET', path: `/api/v1/namespaces/${NS}/nodes` });
    await c.call('an unknown subresource', { method: 'GET', path: `${CM}/kube-root-ca.crt/nothing` });
    await c.call('delete a missing object', { method: 'DELETE', path: `${CM}/missing` });
  }),
  behaviour('errors: 409', async (c) => {
    await c.send({ method: 'POST', path: CM, body: { metadata: { name: 'dup' }, data: { a: '1' } } });
    await c.call('AlreadyExists', { method: 'POST', path: CM, body: { metadata: { name: 'dup' } } });
    await c.send({
      method: 'PATCH',
      path: `${CM}/dup`,
      contentType: 'application/merge-patch+json',
      body: { data: { a: '2' } },
    });
    await c.call('Conflict: a stale resourceVersion', {
      method: 'PUT',
      path: `${CM}/dup`,
      body: { metadata: { name: 'dup', resourceVersion: '1' }, data: { a: '3' } },
    });
    await c.call('unconditional PUT', {
      method: 'PUT',
      path: `${CM}/dup`,
      body: { metadata: { name: 'dup' }, data: { a: '4' } },
    });
    await c.call('precondition uid on delete', {
      method: 'DELETE',
      path: `${CM}/dup`,
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } },
    });
  }),
  behaviour('errors: 422 with causes', async (c) => {
    await c.call('an invalid name', { method: 'POST', path: CM, body: { metadata: { name: 'Not_Valid' } } });
    await c.call('no name', { method: 'POST', path: CM, body: { metadata: {} } });
    await c.call('a pod without containers', {
      method: 'POST',
      path: PODS,
      body: { metadata: { name: 'p' }, spec: {} },
    });
    await c.call('several causes', {
      method: 'POST',
      path: PODS,
      body: idlePod('bad', { containers: [{ name: 'Bad_Name' }], restartPolicy: 'Sometimes' }),
    });
    await c.call('a deployment whose selector does not match', {
      method: 'POST',
      path: `/apis/apps/v1/namespaces/${NS}/deployments`,
      body: {
        metadata: { name: 'bad' },
        spec: {
          selector: { matchLabels: { app: 'a' } },
          template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
        },
      },
    });
    await c.call('an immutable field on update', {
      method: 'PUT',
      path: `/api/v1/namespaces/${NS}/secrets/imm`,
      body: { metadata: { name: 'imm' }, immutable: true, data: {} },
    });
    await c.send({
      method: 'POST',
      path: `/api/v1/namespaces/${NS}/secrets`,
      body: { metadata: { name: 'imm2' }, immutable: true, stringData: { a: 'b' } },
    });
    await c.call('changing an immutable Secret', {
      method: 'PATCH',
      path: `/api/v1/namespaces/${NS}/secrets/imm2`,
      contentType: 'application/merge-patch+json',
      body: { stringData: { a: 'c' } },
    });
  }),
  behaviour('errors: 400', async (c) => {
    await c.call('namespace in the body differs from the URL', {
      method: 'POST',
      path: CM,
      body: { metadata: { name: 'x', namespace: 'default' } },
    });
    await c.call('name in the body differs from the URL', {
      method: 'PUT',
      path: `${CM}/a`,
      body: { metadata: { name: 'b' } },
    });
    await c.call('resourceVersion set on create', {
      method: 'POST',
      path: CM,
      body: { metadata: { name: 'rv-set', resourceVersion: '5' } },
    });
    await c.call('malformed JSON', { method: 'POST', path: CM, body: '{"metadata":' });
    await c.call('a kind mismatch', {
      method: 'POST',
      path: CM,
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } },
    });
    await c.call('empty body', { method: 'POST', path: CM, body: '' });
  }),
  behaviour('errors: 401', async (c) => {
    await c.call('a bad token', { method: 'GET', path: CM, as: 'bad-token' });
    await c.call('a bad token on /version', { method: 'GET', path: '/version', as: 'bad-token' });
    await c.call('a bad token on discovery', { method: 'GET', path: '/api/v1', as: 'bad-token' });
  }),
  behaviour('errors: anonymous', async (c) => {
    await c.call('no credentials: list', { method: 'GET', path: CM, as: 'anonymous' });
    await c.call('no credentials: discovery', { method: 'GET', path: '/apis', as: 'anonymous' });
    await c.call('no credentials: OpenAPI', { method: 'GET', path: '/openapi/v3', as: 'anonymous' });
  }),
  behaviour('errors: 403', async (c) => {
    await c.call('viewer creates', { method: 'POST', path: CM, as: 'viewer', body: { metadata: { name: 'v' } } });
    await c.call('viewer deletes', { method: 'DELETE', path: `${CM}/kube-root-ca.crt`, as: 'viewer' });
    await c.call('viewer lists pods', { method: 'GET', path: PODS, as: 'viewer' }, () => 'list');
    await c.call('viewer lists nodes', { method: 'GET', path: '/api/v1/nodes', as: 'viewer' });
    await c.call('viewer gets a secret', {
      method: 'GET',
      path: `/api/v1/namespaces/${NS}/secrets/imm2`,
      as: 'viewer',
    });
    await c.call('viewer lists CRDs', {
      method: 'GET',
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      as: 'viewer',
    });
    await c.call(
      'viewer watches configmaps',
      { method: 'GET', path: `${CM}?watch=true&timeoutSeconds=1`, as: 'viewer' },
      () => 'watch',
    );
    await c.call('delete a protected namespace', { method: 'DELETE', path: '/api/v1/namespaces/kube-system' });
  }),
  behaviour('errors: 405 and 406', async (c) => {
    await c.call('PUT on a collection', { method: 'PUT', path: CM, body: { metadata: { name: 'x' } } });
    await c.call('POST on an object', { method: 'POST', path: `${CM}/dup`, body: { metadata: { name: 'x' } } });
    await c.call('DELETE on a namespaces collection', { method: 'DELETE', path: '/api/v1/namespaces' });
    await c.call('Accept: text/html', { method: 'GET', path: `${CM}/kube-root-ca.crt`, accept: 'text/html' });
    await c.call('Accept: Table only, on a Status-only subresource', {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
      },
    });
  }),
];
