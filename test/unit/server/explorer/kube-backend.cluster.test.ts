/**
 * KubeClusterBackend against a cluster (the simulated one or the real control plane; see
 * test/clusters/test-cluster.ts): live changes, namespaces, texts, actions, CRDs, status, container
 * logs (the simulator's synthetic log; on the real cluster kwok's, see test/real-cluster/README.md).
 * One cluster for the file; each test works in a namespace of its own, and cluster-scoped objects get
 * unique names.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { encodeHelmRelease } from '@src/cluster/helm-release';
import { parseManifest } from '@src/server/services/manifest';
import { backendOn, until } from './helpers';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster?.close();
});

const CTX = 'it-admin';
const configMap = (name: string, namespace: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { k: 'v' },
});
const pod = (name: string, namespace: string, cpu = '10m'): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }] },
});

test('a change in the cluster is announced once, debounced, naming the rows whose children changed', async () => {
  const ns = await cluster.freshNamespace('debounce');
  const { backend, close } = await backendOn(cluster);
  try {
    const nsRow = `${CTX}/namespaces/~/namespaces//${ns}`;
    // The tree announces rows it has shown: list the namespaces (ours among them) and its ConfigMaps first.
    assert.ok(await until(async () => (await backend.children(`${CTX}/namespaces`)).some((r) => r.id === nsRow)));
    assert.ok(await until(async () => (await backend.children(`${nsRow}/configmaps`)).length > 0));
    // A quiet period, not a wait for an event: the first list's announcement has no end marker, and a
    // late one must not be counted as a batch of the changes below.
    await new Promise((r) => setTimeout(r, 400));
    const batches: string[][] = [];
    backend.onDidChangeTree((ids) => {
      if (ids.includes(nsRow)) batches.push(ids);
    });
    await Promise.all([cluster.create(configMap('a', ns)), cluster.create(configMap('b', ns))]);
    assert.ok(await until(() => batches.length > 0));
    // The behaviour under test is an absence (no second batch), so only a time without one can show it.
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(batches.length, 1, 'two quick changes arrive as one batch');
    const ids = batches[0]!;
    assert.ok(ids.includes(`${CTX}/cat-config`), ids.join(' '));
    assert.ok(!ids.some((i) => i.includes('namespaces//kube-system')), 'other namespaces are not refreshed');
    const rows = await backend.children(`${nsRow}/configmaps`);
    assert.deepEqual(
      rows.map((r) => r.label),
      ['a', 'b', 'kube-root-ca.crt'],
    );
  } finally {
    close();
  }
});

test('chosen namespaces: only those are watched and listed', async () => {
  const ns = await cluster.freshNamespace('team');
  const { backend, close } = await backendOn(cluster, { namespaces: [ns] });
  try {
    await cluster.create(pod('mine', ns));
    await cluster.create(pod('theirs', 'default'));
    await backend.children(`${CTX}/cat-workloads/pods`);
    const rows = await until(async () => {
      const r = await backend.children(`${CTX}/cat-workloads/pods`);
      return r.some((x) => x.label === 'mine') ? r : undefined;
    });
    assert.deepEqual(
      rows?.map((r) => r.label),
      ['mine'],
    );
    assert.deepEqual(
      (await backend.children(`${CTX}/namespaces`)).map((r) => r.label),
      [ns],
    );
    assert.deepEqual(backend.status.namespaces, [ns]);
  } finally {
    close();
    await cluster.remove(pod('theirs', 'default'));
  }
});

test('View YAML hides managedFields and Secret values; Describe shows the scheduler events; a value shows only when a key is revealed', async () => {
  const ns = await cluster.freshNamespace('texts');
  const { backend, close } = await backendOn(cluster);
  try {
    await cluster.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: ns },
      data: { password: Buffer.from('hunter2').toString('base64') },
    });
    // No node has 100 CPUs: the scheduler records FailedScheduling with its own message.
    await cluster.create(pod('web', ns, '100'));
    const secretId = `${CTX}/cat-config/secrets/~/secrets/${ns}/db`;
    await backend.children(`${CTX}/cat-config/secrets`);
    await until(async () => (await backend.children(`${CTX}/cat-config/secrets`)).some((r) => r.label === 'db'));
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
    const podId = `${CTX}/cat-workloads/pods/~/pods/${ns}/web`;
    const podDesc = await until(async () => {
      await backend.children(`${CTX}/cat-workloads/pods`);
      const d = await backend.resourceText({ nodeId: podId, view: 'describe' });
      return d.ok && /FailedScheduling/.test(d.value) ? d.value : undefined;
    }, 30_000);
    assert.match(
      podDesc ?? '',
      /Why pending:\s+0\/3 nodes are available: 1 node\(s\) had untolerated taint\(s\), 2 Insufficient cpu\./,
    );
    assert.match(podDesc ?? '', /Warning\s+FailedScheduling/);
  } finally {
    close();
  }
});

test('Scale and Restart patch Deployments; Scale refuses Pods; Delete reports the context', async () => {
  const ns = await cluster.freshNamespace('actions');
  const { backend, close } = await backendOn(cluster);
  try {
    await cluster.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    const id = `${CTX}/cat-workloads/deployments/~/deployments/${ns}/web`;
    await backend.children(`${CTX}/cat-workloads/deployments`);
    await until(async () =>
      (await backend.children(`${CTX}/cat-workloads/deployments`)).some((r) => r.label === 'web'),
    );
    assert.deepEqual(await backend.resourceAction({ nodeId: id, action: 'scale', replicas: 3 }), {
      ok: true,
      value: `Scaled Deployment ${ns}/web to 3 replicas.`,
    });
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
    assert.equal((await cluster.api('GET', path)).body.spec.replicas, 3);
    const restarted = await backend.resourceAction({ nodeId: id, action: 'restart' });
    assert.ok(restarted.ok);
    assert.ok(
      (await cluster.api('GET', path)).body.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'],
    );
    await cluster.create(pod('p', ns));
    await until(async () => (await backend.children(`${CTX}/cat-workloads/pods`)).some((r) => r.label === 'p'));
    const refused = await backend.resourceAction({
      nodeId: `${CTX}/cat-workloads/pods/~/pods/${ns}/p`,
      action: 'scale',
      replicas: 2,
    });
    assert.equal(refused.ok, false);
    const deleted = await backend.resourceAction({ nodeId: id, action: 'delete' });
    assert.deepEqual(deleted, { ok: true, value: `Deleted Deployment ${ns}/web in ${CTX}.` });
  } finally {
    close();
  }
});

test('Custom Resources: every CRD and its objects', async () => {
  const ns = await cluster.freshNamespace('crd');
  const group = `${ns}.example.com`;
  const { backend, close } = await backendOn(cluster);
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
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
  };
  try {
    await cluster.create(crd);
    // A new CRD is served once it is Established (at once on the simulator, shortly after on kube-apiserver).
    const made = await until(async () =>
      (
        await cluster.api('POST', `/apis/${group}/v1/namespaces/${ns}/widgets`, {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name: 'w1', namespace: ns },
        })
      ).status === 201
        ? true
        : undefined,
    );
    assert.ok(made, 'the Widget could not be created');
    const crds = await until(async () => {
      const r = await backend.children(`${CTX}/crds`);
      return r.some((x) => x.label === 'Widget' && x.id.includes(group)) ? r : undefined;
    });
    const row = crds!.find((x) => x.label === 'Widget' && x.id.includes(group))!;
    const objs = await until(async () => {
      const r = await backend.children(row.id);
      return r.some((x) => x.label === 'w1') ? r : undefined;
    });
    assert.deepEqual(
      objs?.map((o) => [o.label, o.contextValue]),
      [['w1', 'customresource']],
    );
    const yaml = await backend.resourceText({ nodeId: objs![0]!.id, view: 'yaml' });
    assert.ok(yaml.ok && /kind: Widget/.test(yaml.value));
  } finally {
    close();
    await cluster.remove(crd);
  }
});

test('the status follows the caches: unreachable becomes an error with a sentence, then recovers by itself', async () => {
  const { backend, close } = await backendOn(cluster);
  try {
    assert.ok(await until(() => backend.status.state === 'connected'), 'connected before the faults');
    const seen: string[] = [];
    // States only: the error's sentence may be refined while it lasts (another cache's failure detail).
    backend.onDidChangeStatus((s) => {
      if (seen.at(-1) !== s.state) seen.push(s.state);
    });
    cluster.faults({ status: 503 });
    cluster.faults({ dropWatches: true });
    assert.ok(
      await until(() => backend.status.state === 'error', 20_000),
      'the failure shows within the retry backoff',
    );
    assert.match(backend.status.message ?? '', new RegExp(`Cannot reach the cluster of context "${CTX}".*Retrying`));
    cluster.faults({ clear: true });
    assert.ok(await until(() => backend.status.state === 'connected', 20_000));
    assert.deepEqual(seen, ['error', 'connected'], `status changes: ${seen.join(' → ')}`);
  } finally {
    cluster.faults({ clear: true });
    close();
  }
});

test('predictionCaches lists the scheduling kinds from the shared caches and reports their changes', async () => {
  const name = `n-${Date.now().toString(36)}`;
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } };
  const { backend, close } = await backendOn(cluster);
  try {
    const caches = backend.predictionCaches();
    const kinds: string[] = [];
    caches.onDidChange((k) => kinds.push(k));
    assert.ok(await until(() => caches.list('nodes').length === 3), 'the cluster starts with three nodes');
    await cluster.create(node);
    assert.ok(await until(() => caches.list('nodes').some((n) => n.metadata?.name === name)));
    assert.ok(kinds.includes('nodes'));
  } finally {
    close();
    await cluster.remove(node);
  }
});

test('a written object has a tree id under its namespace, and the path to it can be revealed once the watch delivered it', async () => {
  const ns = await cluster.freshNamespace('write');
  const { backend, close } = await backendOn(cluster);
  try {
    const r = await backend.writeManifest(
      parseManifest(
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  a: b\n`,
      ),
      { mode: 'create' },
    );
    assert.ok(r.ok);
    const [doc] = r.value.results;
    assert.equal(doc!.outcome, 'created');
    assert.equal(doc!.nodeId, `${CTX}/namespaces/~/namespaces//${ns}/configmaps/~/configmaps/${ns}/settings`);
    await backend.children(doc!.nodeId!.replace(/\/~\/configmaps\/[^/]+\/settings$/, ''));
    const path = await until(() => {
      const p = backend.nodePath(doc!.nodeId!);
      return p.length > 0 ? p : undefined;
    });
    assert.deepEqual(
      path?.map((n) => n.label),
      [CTX, 'Namespaces', ns, 'ConfigMaps', 'settings'],
    );
  } finally {
    close();
  }
});

test('a Helm release row opens as YAML: chart, revision, status and the objects it made, never its values', async () => {
  const ns = await cluster.freshNamespace('helm');
  const release = encodeHelmRelease({
    name: 'shop',
    namespace: ns,
    version: 2,
    info: { status: 'deployed', last_deployed: '2026-11-01T10:00:00Z' },
    chart: { metadata: { name: 'nginx', version: '15.2.0', appVersion: '1.27.0' }, values: { password: 'hunter2' } },
    config: { password: 'hunter2' },
    manifest: `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n  namespace: ${ns}\n`,
  });
  await cluster.create({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: 'sh.helm.release.v1.shop.v2',
      namespace: ns,
      labels: { owner: 'helm', name: 'shop', version: '2' },
    },
    data: { release },
  });
  const { backend, close } = await backendOn(cluster);
  try {
    const row = await until(async () =>
      (await backend.children(`${CTX}/helm`)).find((r) => r.label === 'shop' && r.namespace === ns),
    );
    assert.ok(row, 'the release is listed');
    assert.equal(row.contextValue, 'helmrelease');
    const text = await backend.resourceText({ nodeId: row.id, view: 'yaml' });
    assert.ok(text.ok, text.ok ? '' : text.reason);
    assert.match(text.value, /kind: Release/);
    assert.match(text.value, /chart: nginx-15\.2\.0/);
    assert.match(text.value, new RegExp(`- Deployment ${ns}/shop`));
    assert.ok(!text.value.includes('hunter2'), 'no values');
  } finally {
    close();
  }
});

/** A log line as the Logs view shows it: the runtime's RFC 3339 time with nine fraction digits, a space, the text. */
const LOG_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) \S.*$/;
const logLines = (text: string): string[] => text.split('\n').filter((l) => l !== '' && !l.startsWith('# '));
const lineTime = (line: string): number => Date.parse(LOG_LINE.exec(line)?.[1] ?? '');

/** Creates a pod with `containers` and resolves once it is Running (the node agent started it). */
async function runningPod(ns: string, name: string, containers: readonly string[]): Promise<void> {
  await cluster.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
  });
  const running = await until(
    async () => (await cluster.api('GET', `/api/v1/namespaces/${ns}/pods/${name}`)).body?.status?.phase === 'Running',
    30_000,
  );
  assert.ok(running, `pod ${ns}/${name} did not start`);
}

test('Logs: the text view shows each container’s lines with the runtime’s timestamps, in time order; the view-only context reads them too', async () => {
  const ns = await cluster.freshNamespace('logs');
  await runningPod(ns, 'web', ['c']);
  await runningPod(ns, 'pair', ['app', 'sidecar']);
  for (const context of ['it-admin', 'it-viewer'] as const) {
    const { backend, close } = await backendOn(cluster, { context });
    try {
      await until(async () =>
        (await backend.children(`${context}/cat-workloads/pods`)).some((r) => r.label === 'pair'),
      );
      const text = await backend.resourceText({
        nodeId: `${context}/cat-workloads/pods/~/pods/${ns}/web`,
        view: 'logs',
      });
      assert.ok(text.ok, text.ok ? '' : text.reason);
      const lines = logLines(text.value);
      assert.ok(lines.length > 0, `${context}: no log lines`);
      for (const l of lines) assert.match(l, LOG_LINE, `${context}: a line without the runtime's timestamp`);
      const times = lines.map(lineTime);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        `${context}: lines in time order`,
      );
      assert.ok(times.at(-1)! <= Date.now(), `${context}: no line from the future`);
      // One section per container, each with its own timestamped lines.
      const pair = await backend.resourceText({
        nodeId: `${context}/cat-workloads/pods/~/pods/${ns}/pair`,
        view: 'logs',
      });
      assert.ok(pair.ok, pair.ok ? '' : pair.reason);
      const sections = pair.value.split(/^# container /m).filter((s) => s !== '');
      assert.deepEqual(
        sections.map((s) => s.split('\n')[0]),
        ['app', 'sidecar'],
      );
      for (const s of sections) {
        const body = logLines(s.split('\n').slice(1).join('\n'));
        assert.ok(body.length > 0 && body.every((l) => LOG_LINE.test(l)), `${context}: container ${s.split('\n')[0]}`);
      }
    } finally {
      close();
    }
  }
});

test('Logs: following shows the last lines, then new lines as the container writes them, until stopped', async () => {
  const ns = await cluster.freshNamespace('follow');
  await runningPod(ns, 'web', ['c']);
  const { backend, close } = await backendOn(cluster);
  try {
    const id = `${CTX}/cat-workloads/pods/~/pods/${ns}/web`;
    await until(async () => (await backend.children(`${CTX}/cat-workloads/pods`)).some((r) => r.label === 'web'));
    let got = '';
    let ended: string | undefined;
    const stop = backend.followLogs(
      id,
      (t) => (got += t),
      (r) => (ended = r),
    );
    assert.equal(typeof stop, 'function');
    // Whole lines only: a chunk may end inside a line.
    const complete = (): string[] => logLines(got.slice(0, got.lastIndexOf('\n') + 1));
    assert.ok(await until(() => complete().length > 0, 15_000), 'the last lines arrive first');
    const first = complete();
    const newest = lineTime(first.at(-1)!);
    assert.ok(
      await until(() => complete().length > first.length, 15_000),
      `no new line after ${first.length} line(s): ${JSON.stringify(got.slice(-300))}`,
    );
    const all = complete();
    assert.deepEqual(all.slice(0, first.length), first, 'new lines are appended after what was shown');
    for (const l of all) assert.match(l, LOG_LINE);
    assert.ok(lineTime(all.at(-1)!) >= newest, 'the appended line is not older than the last one shown');
    (stop as () => void)();
    assert.ok(await until(() => ended !== undefined), 'stopping ends the stream');
    const atStop = got;
    // The behaviour under test is an absence (no line after stopping): only a time without one shows it.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(got, atStop, 'nothing arrives after stopping');
    const refused = backend.followLogs(
      `${CTX}/nodes`,
      () => undefined,
      () => undefined,
    );
    assert.deepEqual(refused, { error: 'This row is not a Kubernetes object.' });
  } finally {
    close();
  }
});
