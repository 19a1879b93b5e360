/**
 * The watch caches keep a slim copy of each object (src/cluster/cache-transform.ts), and opening an
 * object fetches it whole: an object made by `kubectl apply` (its last-applied-configuration, its
 * managedFields, and a big annotation) is cached without them, while View YAML shows the annotations
 * the server has and the fetched object carries the managedFields. Against the simulated cluster or
 * the real control plane (test/clusters/test-cluster.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { ClusterSession, WATCHED_KINDS } from '@src/cluster/cluster-session';
import { kubeconfigFromString } from '@src/cluster/kubeconfig';
import type { KubeObj } from '@src/server/explorer/cluster-data';
import { fetchFullObject } from '@src/server/explorer/full-object';
import { backendOn, until } from './helpers';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster?.close();
});

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

test('the cache drops managedFields, last-applied-configuration and big annotations; View YAML fetches the full object', async () => {
  const ns = await cluster.freshNamespace('slim');
  const big = 'x'.repeat(5000);
  const manifest = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'app-config',
      namespace: ns,
      annotations: { 'example.com/big': big, 'example.com/small': 'kept' },
    },
    data: { 'config.yaml': 'port: 8080\n' },
  });
  const applied = await cluster.kubectl(['apply', '-f', '-'], manifest);
  assert.equal(applied.code, 0, applied.stderr);

  const session = new ClusterSession(kubeconfigFromString(cluster.kubeconfigText('it-admin')));
  const { backend, close } = await backendOn(cluster);
  try {
    const cache = session.cache<KubeObj>('configmaps');
    const cached = await until(() => cache.get('app-config', ns));
    assert.ok(cached, 'the ConfigMap is cached');
    assert.equal(cached.metadata?.managedFields, undefined, 'no managedFields in the cache');
    assert.deepEqual(cached.metadata?.annotations, { 'example.com/small': 'kept' });
    assert.equal(cached['data'], undefined, "a ConfigMap's data is not cached: no row reads it");

    const fetched = await fetchFullObject(session.client, WATCHED_KINDS.configmaps, cached);
    assert.ok('obj' in fetched, 'the object is fetched');
    const full = fetched.obj;
    const fields = full.metadata?.managedFields as { manager?: string }[] | undefined;
    assert.ok(Array.isArray(fields) && fields.length > 0, 'the opened object has its managedFields');
    assert.equal(full.metadata?.annotations?.['example.com/big'], big);
    assert.match(String(full.metadata?.annotations?.[LAST_APPLIED]), /"app-config"/);

    const row = `it-admin/cat-config/configmaps/~/configmaps/${ns}/app-config`;
    await until(async () => (await backend.children('it-admin/cat-config/configmaps')).some((r) => r.id === row));
    const yaml = await backend.resourceText({ nodeId: row, view: 'yaml' });
    assert.ok(yaml.ok, yaml.ok ? '' : yaml.reason);
    assert.match(yaml.value, new RegExp(`${LAST_APPLIED.replace(/\./g, '\\.')}:`), 'View YAML shows the annotation');
    assert.ok(yaml.value.includes(big), 'View YAML shows the big annotation');
    assert.match(yaml.value, /config\.yaml: \|\s+port: 8080/, 'View YAML shows the data');
    assert.doesNotMatch(yaml.value, /managedFields/, 'View YAML still hides managedFields, as kubectl does');
    const desc = await backend.resourceText({ nodeId: row, view: 'describe' });
    assert.ok(desc.ok && desc.value.includes('example.com/big'), 'Describe reads the full object too');

    await cluster.remove({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: ns } });
    const gone = await until(async () => {
      const r = await backend.resourceText({ nodeId: row, view: 'yaml' });
      return !r.ok ? r : undefined;
    });
    assert.ok(gone && !gone.ok && /no longer exists/.test(gone.reason), 'a deleted object says so');
  } finally {
    close();
    session.dispose();
  }
});

test("the cache keeps a Secret's keys, never its values; the key rows are listed and a value is read from the server on request", async () => {
  const ns = await cluster.freshNamespace('slim-secret');
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: ns },
    type: 'Opaque',
    data: { password: Buffer.from('hunter2').toString('base64'), user: Buffer.from('admin').toString('base64') },
  };
  const created = await cluster.kubectl(['create', '-f', '-'], JSON.stringify(secret));
  assert.equal(created.code, 0, created.stderr);
  const { backend, close } = await backendOn(cluster);
  try {
    const row = `it-admin/cat-config/secrets/~/secrets/${ns}/db`;
    const keys = await until(async () => {
      const rows = await backend.children(row);
      return rows.length === 2 ? rows : undefined;
    });
    assert.deepEqual(
      keys?.map((r) => r.label),
      ['password', 'user'],
    );
    const session = new ClusterSession(kubeconfigFromString(cluster.kubeconfigText('it-admin')));
    try {
      const cached = await until(() => session.cache<KubeObj>('secrets').get('db', ns));
      assert.deepEqual(cached?.['data'], { password: '', user: '' }, 'keys without values');
      assert.doesNotMatch(JSON.stringify(cached), /aHVudGVyMg|hunter2/);
    } finally {
      session.dispose();
    }
    const revealed = await backend.resourceText({ nodeId: keys![0]!.id, view: 'secretValue' });
    assert.deepEqual(revealed, { ok: true, value: 'hunter2' });
    await cluster.remove({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns } });
    const gone = await until(async () => {
      const r = await backend.resourceText({ nodeId: keys![0]!.id, view: 'secretValue' });
      return !r.ok ? r : undefined;
    });
    assert.ok(gone && !gone.ok && /no longer exists/.test(gone.reason), gone && !gone.ok ? gone.reason : '');
  } finally {
    close();
  }
});
