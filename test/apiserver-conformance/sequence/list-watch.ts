/**
 * Lists and watches: resourceVersion semantics, watch events from a resourceVersion, bookmarks and
 * the initial-events-end bookmark, watch and list after etcd compaction, paging with limit/continue, label and
 * field selectors.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
import { NS } from '../kinds';
import type { Ctx } from '../context';
import { behaviour, type Behaviour } from './behaviour';

const CM = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;

const cm = (name: string, labels: Record<string, string>, data: Record<string, string> = { a: '1' }): unknown => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

async function create(c: Ctx, path: string, body: unknown): Promise<any> {
  const r = await c.send({ method: 'POST', path, body });
  if (r.status !== 201) throw new Error(`set-up POST ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export const LIST_WATCH: Behaviour[] = [
  behaviour('list: items, order and list metadata', async (c) => {
    for (const n of ['w-c', 'w-a', 'w-b']) await create(c, CM, cm(n, { set: 'list', n }));
    await c.call('GET list', { method: 'GET', path: `${CM}?labelSelector=set%3Dlist` });
    await c.call('GET list across namespaces', { method: 'GET', path: `/api/v1/configmaps?labelSelector=set%3Dlist` });
    await c.call('GET list resourceVersion=0', {
      method: 'GET',
      path: `${CM}?labelSelector=set%3Dlist&resourceVersion=0`,
    });
    await c.call('GET list resourceVersionMatch=Exact without RV', {
      method: 'GET',
      path: `${CM}?resourceVersionMatch=Exact`,
    });
    await c.call('GET list resourceVersionMatch=NotOlderThan without RV', {
      method: 'GET',
      path: `${CM}?resourceVersionMatch=NotOlderThan`,
    });
    await c.call('GET list resourceVersionMatch=Bogus', {
      method: 'GET',
      path: `${CM}?resourceVersion=1&resourceVersionMatch=Bogus`,
    });
    await c.call('GET list with a resourceVersion far in the future', {
      method: 'GET',
      path: `${CM}?resourceVersion=99999999&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`,
    });
  }),
  behaviour('list: paging with limit and continue', async (c) => {
    const first = await c.call('GET limit=2', { method: 'GET', path: `${CM}?labelSelector=set%3Dlist&limit=2` });
    const token = (first.body as any)?.metadata?.continue;
    await c.call('GET limit=2 continue', {
      method: 'GET',
      path: `${CM}?labelSelector=set%3Dlist&limit=2&continue=${encodeURIComponent(String(token))}`,
    });
    const all = await c.call('GET limit=1 without selector', { method: 'GET', path: `${CM}?limit=1` });
    c.vars.set('continue-token', (all.body as any)?.metadata?.continue);
    await c.call('GET continue with resourceVersion', {
      method: 'GET',
      path: `${CM}?limit=1&resourceVersion=1&continue=${encodeURIComponent(String(token))}`,
    });
    await c.call('GET a malformed continue token', { method: 'GET', path: `${CM}?limit=1&continue=bm9wZQ` });
  }),
  behaviour('list: label selectors', async (c) => {
    for (const [label, sel] of [
      ['equality', 'set=list,n=w-a'],
      ['double equals', 'n==w-b'],
      ['inequality', 'set=list,n!=w-a'],
      ['set in', 'n in (w-a,w-c)'],
      ['set notin', 'set=list,n notin (w-a)'],
      ['exists', 'set,n'],
      ['does not exist', 'set=list,!nothere'],
      ['malformed', 'n in (w-a'],
      ['invalid value', 'n=a b'],
    ])
      await c.call(label!, { method: 'GET', path: `${CM}?labelSelector=${encodeURIComponent(sel!)}` });
  }),
  behaviour('list: field selectors', async (c) => {
    await c.call('metadata.name', { method: 'GET', path: `${CM}?fieldSelector=metadata.name%3Dw-b` });
    await c.call('metadata.name!=', {
      method: 'GET',
      path: `${CM}?labelSelector=set%3Dlist&fieldSelector=metadata.name!%3Dw-b`,
    });
    await c.call('metadata.namespace across namespaces', {
      method: 'GET',
      path: `/api/v1/configmaps?labelSelector=set%3Dlist&fieldSelector=metadata.namespace%3D${NS}`,
    });
    await c.call('unsupported field label', { method: 'GET', path: `${CM}?fieldSelector=data.a%3D1` });
    await c.call('pods status.phase', { method: 'GET', path: `${PODS}?fieldSelector=status.phase%3DRunning` });
    await c.call('pods spec.nodeName empty', { method: 'GET', path: `${PODS}?fieldSelector=spec.nodeName%3D` });
    await c.call('secrets type', {
      method: 'GET',
      path: `/api/v1/namespaces/${NS}/secrets?fieldSelector=type%3Dkfc%2Fnone`,
    });
    await c.call('malformed', { method: 'GET', path: `${CM}?fieldSelector=metadata.name` });
  }),
  behaviour('watch: from a resourceVersion', async (c) => {
    const list = await c.send({ method: 'GET', path: `${CM}?labelSelector=set%3Dwatch` });
    const rv = (list.body as any).metadata.resourceVersion;
    await c.watch(
      'events after the list',
      { method: 'GET', path: `${CM}?watch=true&labelSelector=set%3Dwatch&resourceVersion=${rv}` },
      {
        events: 3,
        during: async () => {
          await create(c, CM, cm('watch-1', { set: 'watch' }));
          await c.send({
            method: 'PATCH',
            path: `${CM}/watch-1`,
            contentType: 'application/merge-patch+json',
            body: { data: { a: '2' } },
          });
          await c.send({ method: 'DELETE', path: `${CM}/watch-1` });
        },
      },
    );
  }),
  behaviour('watch: without resourceVersion sends the current state first', async (c) => {
    await c.watch(
      'initial ADDED events',
      { method: 'GET', path: `${CM}?watch=1&labelSelector=set%3Dlist` },
      { events: 3 },
    );
    await c.watch(
      'legacy /watch/ path',
      { method: 'GET', path: `/api/v1/watch/namespaces/${NS}/configmaps?labelSelector=set%3Dlist` },
      { events: 3 },
    );
    await c.watch(
      'single object by name',
      { method: 'GET', path: `${CM}?watch=true&fieldSelector=metadata.name%3Dw-a` },
      {
        events: 1,
      },
    );
  }),
  behaviour('watch: an object leaving and entering the selector', async (c) => {
    await create(c, CM, cm('sel-1', { set: 'sel', phase: 'in' }));
    const list = await c.send({ method: 'GET', path: `${CM}?labelSelector=phase%3Din` });
    const rv = (list.body as any).metadata.resourceVersion;
    const patch = (phase: string) =>
      c.send({
        method: 'PATCH',
        path: `${CM}/sel-1`,
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { phase } } },
      });
    await c.watch(
      'DELETED when it stops matching, ADDED when it matches again',
      { method: 'GET', path: `${CM}?watch=true&labelSelector=phase%3Din&resourceVersion=${rv}` },
      {
        events: 2,
        during: async () => {
          await patch('out');
          await patch('in');
        },
      },
    );
  }),
  behaviour('watch: sendInitialEvents and the initial-events-end bookmark', async (c) => {
    await c.watch(
      'sendInitialEvents=true',
      {
        method: 'GET',
        path: `${CM}?watch=true&labelSelector=set%3Dlist&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      },
      { events: 4, countBookmarks: true },
    );
    await c.call('sendInitialEvents without resourceVersionMatch', {
      method: 'GET',
      path: `${CM}?watch=true&sendInitialEvents=true`,
    });
    await c.call('sendInitialEvents without allowWatchBookmarks', {
      method: 'GET',
      path: `${CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`,
    });
  }),
  behaviour('watch: timeoutSeconds ends the stream', async (c) => {
    const w = await c.target.client.watch({
      method: 'GET',
      path: `${CM}?watch=true&labelSelector=set%3Dnone&timeoutSeconds=1`,
    });
    const ended = await w.ended(10_000);
    w.close();
    c.note('ended by the server', {
      status: w.status,
      contentType: w.headers['content-type'],
      ended,
      events: w.events,
    });
  }),
  behaviour('watch and list after etcd compaction', async (c) => {
    const old = await create(c, CM, cm('gone-1', { set: 'gone' }));
    await c.send({ method: 'DELETE', path: `${CM}/gone-1` });
    for (let i = 0; i < 3; i++) {
      await create(c, CM, cm(`gone-${i + 2}`, { set: 'gone' }));
    }
    await c.target.compact();
    await c.watch(
      'watch from a compacted resourceVersion',
      // Before the compaction: kube-apiserver answers it from its watch cache, whose history reaches
      // back to the revision it started at (1 in a new cluster), so etcd compaction does not show.
      { method: 'GET', path: `${CM}?watch=true&resourceVersion=1` },
      { events: 1, ms: 5000 },
    );
    await c.call('list Exact at a compacted resourceVersion', {
      method: 'GET',
      path: `${CM}?resourceVersion=${old.metadata.resourceVersion}&resourceVersionMatch=Exact`,
    });
    const token = c.vars.get('continue-token');
    await c.call('continue from before the compaction', {
      method: 'GET',
      path: `${CM}?limit=1&continue=${encodeURIComponent(String(token))}`,
    });
  }),
];
