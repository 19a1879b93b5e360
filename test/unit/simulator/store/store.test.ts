/**
 * The store's contract, in process (the API the controllers build on), modelled on kube-apiserver's
 * storage correctness model (apiserver/pkg/storage/testing/correctness/model.go).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R, Store, StatusError, type WatchEvent } from '@src/simulator/store';
import { bindPod } from '@src/simulator/api/binding';

const cm = (name: string, ns = 'default', data: Record<string, string> = {}): Record<string, any> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data,
});
const podObj = (name: string, node?: string): Record<string, any> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'x' }] },
});

function code(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.code;
    throw e;
  }
  return 0;
}

test('every write takes the next global RV; no-op updates take none; delete returns the object at a new RV', () => {
  const s = new Store();
  const rv0 = s.resourceVersion;
  const a = s.create(R.configmaps, cm('a'));
  const b = s.create(R.secrets, { metadata: { name: 'b', namespace: 'kube-system' } });
  assert.deepEqual([Number(a.metadata.resourceVersion), Number(b.metadata.resourceVersion)], [rv0 + 1, rv0 + 2]);
  assert.equal(s.update(R.configmaps, cm('a')), a, 'no-op returns the stored object');
  assert.equal(s.resourceVersion, rv0 + 2);
  const d = s.delete(R.configmaps, 'default', 'a');
  assert.deepEqual(
    [d.deleted, d.object.metadata.resourceVersion, d.object.metadata.uid],
    [true, String(rv0 + 3), a.metadata.uid],
  );
});

test('stored objects are frozen and shared; writers copy', () => {
  const s = new Store();
  const a = s.create(R.configmaps, cm('a', 'default', { k: 'v' }));
  assert.throws(() => {
    (a['data'] as Record<string, string>)['k'] = 'x';
  }, TypeError);
  assert.equal(s.get(R.configmaps, 'default', 'a'), a);
  const b = s.mutate(R.configmaps, 'default', 'a', (d) => {
    d['data'].k = 'w';
  });
  assert.deepEqual([a['data'].k, b['data'].k], ['v', 'w']);
});

test('errors are StatusErrors with upstream codes and leave the store unchanged', () => {
  const s = new Store();
  s.create(R.configmaps, cm('a'));
  const rv = s.resourceVersion;
  const cases: [string, () => unknown, number][] = [
    ['AlreadyExists', () => s.create(R.configmaps, cm('a')), 409],
    ['missing namespace', () => s.create(R.configmaps, cm('b', 'ghost')), 404],
    ['invalid name', () => s.create(R.configmaps, cm('B!')), 422],
    [
      'stale RV',
      () => s.update(R.configmaps, { ...cm('a'), metadata: { name: 'a', namespace: 'default', resourceVersion: '1' } }),
      409,
    ],
    ['update of a missing object', () => s.update(R.configmaps, cm('zz')), 404],
    ['delete of a missing object', () => s.delete(R.configmaps, 'default', 'zz'), 404],
    ['unknown kind', () => s.list({ group: 'x', resource: 'y' }), 404],
    ['protected namespace', () => s.delete(R.namespaces, undefined, 'kube-system'), 403],
  ];
  for (const [name, fn, want] of cases) assert.equal(code(fn), want, name);
  assert.equal(s.resourceVersion, rv);
});

test('watch replays history after an RV, filters with selector transitions, and 410s once compacted', () => {
  const s = new Store();
  const start = s.resourceVersion;
  s.create(R.configmaps, { ...cm('a'), metadata: { name: 'a', namespace: 'default', labels: { x: '1' } } });
  s.mutate(R.configmaps, 'default', 'a', (d) => {
    d.metadata.labels = { x: '2' };
  });
  const seen: string[] = [];
  const sub = s.watch(
    R.configmaps,
    { sinceResourceVersion: start, filter: (o) => o.metadata.labels?.['x'] === '1' },
    (e: WatchEvent) => seen.push(`${e.type} ${e.object.metadata.labels?.['x']}`),
  );
  // The DELETED of an object leaving the selector carries it as it last matched (as the watch cache does).
  assert.deepEqual(seen, ['ADDED 1', 'DELETED 1']);
  sub.close();
  s.compact();
  assert.equal(
    code(() => s.watch(R.configmaps, { sinceResourceVersion: start }, () => {})),
    410,
  );
  const initial: string[] = [];
  s.watch(R.configmaps, {}, (e) => initial.push(`${e.type} ${e.object.metadata.name}`)).close();
  assert.deepEqual(initial, ['ADDED a']);
});

test('list is sorted, pages with after/limit, and serves spec.nodeName from the index', () => {
  const s = new Store();
  for (const [n, node] of [
    ['c', 'n1'],
    ['a', 'n2'],
    ['b', 'n1'],
  ] as const)
    s.create(R.pods, podObj(n, node));
  assert.deepEqual(
    s.list(R.pods).items.map((p) => p.metadata.name),
    ['a', 'b', 'c'],
  );
  const p1 = s.list(R.pods, { limit: 2 });
  assert.deepEqual([p1.items.length, p1.next?.remaining], [2, 1]);
  assert.deepEqual(
    s.list(R.pods, { after: p1.next!.after }).items.map((p) => p.metadata.name),
    ['c'],
  );
  assert.deepEqual(
    s.list(R.pods, { nodeName: 'n1' }).items.map((p) => p.metadata.name),
    ['b', 'c'],
  );
  s.delete(R.pods, 'default', 'b', { gracePeriodSeconds: 0 });
  assert.deepEqual(
    s.list(R.pods, { nodeName: 'n1' }).items.map((p) => p.metadata.name),
    ['c'],
  );
  assert.match(s.toJSON(s.get(R.pods, 'default', 'a')!, true), /^\{"metadata":/);
});

test('bindPod sets nodeName and PodScheduled in one write; re-binding is 409', () => {
  const s = new Store();
  s.create(R.pods, podObj('p'));
  const rv = s.resourceVersion;
  const bound = bindPod(s, 'default', 'p', 'node-1');
  assert.equal(s.resourceVersion, rv + 1);
  assert.equal(bound['spec'].nodeName, 'node-1');
  assert.equal(bound['status'].conditions[0].type, 'PodScheduled');
  assert.equal(
    code(() => bindPod(s, 'default', 'p', 'node-2')),
    409,
  );
  assert.equal(
    code(() => s.update(R.pods, { ...structuredClone(bound), spec: { ...bound['spec'], nodeName: 'node-3' } })),
    422,
    'a plain update cannot move a pod',
  );
});

test('external graceful deletion leaves terminating pods for a simulated kubelet', () => {
  const s = new Store({ gracefulPodDeletion: 'external' });
  s.create(R.pods, podObj('p', 'n1'));
  const r = s.delete(R.pods, 'default', 'p');
  assert.equal(r.deleted, false);
  assert.equal(r.object.metadata.deletionGracePeriodSeconds, 30);
  assert.ok(s.get(R.pods, 'default', 'p')?.metadata.deletionTimestamp);
  assert.equal(s.delete(R.pods, 'default', 'p', { gracePeriodSeconds: 0 }).deleted, true);
  s.dispose();
});

test('restore keeps uids, timestamps and status, creates missing namespaces, and reports what it skipped', () => {
  const s = new Store();
  const r = s.restore([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop', uid: 'u-1', creationTimestamp: '2025-01-01T00:00:00Z' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
      status: { phase: 'Running' },
    },
    { apiVersion: 'v1', kind: 'Frob', metadata: { name: 'f' } },
  ]);
  assert.equal(r.loaded, 1);
  assert.deepEqual(
    r.failed.map((f) => f.object),
    ['Frob /f'],
  );
  const p = s.get(R.pods, 'shop', 'p')!;
  assert.deepEqual(
    [p.metadata.uid, p.metadata.creationTimestamp, p['status'].phase],
    ['u-1', '2025-01-01T00:00:00Z', 'Running'],
  );
  assert.ok(s.get(R.namespaces, undefined, 'shop'));
  assert.equal(s.list(R.pods, { nodeName: 'n1' }).items.length, 1);
});

test('a throwing listener neither fails the write nor starves other listeners', () => {
  const errors: unknown[] = [];
  const s = new Store({ onListenerError: (e) => errors.push(e) });
  const seen: string[] = [];
  s.watch(R.configmaps, {}, () => {
    throw new Error('boom');
  });
  s.watch(R.configmaps, {}, (e) => seen.push(e.type));
  const created = s.create(R.configmaps, cm('a'));
  assert.equal(s.get(R.configmaps, 'default', 'a'), created);
  assert.deepEqual(seen, ['ADDED']);
  assert.equal(errors.length, 1);
});
