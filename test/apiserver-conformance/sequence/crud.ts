/**
 * Create, read, list, update, patch and delete of every kind the simulator serves (kinds.ts), each
 * kind one behaviour. Objects other actors keep changing are compared through their case's view
 * after the create.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
import { caseName, clientView, collectionPath, KIND_CASES, NS, objectPath, type KindCase } from '../kinds';
import type { Ctx } from '../context';
import { behaviour, type Behaviour } from './behaviour';

function viewOf(k: KindCase): ((o: any) => unknown) | undefined {
  return k.view ?? (k.settled === false ? clientView : undefined);
}

/** PUT with the current resourceVersion, retried when another actor wrote in between. */
async function updateWithRetry(c: Ctx, k: KindCase, name: string, change: (o: any) => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const cur = await c.send({ method: 'GET', path: objectPath(k, name) });
    const o = cur.body as any;
    change(o);
    const put = await c.send({
      method: 'PUT',
      path: `${objectPath(k, name)}?fieldManager=kf-update`,
      body: o,
    });
    if (put.status !== 409 || attempt >= 5) {
      const { observe } = await import('../context');
      c.note('PUT (with resourceVersion)', observe(put, viewOf(k)));
      return;
    }
  }
}

function crud(k: KindCase): Behaviour {
  return behaviour(`crud ${k.apiVersion} ${k.kind}`, async (c) => {
    const name = caseName(k);
    const view = viewOf(k);
    const coll = collectionPath(k.apiVersion, k.resource, k.namespaced ? NS : undefined);
    const obj = {
      apiVersion: k.apiVersion,
      kind: k.kind,
      metadata: { name, labels: { kfc: 'crud' } },
      ...structuredClone(k.object),
    };
    await c.call('POST', { method: 'POST', path: `${coll}?fieldManager=kf-create`, body: obj });
    const settle = k.settle;
    if (settle !== undefined)
      c.note(
        'settled',
        await c.until(async () => settle((await c.send({ method: 'GET', path: objectPath(k, name) })).body)),
      );
    await c.call('GET', { method: 'GET', path: objectPath(k, name) }, view);
    await c.call(
      'GET list ?labelSelector=kfc=crud',
      { method: 'GET', path: `${coll}?labelSelector=kfc%3Dcrud` },
      (l) => ({ ...l, items: (l.items ?? []).map((i: any) => (view ? view(i) : i)) }),
    );
    await updateWithRetry(c, k, name, (o) => {
      o.metadata.labels = { ...o.metadata.labels, updated: 'yes' };
    });
    await c.call(
      'PATCH merge',
      {
        method: 'PATCH',
        path: `${objectPath(k, name)}?fieldManager=kf-patch`,
        contentType: 'application/merge-patch+json',
        body: { metadata: { annotations: { 'kfc/patched': 'yes' } } },
      },
      view,
    );
    const deleted = await c.call('DELETE', { method: 'DELETE', path: objectPath(k, name) }, view);
    // A DELETE answered with the object still there (a deletionTimestamp: finalizers such as the
    // `orphan` one that a Job's default propagation adds) hands the rest to the garbage collector,
    // which finishes it asynchronously on both servers: wait for it, as for a namespace, rather than
    // race it (the next GET sees it or not by scheduling alone).
    if (k.kind === 'Namespace' || (deleted.body as any)?.metadata?.deletionTimestamp !== undefined) {
      const gone = await c.until(
        async () => (await c.send({ method: 'GET', path: objectPath(k, name) })).status === 404,
        30_000,
      );
      c.note(k.kind === 'Namespace' ? 'namespace finally gone' : 'finally gone', gone);
    } else await c.call('GET after DELETE', { method: 'GET', path: objectPath(k, name) }, view);
    const cleanedUp = k.cleanedUp?.(name) ?? [];
    if (cleanedUp.length > 0)
      c.note(
        'controllers cleaned up',
        await c.until(
          async () =>
            (await Promise.all(cleanedUp.map((path) => c.send({ method: 'GET', path })))).every(
              (r) => r.status === 404,
            ),
          30_000,
        ),
      );
  });
}

export const CRUD: Behaviour[] = KIND_CASES.map(crud);
