/**
 * The watch events of deleting a pod, as kube-apiserver v1.37.2 emits them (found by the load
 * campaign, test/load): a pod always takes the graceful path, so even a zero grace period first
 * writes deletionTimestamp/deletionGracePeriodSeconds (and the bumped generation) at its own
 * resourceVersion (MODIFIED), then removes the pod at the next one (DELETED, the DELETE's answer).
 * A terminating pod deleted with grace 0 first has its grace period shortened the same way (the
 * timestamp moved back by the old period, the generation kept). Other kinds: one DELETED event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R, Store, type ResourceRef, type WatchEvent } from '@src/simulator/store';

const pod = (name: string, node?: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'x' }] },
});

function record(s: Store, ref: ResourceRef): string[] {
  const seen: string[] = [];
  s.watch(ref, { sinceResourceVersion: s.resourceVersion }, (e: WatchEvent) => {
    const m = e.object.metadata;
    seen.push(
      `${e.type} ${m.name} rv=${m.resourceVersion} gen=${m.generation ?? '-'} ${m.deletionTimestamp ? `terminating grace=${m.deletionGracePeriodSeconds}` : 'live'}`,
    );
  });
  return seen;
}

test('deleting a live pod with grace 0 stamps it (MODIFIED) before removing it (DELETED)', () => {
  const s = new Store();
  const seen = record(s, R.pods);
  const made = s.create(R.pods, pod('p'));
  const rv = Number(made.metadata.resourceVersion);
  const r = s.delete(R.pods, 'default', 'p', { gracePeriodSeconds: 0 });
  assert.equal(r.deleted, true);
  assert.equal(r.object.metadata.resourceVersion, String(rv + 2), 'the DELETE answers with the removal');
  assert.deepEqual(seen, [
    `ADDED p rv=${rv} gen=1 live`,
    `MODIFIED p rv=${rv + 1} gen=2 terminating grace=0`,
    `DELETED p rv=${rv + 2} gen=2 terminating grace=0`,
  ]);
});

test('a terminating pod deleted with grace 0 is shortened (MODIFIED), then removed; a ConfigMap is one DELETED', () => {
  const s = new Store({ gracefulPodDeletion: 'external' });
  s.create(R.pods, pod('q', 'n1'));
  const first = s.delete(R.pods, 'default', 'q');
  assert.equal(first.deleted, false, 'a bound pod waits for its grace period');
  const stampedAt = Date.parse(first.object.metadata.deletionTimestamp!);
  const seen = record(s, R.pods);
  const rv = s.resourceVersion;
  const r = s.delete(R.pods, 'default', 'q', { gracePeriodSeconds: 0 });
  assert.equal(r.deleted, true);
  assert.deepEqual(seen, [
    `MODIFIED q rv=${rv + 1} gen=2 terminating grace=0`,
    `DELETED q rv=${rv + 2} gen=2 terminating grace=0`,
  ]);
  assert.equal(Date.parse(r.object.metadata.deletionTimestamp!), stampedAt - 30_000);
  const cms = record(s, R.configmaps);
  s.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } });
  s.delete(R.configmaps, 'default', 'c');
  assert.deepEqual(
    cms.map((l) => l.split(' ')[0]),
    ['ADDED', 'DELETED'],
  );
  s.dispose();
});
