import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { applySnapshot, formatIssue, loadSnapshot } from '@src/simulator/demo';
import { ControllerManager } from '@src/simulator/controllers';
import { Store } from '@src/simulator/store/store';

const FIXTURE = join(__dirname, '..', '..', '..', 'fixtures', 'snapshots', 'kubectl-get-list.yaml');

test('a kubectl get -o yaml List loads with status kept and unknown kinds reported', () => {
  const snap = loadSnapshot(FIXTURE);
  assert.deepEqual(snap.errors, []);
  assert.deepEqual(
    snap.objects.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      'Node/kind-control-plane',
      'Node/kind-worker',
      'ReplicaSet/coredns-6f6b679f8f',
      'Pod/coredns-6f6b679f8f-x7k2p',
      'Pod/waiting',
    ],
  );
  assert.equal(snap.unknown.length, 1);
  assert.match(formatIssue(snap.unknown[0]!), /^document 0 \(items\[5\]\): kind Widget \(example\.com\/v1\)/);
  const pod = snap.objects[3]!;
  assert.equal(pod['status'].podIP, '10.244.0.3');
  assert.equal(pod['spec'].priority, 2000000000);
  const waiting = snap.objects[4]!;
  assert.equal(waiting['spec'].priority, 0, 'defaulting resolves priority');
  assert.equal(waiting['spec'].tolerations.length, 2, 'DefaultTolerationSeconds adds not-ready/unreachable');

  const store = new Store();
  const res = applySnapshot(store, snap.objects);
  assert.deepEqual(res.errors, []);
  assert.equal(res.created, 5);
  assert.ok(store.get({ group: '', resource: 'namespaces' }, undefined, 'shop'), 'missing namespaces are created');
  const rs = store.get({ group: 'apps', resource: 'replicasets' }, 'kube-system', 'coredns-6f6b679f8f')!;
  const stored = store.get({ group: '', resource: 'pods' }, 'kube-system', 'coredns-6f6b679f8f-x7k2p')!;
  assert.equal(
    stored.metadata.ownerReferences![0]!.uid,
    rs.metadata.uid,
    'uids are kept, so ownerReferences still resolve',
  );
  assert.equal(stored['status'].phase, 'Running');
  assert.equal(store.get({ group: '', resource: 'nodes' }, undefined, 'kind-worker')!['status'].allocatable.cpu, '8');
  store.dispose();
});

test('CRs load after their CRD from multi-document YAML', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
  const cr = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\nspec: {size: 3}\n';
  const snap = loadSnapshot(`${cr}---\n${crd}`);
  assert.deepEqual(snap.errors, []);
  assert.deepEqual(snap.unknown, []);
  assert.deepEqual(
    snap.objects.map((o) => o.kind),
    ['CustomResourceDefinition', 'Widget'],
  );
  const store = new Store();
  assert.deepEqual(applySnapshot(store, snap.objects).errors, []);
  assert.ok(store.get({ group: 'example.com', resource: 'widgets' }, 'default', 'w1'));
  store.dispose();
});

test('JSON arrays and typed lists load', () => {
  const arr = loadSnapshot(JSON.stringify([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }]));
  assert.equal(arr.objects.length, 1);
  const typed = loadSnapshot(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'PodList',
      items: [{ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }] } }],
    }),
  );
  assert.deepEqual(typed.errors, []);
  assert.equal(typed.objects[0]!.kind, 'Pod');
});

const BAD: { name: string; input: string; want: RegExp; objects?: number }[] = [
  {
    name: 'YAML syntax error',
    input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n',
    want: /^document 0: YAML syntax error at line \d+/,
  },
  {
    name: 'missing kind in the second document',
    input: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n',
    want: /^document 1: kind: Required value$/,
    objects: 1,
  },
  {
    name: 'missing name in a List item',
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: {} }] }),
    want: /^document 0 \(items\[0\]\): metadata\.name: Required value$/,
  },
  {
    name: 'non-string label',
    input: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {x: 1}}\n',
    want: /^document 0: metadata\.labels\.x: must be a string, got 1$/,
  },
  { name: 'scalar document', input: '42\n', want: /^document 0: document: must be an object, got number$/ },
  {
    name: 'items not a list',
    input: 'apiVersion: v1\nkind: List\nitems: {a: 1}\n',
    want: /^document 0: items: must be a list$/,
  },
];

for (const c of BAD) {
  test(`bad input: ${c.name}`, () => {
    const snap = loadSnapshot(c.input);
    assert.equal(snap.objects.length, c.objects ?? 0);
    assert.equal(snap.errors.length, 1);
    assert.match(formatIssue(snap.errors[0]!), c.want);
  });
}

test('controllers run on a loaded real-cluster snapshot without replacing its pods', async () => {
  const store = new Store({ gracefulPodDeletion: 'external' });
  const snap = loadSnapshot(FIXTURE, { registry: store.registry });
  assert.deepEqual(applySnapshot(store, snap.objects).errors, []);
  const cm = new ControllerManager(store, { seed: 1 });
  cm.start();
  await cm.whenIdle();
  const coredns = store.get({ group: '', resource: 'pods' }, 'kube-system', 'coredns-6f6b679f8f-x7k2p')!;
  assert.equal(coredns.metadata.uid, '7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3905');
  assert.equal(store.count({ group: '', resource: 'pods' }, 'kube-system'), 1);
  const waiting = store.get({ group: '', resource: 'pods' }, 'shop', 'waiting')!;
  assert.equal(waiting['status'].conditions[0].reason, 'Unschedulable');
  cm.stop();
  store.dispose();
});
