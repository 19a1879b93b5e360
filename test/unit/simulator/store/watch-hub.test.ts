/**
 * The store's watch hub on its own: history replay from a resourceVersion, 410 Expired once the
 * history is compacted or bounded, selector transitions, and listeners that throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '@src/simulator/store/errors';
import type { KubeObject, WatchEvent } from '@src/simulator/store/types';
import { WatchHub } from '@src/simulator/store/watch-hub';

function pod(name: string, rv: number, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', resourceVersion: String(rv), labels },
  };
}

function event(type: WatchEvent['type'], object: KubeObject, previous?: KubeObject, refKey = '/pods'): WatchEvent {
  const e: WatchEvent = { type, object, resourceVersion: Number(object.metadata.resourceVersion), refKey };
  if (previous !== undefined) e.previous = previous;
  return e;
}

const noErrors = (e: unknown): never => {
  throw e;
};

test('a watch from a resourceVersion replays the later events of its kind, then follows live ones', () => {
  const hub = new WatchHub(100, noErrors);
  hub.emit(event('ADDED', pod('a', 1)));
  hub.emit(event('ADDED', { ...pod('x', 2), kind: 'ConfigMap' }, undefined, '/configmaps'));
  hub.emit(event('MODIFIED', pod('a', 3), pod('a', 1)));
  const seen: string[] = [];
  const sub = hub.watch(
    '/pods',
    { sinceResourceVersion: 1 },
    () => [],
    (e) => seen.push(`${e.type} ${e.resourceVersion}`),
  );
  hub.emit(event('DELETED', pod('a', 4), pod('a', 3)));
  sub.close();
  hub.emit(event('ADDED', pod('b', 5)));
  assert.deepEqual(seen, ['MODIFIED 3', 'DELETED 4']);
  assert.equal(hub.watcherCount, 0);
});

test('without a resourceVersion a watch starts with ADDED for the current objects', () => {
  const hub = new WatchHub(100, noErrors);
  const seen: string[] = [];
  hub.watch(
    '/pods',
    {},
    () => [pod('a', 7), pod('b', 8)],
    (e) => seen.push(`${e.type} ${e.object.metadata.name}`),
  );
  assert.deepEqual(seen, ['ADDED a', 'ADDED b']);
});

test('compacted or bounded history answers an older watch with 410 Expired', () => {
  const hub = new WatchHub(2, noErrors);
  for (let rv = 1; rv <= 4; rv++) hub.emit(event('ADDED', pod(`p${rv}`, rv)));
  assert.equal(hub.oldestWatchableResourceVersion, 2);
  assert.throws(
    () =>
      hub.watch(
        '/pods',
        { sinceResourceVersion: 1 },
        () => [],
        () => undefined,
      ),
    (e: unknown) => e instanceof StatusError && e.code === 410 && /too old resource version: 1 \(3\)/.test(e.message),
  );
  hub.compact(4);
  assert.throws(
    () =>
      hub.watch(
        '/pods',
        { sinceResourceVersion: 3 },
        () => [],
        () => undefined,
      ),
    StatusError,
  );
  assert.doesNotThrow(() =>
    hub.watch(
      '/pods',
      { sinceResourceVersion: 4 },
      () => [],
      () => undefined,
    ),
  );
});

test('a filtered watch sees an object that stops matching as DELETED and one that starts as ADDED', () => {
  const hub = new WatchHub(100, noErrors);
  const seen: WatchEvent[] = [];
  const filter = (o: KubeObject): boolean => o.metadata.labels?.['app'] === 'web';
  hub.watch(
    '/pods',
    { sinceResourceVersion: 0, filter },
    () => [],
    (e) => seen.push(e),
  );
  hub.emit(event('ADDED', pod('a', 1)));
  hub.emit(event('MODIFIED', pod('a', 2, { app: 'web' }), pod('a', 1)));
  hub.emit(event('MODIFIED', pod('a', 3, { app: 'db' }), pod('a', 2, { app: 'web' })));
  assert.deepEqual(
    seen.map((e) => `${e.type} ${e.object.metadata.resourceVersion} ${e.object.metadata.labels?.['app']}`),
    // The DELETED object is the object as it last matched, at the event's resourceVersion.
    ['ADDED 2 web', 'DELETED 3 web'],
  );
});

test('a listener that throws is reported; the others still hear the event', () => {
  const errors: unknown[] = [];
  const hub = new WatchHub(100, (e) => errors.push(e));
  const heard: string[] = [];
  hub.watch(
    '/pods',
    { sinceResourceVersion: 0 },
    () => [],
    () => {
      throw new Error('boom');
    },
  );
  hub.watch(
    '/pods',
    { sinceResourceVersion: 0 },
    () => [],
    (e) => heard.push(`watch ${e.type}`),
  );
  hub.subscribe((e) => heard.push(`subscriber ${e.type}`));
  hub.emit(event('ADDED', pod('a', 1)));
  assert.deepEqual(heard, ['watch ADDED', 'subscriber ADDED']);
  assert.equal(errors.length, 1);
});
