/**
 * Fault injection, switched while the server runs through POST /__sim/faults and in process.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, openWatch, until, withSim } from '@test/unit/simulator/helpers';

const CMS = '/api/v1/namespaces/default/configmaps';

test('status faults answer 503, 500, 429 (with Retry-After) and 410 until cleared; count limits them', async () => {
  await withSim({}, async (sim) => {
    const cases: [number, string][] = [
      [503, 'ServiceUnavailable'],
      [500, 'InternalError'],
      [429, 'TooManyRequests'],
      [410, 'Expired'],
    ];
    for (const [status, reason] of cases) {
      const set = await call(sim, 'POST', '/__sim/faults', { body: { status } });
      assert.equal(set.json.status, status);
      const r = await call(sim, 'GET', CMS);
      assert.deepEqual([r.status, r.json.reason, r.json.code], [status, reason, status]);
      if (status === 429) assert.equal(r.headers['retry-after'], '1');
      assert.equal((await call(sim, 'GET', '/healthz')).status, 200, 'health endpoints stay up');
    }
    await call(sim, 'POST', '/__sim/faults', { body: { clear: true } });
    assert.equal((await call(sim, 'GET', CMS)).status, 200);
    sim.faults.set({ status: 503, count: 2 });
    assert.deepEqual(
      [
        (await call(sim, 'GET', CMS)).status,
        (await call(sim, 'GET', CMS)).status,
        (await call(sim, 'GET', CMS)).status,
      ],
      [503, 503, 200],
    );
    assert.equal((await call(sim, 'POST', '/__sim/faults', { body: { status: 418 } })).status, 400);
  });
});

test('latency fault delays API requests; dropWatches ends open watches; expireToken makes that token 401', async () => {
  await withSim({ tls: true }, async (sim) => {
    await call(sim, 'POST', '/__sim/faults', { body: { latencyMs: 200 } });
    // The delayed list is still unanswered after the server received it, so a write made then shows in it.
    const delayed = call(sim, 'GET', CMS);
    await until(() => sim.inFlight === 1);
    sim.store.create(
      { group: '', resource: 'configmaps' },
      { metadata: { name: 'written-during-delay', namespace: 'default' } },
    );
    assert.deepEqual(
      (await delayed).json.items.map((i: any) => i.metadata.name),
      ['written-during-delay'],
    );
    await call(sim, 'POST', '/__sim/faults', { body: { latencyMs: 0 } });
    const w1 = await openWatch(sim, `${CMS}?watch=true&resourceVersion=${sim.store.resourceVersion}`);
    const w2 = await openWatch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.resourceVersion}`);
    await call(sim, 'POST', '/__sim/faults', { body: { dropWatches: true } });
    await Promise.all([w1.ended, w2.ended]);
    const w3 = await openWatch(sim, `${CMS}?watch=true&resourceVersion=${sim.store.resourceVersion}`);
    await call(sim, 'POST', CMS, { body: { metadata: { name: 'after-drop' } } });
    assert.equal((await w3.waitFor(1))[0].object.metadata.name, 'after-drop', 'new watches work after a drop');
    w3.close();
    assert.equal((await call(sim, 'GET', CMS, { token: sim.readOnlyToken })).status, 200);
    await call(sim, 'POST', '/__sim/faults', { body: { expireToken: sim.readOnlyToken } });
    assert.equal((await call(sim, 'GET', CMS, { token: sim.readOnlyToken })).status, 401);
    assert.equal((await call(sim, 'GET', CMS)).status, 200, 'other tokens still work');
    const state = await call(sim, 'GET', '/__sim/faults');
    assert.equal(state.json.expiredTokens, 1);
    assert.ok(!state.text.includes(sim.readOnlyToken), 'token values are never echoed');
  });
});

test('a 410 status fault on a watch is delivered as an ERROR event', async () => {
  await withSim({}, async (sim) => {
    sim.faults.set({ status: 410, count: 1 });
    const w = await openWatch(sim, `${CMS}?watch=true&resourceVersion=1`);
    await w.ended;
    assert.equal(w.status, 200);
    assert.deepEqual(
      w.events.map((e) => [e.type, e.object.code, e.object.reason]),
      [['ERROR', 410, 'Expired']],
    );
    const next = await openWatch(sim, `${CMS}?watch=true&resourceVersion=${sim.store.resourceVersion}`);
    await call(sim, 'POST', CMS, { body: { metadata: { name: 'x' } } });
    assert.equal((await next.waitFor(1))[0].type, 'ADDED', 'count: 1 cleared the fault');
    next.close();
  });
});
