/**
 * The 28 behaviours of the trust checklist (shared/reference/apiserver-sim.md §4.2), one named test each,
 * as black-box HTTP tests against a simulator started on 127.0.0.1:0.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, deployment, openWatch, pod, until, widgetCrd, withSim } from '@test/unit/simulator/helpers';
import { issueClientCert } from '@src/simulator/api/tls';

const NS = '/api/v1/namespaces/default';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

test('#1 discovery: /version, /api, /apis, /api/v1, /apis/G/V agree, list kinds/verbs/shortNames, readable by any authenticated user (system:anonymous gets only /version)', async () => {
  await withSim({ tls: true }, async (sim) => {
    const v = await call(sim, 'GET', '/version', { token: null });
    assert.equal(v.status, 200);
    assert.equal(v.json.major, '1');
    assert.equal(v.json.minor, '33');
    const api = await call(sim, 'GET', '/api', { token: sim.readOnlyToken });
    assert.deepEqual(api.json.versions, ['v1']);
    const v1 = await call(sim, 'GET', '/api/v1', { token: sim.readOnlyToken });
    assert.equal(v1.json.kind, 'APIResourceList');
    const pods = v1.json.resources.find((r: any) => r.name === 'pods');
    assert.deepEqual([pods.kind, pods.namespaced, pods.shortNames], ['Pod', true, ['po']]);
    assert.ok(pods.verbs.includes('watch'));
    for (const sub of ['pods/status', 'pods/binding', 'pods/log'])
      assert.ok(
        v1.json.resources.some((r: any) => r.name === sub),
        sub,
      );
    assert.equal(v1.json.resources.find((r: any) => r.name === 'nodes').namespaced, false);
    const apis = await call(sim, 'GET', '/apis', { token: sim.readOnlyToken });
    for (const g of apis.json.groups) {
      assert.equal(g.preferredVersion.groupVersion, g.versions[0].groupVersion);
      const gv = await call(sim, 'GET', `/apis/${g.preferredVersion.groupVersion}`, { token: sim.readOnlyToken });
      assert.equal(gv.status, 200, g.name);
      assert.equal(gv.json.groupVersion, g.preferredVersion.groupVersion);
    }
    const apps = await call(sim, 'GET', '/apis/apps/v1', { token: sim.readOnlyToken });
    assert.ok(apps.json.resources.some((r: any) => r.name === 'deployments/scale'));
    const agg = await call(sim, 'GET', '/apis', {
      token: sim.readOnlyToken,
      headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' },
    });
    assert.match(String(agg.headers['content-type']), /as=APIGroupDiscoveryList/);
    assert.ok(agg.json.items.some((i: any) => i.metadata.name === 'apps'));
    // A CRD's group appears once created and disappears when deleted.
    assert.equal(
      (await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: widgetCrd() }))
        .status,
      201,
    );
    assert.equal(
      (await call(sim, 'GET', '/apis/example.com/v1', { token: sim.readOnlyToken })).json.resources[0].kind,
      'Widget',
    );
    await call(sim, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    await until(
      async () => (await call(sim, 'GET', '/apis/example.com/v1', { token: sim.readOnlyToken })).status === 404,
      10_000,
    );
  });
});

test('#2 minimal OpenAPI v3 (fieldValidation on PATCH) and /healthz, /livez, /readyz', async () => {
  await withSim({}, async (sim) => {
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await call(sim, 'GET', p, { token: null });
      assert.deepEqual([r.status, r.text], [200, 'ok']);
    }
    const idx = await call(sim, 'GET', '/openapi/v3');
    const url = idx.json.paths['api/v1'].serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/api\/v1\?hash=/);
    const doc = await call(sim, 'GET', url);
    const op = doc.json.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    assert.deepEqual(op['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
    assert.ok(op.parameters.some((p: any) => p.name === 'fieldValidation'));
    assert.equal((await call(sim, 'GET', '/openapi/v3/apis/nope/v1')).status, 404);
  });
});

test('#3 create sets uid, creationTimestamp, resourceVersion; rejects client RV; generateName; name required', async () => {
  await withSim({}, async (sim) => {
    const r = await call(sim, 'POST', `${NS}/pods`, { body: pod('a', { metadata: { uid: 'mine' } }) });
    assert.equal(r.status, 201);
    assert.match(r.json.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(r.json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(r.json.metadata.resourceVersion, /^\d+$/);
    const rv = await call(sim, 'POST', `${NS}/pods`, { body: pod('b', { metadata: { resourceVersion: '5' } }) });
    assert.equal(rv.status, 500, 'kube-apiserver answers a client-set resourceVersion on create with 500');
    const g = await call(sim, 'POST', `${NS}/configmaps`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' } },
    });
    assert.equal(g.status, 201);
    assert.match(g.json.metadata.name, /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const n = await call(sim, 'POST', `${NS}/configmaps`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
    });
    assert.equal(n.status, 422);
    assert.equal(
      n.json.message,
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    );
    assert.deepEqual(n.json.details.causes, [
      {
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      },
    ]);
  });
});

test('#4 exact Status bodies for 404, 409 AlreadyExists, 409 Conflict, 422, 400, 403, 401, 405, 415, 406, 413', async () => {
  await withSim({ tls: true }, async (sim) => {
    const nf = await call(sim, 'GET', `${NS}/pods/nope`);
    assert.deepEqual(nf.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    const nfd = await call(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/nope');
    assert.equal(nfd.json.message, 'deployments.apps "nope" not found');
    assert.deepEqual(nfd.json.details, { name: 'nope', group: 'apps', kind: 'deployments' });
    await call(sim, 'POST', `${NS}/pods`, { body: pod('a') });
    const ae = await call(sim, 'POST', `${NS}/pods`, { body: pod('a') });
    assert.deepEqual([ae.status, ae.json.reason, ae.json.message], [409, 'AlreadyExists', 'pods "a" already exists']);
    const cf = await call(sim, 'PUT', `${NS}/pods/a`, { body: pod('a', { metadata: { resourceVersion: '1' } }) });
    assert.deepEqual(
      [cf.status, cf.json.reason, cf.json.message],
      [
        409,
        'Conflict',
        'Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again',
      ],
    );
    const inv = await call(sim, 'POST', `${NS}/pods`, {
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: {} },
    });
    assert.deepEqual(inv.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Pod "x" is invalid: spec.containers: Required value',
      reason: 'Invalid',
      details: {
        name: 'x',
        kind: 'Pod',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }],
      },
      code: 422,
    });
    const bad = await call(sim, 'POST', `${NS}/pods`, { body: '{"apiVersion":' });
    assert.deepEqual([bad.status, bad.json.reason], [400, 'BadRequest']);
    assert.match(
      bad.json.message,
      /^the object provided is unrecognized \(must be of type Pod\): couldn't get version\/kind; json parse error/,
    );
    const fb = await call(sim, 'POST', `${NS}/configmaps`, {
      token: sim.readOnlyToken,
      body: { metadata: { name: 'c' } },
    });
    assert.deepEqual(
      [fb.status, fb.json.reason, fb.json.message],
      [
        403,
        'Forbidden',
        'configmaps is forbidden: User "kube-forecast-viewer" cannot create resource "configmaps" in API group "" in the namespace "default"',
      ],
    );
    const un = await call(sim, 'GET', `${NS}/pods`, { token: 'not-issued' });
    assert.deepEqual([un.status, un.json.reason, un.json.message], [401, 'Unauthorized', 'Unauthorized']);
    // No credentials over TLS: system:anonymous, whom RBAC lets reach only /version and the health checks.
    const anon = await call(sim, 'GET', `${NS}/pods`, { token: null });
    assert.deepEqual(
      [anon.status, anon.json.reason, anon.json.message],
      [
        403,
        'Forbidden',
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"',
      ],
    );
    const anonDiscovery = await call(sim, 'GET', '/apis', { token: null });
    assert.deepEqual(
      [anonDiscovery.status, anonDiscovery.json.message],
      [403, 'forbidden: User "system:anonymous" cannot get path "/apis"'],
    );
    assert.equal((await call(sim, 'GET', '/version', { token: null })).status, 200);
    const ma = await call(sim, 'POST', `${NS}/pods/a`, { body: pod('a') });
    assert.deepEqual([ma.status, ma.json.reason], [405, 'MethodNotAllowed']);
    const um = await call(sim, 'PATCH', `${NS}/pods/a`, { body: '{}', ctype: 'text/plain' });
    assert.deepEqual([um.status, um.json.reason], [415, 'UnsupportedMediaType']);
    const na = await call(sim, 'GET', `${NS}/pods/a`, { headers: { Accept: 'application/vnd.kubernetes.protobuf' } });
    assert.deepEqual([na.status, na.json.reason], [406, 'NotAcceptable']);
    const big = await call(sim, 'POST', `${NS}/configmaps`, {
      body: JSON.stringify({ metadata: { name: 'big' }, data: { x: 'y'.repeat(3 * 1024 * 1024 + 10) } }),
    });
    assert.deepEqual([big.status, big.json.reason], [413, 'RequestEntityTooLarge']);
    assert.equal((await call(sim, 'GET', `${NS}/configmaps/big`)).status, 404, 'store unchanged after 413');
    const unknownPath = await call(sim, 'GET', '/api/v1/frobs');
    assert.deepEqual(
      [unknownPath.status, unknownPath.json.message],
      [404, 'the server could not find the requested resource'],
    );
  });
});

test('#5 namespace rules: missing namespace 404, URL/body mismatch 400, cluster-wide list, no namespaced URL for cluster-scoped kinds', async () => {
  await withSim({}, async (sim) => {
    const miss = await call(sim, 'POST', '/api/v1/namespaces/ghost/pods', { body: pod('a') });
    assert.deepEqual([miss.status, miss.json.message], [404, 'namespaces "ghost" not found']);
    const mm = await call(sim, 'POST', `${NS}/pods`, { body: pod('a', { metadata: { namespace: 'kube-system' } }) });
    assert.deepEqual(
      [mm.status, mm.json.message],
      [400, 'the namespace of the provided object does not match the namespace sent on the request'],
    );
    await call(sim, 'POST', `${NS}/pods`, { body: pod('a') });
    await call(sim, 'POST', '/api/v1/namespaces/kube-system/pods', { body: pod('b') });
    const all = await call(sim, 'GET', '/api/v1/pods');
    assert.deepEqual(
      all.json.items.map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`),
      ['default/a', 'kube-system/b'],
    );
    assert.equal((await call(sim, 'GET', '/api/v1/namespaces/default/nodes')).status, 404);
  });
});

test('#6 PUT: stale RV → 409 with the exact message; empty RV is unconditional; immutable fields → 422', async () => {
  await withSim({}, async (sim) => {
    const c = await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'c' }, data: { a: '1' } } });
    const ok = await call(sim, 'PUT', `${NS}/configmaps/c`, {
      body: { metadata: { name: 'c', resourceVersion: c.json.metadata.resourceVersion }, data: { a: '2' } },
    });
    assert.equal(ok.status, 200);
    const stale = await call(sim, 'PUT', `${NS}/configmaps/c`, {
      body: { metadata: { name: 'c', resourceVersion: c.json.metadata.resourceVersion }, data: { a: '3' } },
    });
    assert.equal(stale.status, 409);
    assert.equal(
      stale.json.message,
      'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
    );
    const unc = await call(sim, 'PUT', `${NS}/configmaps/c`, { body: { metadata: { name: 'c' }, data: { a: '4' } } });
    assert.deepEqual([unc.status, unc.json.data.a], [200, '4']);
    assert.equal(unc.json.metadata.uid, c.json.metadata.uid);
    const d = await call(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment('web') });
    const changed = structuredClone(d.json);
    changed.spec.selector = { matchLabels: { app: 'other' } };
    changed.spec.template.metadata.labels = { app: 'other' };
    const imm = await call(sim, 'PUT', '/apis/apps/v1/namespaces/default/deployments/web', { body: changed });
    assert.equal(imm.status, 422);
    assert.equal(imm.json.details.causes[0].field, 'spec.selector');
    const missing = await call(sim, 'PUT', `${NS}/configmaps/nope`, { body: { metadata: { name: 'nope' } } });
    assert.equal(missing.status, 404);
  });
});

test('#7 one global monotonic RV; delete bumps it; a no-op write bumps nothing and emits nothing', async () => {
  await withSim({}, async (sim) => {
    const a = await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'a' }, data: { k: 'v' } } });
    const b = await call(sim, 'POST', '/api/v1/namespaces/kube-system/secrets', { body: { metadata: { name: 'b' } } });
    assert.ok(Number(b.json.metadata.resourceVersion) > Number(a.json.metadata.resourceVersion));
    const w = await openWatch(sim, `${NS}/configmaps?watch=true&resourceVersion=${a.json.metadata.resourceVersion}`);
    const same = await call(sim, 'PUT', `${NS}/configmaps/a`, { body: { metadata: { name: 'a' }, data: { k: 'v' } } });
    assert.equal(same.json.metadata.resourceVersion, a.json.metadata.resourceVersion, 'no-op PUT keeps the RV');
    const del = await call(sim, 'DELETE', `${NS}/configmaps/a`);
    assert.equal(del.status, 200);
    const [ev] = await w.waitFor(1);
    assert.equal(ev.type, 'DELETED', 'the no-op emitted nothing; the first event is the delete');
    assert.ok(Number(ev.object.metadata.resourceVersion) > Number(b.json.metadata.resourceVersion));
    const list = await call(sim, 'GET', `${NS}/configmaps`);
    assert.equal(list.json.metadata.resourceVersion, ev.object.metadata.resourceVersion);
    w.close();
  });
});

test('#8 JSON patch (with test), merge patch (null deletes), strategic merge (keys and directives), 415 for SMP on CRs', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', `${NS}/configmaps`, {
      body: { metadata: { name: 'p', labels: { a: '1', b: '2' }, finalizers: ['x/y', 'x/z'] } },
    });
    const jp = await call(sim, 'PATCH', `${NS}/configmaps/p`, {
      ctype: 'application/json-patch+json',
      body: [
        { op: 'test', path: '/metadata/labels/a', value: '1' },
        { op: 'replace', path: '/metadata/labels/a', value: '9' },
      ],
    });
    assert.deepEqual([jp.status, jp.json.metadata.labels.a], [200, '9']);
    const jpFail = await call(sim, 'PATCH', `${NS}/configmaps/p`, {
      ctype: 'application/json-patch+json',
      body: [
        { op: 'test', path: '/metadata/labels/a', value: 'nope' },
        { op: 'remove', path: '/metadata/labels/a' },
      ],
    });
    assert.equal(jpFail.status, 422);
    assert.equal(
      (await call(sim, 'GET', `${NS}/configmaps/p`)).json.metadata.labels.a,
      '9',
      'a failed test changes nothing',
    );
    const mp = await call(sim, 'PATCH', `${NS}/configmaps/p`, {
      ctype: 'application/merge-patch+json',
      body: { metadata: { labels: { b: null, c: '3' } } },
    });
    assert.deepEqual(mp.json.metadata.labels, { a: '9', c: '3' });
    const prim = await call(sim, 'PATCH', `${NS}/configmaps/p`, {
      ctype: 'application/strategic-merge-patch+json',
      body: { metadata: { '$deleteFromPrimitiveList/finalizers': ['x/y'] } },
    });
    assert.deepEqual(prim.json.metadata.finalizers, ['x/z']);
    const retain = await call(sim, 'PATCH', `${NS}/configmaps/p`, {
      ctype: 'application/strategic-merge-patch+json',
      body: { metadata: { labels: { $retainKeys: ['a'], a: '9' } } },
    });
    assert.deepEqual(retain.json.metadata.labels, { a: '9' });
    const dep = deployment('web');
    dep['spec'].template.spec.containers = [
      { name: 'c', image: 'nginx', env: [{ name: 'A', value: '1' }] },
      { name: 'd', image: 'redis' },
    ];
    await call(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: dep });
    const url = '/apis/apps/v1/namespaces/default/deployments/web';
    const smp = await call(sim, 'PATCH', url, {
      ctype: 'application/strategic-merge-patch+json',
      body: {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'd', image: 'redis:7' },
                { name: 'c', env: [{ name: 'B', value: '2' }] },
              ],
              '$setElementOrder/containers': [{ name: 'd' }, { name: 'c' }],
            },
          },
        },
      },
    });
    assert.equal(smp.status, 200, smp.text);
    const cs = smp.json.spec.template.spec.containers;
    assert.deepEqual(
      cs.map((c: any) => `${c.name}=${c.image}`),
      ['d=redis:7', 'c=nginx'],
    );
    // strategicpatch orders the patch's items before the server-only ones (as kube-apiserver answers).
    assert.deepEqual(
      cs[1].env.map((e: any) => e.name),
      ['B', 'A'],
    );
    const del = await call(sim, 'PATCH', url, {
      ctype: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'A', $patch: 'delete' }] }] } } } },
    });
    assert.deepEqual(
      del.json.spec.template.spec.containers[1].env.map((e: any) => e.name),
      ['B'],
    );
    const rep = await call(sim, 'PATCH', url, {
      ctype: 'application/strategic-merge-patch+json',
      body: {
        spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'busybox' }] } } },
      },
    });
    assert.deepEqual(
      rep.json.spec.template.spec.containers.map((c: any) => c.name),
      ['only'],
    );
    await call(sim, 'POST', `${NS}/pods`, { body: pod('pp') });
    const podSpec = await call(sim, 'PATCH', `${NS}/pods/pp`, {
      ctype: 'application/strategic-merge-patch+json',
      body: { spec: { containers: [{ name: 'c', env: [{ name: 'X', value: '1' }] }] } },
    });
    assert.deepEqual(
      [podSpec.status, podSpec.json.details.causes[0].field],
      [422, 'spec'],
      'pod spec is immutable except images',
    );
    const img = await call(sim, 'PATCH', `${NS}/pods/pp`, {
      ctype: 'application/strategic-merge-patch+json',
      body: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } },
    });
    assert.equal(img.json.spec.containers[0].image, 'nginx:2');
    await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: widgetCrd() });
    await call(sim, 'POST', '/apis/example.com/v1/namespaces/default/widgets', {
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } },
    });
    const crSmp = await call(sim, 'PATCH', '/apis/example.com/v1/namespaces/default/widgets/w', {
      ctype: 'application/strategic-merge-patch+json',
      body: { spec: { size: 2 } },
    });
    assert.equal(crSmp.status, 415);
    const crMp = await call(sim, 'PATCH', '/apis/example.com/v1/namespaces/default/widgets/w', {
      ctype: 'application/merge-patch+json',
      body: { spec: { size: 2 } },
    });
    assert.deepEqual([crMp.status, crMp.json.spec.size], [200, 2]);
  });
});

test('#9 server-side apply: create-if-absent, fieldManager required, managedFields, 409 conflicts with causes, force, field removal', async () => {
  await withSim({}, async (sim) => {
    const url = '/apis/apps/v1/namespaces/default/deployments/web';
    const cfg = deployment('web', 2);
    cfg['metadata'].labels = { team: 'a' };
    const noMgr = await call(sim, 'PATCH', url, { ctype: 'application/apply-patch+yaml', body: cfg });
    assert.equal(noMgr.status, 422, 'PatchOptions are invalid without a fieldManager, as kube-apiserver answers');
    const created = await call(sim, 'PATCH', `${url}?fieldManager=alice`, {
      ctype: 'application/apply-patch+yaml',
      body: cfg,
    });
    assert.equal(created.status, 201);
    const mf = created.json.metadata.managedFields;
    assert.deepEqual(
      mf.map((e: any) => [e.manager, e.operation]),
      [['alice', 'Apply']],
    );
    assert.deepEqual(mf[0].fieldsV1['f:spec']['f:replicas'], {});
    // Another manager changes replicas with an Update, then alice re-applies a different value: conflict.
    await call(sim, 'PATCH', `${url}?fieldManager=kubectl-scale`, {
      ctype: 'application/merge-patch+json',
      body: { spec: { replicas: 5 } },
    });
    const cfg3 = structuredClone(cfg);
    cfg3['spec'].replicas = 3;
    const conflict = await call(sim, 'PATCH', `${url}?fieldManager=alice`, {
      ctype: 'application/apply-patch+yaml',
      body: cfg3,
    });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.reason, 'Conflict');
    assert.equal(
      conflict.json.message,
      'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas',
    );
    assert.deepEqual(conflict.json.details.causes, [
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-scale" using apps/v1',
        field: '.spec.replicas',
      },
    ]);
    const forced = await call(sim, 'PATCH', `${url}?fieldManager=alice&force=true`, {
      ctype: 'application/apply-patch+yaml',
      body: cfg3,
    });
    assert.deepEqual([forced.status, forced.json.spec.replicas], [200, 3]);
    assert.ok(
      !forced.json.metadata.managedFields.some(
        (e: any) => e.manager === 'kubectl-scale' && e.fieldsV1['f:spec']?.['f:replicas'],
      ),
    );
    // Dropping a field from alice's config removes it (nobody else owns it).
    const cfg4 = structuredClone(cfg3);
    delete cfg4['metadata'].labels;
    const removed = await call(sim, 'PATCH', `${url}?fieldManager=alice`, {
      ctype: 'application/apply-patch+yaml',
      body: cfg4,
    });
    assert.equal(removed.json.metadata.labels, undefined);
    const withMf = structuredClone(cfg4);
    withMf['metadata'].managedFields = [];
    assert.equal(
      (await call(sim, 'PATCH', `${url}?fieldManager=alice`, { ctype: 'application/apply-patch+yaml', body: withMf }))
        .status,
      400,
    );
    const yamlBody = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n';
    const y = await call(sim, 'PATCH', `${NS}/configmaps/y?fieldManager=bob`, {
      ctype: 'application/apply-patch+yaml',
      body: yamlBody,
    });
    assert.deepEqual([y.status, y.json.data.k], [201, 'v']);
  });
});

test('#10 fieldValidation: Ignore drops, Warn adds a Warning header, Strict is 400 listing every unknown field', async () => {
  await withSim({}, async (sim) => {
    const body = (n: string): unknown => pod(n, { spec: { foo: 1, containers: [{ name: 'c', image: 'x', bar: 2 }] } });
    const strict = await call(sim, 'POST', `${NS}/pods?fieldValidation=Strict`, { body: body('s') });
    assert.equal(strict.status, 400);
    assert.equal(
      strict.json.message,
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].bar", unknown field "spec.foo"',
    );
    const warn = await call(sim, 'POST', `${NS}/pods?fieldValidation=Warn`, { body: body('w') });
    assert.equal(warn.status, 201);
    assert.match(String(warn.headers['warning']), /299 - "unknown field \\"spec.foo\\""/);
    assert.equal(warn.json.spec.foo, undefined);
    const ign = await call(sim, 'POST', `${NS}/pods?fieldValidation=Ignore`, { body: body('i') });
    assert.deepEqual([ign.status, ign.headers['warning']], [201, undefined]);
    assert.equal((await call(sim, 'POST', `${NS}/pods?fieldValidation=Bogus`, { body: body('b') })).status, 422);
  });
});

test('#11 dryRun=All on POST/PUT/PATCH/DELETE validates and answers but persists nothing; bad value → 422', async () => {
  await withSim({}, async (sim) => {
    const rv0 = (await call(sim, 'GET', `${NS}/configmaps`)).json.metadata.resourceVersion;
    const c = await call(sim, 'POST', `${NS}/configmaps?dryRun=All`, {
      body: { metadata: { name: 'd' }, data: { a: '1' } },
    });
    assert.deepEqual([c.status, c.json.metadata.name], [201, 'd']);
    assert.equal((await call(sim, 'GET', `${NS}/configmaps/d`)).status, 404);
    const inv = await call(sim, 'POST', `${NS}/pods?dryRun=All`, { body: { metadata: { name: 'x' }, spec: {} } });
    assert.equal(inv.status, 422);
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'e' }, data: { a: '1' } } });
    const rv1 = (await call(sim, 'GET', `${NS}/configmaps`)).json.metadata.resourceVersion;
    assert.equal(Number(rv1), Number(rv0) + 1);
    const put = await call(sim, 'PUT', `${NS}/configmaps/e?dryRun=All`, {
      body: { metadata: { name: 'e' }, data: { a: '2' } },
    });
    assert.equal(put.json.data.a, '2');
    const pat = await call(sim, 'PATCH', `${NS}/configmaps/e?dryRun=All`, {
      ctype: 'application/merge-patch+json',
      body: { data: { a: '3' } },
    });
    assert.equal(pat.json.data.a, '3');
    const del = await call(sim, 'DELETE', `${NS}/configmaps/e?dryRun=All`);
    assert.equal(del.status, 200);
    const after = await call(sim, 'GET', `${NS}/configmaps/e`);
    assert.deepEqual([after.json.data.a, after.json.metadata.resourceVersion], ['1', rv1]);
    assert.equal((await call(sim, 'GET', `${NS}/configmaps`)).json.metadata.resourceVersion, rv1);
    assert.equal(
      (await call(sim, 'POST', `${NS}/configmaps?dryRun=Yes`, { body: { metadata: { name: 'f' } } })).status,
      422,
    );
  });
});

test('#12 status subresource split; generation bumps only on spec changes', async () => {
  await withSim({}, async (sim) => {
    const url = '/apis/apps/v1/namespaces/default/deployments/web';
    const d = await call(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      body: { ...deployment('web'), status: { replicas: 7 } },
    });
    assert.equal(d.json.metadata.generation, 1);
    assert.deepEqual(d.json.status, {}, 'create ignores status (kube-apiserver encodes the empty status struct)');
    const st = await call(sim, 'PATCH', `${url}/status`, {
      ctype: 'application/merge-patch+json',
      body: { status: { readyReplicas: 1, observedGeneration: 1 }, spec: { replicas: 9 } },
    });
    assert.deepEqual([st.json.status.readyReplicas, st.json.spec.replicas, st.json.metadata.generation], [1, 1, 1]);
    const main = await call(sim, 'PATCH', url, {
      ctype: 'application/merge-patch+json',
      body: { status: { readyReplicas: 5 }, metadata: { labels: { x: 'y' } } },
    });
    assert.deepEqual([main.json.status.readyReplicas, main.json.metadata.generation], [1, 1]);
    const spec = await call(sim, 'PATCH', url, {
      ctype: 'application/merge-patch+json',
      body: { spec: { replicas: 3 } },
    });
    assert.equal(spec.json.metadata.generation, 2);
    const pst = await call(sim, 'PUT', '/api/v1/namespaces/default/pods/none/status', { body: pod('none') });
    assert.equal(pst.status, 404);
  });
});

test('#13 list: XList kind, list RV = global RV, items sorted by namespace/name, built-in items omit kind/apiVersion', async () => {
  await withSim({}, async (sim) => {
    for (const [ns, n] of [
      ['kube-system', 'b'],
      ['default', 'z'],
      ['default', 'a'],
    ] as const)
      await call(sim, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { metadata: { name: n } } });
    const l = await call(sim, 'GET', '/api/v1/configmaps');
    assert.deepEqual([l.json.kind, l.json.apiVersion], ['ConfigMapList', 'v1']);
    assert.deepEqual(
      l.json.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`),
      ['default/a', 'default/z', 'kube-system/b'],
    );
    assert.equal(l.json.items[0].kind, undefined);
    assert.equal(l.json.items[0].apiVersion, undefined);
    assert.equal(l.json.metadata.resourceVersion, String(sim.store.resourceVersion));
    await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: widgetCrd() });
    await call(sim, 'POST', '/apis/example.com/v1/namespaces/default/widgets', {
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    });
    const cr = await call(sim, 'GET', '/apis/example.com/v1/widgets');
    assert.deepEqual(
      [cr.json.kind, cr.json.items[0].kind, cr.json.items[0].apiVersion],
      ['WidgetList', 'Widget', 'example.com/v1'],
    );
  });
});

test('#14 limit/continue: pages, remainingItemCount, 410 with an inconsistent continue token after compaction, continue + RV → 400', async () => {
  await withSim({}, async (sim) => {
    for (let i = 0; i < 5; i++)
      await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: `c${i}`, labels: { i: String(i) } } } });
    const p1 = await call(sim, 'GET', `${NS}/configmaps?limit=2`);
    assert.deepEqual(
      p1.json.items.map((i: any) => i.metadata.name),
      ['c0', 'c1'],
    );
    assert.equal(p1.json.metadata.remainingItemCount, 3);
    // Changes after the first page do not show up in later pages: they are cut from one snapshot.
    await call(sim, 'DELETE', `${NS}/configmaps/c2`);
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'c1a' } } });
    const p2 = await call(sim, 'GET', `${NS}/configmaps?limit=2&continue=${p1.json.metadata.continue}`);
    assert.deepEqual(
      p2.json.items.map((i: any) => i.metadata.name),
      ['c2', 'c3'],
    );
    assert.equal(p2.json.metadata.resourceVersion, p1.json.metadata.resourceVersion, 'pages report the first page RV');
    const p3 = await call(sim, 'GET', `${NS}/configmaps?limit=2&continue=${p2.json.metadata.continue}`);
    assert.deepEqual(
      [p3.json.items.length, p3.json.metadata.continue, p3.json.metadata.remainingItemCount],
      [1, undefined, undefined],
    );
    const sel = await call(sim, 'GET', `${NS}/configmaps?limit=1&labelSelector=i`);
    assert.equal(sel.json.metadata.remainingItemCount, undefined, 'no remainingItemCount with a selector');
    assert.equal(
      (await call(sim, 'GET', `${NS}/configmaps?limit=2&continue=${p1.json.metadata.continue}&resourceVersion=3`))
        .status,
      400,
    );
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'later' } } });
    sim.store.compact();
    const old = await call(sim, 'GET', `${NS}/configmaps?limit=2&continue=${p1.json.metadata.continue}`);
    assert.deepEqual([old.status, old.json.reason], [410, 'Expired']);
    assert.ok(old.json.metadata.continue, 'carries an inconsistent continue token');
    const rest = await call(sim, 'GET', `${NS}/configmaps?limit=10&continue=${old.json.metadata.continue}`);
    assert.deepEqual(
      rest.json.items.map((i: any) => i.metadata.name),
      ['c1a', 'c3', 'c4', 'later'],
    );
    assert.equal((await call(sim, 'GET', `${NS}/configmaps?continue=garbage`)).status, 400);
  });
});

test('#15 resourceVersion × resourceVersionMatch for list (Any, NotOlderThan, Exact, invalid → 422, too large → 504)', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'a' } } });
    const rv = sim.store.resourceVersion;
    const q = async (s: string): Promise<number> => (await call(sim, 'GET', `${NS}/configmaps?${s}`)).status;
    assert.equal(await q('resourceVersion=0'), 200);
    assert.equal(await q(`resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`), 200);
    assert.equal(await q(`resourceVersion=${rv}&resourceVersionMatch=Exact`), 200);
    // Invalid ListOptions are 422 Invalid (ListOptions.meta.k8s.io), as kube-apiserver answers.
    assert.equal(await q('resourceVersionMatch=Exact'), 422);
    assert.equal(await q('resourceVersion=0&resourceVersionMatch=Exact'), 422);
    assert.equal(await q(`resourceVersion=${rv}&resourceVersionMatch=Sometimes`), 422);
    assert.equal(await q('resourceVersion=abc'), 400);
    const tooLarge = await call(sim, 'GET', `${NS}/configmaps?resourceVersion=${rv + 100}`);
    assert.deepEqual([tooLarge.status, tooLarge.json.reason], [504, 'Timeout']);
    assert.match(tooLarge.json.message, /Too large resource version/);
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'b' } } });
    const exact = `${NS}/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`;
    const exactOld = await call(sim, 'GET', exact);
    assert.deepEqual(
      [exactOld.status, exactOld.json.metadata.resourceVersion, exactOld.json.items.length],
      [200, String(rv), 1],
      'an Exact read of a superseded RV is the list as it was (from history, as the watch cache serves it)',
    );
    sim.store.compact();
    const expired = await call(sim, 'GET', exact);
    assert.deepEqual([expired.status, expired.json.reason], [410, 'Expired'], 'once history no longer reaches back');
    const notOlder = await call(sim, 'GET', `${NS}/configmaps?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`);
    assert.equal(notOlder.json.items.length, 2);
  });
});

test('#16 label selector grammar and per-kind field selectors; unknown field label → 400', async () => {
  await withSim({}, async (sim) => {
    const mk = (n: string, labels: Record<string, string>, node?: string): Promise<unknown> =>
      call(sim, 'POST', `${NS}/pods`, { body: pod(n, { metadata: { labels }, spec: node ? { nodeName: node } : {} }) });
    await mk('a', { app: 'web', tier: 'fe' }, 'n1');
    await mk('b', { app: 'web' }, 'n2');
    await mk('c', { app: 'db' });
    const names = async (qs: string): Promise<string[]> =>
      (await call(sim, 'GET', `${NS}/pods?${qs}`)).json.items.map((p: any) => p.metadata.name);
    const cases: [string, string[]][] = [
      ['labelSelector=app%3Dweb', ['a', 'b']],
      ['labelSelector=app%3D%3Dweb', ['a', 'b']],
      ['labelSelector=app!%3Dweb', ['c']],
      ['labelSelector=app%20in%20(db,x)', ['c']],
      ['labelSelector=app%20notin%20(db)', ['a', 'b']],
      ['labelSelector=tier', ['a']],
      ['labelSelector=!tier', ['b', 'c']],
      ['labelSelector=app%3Dweb,!tier', ['b']],
      ['fieldSelector=spec.nodeName%3Dn1', ['a']],
      ['fieldSelector=spec.nodeName%3D', ['c']],
      ['fieldSelector=metadata.name%3Db', ['b']],
      ['fieldSelector=metadata.namespace%3Ddefault,status.phase%3DPending', ['a', 'b', 'c']],
      ['fieldSelector=status.phase!%3DPending', []],
      ['fieldSelector=spec.nodeName%3Dn2&labelSelector=app%3Dweb', ['b']],
    ];
    for (const [qs, want] of cases) assert.deepEqual(await names(qs), want, qs);
    const bad = await call(sim, 'GET', `${NS}/pods?fieldSelector=spec.bogus%3D1`);
    assert.deepEqual([bad.status, bad.json.message], [400, 'field label not supported: spec.bogus']);
    assert.equal((await call(sim, 'GET', `${NS}/pods?labelSelector=a%20in%20b`)).status, 400);
    await call(sim, 'POST', `${NS}/events`, {
      body: {
        metadata: { name: 'e1' },
        involvedObject: { kind: 'Pod', name: 'a', namespace: 'default' },
        reason: 'Scheduled',
      },
    });
    const ev = await call(
      sim,
      'GET',
      `${NS}/events?fieldSelector=involvedObject.name%3Da,involvedObject.namespace%3Ddefault`,
    );
    assert.equal(ev.json.items.length, 1);
  });
});

test('#17 Table output: core printer columns, CRD default and additionalPrinterColumns, PartialObjectMetadata rows', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', `${NS}/pods`, { body: pod('a', { spec: { nodeName: 'n1' } }) });
    const t = await call(sim, 'GET', `${NS}/pods`, { headers: { Accept: TABLE } });
    assert.deepEqual([t.json.kind, t.json.apiVersion], ['Table', 'meta.k8s.io/v1']);
    assert.deepEqual(
      t.json.columnDefinitions.map((c: any) => c.name),
      ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    );
    assert.deepEqual(t.json.rows[0].cells.slice(0, 4), ['a', '0/1', 'Pending', '0']);
    assert.equal(t.json.rows[0].cells[6], 'n1');
    assert.equal(t.json.rows[0].object.kind, 'PartialObjectMetadata');
    assert.equal(t.json.rows[0].object.metadata.name, 'a');
    const one = await call(sim, 'GET', `${NS}/pods/a`, { headers: { Accept: TABLE } });
    assert.equal(one.json.rows.length, 1);
    const nodes = await call(sim, 'GET', '/api/v1/nodes', { headers: { Accept: TABLE } });
    assert.deepEqual(
      nodes.json.columnDefinitions.slice(0, 5).map((c: any) => c.name),
      ['Name', 'Status', 'Roles', 'Age', 'Version'],
    );
    const dep = await call(sim, 'GET', '/apis/apps/v1/deployments', { headers: { Accept: TABLE } });
    assert.deepEqual(
      dep.json.columnDefinitions.slice(0, 5).map((c: any) => c.name),
      ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
    );
    await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: widgetCrd([{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }]),
    });
    await call(sim, 'POST', '/apis/example.com/v1/namespaces/default/widgets', {
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 4 } },
    });
    const cr = await call(sim, 'GET', '/apis/example.com/v1/namespaces/default/widgets', {
      headers: { Accept: TABLE },
    });
    assert.deepEqual(
      cr.json.columnDefinitions.map((c: any) => c.name),
      ['Name', 'Size'],
    );
    assert.deepEqual(cr.json.rows[0].cells, ['w', 4]);
    await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: {
        ...widgetCrd(),
        metadata: { name: 'gadgets.example.com' },
        spec: { ...widgetCrd()['spec'], names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' } },
      },
    });
    const g = await call(sim, 'GET', '/apis/example.com/v1/namespaces/default/gadgets', { headers: { Accept: TABLE } });
    assert.deepEqual(
      g.json.columnDefinitions.map((c: any) => c.name),
      ['Name', 'Created At'],
    );
  });
});

test('#18 watch from an RV delivers exactly the later changes in order with kind/apiVersion; DELETED carries the final object; reconnect has no duplicates', async () => {
  await withSim({}, async (sim) => {
    const a = await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'a' } } });
    const rv = a.json.metadata.resourceVersion;
    await call(sim, 'PUT', `${NS}/configmaps/a`, { body: { metadata: { name: 'a' }, data: { x: '1' } } });
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'b' } } });
    const w = await openWatch(sim, `${NS}/configmaps?watch=true&resourceVersion=${rv}`);
    await call(sim, 'DELETE', `${NS}/configmaps/a`);
    const evs = await w.waitFor(3);
    assert.deepEqual(
      evs.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['MODIFIED a', 'ADDED b', 'DELETED a'],
    );
    for (const e of evs) assert.deepEqual([e.object.kind, e.object.apiVersion], ['ConfigMap', 'v1']);
    const rvs = evs.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(
      rvs,
      [...rvs].sort((x, y) => x - y),
    );
    assert.equal(evs[2].object.data.x, '1', 'DELETED carries the last state');
    assert.ok(rvs[2]! > rvs[1]!, 'DELETED has its own RV');
    w.close();
    const last = String(rvs[1]);
    const w2 = await openWatch(sim, `${NS}/configmaps?watch=true&resourceVersion=${last}`);
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'c' } } });
    const evs2 = await w2.waitFor(2);
    assert.deepEqual(
      evs2.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['DELETED a', 'ADDED c'],
    );
    w2.close();
    const legacy = await openWatch(sim, `/api/v1/watch/namespaces/default/configmaps?resourceVersion=${last}`);
    assert.equal((await legacy.waitFor(2))[1].object.metadata.name, 'c');
    legacy.close();
  });
});

test('#19 watch with RV unset or 0 first sends synthetic ADDED events for the current state', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'a' } } });
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'b' } } });
    for (const qs of ['watch=true', 'watch=1&resourceVersion=0']) {
      const w = await openWatch(sim, `${NS}/configmaps?${qs}`);
      const evs = await w.waitFor(2);
      assert.deepEqual(
        evs.map((e) => `${e.type} ${e.object.metadata.name}`),
        ['ADDED a', 'ADDED b'],
        qs,
      );
      await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: `n${qs.length}` } } });
      assert.equal((await w.waitFor(3))[2].type, 'ADDED');
      w.close();
    }
  });
});

test('#20 a selector transition in a watch becomes DELETED / ADDED', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'a', labels: { watch: 'yes' } } } });
    const w = await openWatch(
      sim,
      `${NS}/configmaps?watch=true&labelSelector=watch%3Dyes&resourceVersion=${sim.store.resourceVersion}`,
    );
    const patch = (v: string): Promise<unknown> =>
      call(sim, 'PATCH', `${NS}/configmaps/a`, {
        ctype: 'application/merge-patch+json',
        body: { metadata: { labels: { watch: v } } },
      });
    await patch('no');
    await call(sim, 'PATCH', `${NS}/configmaps/a`, {
      ctype: 'application/merge-patch+json',
      body: { data: { ignored: 'x' } },
    });
    await patch('yes');
    const evs = await w.waitFor(2);
    assert.deepEqual(
      evs.map((e) => e.type),
      ['DELETED', 'ADDED'],
    );
    // kube-apiserver's watch cache sends the object as it last matched, at the event's resourceVersion.
    assert.equal(evs[0].object.metadata.labels.watch, 'yes');
    w.close();
  });
});

test('#21 concurrent watches see identical order; timeoutSeconds ends the stream cleanly; idle watches stay open', async () => {
  await withSim({}, async (sim) => {
    const rv = sim.store.resourceVersion;
    const ws = await Promise.all(
      [1, 2, 3].map(() => openWatch(sim, `${NS}/configmaps?watch=true&resourceVersion=${rv}`)),
    );
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: `c${i}` } } }),
      ),
    );
    const seqs = await Promise.all(
      ws.map(async (w) => (await w.waitFor(10)).map((e) => e.object.metadata.resourceVersion).join(',')),
    );
    assert.equal(new Set(seqs).size, 1);
    for (const w of ws) w.close();
    const t = await openWatch(
      sim,
      `${NS}/configmaps?watch=true&timeoutSeconds=1&resourceVersion=${sim.store.resourceVersion}`,
    );
    await t.ended;
    assert.equal(t.status, 200);
    const idle = await openWatch(sim, `${NS}/configmaps?watch=true&resourceVersion=${sim.store.resourceVersion}`);
    // The behaviour under test: a watch left idle for a while still delivers (the idle time is the point).
    await new Promise((r) => setTimeout(r, 300));
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'late' } } });
    assert.equal((await idle.waitFor(1))[0].object.metadata.name, 'late');
    idle.close();
  });
});

test('#22 bookmarks only with allowWatchBookmarks, carrying only metadata.resourceVersion; sendInitialEvents ends with the initial-events-end bookmark', async () => {
  await withSim({ bookmarkIntervalMs: 50 }, async (sim) => {
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'a' } } });
    const rv = sim.store.resourceVersion;
    const plain = await openWatch(sim, `${NS}/configmaps?watch=true&resourceVersion=${rv}`);
    const bm = await openWatch(sim, `${NS}/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    const [b] = await bm.waitFor(1);
    assert.equal(b.type, 'BOOKMARK');
    assert.deepEqual(b.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: String(rv) } });
    assert.equal(plain.events.length, 0);
    plain.close();
    bm.close();
    const init = await openWatch(
      sim,
      `${NS}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    const evs = await init.waitFor(2);
    assert.equal(evs[0].type, 'ADDED');
    assert.equal(evs[1].type, 'BOOKMARK');
    assert.equal(evs[1].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    init.close();
    assert.equal((await call(sim, 'GET', `${NS}/configmaps?watch=true&sendInitialEvents=true`)).status, 422);
  });
});

test('#23 history compaction: a watch from a compacted RV gets an ERROR 410 Expired event and the stream closes', async () => {
  await withSim({}, async (sim) => {
    const a = await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'a' } } });
    await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'b' } } });
    sim.store.compact();
    const w = await openWatch(sim, `${NS}/configmaps?watch=true&resourceVersion=${a.json.metadata.resourceVersion}`);
    await w.ended;
    assert.equal(w.status, 200);
    assert.equal(w.events.length, 1);
    const e = w.events[0];
    assert.equal(e.type, 'ERROR');
    assert.deepEqual(
      [e.object.kind, e.object.code, e.object.reason, e.object.status],
      ['Status', 410, 'Expired', 'Failure'],
    );
    assert.match(e.object.message, /^too old resource version: \d+ \(\d+\)$/);
  });
});

test('#24 DELETE: options in query and body, object vs Status responses, preconditions, deletecollection with selectors', async () => {
  await withSim({}, async (sim) => {
    const c = await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: 'a' } } });
    const pre = await call(sim, 'DELETE', `${NS}/configmaps/a`, { body: { preconditions: { uid: 'wrong' } } });
    assert.equal(pre.status, 409);
    assert.match(pre.json.message, /the UID in the precondition \(wrong\) does not match the UID in record/);
    const ok = await call(sim, 'DELETE', `${NS}/configmaps/a`, {
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        preconditions: { uid: c.json.metadata.uid },
        propagationPolicy: 'Background',
      },
    });
    assert.deepEqual(ok.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'a', kind: 'configmaps', uid: c.json.metadata.uid },
    });
    await call(sim, 'POST', `${NS}/pods`, { body: pod('p') });
    const pd = await call(sim, 'DELETE', `${NS}/pods/p?gracePeriodSeconds=0`);
    assert.deepEqual([pd.status, pd.json.kind, pd.json.metadata.name], [200, 'Pod', 'p']);
    assert.equal((await call(sim, 'DELETE', `${NS}/pods/p`)).status, 404);
    assert.equal((await call(sim, 'DELETE', `${NS}/configmaps/x?propagationPolicy=Sideways`)).status, 422);
    for (const [n, l] of [
      ['x', 'a'],
      ['y', 'a'],
      ['z', 'b'],
    ])
      await call(sim, 'POST', `${NS}/configmaps`, { body: { metadata: { name: n, labels: { g: l } } } });
    const dc = await call(sim, 'DELETE', `${NS}/configmaps?labelSelector=g%3Da`);
    assert.deepEqual(
      dc.json.items.map((i: any) => i.metadata.name),
      ['x', 'y'],
    );
    assert.deepEqual(
      (await call(sim, 'GET', `${NS}/configmaps`)).json.items.map((i: any) => i.metadata.name),
      ['z'],
    );
  });
});

test('#25 graceful pod deletion, immediate deletion of unbound pods and --grace-period=0, finalizers hold deletion', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', `${NS}/pods`, {
      body: pod('bound', { spec: { nodeName: 'n1', terminationGracePeriodSeconds: 1 } }),
    });
    const d = await call(sim, 'DELETE', `${NS}/pods/bound`, { body: { propagationPolicy: 'Background' } });
    assert.equal(d.status, 200);
    assert.ok(d.json.metadata.deletionTimestamp);
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 1);
    assert.equal((await call(sim, 'GET', `${NS}/pods/bound`)).status, 200, 'still there while terminating');
    await until(async () => (await call(sim, 'GET', `${NS}/pods/bound`)).status === 404);
    await call(sim, 'POST', `${NS}/pods`, { body: pod('unbound') });
    await call(sim, 'DELETE', `${NS}/pods/unbound`);
    assert.equal((await call(sim, 'GET', `${NS}/pods/unbound`)).status, 404);
    await call(sim, 'POST', `${NS}/pods`, { body: pod('forced', { spec: { nodeName: 'n1' } }) });
    await call(sim, 'DELETE', `${NS}/pods/forced`, {
      body: { gracePeriodSeconds: 0, propagationPolicy: 'Background' },
    });
    assert.equal((await call(sim, 'GET', `${NS}/pods/forced`)).status, 404);
    await call(sim, 'POST', `${NS}/configmaps`, {
      body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
    });
    const held = await call(sim, 'DELETE', `${NS}/configmaps/held`);
    assert.ok(held.json.metadata.deletionTimestamp);
    const noNew = await call(sim, 'PATCH', `${NS}/configmaps/held`, {
      ctype: 'application/merge-patch+json',
      body: { metadata: { finalizers: ['example.com/hold', 'example.com/more'] } },
    });
    assert.equal(noNew.status, 422);
    await call(sim, 'PATCH', `${NS}/configmaps/held`, {
      ctype: 'application/merge-patch+json',
      body: { metadata: { finalizers: null } },
    });
    assert.equal((await call(sim, 'GET', `${NS}/configmaps/held`)).status, 404);
  });
});

test('#26 garbage collection (Background, Foreground, Orphan) and namespace termination', async () => {
  await withSim({}, async (sim) => {
    const owner = async (name: string): Promise<any> =>
      (await call(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment(name) })).json;
    const child = (name: string, o: any, blockOwnerDeletion = false): Promise<unknown> =>
      call(sim, 'POST', `${NS}/configmaps`, {
        body: {
          metadata: {
            name,
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                name: o.metadata.name,
                uid: o.metadata.uid,
                ...(blockOwnerDeletion ? { blockOwnerDeletion } : {}),
              },
            ],
          },
        },
      });
    const exists = async (n: string): Promise<boolean> =>
      (await call(sim, 'GET', `${NS}/configmaps/${n}`)).status === 200;
    const bg = await owner('bg');
    await child('bg-child', bg);
    await call(sim, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/bg', {
      body: { propagationPolicy: 'Background' },
    });
    assert.equal(await exists('bg-child'), false);
    const or = await owner('or');
    await child('or-child', or);
    const orDel = await call(sim, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/or', {
      body: { propagationPolicy: 'Orphan' },
    });
    // The DELETE only records the policy as a finalizer; the garbage collector orphans afterwards.
    assert.deepEqual([orDel.status, orDel.json.metadata.finalizers], [200, ['orphan']]);
    await until(
      async () => (await call(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/or')).status === 404,
      10_000,
    );
    const orphan = await call(sim, 'GET', `${NS}/configmaps/or-child`);
    assert.deepEqual([orphan.status, orphan.json.metadata.ownerReferences], [200, undefined]);
    const fg = await owner('fg');
    await child('fg-child', fg, true);
    await call(sim, 'PATCH', `${NS}/configmaps/fg-child`, {
      ctype: 'application/merge-patch+json',
      body: { metadata: { finalizers: ['example.com/slow'] } },
    });
    const fgDel = await call(sim, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/fg', {
      body: { propagationPolicy: 'Foreground' },
    });
    assert.equal(fgDel.status, 200, 'kube-apiserver answers 202 only to orphanDependents=false');
    assert.deepEqual(fgDel.json.metadata.finalizers, ['foregroundDeletion']);
    await until(
      async () => (await call(sim, 'GET', `${NS}/configmaps/fg-child`)).json.metadata.deletionTimestamp,
      10_000,
    );
    assert.equal(
      (await call(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/fg')).status,
      200,
      'owner waits for its dependents',
    );
    await call(sim, 'PATCH', `${NS}/configmaps/fg-child`, {
      ctype: 'application/merge-patch+json',
      body: { metadata: { finalizers: null } },
    });
    await until(
      async () => (await call(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/fg')).status === 404,
      10_000,
    );
    await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'tmp' } } });
    await call(sim, 'POST', '/api/v1/namespaces/tmp/configmaps', {
      body: { metadata: { name: 'c', finalizers: ['example.com/hold'] } },
    });
    await call(sim, 'POST', '/api/v1/namespaces/tmp/pods', { body: pod('p') });
    const nsDel = await call(sim, 'DELETE', '/api/v1/namespaces/tmp');
    assert.equal(nsDel.json.status.phase, 'Terminating');
    assert.equal((await call(sim, 'GET', '/api/v1/namespaces/tmp/pods/p')).status, 404);
    const blocked = await call(sim, 'POST', '/api/v1/namespaces/tmp/configmaps', {
      body: { metadata: { name: 'new' } },
    });
    assert.equal(blocked.status, 403);
    assert.equal(blocked.json.details.causes[0].reason, 'NamespaceTerminating');
    await call(sim, 'PATCH', '/api/v1/namespaces/tmp/configmaps/c', {
      ctype: 'application/merge-patch+json',
      body: { metadata: { finalizers: null } },
    });
    assert.equal((await call(sim, 'GET', '/api/v1/namespaces/tmp')).status, 404);
    assert.equal((await call(sim, 'DELETE', '/api/v1/namespaces/kube-system')).status, 403);
  });
});

test('#27 pods/binding, pods/log, node status and Lease heartbeat writes', async () => {
  await withSim({}, async (sim) => {
    await call(sim, 'POST', `${NS}/pods`, { body: pod('p') });
    const bind = (node: string): Promise<any> =>
      call(sim, 'POST', `${NS}/pods/p/binding`, {
        body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: node } },
      });
    const b = await bind('n1');
    assert.deepEqual([b.status, b.json.status, b.json.code], [201, 'Success', 201]);
    const p = (await call(sim, 'GET', `${NS}/pods/p`)).json;
    assert.equal(p.spec.nodeName, 'n1');
    assert.equal(p.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
    const again = await bind('n2');
    assert.deepEqual(
      [again.status, again.json.message],
      [409, 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1"'],
    );
    const logWaiting = await call(sim, 'GET', `${NS}/pods/p/log`);
    assert.equal(logWaiting.status, 400, 'a Pending pod is waiting to start');
    await call(sim, 'PATCH', `${NS}/pods/p/status`, {
      ctype: 'application/merge-patch+json',
      body: { status: { phase: 'Running' } },
    });
    const log = await call(sim, 'GET', `${NS}/pods/p/log?container=c`);
    assert.equal(log.status, 200);
    assert.match(String(log.headers['content-type']), /^text\/plain/);
    assert.match(log.text, /simulated container c of pod default\/p/);
    assert.equal((await call(sim, 'GET', `${NS}/pods/p/log?container=zzz`)).status, 400);
    await call(sim, 'POST', `${NS}/pods`, {
      body: pod('two', {
        spec: {
          nodeName: 'n1',
          containers: [
            { name: 'a', image: 'x' },
            { name: 'b', image: 'y' },
          ],
        },
      }),
    });
    const two = await call(sim, 'GET', `${NS}/pods/two/log`);
    assert.deepEqual(
      [two.status, two.json.message],
      [400, 'a container name must be specified for pod two, choose one of: [a b]'],
    );
    await call(sim, 'POST', `${NS}/pods`, {
      body: pod('q', { spec: { nodeName: 'n1', terminationGracePeriodSeconds: 30 } }),
    });
    await call(sim, 'DELETE', `${NS}/pods/q`);
    await call(sim, 'POST', `${NS}/pods`, { body: pod('r') });
    await call(sim, 'POST', '/api/v1/nodes', { body: { metadata: { name: 'n1' } } });
    const ns = await call(sim, 'PUT', '/api/v1/nodes/n1/status', {
      body: { metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    });
    assert.equal(ns.json.status.conditions[0].type, 'Ready');
    const lease = await call(sim, 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
      body: { metadata: { name: 'n1' }, spec: { holderIdentity: 'n1', renewTime: '2026-01-01T00:00:00.000000Z' } },
    });
    assert.equal(lease.status, 201);
    const renewed = await call(sim, 'PATCH', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1', {
      ctype: 'application/merge-patch+json',
      body: { spec: { renewTime: '2026-01-01T00:00:10.000000Z' } },
    });
    assert.ok(Number(renewed.json.metadata.resourceVersion) > Number(lease.json.metadata.resourceVersion));
  });
});

test('#28 authentication and authorization: HTTPS with a generated CA, x509 CN/O, bearer tokens, 401s, 403 format, SelfSubjectAccessReview', async () => {
  await withSim({ tls: true }, async (sim) => {
    const cert = issueClientCert(sim.tls!.ca, 'alice', ['devs', 'ops']);
    const who = await call(sim, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      token: null,
      cert,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    assert.equal(who.status, 201);
    assert.equal(who.json.status.userInfo.username, 'alice');
    assert.deepEqual(who.json.status.userInfo.groups, ['devs', 'ops', 'system:authenticated']);
    assert.equal((await call(sim, 'GET', `${NS}/pods`, { token: sim.adminToken })).status, 200);
    assert.equal((await call(sim, 'GET', `${NS}/pods`, { token: 'bogus' })).status, 401);
    assert.equal((await call(sim, 'GET', `${NS}/pods`, { token: null })).status, 403, 'system:anonymous may not list');
    assert.equal((await call(sim, 'GET', `${NS}/pods`, { token: sim.readOnlyToken })).status, 200);
    const nodes = await call(sim, 'GET', '/api/v1/nodes', { token: sim.readOnlyToken });
    assert.deepEqual(
      [nodes.status, nodes.json.message],
      [
        403,
        'nodes is forbidden: User "kube-forecast-viewer" cannot list resource "nodes" in API group "" at the cluster scope',
      ],
    );
    const crds = await call(sim, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      token: sim.readOnlyToken,
    });
    assert.equal(crds.status, 403);
    const ssar = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      token: sim.readOnlyToken,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: 'delete', resource: 'pods', namespace: 'default' } },
      },
    });
    assert.equal(ssar.json.status.allowed, false);
    const ssarOk = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { spec: { resourceAttributes: { verb: 'delete', resource: 'pods' } } },
    });
    assert.equal(ssarOk.json.status.allowed, true);
    const kc = sim.kubeconfig();
    assert.match(kc, /certificate-authority-data: /);
    assert.match(kc, /current-context: kube-forecast-sim/);
  });
});
