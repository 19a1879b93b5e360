/**
 * The create flow's writes against a cluster (the simulated one or the real control plane; see
 * test/clusters/test-cluster.ts): the documents of the parsed model, dry run first, a result per
 * document with the server's message, existing objects, server-side apply. Each test works in
 * namespaces of its own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSession } from '@src/cluster/cluster-session';
import { kubeconfigFromString } from '@src/cluster/kubeconfig';
import { writeDocuments } from '@src/server/explorer/manifest-writer';
import { parseManifest } from '@src/server/services/manifest';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';

let cluster: TestCluster;
let session: ClusterSession;
before(async () => {
  cluster = await startTestCluster();
  session = new ClusterSession(kubeconfigFromString(cluster.kubeconfigText('it-admin')));
});
after(async () => {
  await cluster?.close();
});

const POD = (name: string, namespace: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  containers:\n  - name: c\n    image: busybox\n`;

const status = async (path: string): Promise<number> => (await cluster.api('GET', path)).status;

test('every document is dry-run first: a failing one is reported with the server message and not written; the others are', async () => {
  const ns = await cluster.freshNamespace('write');
  const team = await cluster.freshNamespace('write-team');
  const text = [
    POD('a', ns),
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\n  namespace: ${ns}\nspec:\n  containers: []\n`,
    'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n',
    POD('b', team),
  ].join('---\n');
  const results = await writeDocuments(session.writer, parseManifest(text), { mode: 'create', defaultNamespace: ns });
  assert.deepEqual(
    results.map((r) => [r.ref, r.outcome]),
    [
      [`Pod/${ns}/a`, 'created'],
      [`Pod/${ns}/broken`, 'failed'],
      ['Gadget/g', 'failed'],
      [`Pod/${team}/b`, 'created'],
    ],
  );
  assert.match(results[1]!.message ?? '', /spec\.containers: Required value/);
  assert.match(results[2]!.message ?? '', /no matches for kind "Gadget" in version "example.com\/v1"/);
  assert.equal(await status(`/api/v1/namespaces/${ns}/pods/broken`), 404);
  assert.equal(await status(`/api/v1/namespaces/${team}/pods/b`), 200);
});

test('existing objects are reported, then replaced, applied or skipped as asked', async () => {
  const ns = await cluster.freshNamespace('write-existing');
  const w = session.writer;
  const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  v: "${v}"\n`;
  await writeDocuments(w, parseManifest(cm('1')), { mode: 'create', defaultNamespace: ns });
  const again = await writeDocuments(w, parseManifest(cm('1')), { mode: 'create', defaultNamespace: ns });
  assert.deepEqual(
    again.map((r) => r.outcome),
    ['exists'],
  );
  assert.match(again[0]!.message ?? '', /already exists/);
  for (const [onExisting, want] of [
    ['skip', 'skipped'],
    ['apply', 'applied'],
    ['replace', 'replaced'],
  ] as const) {
    const r = await writeDocuments(w, parseManifest(cm(onExisting)), {
      mode: 'create',
      defaultNamespace: ns,
      onExisting,
    });
    assert.deepEqual(
      r.map((x) => x.outcome),
      [want],
      onExisting,
    );
  }
  const got = await cluster.api('GET', `/api/v1/namespaces/${ns}/configmaps/a`);
  assert.equal(got.body.data.v, 'replace');
});

test('apply mode is a server-side apply of each document given (here the second only)', async () => {
  const ns = await cluster.freshNamespace('write-apply');
  const text = [POD('x', ns), POD('y', ns)].join('---\n');
  const r = await writeDocuments(session.writer, parseManifest(text).slice(1), { mode: 'apply', defaultNamespace: ns });
  assert.deepEqual(
    r.map((x) => [x.index, x.outcome]),
    [[1, 'applied']],
  );
  assert.equal(await status(`/api/v1/namespaces/${ns}/pods/x`), 404);
  const y = await cluster.api('GET', `/api/v1/namespaces/${ns}/pods/y`);
  assert.ok(
    (y.body.metadata.managedFields as { operation: string }[]).some((f) => f.operation === 'Apply'),
    'written by server-side apply',
  );
});

test('a manifest that creates its namespace, or a CRD, first: the objects in it are dry-run once it exists', async () => {
  const ns = `made-${Date.now().toString(36)}`;
  const group = `e2e${Date.now().toString(36)}.example.com`;
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;
  const text = [
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    POD('p', ns),
    crd,
    `apiVersion: ${group}/v1\nkind: Gadget\nmetadata:\n  name: g\n  namespace: ${ns}\nspec: {size: 3}\n`,
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  namespace: ${ns}\nspec:\n  containers: []\n`,
  ].join('---\n');
  try {
    const results = await writeDocuments(session.writer, parseManifest(text), {
      mode: 'create',
      defaultNamespace: 'default',
    });
    assert.deepEqual(
      results.map((r) => [r.ref, r.outcome]),
      [
        [`Namespace/${ns}`, 'created'],
        [`Pod/${ns}/p`, 'created'],
        [`CustomResourceDefinition/gadgets.${group}`, 'created'],
        [`Gadget/${ns}/g`, 'created'],
        [`Pod/${ns}/bad`, 'failed'],
      ],
      JSON.stringify(results),
    );
    assert.match(
      results[4]!.message ?? '',
      /spec\.containers: Required value/,
      'a deferred document still gets its dry run',
    );
    assert.equal((await cluster.api('GET', `/apis/${group}/v1/namespaces/${ns}/gadgets/g`)).status, 200);
  } finally {
    await cluster.api('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.${group}`);
    await cluster.api('DELETE', `/api/v1/namespaces/${ns}`);
  }
});
