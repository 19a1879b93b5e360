/** KubeClusterBackend against a simulated cluster: live changes, namespaces, texts, actions, CRDs, status. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectedBackend, until } from './helpers';

const PODS = { group: '', resource: 'pods' };
const pod = (name: string, ns = 'default'): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

test('a change in the cluster is announced once, debounced, naming the rows whose children changed', async () => {
  const { sim, backend, close } = await connectedBackend();
  try {
    const batches: string[][] = [];
    backend.onDidChangeTree((ids) => batches.push(ids));
    sim.store.create(PODS, pod('a'));
    sim.store.create(PODS, pod('b'));
    assert.ok(await until(() => batches.length > 0));
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(batches.length, 1, 'two quick changes arrive as one batch');
    const ids = batches[0]!;
    assert.ok(ids.includes('kube-forecast-sim/namespaces/~/namespaces//default'), ids.join(' '));
    assert.ok(ids.includes('kube-forecast-sim/cat-workloads'));
    assert.ok(!ids.some((i) => i.includes('namespaces//kube-system')), 'other namespaces are not refreshed');
    const podsRows = await backend.children('kube-forecast-sim/namespaces/~/namespaces//default/pods');
    assert.deepEqual(
      podsRows.map((r) => r.label),
      ['a', 'b'],
    );
  } finally {
    await close();
  }
});

test('chosen namespaces: only those are watched and listed', async () => {
  const { sim, backend, close } = await connectedBackend({ namespaces: ['team'] });
  try {
    sim.store.create(
      { group: '', resource: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
    );
    sim.store.create(PODS, pod('mine', 'team'));
    sim.store.create(PODS, pod('theirs', 'default'));
    await backend.children('kube-forecast-sim/cat-workloads/pods');
    const rows = await until(async () => {
      const r = await backend.children('kube-forecast-sim/cat-workloads/pods');
      return r.some((x) => x.label === 'mine') ? r : undefined;
    });
    assert.deepEqual(
      rows?.map((r) => r.label),
      ['mine'],
    );
    assert.deepEqual(
      (await backend.children('kube-forecast-sim/namespaces')).map((r) => r.label),
      ['team'],
    );
    assert.deepEqual(backend.status.namespaces, ['team']);
  } finally {
    await close();
  }
});

test('View YAML hides managedFields and Secret values; Describe lists events; a value shows only when a key is revealed', async () => {
  const { sim, backend, close } = await connectedBackend();
  try {
    sim.store.create(
      { group: '', resource: 'secrets' },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'default' },
        data: { password: Buffer.from('hunter2').toString('base64') },
      },
    );
    sim.store.create(PODS, pod('web'));
    sim.store.create(
      { group: '', resource: 'events' },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'web.1', namespace: 'default' },
        involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
        reason: 'FailedScheduling',
        message: '0/3 nodes are available: 3 Insufficient cpu.',
        type: 'Warning',
      },
    );
    const secretId = 'kube-forecast-sim/cat-config/secrets/~/secrets/default/db';
    await backend.children('kube-forecast-sim/cat-config/secrets');
    await until(async () =>
      (await backend.children('kube-forecast-sim/cat-config/secrets')).some((r) => r.label === 'db'),
    );
    const yaml = await backend.resourceText({ nodeId: secretId, view: 'yaml' });
    assert.ok(yaml.ok);
    assert.match(yaml.value, /password: '?<hidden: 7 bytes>'?/);
    assert.doesNotMatch(yaml.value, /managedFields|aHVudGVyMg|hunter2/);
    const desc = await backend.resourceText({ nodeId: secretId, view: 'describe' });
    assert.ok(desc.ok);
    assert.doesNotMatch(desc.value, /aHVudGVyMg|hunter2/);
    const keys = await backend.children(secretId);
    assert.deepEqual(
      keys.map((k) => [k.label, k.description]),
      [['password', '•••••• (hidden)']],
    );
    assert.deepEqual(
      await backend.resourceText({ nodeId: keys[0]!.id, view: 'secretValue' }),
      { ok: true, value: 'hunter2' },
      'revealed on request',
    );
    assert.equal(
      (await backend.resourceText({ nodeId: secretId, view: 'secretValue' })).ok,
      false,
      'only a key row reveals',
    );
    await backend.children('kube-forecast-sim/cat-workloads/pods');
    await until(async () =>
      (await backend.children('kube-forecast-sim/cat-workloads/pods')).some((r) => r.label === 'web'),
    );
    const podDesc = await backend.resourceText({
      nodeId: 'kube-forecast-sim/cat-workloads/pods/~/pods/default/web',
      view: 'describe',
    });
    assert.ok(podDesc.ok);
    assert.match(podDesc.value, /Why pending:\s+0\/3 nodes are available: 3 Insufficient cpu\./);
    assert.match(podDesc.value, /Warning\s+FailedScheduling/);
  } finally {
    await close();
  }
});

test('Scale and Restart patch Deployments; Scale refuses Pods; Delete reports the context', async () => {
  const { sim, backend, close } = await connectedBackend();
  try {
    sim.store.create(
      { group: 'apps', resource: 'deployments' },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
      },
    );
    const id = 'kube-forecast-sim/cat-workloads/deployments/~/deployments/default/web';
    await backend.children('kube-forecast-sim/cat-workloads/deployments');
    await until(async () =>
      (await backend.children('kube-forecast-sim/cat-workloads/deployments')).some((r) => r.label === 'web'),
    );
    assert.deepEqual(await backend.resourceAction({ nodeId: id, action: 'scale', replicas: 3 }), {
      ok: true,
      value: 'Scaled Deployment default/web to 3 replicas.',
    });
    assert.equal(sim.store.get({ group: 'apps', resource: 'deployments' }, 'default', 'web')?.['spec']?.replicas, 3);
    const restarted = await backend.resourceAction({ nodeId: id, action: 'restart' });
    assert.ok(restarted.ok);
    assert.ok(
      sim.store.get({ group: 'apps', resource: 'deployments' }, 'default', 'web')?.['spec']?.template?.metadata
        ?.annotations?.['kubectl.kubernetes.io/restartedAt'],
    );
    sim.store.create(PODS, pod('p'));
    await until(async () =>
      (await backend.children('kube-forecast-sim/cat-workloads/pods')).some((r) => r.label === 'p'),
    );
    const refused = await backend.resourceAction({
      nodeId: 'kube-forecast-sim/cat-workloads/pods/~/pods/default/p',
      action: 'scale',
      replicas: 2,
    });
    assert.equal(refused.ok, false);
    const deleted = await backend.resourceAction({ nodeId: id, action: 'delete' });
    assert.deepEqual(deleted, { ok: true, value: 'Deleted Deployment default/web in kube-forecast-sim.' });
  } finally {
    await close();
  }
});

test('Custom Resources: every CRD and its objects', async () => {
  const { sim, backend, close } = await connectedBackend();
  try {
    sim.store.create(
      { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
    );
    sim.store.create(
      { group: 'example.com', resource: 'widgets' },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' } },
    );
    const crds = await until(async () => {
      const r = await backend.children('kube-forecast-sim/crds');
      return r.some((x) => x.label === 'Widget') ? r : undefined;
    });
    const crd = crds!.find((x) => x.label === 'Widget')!;
    const objs = await until(async () => {
      const r = await backend.children(crd.id);
      return r.some((x) => x.label === 'w1') ? r : undefined;
    });
    assert.deepEqual(
      objs?.map((o) => [o.label, o.contextValue]),
      [['w1', 'customresource']],
    );
    const yaml = await backend.resourceText({ nodeId: objs![0]!.id, view: 'yaml' });
    assert.ok(yaml.ok && /kind: Widget/.test(yaml.value));
  } finally {
    await close();
  }
});

test('the status follows the caches: unreachable becomes an error with a sentence, then recovers by itself', async () => {
  const { sim, backend, close } = await connectedBackend();
  try {
    const seen: string[] = [];
    backend.onDidChangeStatus((s) => seen.push(s.state));
    sim.faults.set({ status: 503 });
    sim.faults.set({ dropWatches: true });
    assert.ok(await until(() => backend.status.state === 'error'));
    assert.match(backend.status.message ?? '', /Cannot reach the cluster of context "kube-forecast-sim".*Retrying/);
    sim.faults.set({ clear: true });
    assert.ok(await until(() => backend.status.state === 'connected'));
    assert.deepEqual(seen, ['error', 'connected']);
  } finally {
    await close();
  }
});

test('predictionCaches lists the scheduling kinds from the shared caches and reports their changes', async () => {
  const { sim, backend, close } = await connectedBackend();
  try {
    const caches = backend.predictionCaches();
    const kinds: string[] = [];
    caches.onDidChange((k) => kinds.push(k));
    caches.list('nodes');
    sim.store.create({ group: '', resource: 'nodes' }, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    assert.ok(await until(() => caches.list('nodes').length === 1));
    assert.ok(kinds.includes('nodes'));
  } finally {
    await close();
  }
});

test('Logs: the text view shows timestamped lines; following streams new lines until stopped', async () => {
  const { sim, backend, close } = await connectedBackend();
  try {
    sim.store.create(PODS, {
      ...pod('web'),
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
      status: { phase: 'Running' },
    });
    const id = 'kube-forecast-sim/cat-workloads/pods/~/pods/default/web';
    await until(async () =>
      (await backend.children('kube-forecast-sim/cat-workloads/pods')).some((r) => r.label === 'web'),
    );
    const text = await backend.resourceText({ nodeId: id, view: 'logs' });
    assert.ok(text.ok);
    assert.match(text.value, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z simulated container c of pod default\/web started$/m);
    let got = '';
    let ended: string | undefined;
    const stop = backend.followLogs(
      id,
      (t) => (got += t),
      (r) => (ended = r),
    );
    assert.equal(typeof stop, 'function');
    assert.ok(await until(() => /ready/.test(got)));
    (stop as () => void)();
    assert.ok(await until(() => ended !== undefined));
    const refused = backend.followLogs(
      'kube-forecast-sim/nodes',
      () => undefined,
      () => undefined,
    );
    assert.deepEqual(refused, { error: 'This row is not a Kubernetes object.' });
  } finally {
    await close();
  }
});

test('a written object has a tree id under its namespace, and the path to it can be revealed once the watch delivered it', async () => {
  const { backend, close } = await connectedBackend();
  try {
    const r = await backend.writeManifest(
      { uri: 'untitled:x', mode: 'create' },
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n',
    );
    assert.ok(r.ok);
    const [doc] = r.value.results;
    assert.equal(doc!.outcome, 'created');
    assert.equal(
      doc!.nodeId,
      'kube-forecast-sim/namespaces/~/namespaces//default/configmaps/~/configmaps/default/settings',
    );
    await backend.children(doc!.nodeId!.replace(/\/o\/configmaps\/default\/settings$/, ''));
    const path = await until(() => {
      const p = backend.nodePath(doc!.nodeId!);
      return p.length > 0 ? p : undefined;
    });
    assert.deepEqual(
      path?.map((n) => n.label),
      ['kube-forecast-sim', 'Namespaces', 'default', 'ConfigMaps', 'settings'],
    );
  } finally {
    await close();
  }
});
