/**
 * ReplicationControllers (core/v1) and Ingresses / IngressClasses (networking.k8s.io/v1): discovery,
 * CRUD, list/watch, Table columns and required-field validation, over HTTP.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, openWatch, until, withSim } from '@test/unit/simulator/helpers';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

const rc = (name: string, extra: Record<string, any> = {}): Record<string, any> => ({
  apiVersion: 'v1',
  kind: 'ReplicationController',
  metadata: { name },
  spec: {
    replicas: 2,
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    ...extra,
  },
});

const ingress = (name: string, spec: Record<string, any>): Record<string, any> => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name },
  spec,
});

const RULES = [
  {
    host: 'a.example.com',
    http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
  },
];

test('discovery lists replicationcontrollers, ingresses and ingressclasses', async () => {
  await withSim({}, async (sim) => {
    const core = await call(sim, 'GET', '/api/v1');
    const r = core.json.resources.find((x: any) => x.name === 'replicationcontrollers');
    assert.ok(r, 'replicationcontrollers in /api/v1');
    assert.equal(r.kind, 'ReplicationController');
    assert.equal(r.namespaced, true);
    assert.deepEqual(r.shortNames, ['rc']);
    assert.ok(core.json.resources.some((x: any) => x.name === 'replicationcontrollers/scale'));
    const groups = await call(sim, 'GET', '/apis');
    assert.ok(groups.json.groups.some((g: any) => g.name === 'networking.k8s.io'));
    const net = await call(sim, 'GET', '/apis/networking.k8s.io/v1');
    assert.equal(net.status, 200);
    const names = net.json.resources.map((x: any) => x.name);
    for (const n of ['ingresses', 'ingresses/status', 'ingressclasses']) assert.ok(names.includes(n), n);
    const ic = net.json.resources.find((x: any) => x.name === 'ingressclasses');
    assert.equal(ic.namespaced, false);
    assert.equal(net.json.resources.find((x: any) => x.name === 'ingresses').kind, 'Ingress');
  });
});

test('replicationcontroller CRUD: selector and labels default from the template, scale, Table', async () => {
  await withSim({}, async (sim) => {
    const base = '/api/v1/namespaces/default/replicationcontrollers';
    const c = await call(sim, 'POST', base, { body: rc('web') });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(c.json.spec.selector, { app: 'web' });
    assert.deepEqual(c.json.metadata.labels, { app: 'web' });
    assert.equal(c.json.metadata.generation, 1);
    const g = await call(sim, 'GET', `${base}/web`);
    assert.equal(g.json.kind, 'ReplicationController');
    const sc = await call(sim, 'GET', `${base}/web/scale`);
    assert.equal(sc.json.spec.replicas, 2);
    assert.equal(sc.json.status.selector, 'app=web');
    const put = await call(sim, 'PUT', `${base}/web/scale`, {
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'web', namespace: 'default' },
        spec: { replicas: 4 },
      },
    });
    assert.equal(put.status, 200, put.text);
    assert.equal((await call(sim, 'GET', `${base}/web`)).json.spec.replicas, 4);
    const t = await call(sim, 'GET', base, { headers: { Accept: TABLE } });
    assert.equal(t.json.kind, 'Table');
    assert.deepEqual(
      t.json.columnDefinitions.filter((d: any) => d.priority === 0).map((d: any) => d.name),
      ['Name', 'Desired', 'Current', 'Ready', 'Age'],
    );
    assert.deepEqual(t.json.rows[0].cells.slice(0, 4), ['web', 4, 0, 0]);
    assert.equal(t.json.rows[0].cells[7], 'app=web');
    // v1 ReplicationControllers orphan by default: the DELETE leaves the `orphan` finalizer, which the
    // garbage collector removes afterwards.
    const del = await call(sim, 'DELETE', `${base}/web`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.json.metadata.finalizers, ['orphan']);
    await until(async () => (await call(sim, 'GET', `${base}/web`)).status === 404, 10_000);
  });
});

test('replicationcontroller validation names the field', async () => {
  const cases: { name: string; body: Record<string, any>; field: string }[] = [
    {
      name: 'no selector and an unlabelled template',
      body: rc('a', { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } }),
      field: 'spec.selector',
    },
    { name: 'no template', body: { ...rc('b'), spec: { selector: { app: 'b' } } }, field: 'spec.template' },
    {
      name: 'selector does not match',
      body: rc('c', { selector: { app: 'other' } }),
      field: 'spec.template.metadata.labels',
    },
    {
      name: 'no containers',
      body: rc('d', { template: { metadata: { labels: { app: 'd' } }, spec: { containers: [] } } }),
      field: 'spec.template.spec.containers',
    },
    {
      name: 'restartPolicy Never',
      body: rc('e', {
        template: {
          metadata: { labels: { app: 'e' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] },
        },
      }),
      field: 'spec.template.spec.restartPolicy',
    },
  ];
  await withSim({}, async (sim) => {
    for (const tc of cases) {
      const r = await call(sim, 'POST', '/api/v1/namespaces/default/replicationcontrollers', { body: tc.body });
      assert.equal(r.status, 422, `${tc.name}: ${r.text}`);
      assert.equal(r.json.details.kind, 'ReplicationController', tc.name);
      assert.ok(
        r.json.details.causes.some((x: any) => x.field === tc.field),
        `${tc.name}: expected a cause on ${tc.field}, got ${r.text}`,
      );
    }
  });
});

test('ingress CRUD, list/watch and Table columns like kubectl', async () => {
  await withSim({}, async (sim) => {
    const base = '/apis/networking.k8s.io/v1/namespaces/default/ingresses';
    const w = await openWatch(sim, `${base}?watch=true`);
    try {
      const c = await call(sim, 'POST', base, {
        body: ingress('web', {
          ingressClassName: 'nginx',
          rules: RULES,
          tls: [{ hosts: ['a.example.com'], secretName: 's' }],
        }),
      });
      assert.equal(c.status, 201, c.text);
      const [ev] = await w.waitFor(1);
      assert.equal(ev.type, 'ADDED');
      assert.equal(ev.object.kind, 'Ingress');
      assert.equal(ev.object.metadata.name, 'web');
    } finally {
      w.close();
    }
    const st = await call(sim, 'PUT', `${base}/web/status`, {
      body: {
        ...(await call(sim, 'GET', `${base}/web`)).json,
        status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } },
      },
    });
    assert.equal(st.status, 200, st.text);
    const list = await call(sim, 'GET', base);
    assert.equal(list.json.kind, 'IngressList');
    assert.equal(list.json.items.length, 1);
    const t = await call(sim, 'GET', base, { headers: { Accept: TABLE } });
    assert.deepEqual(
      t.json.columnDefinitions.map((d: any) => d.name),
      ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
    );
    assert.deepEqual(t.json.rows[0].cells.slice(0, 5), ['web', 'nginx', 'a.example.com', '10.0.0.9', '80, 443']);
    const bare = await call(sim, 'POST', base, {
      body: ingress('dflt', { defaultBackend: { service: { name: 'web', port: { name: 'http' } } } }),
    });
    assert.equal(bare.status, 201, bare.text);
    const t2 = await call(sim, 'GET', `${base}/dflt`, { headers: { Accept: TABLE } });
    assert.deepEqual(t2.json.rows[0].cells.slice(0, 5), ['dflt', '<none>', '*', '', '80']);
    assert.equal((await call(sim, 'DELETE', `${base}/web`)).status, 200);
    assert.equal((await call(sim, 'GET', base)).json.items.length, 1);
  });
});

test('ingress validation names the field', async () => {
  const svc = { service: { name: 'web', port: { number: 80 } } };
  const cases: { name: string; spec: Record<string, any>; field: string }[] = [
    { name: 'neither rules nor defaultBackend', spec: {}, field: 'spec' },
    {
      name: 'path without pathType',
      spec: { rules: [{ http: { paths: [{ path: '/', backend: svc }] } }] },
      field: 'spec.rules[0].http.paths[0].pathType',
    },
    {
      name: 'relative Prefix path',
      spec: { rules: [{ http: { paths: [{ path: 'api', pathType: 'Prefix', backend: svc }] } }] },
      field: 'spec.rules[0].http.paths[0].path',
    },
    {
      name: 'backend without service name',
      spec: {
        rules: [
          { http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { port: { number: 80 } } } }] } },
        ],
      },
      field: 'spec.rules[0].http.paths[0].backend.service.name',
    },
    {
      name: 'backend without port',
      spec: { defaultBackend: { service: { name: 'web' } } },
      field: 'spec.defaultBackend.service.port',
    },
    {
      name: 'http without paths',
      spec: { rules: [{ host: 'a.b', http: { paths: [] } }] },
      field: 'spec.rules[0].http.paths',
    },
  ];
  await withSim({}, async (sim) => {
    for (const [i, tc] of cases.entries()) {
      const r = await call(sim, 'POST', '/apis/networking.k8s.io/v1/namespaces/default/ingresses', {
        body: ingress(`i${i}`, tc.spec),
      });
      assert.equal(r.status, 422, `${tc.name}: ${r.text}`);
      assert.equal(r.json.details.group, 'networking.k8s.io', tc.name);
      assert.ok(
        r.json.details.causes.some((x: any) => x.field === tc.field),
        `${tc.name}: expected a cause on ${tc.field}, got ${r.text}`,
      );
    }
  });
});

test('ingressclass: cluster-scoped CRUD, Table, spec.controller required and immutable', async () => {
  await withSim({}, async (sim) => {
    const base = '/apis/networking.k8s.io/v1/ingressclasses';
    const bad = await call(sim, 'POST', base, {
      body: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'x' }, spec: {} },
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.details.causes[0].field, 'spec.controller');
    const c = await call(sim, 'POST', base, {
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: 'nginx' },
        spec: {
          controller: 'k8s.io/ingress-nginx',
          parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' },
        },
      },
    });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.metadata.namespace, undefined);
    const t = await call(sim, 'GET', base, { headers: { Accept: TABLE } });
    assert.deepEqual(
      t.json.columnDefinitions.map((d: any) => d.name),
      ['Name', 'Controller', 'Parameters', 'Age'],
    );
    assert.deepEqual(t.json.rows[0].cells.slice(0, 3), ['nginx', 'k8s.io/ingress-nginx', 'Params.k8s.example.com/p']);
    const patch = await call(sim, 'PATCH', `${base}/nginx`, {
      body: { spec: { controller: 'other' } },
      ctype: 'application/merge-patch+json',
    });
    assert.equal(patch.status, 422, patch.text);
    assert.equal(patch.json.details.causes[0].field, 'spec.controller');
    assert.equal((await call(sim, 'GET', '/apis/networking.k8s.io/v1/namespaces/default/ingressclasses')).status, 404);
  });
});
