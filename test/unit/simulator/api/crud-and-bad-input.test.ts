/**
 * CRUD across every kind the issue lists, and bad input: each malformed request gets the Status
 * kube-apiserver returns, the store is unchanged, and the server keeps answering.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, deployment, until, widgetCrd, withSim } from '@test/unit/simulator/helpers';

const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };
const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };

/** One entry per kind: collection path, body, and a merge patch applied in the update step. */
const KINDS: { name: string; path: string; body: Record<string, any>; patch: Record<string, any> }[] = [
  {
    name: 'namespaces',
    path: '/api/v1/namespaces',
    body: { metadata: { name: 'obj' } },
    patch: { metadata: { labels: { u: '1' } } },
  },
  {
    name: 'nodes',
    path: '/api/v1/nodes',
    body: { metadata: { name: 'obj' } },
    patch: { spec: { unschedulable: true } },
  },
  {
    name: 'pods',
    path: '/api/v1/namespaces/default/pods',
    body: { metadata: { name: 'obj' }, spec: podSpec },
    patch: { metadata: { labels: { u: '1' } } },
  },
  {
    name: 'services',
    path: '/api/v1/namespaces/default/services',
    body: { metadata: { name: 'obj' }, spec: { ports: [{ port: 80 }] } },
    patch: { spec: { selector: { app: 'x' } } },
  },
  {
    name: 'endpointslices',
    path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    body: { metadata: { name: 'obj' }, addressType: 'IPv4', endpoints: [] },
    patch: { metadata: { labels: { u: '1' } } },
  },
  {
    name: 'configmaps',
    path: '/api/v1/namespaces/default/configmaps',
    body: { metadata: { name: 'obj' }, data: { a: '1' } },
    patch: { data: { a: '2' } },
  },
  {
    name: 'secrets',
    path: '/api/v1/namespaces/default/secrets',
    body: { metadata: { name: 'obj' }, type: 'Opaque', data: { a: 'MQ==' } },
    patch: { data: { a: 'Mg==' } },
  },
  {
    name: 'deployments',
    path: '/apis/apps/v1/namespaces/default/deployments',
    body: { metadata: { name: 'obj' }, spec: { selector: { matchLabels: { app: 'x' } }, template } },
    patch: { spec: { replicas: 2 } },
  },
  {
    name: 'replicasets',
    path: '/apis/apps/v1/namespaces/default/replicasets',
    body: { metadata: { name: 'obj' }, spec: { selector: { matchLabels: { app: 'x' } }, template } },
    patch: { spec: { replicas: 2 } },
  },
  {
    name: 'statefulsets',
    path: '/apis/apps/v1/namespaces/default/statefulsets',
    body: { metadata: { name: 'obj' }, spec: { serviceName: 's', selector: { matchLabels: { app: 'x' } }, template } },
    patch: { spec: { replicas: 2 } },
  },
  {
    name: 'daemonsets',
    path: '/apis/apps/v1/namespaces/default/daemonsets',
    body: { metadata: { name: 'obj' }, spec: { selector: { matchLabels: { app: 'x' } }, template } },
    patch: { metadata: { labels: { u: '1' } } },
  },
  {
    name: 'jobs',
    path: '/apis/batch/v1/namespaces/default/jobs',
    body: { metadata: { name: 'obj' }, spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } } },
    patch: { spec: { suspend: true } },
  },
  {
    name: 'cronjobs',
    path: '/apis/batch/v1/namespaces/default/cronjobs',
    body: {
      metadata: { name: 'obj' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: { spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } } },
      },
    },
    patch: { spec: { suspend: true } },
  },
  {
    name: 'priorityclasses',
    path: '/apis/scheduling.k8s.io/v1/priorityclasses',
    body: { metadata: { name: 'obj' }, value: 1000 },
    patch: { description: 'updated' },
  },
  {
    name: 'persistentvolumes',
    path: '/api/v1/persistentvolumes',
    body: {
      metadata: { name: 'obj' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } },
    },
    patch: { metadata: { labels: { u: '1' } } },
  },
  {
    name: 'persistentvolumeclaims',
    path: '/api/v1/namespaces/default/persistentvolumeclaims',
    body: {
      metadata: { name: 'obj' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    patch: { metadata: { labels: { u: '1' } } },
  },
  {
    name: 'storageclasses',
    path: '/apis/storage.k8s.io/v1/storageclasses',
    body: { metadata: { name: 'obj' }, provisioner: 'example.com/x' },
    patch: { metadata: { labels: { u: '1' } } },
  },
  {
    name: 'csinodes',
    path: '/apis/storage.k8s.io/v1/csinodes',
    body: { metadata: { name: 'obj' }, spec: { drivers: [] } },
    patch: { metadata: { labels: { u: '1' } } },
  },
  {
    name: 'events (core)',
    path: '/api/v1/namespaces/default/events',
    body: { metadata: { name: 'obj' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Test' },
    patch: { count: 2 },
  },
  {
    name: 'events (events.k8s.io)',
    path: '/apis/events.k8s.io/v1/namespaces/default/events',
    body: {
      metadata: { name: 'obj' },
      regarding: { kind: 'Pod', name: 'p' },
      reason: 'Test',
      eventTime: '2026-01-01T00:00:00.000000Z',
    },
    patch: { note: 'n' },
  },
  {
    name: 'leases',
    path: '/apis/coordination.k8s.io/v1/namespaces/default/leases',
    body: { metadata: { name: 'obj' }, spec: { holderIdentity: 'a' } },
    patch: { spec: { holderIdentity: 'b' } },
  },
  {
    name: 'customresourcedefinitions',
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    body: widgetCrd(),
    patch: { metadata: { labels: { u: '1' } } },
  },
];

test('CRUD (create, get, list, merge patch, delete) works for every listed kind', async () => {
  await withSim({}, async (sim) => {
    for (const k of KINDS) {
      const name = k.body['metadata'].name;
      const c = await call(sim, 'POST', k.path, { body: k.body });
      assert.equal(c.status, 201, `${k.name} create: ${c.text}`);
      assert.equal((await call(sim, 'GET', `${k.path}/${name}`)).status, 200, `${k.name} get`);
      const l = await call(sim, 'GET', k.path);
      assert.ok(
        l.json.items.some((i: any) => i.metadata.name === name),
        `${k.name} list`,
      );
      const p = await call(sim, 'PATCH', `${k.path}/${name}`, { ctype: 'application/merge-patch+json', body: k.patch });
      assert.equal(p.status, 200, `${k.name} patch: ${p.text}`);
      assert.ok(
        Number(p.json.metadata.resourceVersion) > Number(c.json.metadata.resourceVersion),
        `${k.name} patch bumps the RV`,
      );
      const d = await call(sim, 'DELETE', `${k.path}/${name}`);
      assert.ok(d.status === 200 || d.status === 202, `${k.name} delete: ${d.text}`);
    }
  });
});

test('a created CRD serves its kind at once, including Table, watch and deletion with the CRD', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: widgetCrd() });
    const crd = await call(sim, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    assert.ok(crd.json.status.conditions.some((c: any) => c.type === 'Established' && c.status === 'True'));
    const w = await call(sim, 'POST', '/apis/example.com/v1/namespaces/default/widgets', {
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { anything: { goes: true } },
      },
    });
    assert.equal(w.status, 201);
    assert.equal(w.json.metadata.generation, 1);
    // The CRD is terminating first (customresourcecleanup finalizer); its kind goes once its objects are gone.
    const del = await call(
      sim,
      'DELETE',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    );
    assert.deepEqual(del.json.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    await until(
      async () => (await call(sim, 'GET', '/apis/example.com/v1/namespaces/default/widgets')).status === 404,
      10_000,
    );
    await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: widgetCrd() });
    assert.equal(
      (await call(sim, 'GET', '/apis/example.com/v1/namespaces/default/widgets')).json.items.length,
      0,
      'objects went with the CRD',
    );
  });
});

test('bad input gets the upstream Status and leaves the store unchanged', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: { metadata: { name: 'exists' }, data: { a: '1' } },
    });
    const cases: {
      name: string;
      method: string;
      path: string;
      body?: unknown;
      ctype?: string;
      code: number;
      reason: string;
      message?: RegExp;
    }[] = [
      {
        name: 'malformed JSON',
        method: 'POST',
        path: '/api/v1/namespaces/default/pods',
        body: '{"metadata":',
        code: 400,
        reason: 'BadRequest',
        message: /json parse error/,
      },
      {
        name: 'JSON array body',
        method: 'POST',
        path: '/api/v1/namespaces/default/pods',
        body: '[1,2]',
        code: 400,
        reason: 'BadRequest',
      },
      {
        name: 'malformed YAML apply',
        method: 'PATCH',
        path: '/api/v1/namespaces/default/configmaps/exists?fieldManager=m',
        body: 'metadata: [unclosed',
        ctype: 'application/apply-patch+yaml',
        code: 400,
        reason: 'BadRequest',
        message: /yaml/,
      },
      {
        name: 'empty body',
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        body: '',
        code: 400,
        reason: 'BadRequest',
      },
      {
        name: 'wrong kind in body',
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
        code: 400,
        reason: 'BadRequest',
        message: /Secret in version "v1" cannot be handled as a ConfigMap/,
      },
      {
        name: 'wrong apiVersion in body',
        method: 'POST',
        path: '/apis/apps/v1/namespaces/default/deployments',
        body: { ...deployment('d'), apiVersion: 'apps/v1beta1' },
        code: 400,
        reason: 'BadRequest',
        message: /API version in the data/,
      },
      {
        name: 'unknown kind',
        method: 'POST',
        path: '/apis/example.com/v1/namespaces/default/gizmos',
        body: { metadata: { name: 'g' } },
        code: 404,
        reason: 'NotFound',
      },
      {
        name: 'non-DNS-1123 name',
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        body: { metadata: { name: 'Bad_Name' } },
        code: 422,
        reason: 'Invalid',
        message: /metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
      },
      {
        name: 'non-DNS-1123 namespace',
        method: 'POST',
        path: '/api/v1/namespaces',
        body: { metadata: { name: 'a.b' } },
        code: 422,
        reason: 'Invalid',
        message: /RFC 1123 label/,
      },
      {
        name: 'pod without containers',
        method: 'POST',
        path: '/api/v1/namespaces/default/pods',
        body: { metadata: { name: 'p' }, spec: {} },
        code: 422,
        reason: 'Invalid',
        message: /spec.containers: Required value/,
      },
      {
        name: 'container without image',
        method: 'POST',
        path: '/api/v1/namespaces/default/pods',
        body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } },
        code: 422,
        reason: 'Invalid',
        message: /spec.containers\[0\].image: Required value/,
      },
      {
        name: 'deployment without selector',
        method: 'POST',
        path: '/apis/apps/v1/namespaces/default/deployments',
        body: { metadata: { name: 'd' }, spec: { template: { spec: podSpec } } },
        code: 422,
        reason: 'Invalid',
        message: /spec.selector: Required value/,
      },
      {
        name: 'wrong resourceVersion',
        method: 'PUT',
        path: '/api/v1/namespaces/default/configmaps/exists',
        body: { metadata: { name: 'exists', resourceVersion: '999999' }, data: { a: '2' } },
        code: 409,
        reason: 'Conflict',
      },
      {
        name: 'name mismatch on PUT',
        method: 'PUT',
        path: '/api/v1/namespaces/default/configmaps/exists',
        body: { metadata: { name: 'other' } },
        code: 400,
        reason: 'BadRequest',
      },
      {
        name: 'bad JSON patch op',
        method: 'PATCH',
        path: '/api/v1/namespaces/default/configmaps/exists',
        body: [{ op: 'frob', path: '/a' }],
        ctype: 'application/json-patch+json',
        code: 422,
        reason: 'Invalid',
      },
      {
        name: 'JSON patch that is not a list',
        method: 'PATCH',
        path: '/api/v1/namespaces/default/configmaps/exists',
        body: { op: 'add' },
        ctype: 'application/json-patch+json',
        code: 400,
        reason: 'BadRequest',
      },
      {
        name: 'JSON patch on a missing path',
        method: 'PATCH',
        path: '/api/v1/namespaces/default/configmaps/exists',
        body: [{ op: 'remove', path: '/nope/deeper' }],
        ctype: 'application/json-patch+json',
        code: 422,
        reason: 'Invalid',
      },
      {
        name: 'patch changing the name',
        method: 'PATCH',
        path: '/api/v1/namespaces/default/configmaps/exists',
        body: { metadata: { name: 'renamed' } },
        ctype: 'application/merge-patch+json',
        code: 400,
        reason: 'BadRequest',
      },
      {
        name: 'bad label selector',
        method: 'GET',
        path: '/api/v1/pods?labelSelector=%3D%3D%3D',
        code: 400,
        reason: 'BadRequest',
      },
      {
        name: 'bad delete body',
        method: 'DELETE',
        path: '/api/v1/namespaces/default/configmaps/exists',
        body: '{not json',
        code: 400,
        reason: 'BadRequest',
      },
      {
        name: 'oversized body',
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        body: `{"metadata":{"name":"big"},"data":{"x":"${'a'.repeat(3_200_000)}"}}`,
        code: 413,
        reason: 'RequestEntityTooLarge',
      },
    ];
    const before = sim.store.resourceVersion;
    for (const c of cases) {
      const r = await call(sim, c.method, c.path, {
        body: c.body,
        ...(c.ctype !== undefined ? { ctype: c.ctype } : {}),
      });
      assert.equal(r.status, c.code, `${c.name}: ${r.text.slice(0, 300)}`);
      assert.deepEqual(
        [r.json.kind, r.json.status, r.json.reason, r.json.code],
        ['Status', 'Failure', c.reason, c.code],
        c.name,
      );
      if (c.message !== undefined) assert.match(r.json.message, c.message, c.name);
      assert.equal(sim.store.resourceVersion, before, `${c.name}: the store is unchanged`);
    }
    assert.equal((await call(sim, 'GET', '/api/v1/namespaces/default/configmaps/exists')).json.data.a, '1');
  });
});

test('garbage requests never crash the server', async () => {
  await withSim({}, async (sim) => {
    const paths = [
      '/api/v1/namespaces/default/pods',
      '/api/v1/namespaces/default/pods/x',
      '/api/v1/namespaces/default/pods/x/status',
      '/api/v1/namespaces/default/pods/x/binding',
      '/apis/apps/v1/namespaces/default/deployments/x/scale',
      '/api/v1/namespaces/%zz/pods',
      '/apis',
      '/api/v1/../../etc',
    ];
    const bodies = [
      'null',
      '"str"',
      '42',
      '{"metadata":null}',
      '{"metadata":{"name":{"x":1}}}',
      '{"spec":{"containers":"nope"}}',
      '\u0000\u0001\u0002',
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[null]}}',
    ];
    const types = [
      'application/json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/json-patch+json',
      'application/apply-patch+yaml',
    ];
    for (const p of paths) {
      for (const m of ['POST', 'PUT', 'PATCH']) {
        for (const b of bodies) {
          const r = await call(sim, m, m === 'PATCH' ? `${p}?fieldManager=f` : p, {
            body: b,
            ctype: types[(b.length + m.length) % types.length]!,
          });
          assert.ok(
            r.status >= 200 && r.status < 500,
            `${m} ${p} ${JSON.stringify(b)} → ${r.status} ${r.text.slice(0, 200)}`,
          );
          assert.ok(
            r.status < 300 || r.json?.kind === 'Status' || (r.status === 404 && r.text === '404 page not found\n'),
            `${m} ${p}: error responses are Status objects (or Go's bare 404 outside /api and /apis)`,
          );
        }
      }
    }
    assert.equal((await call(sim, 'GET', '/healthz')).text, 'ok');
  });
});
